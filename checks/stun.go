package checks

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/probe/stun"
	"github.com/biztel-tools/biztel-doctor/profile"
)

// stunCheckTimeout bounds stun.3478/stun.3479: name resolution plus the
// stun.Wait listening window, with half a second of room.
const stunCheckTimeout = resolveTimeout + stun.Wait + 500*time.Millisecond

// Fact keys of the STUN checks, rendered from STUNEvidence (nat.mapping
// and sip.alg read the evidence); per-server keys end in "@" plus the
// server as "host:port" (the real port contacted).
const (
	FactSTUNLocal      = "local_addr"  // the local ip:port the bindings were sent from
	FactSTUNMapped     = "mapped_addr" // the public ip:port of the first server that answered
	FactSTUNAnswered   = "answered"    // comma-separated servers that answered
	FactSTUNSilent     = "silent"      // comma-separated servers that did not
	FactSTUNMappedAt   = "mapped@"     // + server: the mapped ip:port that server reported
	FactSTUNRTTAt      = "rtt_ms@"     // + server: round trip in ms
	FactSTUNUnresolved = "unresolved"  // comma-separated server names that did not resolve
)

func init() {
	for _, logical := range []int{3478, 3479} {
		id := "stun." + strconv.Itoa(logical)
		register(Spec{
			ID:       id,
			Timeout:  stunCheckTimeout,
			Remedies: []string{"allow-stun", "allow-return-traffic"},
			Plan: func(p *profile.Profile, opt Options) ([]Destination, content.Text) {
				return stunPlan(p, stunRealPort(opt, logical), logical)
			},
			Run: func(ctx context.Context, in *Input) Result { return runSTUN(ctx, in, id, logical) },
		})
	}
}

// stunRealPort maps the page's port (3478 or 3479) to the one contacted.
func stunRealPort(opt Options, logical int) int {
	ports := opt.Ports
	if ports == (Ports{}) {
		ports = DefaultPorts()
	}
	if logical == 3479 {
		return ports.STUNSecondary
	}
	return ports.STUNPrimary
}

// stunPlan lists the profile's STUN servers probed on one port: entries
// naming that port and entries naming none.
func stunPlan(p *profile.Profile, real, logical int) ([]Destination, content.Text) {
	entries := p.STUNEntries()
	if len(entries) == 0 {
		return nil, content.Phrase("check.stun.no_server", nil)
	}
	var out []Destination
	for _, e := range entries {
		if e.Port != 0 && e.Port != logical {
			continue
		}
		out = append(out, Destination{Proto: "STUN", Transport: "udp", Address: e.Host,
			Ports:   content.PortRange{From: real, To: real},
			Purpose: content.Phrase("check.stun.purpose", content.Vars{"port": logical})})
	}
	if len(out) == 0 {
		return nil, content.Phrase("check.stun.no_server_for_port", content.Vars{"port": logical})
	}
	return out, content.Text{}
}

// stunRound is the outcome of bindings to a check's targets from one socket.
type stunRound struct {
	Local      netip.AddrPort
	Bindings   []*stun.Binding
	Unresolved []string
	Stats      stun.Stats
}

// bindFromOneSocket resolves the targets and runs a Binding to each from a
// single local socket (so mapped addresses towards different servers can be
// compared, RFC 4787 §4.1).
func bindFromOneSocket(ctx context.Context, env *Env, targets []Destination) (*stunRound, error) {
	round := &stunRound{}
	for _, d := range targets {
		ip, err := resolveIPv4(ctx, env, d.Address)
		if err != nil {
			round.Unresolved = append(round.Unresolved, d.Address)
			env.Log.Printf("stun: %v", err)
			continue
		}
		round.Bindings = append(round.Bindings, &stun.Binding{Server: d.HostPort(), To: netip.AddrPortFrom(ip, uint16(d.Ports.From))})
	}
	if len(round.Bindings) == 0 {
		return round, nil
	}
	conn, err := listenUDP4Towards(ctx, env, round.Bindings[0].To.Addr(), int(round.Bindings[0].To.Port()))
	if err != nil {
		return round, fmt.Errorf("open a UDP socket: %w", err)
	}
	defer conn.Close()
	round.Local = addrPort(conn.LocalAddr())
	round.Stats = stun.Run(ctx, conn, round.Bindings, env.UserAgent())
	return round, nil
}

func runSTUN(ctx context.Context, in *Input, id string, logical int) Result {
	round, err := bindFromOneSocket(ctx, in.Env, in.Targets)
	if err != nil {
		return ErrorResult(id, content.Phrase("check.stun.could_not_run", content.Vars{"err": err}))
	}
	ev := newSTUNEvidence(round, logical)
	facts := ev.Facts()
	answered, silent := ev.servers()
	firstMapped := ev.FirstMapped()
	best, _ := ev.bestRTT()
	errs := 0
	for _, b := range ev.Answered() {
		if b.ErrCode != 0 {
			errs++
		}
	}
	if r, ok := stunNoRoute(id, round.Bindings); ok {
		return r.withFacts(facts).withEvidence(ev)
	}

	var r Result
	switch {
	case len(answered) == 0:
		var ignored content.Text
		if n := ev.Garbage + ev.Mismatched; n > 0 {
			ignored = content.Phrase("check.stun.ignored", content.Vars{"n": n})
		}
		remedies := []string{"allow-stun"}
		if ev.Garbage+ev.Mismatched == 0 {
			// nothing came back at all: UDP blocked outbound, or the answers
			// not let back in (a stateless filter without the return rule)
			remedies = append(remedies, "allow-return-traffic")
		}
		r = FailResult(id, content.Phrase("check.stun.none_answered",
			content.Vars{"port": logical, "ignored": ignored, "silent": strings.Join(silent, ", ")}), remedies...)
	case len(silent) > 0:
		r = WarnResult(id, content.Phrase("check.stun.some_silent",
			content.Vars{"port": logical, "total": len(answered) + len(silent), "answered": len(answered), "silent": strings.Join(silent, ", ")}), "allow-stun")
	case errs == len(answered):
		r = WarnResult(id, content.Phrase("check.stun.error_answers", content.Vars{"port": logical}), "allow-stun")
	default:
		r = PassResult(id, content.Phrase("check.stun.all_answered",
			content.Vars{"port": logical, "total": len(answered), "mapped": firstMapped, "rtt": fmt.Sprintf("%.1f", ms(best))}))
	}
	r.Facts = facts
	return r.withEvidence(ev)
}

// STUNEvidence is what a STUN check measured: Bindings from one local
// socket. nat.mapping and sip.alg read it (EvidenceOf); the check's facts
// are rendered from it (Facts).
type STUNEvidence struct {
	PagePort   int // the page's port, 3478 or 3479
	Local      netip.AddrPort
	Bindings   []STUNBindingEvidence // in plan order
	Unresolved []string              // server names that did not resolve
	Garbage    int                   // replies that were not STUN
	Mismatched int                   // STUN replies to no request of ours
}

// STUNBindingEvidence is one server's Binding transaction.
type STUNBindingEvidence struct {
	Server   string // "host:port" as planned (the real port contacted)
	Sent     int
	Answered bool
	Mapped   netip.AddrPort // zero unless a success response carried it
	ErrCode  int            // STUN error code of an error response; 0 otherwise
	RTT      time.Duration
	Software string
}

func newSTUNEvidence(round *stunRound, logical int) *STUNEvidence {
	ev := &STUNEvidence{PagePort: logical, Local: round.Local, Unresolved: round.Unresolved,
		Garbage: round.Stats.Garbage, Mismatched: round.Stats.Mismatched}
	for _, b := range round.Bindings {
		ev.Bindings = append(ev.Bindings, STUNBindingEvidence{Server: b.Server, Sent: b.Sent, Answered: b.Answered,
			Mapped: b.Mapped, ErrCode: b.ErrCode, RTT: b.RTT, Software: b.Software})
	}
	return ev
}

// Answered returns the bindings that got a response (success or error).
func (e *STUNEvidence) Answered() []STUNBindingEvidence {
	var out []STUNBindingEvidence
	for _, b := range e.Bindings {
		if b.Answered {
			out = append(out, b)
		}
	}
	return out
}

// FirstMapped is the public address the first successful binding reported.
func (e *STUNEvidence) FirstMapped() netip.AddrPort {
	for _, b := range e.Answered() {
		if b.ErrCode == 0 && b.Mapped.IsValid() {
			return b.Mapped
		}
	}
	return netip.AddrPort{}
}

// servers lists the servers that answered and those that did not (or did
// not resolve).
func (e *STUNEvidence) servers() (answered, silent []string) {
	for _, b := range e.Bindings {
		if b.Answered {
			answered = append(answered, b.Server)
		} else {
			silent = append(silent, b.Server)
		}
	}
	return answered, append(silent, e.Unresolved...)
}

// bestRTT is the shortest round trip of any answer.
func (e *STUNEvidence) bestRTT() (time.Duration, bool) {
	var best time.Duration
	have := false
	for _, b := range e.Answered() {
		if !have || b.RTT < best {
			best, have = b.RTT, true
		}
	}
	return best, have
}

// Facts renders the evidence with the published fact keys.
func (e *STUNEvidence) Facts() Facts {
	facts := Facts{}
	sent := 0
	for _, b := range e.Bindings {
		sent += b.Sent
		if !b.Answered {
			continue
		}
		facts[FactSTUNRTTAt+b.Server] = ms(b.RTT)
		if b.ErrCode != 0 {
			facts["error_code@"+b.Server] = b.ErrCode
			continue
		}
		if b.Mapped.IsValid() {
			facts[FactSTUNMappedAt+b.Server] = b.Mapped.String()
		}
		if b.Software != "" {
			facts["software@"+b.Server] = b.Software
		}
	}
	answered, silent := e.servers()
	if e.Local.IsValid() {
		facts[FactSTUNLocal] = e.Local.String()
	}
	facts[FactSTUNAnswered] = strings.Join(answered, ",")
	facts[FactSTUNSilent] = strings.Join(silent, ",")
	if len(e.Unresolved) > 0 {
		facts[FactSTUNUnresolved] = strings.Join(e.Unresolved, ",")
	}
	facts["requests_sent"] = sent
	facts["garbage_ignored"] = e.Garbage
	facts["mismatched_txid_ignored"] = e.Mismatched
	facts["page_port"] = e.PagePort
	if m := e.FirstMapped(); m.IsValid() {
		facts[FactSTUNMapped] = m.String()
		facts["public_ip"] = m.Addr().String()
	}
	if best, ok := e.bestRTT(); ok {
		facts["rtt_ms"] = ms(best)
	}
	return facts
}

// stunServerAddr parses a server key "host:port" back into an address.
func stunServerAddr(server string) (string, int, bool) {
	h, p, err := net.SplitHostPort(server)
	if err != nil {
		return "", 0, false
	}
	port, err := strconv.Atoi(p)
	return h, port, err == nil
}

// stunNoRoute: not one request left this host because it has no route
// (noroute.go's rule), rather than servers that stayed silent.
func stunNoRoute(id string, bs []*stun.Binding) (Result, bool) {
	if len(bs) == 0 {
		return Result{}, false
	}
	for _, b := range bs {
		if b.Sent > 0 {
			return Result{}, false
		}
	}
	return noRouteResult(id, "STUN "+bs[0].To.String(), bs[0].SendErr)
}

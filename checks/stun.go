package checks

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/profile"
)

// stunCheckTimeout bounds stun.3478/stun.3479: name resolution plus the
// stunWait listening window, with half a second of room.
const stunCheckTimeout = resolveTimeout + stunWait + 500*time.Millisecond

// Fact keys of the STUN checks. nat.mapping reads them; per-server keys end
// in "@" plus the server as "host:port" (the real port contacted).
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
		return nil, content.T("STUN サーバが指定されていません（アドレスは「サービスご紹介資料」に記載されています。--stun またはプロファイルの stun.servers で指定してください）",
			"no STUN server given (the addresses are in the service brochure 「サービスご紹介資料」; give them with --stun or stun.servers in the profile)")
	}
	var out []Destination
	for _, e := range entries {
		if e.Port != 0 && e.Port != logical {
			continue
		}
		out = append(out, Destination{Proto: "STUN", Transport: "udp", Address: e.Host,
			Ports: content.PortRange{From: real, To: real},
			Purpose: content.Tf("STUN Binding 要求（LAN→WAN ③ UDP %d）で到達性とグローバルアドレスを確認",
				"STUN Binding request (LAN→WAN row 3, UDP %d): reachability and the public address", logical)})
	}
	if len(out) == 0 {
		return nil, content.Tf("プロファイルに UDP %d 向けの STUN サーバがありません", "the profile names no STUN server for UDP %d", logical)
	}
	return out, content.Text{}
}

// stunRound is the outcome of bindings to a check's targets from one socket.
type stunRound struct {
	Local      netip.AddrPort
	Bindings   []*stunBinding
	Unresolved []string
	Stats      stunStats
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
		round.Bindings = append(round.Bindings, &stunBinding{Server: d.HostPort(), To: netip.AddrPortFrom(ip, uint16(d.Ports.From))})
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
	round.Stats = runBindings(ctx, conn, round.Bindings, env.UserAgent())
	return round, nil
}

func runSTUN(ctx context.Context, in *Input, id string, logical int) Result {
	round, err := bindFromOneSocket(ctx, in.Env, in.Targets)
	if err != nil {
		return ErrorResult(id, content.Tf("STUN の確認を実行できませんでした: %v", "could not run the STUN check: %v", err))
	}
	var answered, silent []string
	var firstMapped netip.AddrPort
	var best time.Duration
	haveRTT := false
	facts := Facts{}
	sent, errs := 0, 0
	for _, b := range round.Bindings {
		sent += b.Sent
		if !b.Answered {
			silent = append(silent, b.Server)
			continue
		}
		answered = append(answered, b.Server)
		facts[FactSTUNRTTAt+b.Server] = ms(b.RTT)
		if !haveRTT || b.RTT < best {
			best, haveRTT = b.RTT, true
		}
		if b.ErrCode != 0 {
			errs++
			facts["error_code@"+b.Server] = b.ErrCode
			continue
		}
		if b.Mapped.IsValid() {
			facts[FactSTUNMappedAt+b.Server] = b.Mapped.String()
			if !firstMapped.IsValid() {
				firstMapped = b.Mapped
			}
		}
		if b.Software != "" {
			facts["software@"+b.Server] = b.Software
		}
	}
	if sent == 0 && len(round.Bindings) > 0 {
		// not one request left this host: no route is the finding (noroute.go)
		if r, ok := noRouteResult(id, "STUN "+round.Bindings[0].To.String(), round.Bindings[0].SendErr); ok {
			return r
		}
	}
	silent = append(silent, round.Unresolved...)
	if round.Local.IsValid() {
		facts[FactSTUNLocal] = round.Local.String()
	}
	facts[FactSTUNAnswered] = strings.Join(answered, ",")
	facts[FactSTUNSilent] = strings.Join(silent, ",")
	if len(round.Unresolved) > 0 {
		facts[FactSTUNUnresolved] = strings.Join(round.Unresolved, ",")
	}
	facts["requests_sent"] = sent
	facts["garbage_ignored"] = round.Stats.Garbage
	facts["mismatched_txid_ignored"] = round.Stats.Mismatched
	facts["page_port"] = logical
	if firstMapped.IsValid() {
		facts[FactSTUNMapped] = firstMapped.String()
		facts["public_ip"] = firstMapped.Addr().String()
	}
	if haveRTT {
		facts["rtt_ms"] = ms(best)
	}

	var r Result
	switch {
	case len(answered) == 0:
		var whyJa, whyEn string
		if n := round.Stats.Garbage + round.Stats.Mismatched; n > 0 {
			whyJa = fmt.Sprintf("（STUN の応答でないパケット %d 個は無視）", n)
			whyEn = fmt.Sprintf(" (%d replies that were not answers to our requests were ignored)", n)
		}
		remedies := []string{"allow-stun"}
		if round.Stats.Garbage+round.Stats.Mismatched == 0 {
			// nothing came back at all: UDP blocked outbound, or the answers
			// not let back in (a stateless filter without the return rule)
			remedies = append(remedies, "allow-return-traffic")
		}
		r = FailResult(id, content.T(
			fmt.Sprintf("どの STUN サーバからも UDP %d の応答がありません%s: %s", logical, whyJa, strings.Join(silent, ", ")),
			fmt.Sprintf("no STUN server answered on UDP %d%s: %s", logical, whyEn, strings.Join(silent, ", "))), remedies...)
	case len(silent) > 0:
		r = WarnResult(id, content.Tf("UDP %d: %d 台中 %d 台の STUN サーバだけが応答しました（無応答: %s）",
			"UDP %d: only %[3]d of %[2]d STUN servers answered (silent: %[4]s)", logical, len(answered)+len(silent), len(answered), strings.Join(silent, ", ")), "allow-stun")
	case errs == len(answered):
		r = WarnResult(id, content.Tf("UDP %d: STUN サーバは応答しましたが、エラー応答でした", "UDP %d: the STUN servers answered, but with an error response", logical), "allow-stun")
	default:
		r = PassResult(id, content.Tf("UDP %d: STUN サーバ %d 台すべてが応答（グローバルアドレス %s、RTT %.1f ms）",
			"UDP %d: all %d STUN servers answered (public address %s, RTT %.1f ms)", logical, len(answered), firstMapped, ms(best)))
	}
	r.Facts = facts
	return r
}

// stunAnswered reads the servers that answered from a STUN check's facts.
func stunAnswered(r Result) []string {
	s, _ := r.Facts[FactSTUNAnswered].(string)
	if s == "" {
		return nil
	}
	return slices.DeleteFunc(strings.Split(s, ","), func(x string) bool { return x == "" })
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

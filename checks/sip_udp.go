package checks

import (
	"context"
	"fmt"
	"net/netip"
	"strconv"
	"time"

	"github.com/biztel-tools/biztel-doctor/content"
	sipprobe "github.com/biztel-tools/biztel-doctor/probe/sip"
	"github.com/biztel-tools/biztel-doctor/profile"
)

// sip.udp's budget and the transaction's limits (probe/sip: RFC 3261
// timer E/A retransmission, sipMaxSends packets at most).
const (
	sipMaxSends    = sipprobe.MaxSends
	sipWait        = sipprobe.Wait
	sipCheckBudget = resolveTimeout + sipWait + 500*time.Millisecond // sip.udp's Timeout: a name lookup, the wait, dialing and parsing
)

// Fact keys of sip.udp (RFC 3581: what the server saw as our source),
// rendered from SIPUDPEvidence; sip.alg's fallback reads the evidence.
const (
	FactSIPLocal     = "local_addr"   // ip:port the OPTIONS was sent from
	FactSIPReceived  = "via_received" // Via "received" the server returned ("" when absent)
	FactSIPRPort     = "via_rport"    // Via "rport" the server returned (0 when absent)
	FactSIPStatus    = "status_line"  // e.g. "SIP/2.0 200 OK"
	FactSIPTranslate = "nat_seen"     // true when received/rport differ from local_addr
)

func init() {
	register(Spec{
		ID:       "sip.udp",
		Timeout:  sipCheckBudget,
		Remedies: []string{"allow-sip-udp", "allow-return-traffic", "disable-sip-alg"},
		Plan:     sipUDPPlan,
		Run:      runSIPUDP,
	})
}

func sipUDPPlan(p *profile.Profile, opt Options) ([]Destination, content.Text) {
	addr := p.ServerAddr()
	if addr == "" {
		return nil, content.Phrase("check.sip_udp.no_server", nil)
	}
	port := opt.Ports.SIPUDP
	return []Destination{{Proto: "SIP", Transport: "udp", Address: addr, Ports: content.PortRange{From: port, To: port},
		Purpose: content.Phrase("check.sip_udp.purpose", nil)}}, content.Text{}
}

func runSIPUDP(ctx context.Context, in *Input) Result {
	const id = "sip.udp"
	if len(in.Targets) == 0 {
		return ErrorResult(id, content.Phrase("check.sip_udp.no_target", nil))
	}
	d := in.Targets[0]
	ip, err := resolveIPv4(ctx, in.Env, d.Address)
	if err != nil {
		return ErrorResult(id, content.Phrase("check.sip_udp.resolve_failed", content.Vars{"err": err})).
			WithFact("server", d.Address)
	}
	server := netip.AddrPortFrom(ip, uint16(d.Ports.From))
	c, err := in.Env.Dialer.DialContext(ctx, "udp4", server.String())
	if err != nil {
		if r, ok := noRouteResult(id, "SIP/UDP "+server.String(), err); ok {
			return r.WithFact("server", server.String())
		}
		return ErrorResult(id, content.Phrase("check.sip_udp.socket_failed", content.Vars{"err": err})).WithFact("server", server.String())
	}
	defer c.Close()
	local := addrPort(c.LocalAddr())
	rep := sipprobe.Exchange(ctx, c, sipprobe.NewOptions(local, server, in.Env.UserAgent()))
	ev := newSIPUDPEvidence(server, local, rep)
	facts := sipUDPFacts(server, rep, ev)
	return judgeSIPUDP(id, server, rep, ctx.Err() != nil).withFacts(facts).withEvidence(ev)
}

// sipUDPFacts renders the transaction as the report's facts.
func sipUDPFacts(server netip.AddrPort, rep sipprobe.Reply, ev *SIPUDPEvidence) Facts {
	facts := Facts{"server": server.String(), "requests_sent": rep.Sent,
		"non_sip_ignored": rep.NonSIP, "stray_ignored": rep.Stray, "page_port": 5060}
	ev.putFacts(facts)
	switch resp := rep.Response; {
	case resp != nil:
		facts["status_code"] = resp.StatusCode
		facts["rtt_ms"] = ms(rep.RTT)
		facts["retransmitted"] = rep.Sent > 1
		if h := resp.GetHeader("Server"); h != nil {
			facts["server_agent"] = h.Value()
		} else if h := resp.GetHeader("User-Agent"); h != nil {
			facts["server_agent"] = h.Value()
		}
	case rep.NonSIP > 0:
		facts["non_sip_reply"] = rep.NonSIPHead
		facts["parse_error"] = rep.ParseError
	case rep.Refused:
		facts["icmp_unreachable"] = true
	case rep.SocketError != nil:
		facts["socket_error"] = rep.SocketError.Error()
	}
	return facts
}

// judgeSIPUDP: an answer passes; garbage, a refusal or silence after every
// retransmission fails; a socket that failed or a run cut short before the
// last send proves nothing (error), unless the OS said there is no route.
func judgeSIPUDP(id string, server netip.AddrPort, rep sipprobe.Reply, cut bool) Result {
	port := server.Port()
	switch {
	case rep.Response != nil:
		return PassResult(id, content.Phrase("check.sip_udp.answered", content.Vars{"status": rep.StatusLine(), "rtt_ms": fmt.Sprintf("%.1f", ms(rep.RTT))}))
	case rep.NonSIP > 0 && rep.Malformed:
		return FailResult(id, content.Phrase("check.sip_udp.malformed", content.Vars{"port": port, "head": rep.NonSIPHead, "parse_error": rep.ParseError}),
			"disable-sip-alg", "allow-sip-udp")
	case rep.NonSIP > 0:
		return FailResult(id, content.Phrase("check.sip_udp.not_sip", content.Vars{"port": port, "head": rep.NonSIPHead}),
			"allow-sip-udp", "disable-sip-alg")
	case rep.Refused:
		return FailResult(id, content.Phrase("check.sip_udp.refused", content.Vars{"port": port}), "allow-sip-udp")
	case rep.SocketError != nil:
		if nr, ok := noRouteResult(id, "SIP/UDP "+server.String(), rep.SocketError); ok {
			return nr
		}
		return ErrorResult(id, content.Phrase("check.sip_udp.io_failed", content.Vars{"err": rep.SocketError}))
	case cut && rep.Sent < sipMaxSends:
		return ErrorResult(id, content.Phrase("check.sip_udp.cut_short", nil))
	}
	return FailResult(id, content.Phrase("check.sip_udp.no_answer", content.Vars{"sent": rep.Sent, "port": port}),
		"allow-sip-udp", "allow-return-traffic")
}

// SIPUDPEvidence is what sip.udp's OPTIONS transaction showed; sip.alg's
// fallback reads the Via the server returned (RFC 3581). The facts
// local_addr, status_line, via_received, via_rport and nat_seen are
// rendered from it.
type SIPUDPEvidence struct {
	Server     netip.AddrPort
	Local      netip.AddrPort // the source the OPTIONS was sent from
	Answered   bool
	StatusLine string // e.g. "SIP/2.0 200 OK"
	Received   string // Via "received" the server returned ("" when absent)
	RPort      int    // Via "rport" the server returned (0 when absent)
}

func newSIPUDPEvidence(server, local netip.AddrPort, rep sipprobe.Reply) *SIPUDPEvidence {
	ev := &SIPUDPEvidence{Server: server, Local: local}
	if rep.Response == nil {
		return ev
	}
	ev.Answered = true
	ev.StatusLine = rep.StatusLine()
	if via := rep.Response.Via(); via != nil {
		ev.Received, _ = via.Params.Get("received")
		if s, ok := via.Params.Get("rport"); ok {
			ev.RPort, _ = strconv.Atoi(s)
		}
	}
	return ev
}

// NATSeen reports whether the server saw another source than Local.
func (e *SIPUDPEvidence) NATSeen() bool {
	return e.Received != "" && e.Received != e.Local.Addr().String() || e.RPort != 0 && e.RPort != int(e.Local.Port())
}

func (e *SIPUDPEvidence) putFacts(f Facts) {
	f[FactSIPLocal] = e.Local.String()
	if e.Answered {
		f[FactSIPStatus] = e.StatusLine
		f[FactSIPReceived] = e.Received
		f[FactSIPRPort] = e.RPort
		f[FactSIPTranslate] = e.NATSeen()
	}
}

// withFacts merges facts into the result.
func (r Result) withFacts(f Facts) Result {
	if r.Facts == nil {
		r.Facts = Facts{}
	}
	for k, v := range f {
		r.Facts[k] = v
	}
	return r
}

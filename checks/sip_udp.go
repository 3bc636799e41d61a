package checks

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/emiago/sipgo/sip"

	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/internal/neterr"
	"github.com/biztel-tools/biztel-doctor/probe/sipmsg"
	"github.com/biztel-tools/biztel-doctor/profile"
)

// SIP over UDP retransmission. OPTIONS is a non-INVITE request, so RFC 3261
// §17.1.2.2 timer E applies: the first retransmission after T1 = 500 ms,
// then doubling (capped at T2 = 4 s, never reached here). That is the same
// schedule as timer A for INVITE. A production server gets sipMaxSends
// packets at most.
const (
	sipT1          = 500 * time.Millisecond                          // RFC 3261 T1, the RTT estimate
	sipMaxSends    = 4                                               // sends at 0, 0.5, 1.5, 3.5 s
	sipWait        = 4 * time.Second                                 // listen this long after the first send (last send plus T1)
	sipFinalGrace  = 500 * time.Millisecond                          // after a 1xx, how long to wait for the final response
	sipCheckBudget = resolveTimeout + sipWait + 500*time.Millisecond // sip.udp's Timeout: a name lookup, the wait, dialing and parsing
	sipMaxDatagram = 65535                                           // largest UDP payload; longer replies cannot exist
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

// sipOptions is one OPTIONS transaction's identity and bytes.
type sipOptions struct {
	branch, callID string
	raw            []byte
}

func randomToken(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// newSIPOptions builds an OPTIONS request from local to server (RFC 3261
// §11; Via with rport per RFC 3581 so the server tells what it saw).
func newSIPOptions(local, server netip.AddrPort, userAgent string) sipOptions {
	o := sipOptions{branch: "z9hG4bK" + randomToken(8), callID: randomToken(12) + "@" + local.Addr().String()}
	target := "sip:" + server.String()
	var b strings.Builder
	fmt.Fprintf(&b, "OPTIONS %s SIP/2.0\r\n", target)
	fmt.Fprintf(&b, "Via: SIP/2.0/UDP %s;branch=%s;rport\r\n", local, o.branch)
	b.WriteString("Max-Forwards: 70\r\n")
	fmt.Fprintf(&b, "From: <sip:biztel-doctor@%s>;tag=%s\r\n", local.Addr(), randomToken(4))
	fmt.Fprintf(&b, "To: <%s>\r\n", target)
	fmt.Fprintf(&b, "Call-ID: %s\r\n", o.callID)
	b.WriteString("CSeq: 1 OPTIONS\r\n")
	fmt.Fprintf(&b, "Contact: <sip:biztel-doctor@%s>\r\n", local)
	b.WriteString("Accept: application/sdp\r\n")
	fmt.Fprintf(&b, "User-Agent: %s\r\n", userAgent)
	b.WriteString("Content-Length: 0\r\n\r\n")
	o.raw = []byte(b.String())
	return o
}

// sipReply is what one OPTIONS transaction saw.
type sipReply struct {
	resp        *sip.Response // the final (or, failing that, provisional) response; nil when none
	size        int           // bytes of the datagram that carried resp
	rtt         time.Duration
	sent        int
	nonSIP      int    // datagrams that did not parse as a SIP response
	nonSIPHead  string // the start of the first such datagram, for the facts
	parseError  string // why the parser rejected it
	malformed   bool   // it began like a SIP response ("SIP/2.0 ") but did not parse
	stray       int    // SIP responses to another transaction
	refused     bool   // ICMP port unreachable came back
	socketError error
}

// matches reports whether a response belongs to our transaction (RFC 3261
// §17.1.3: top Via branch; plus the Call-ID).
func (o sipOptions) matches(r *sip.Response) bool {
	via := r.Via()
	if via == nil || r.CallID() == nil {
		return false
	}
	br, _ := via.Params.Get("branch")
	return br == o.branch && r.CallID().Value() == o.callID
}

// exchangeOptions runs the transaction on a connected UDP socket.
func exchangeOptions(ctx context.Context, c net.Conn, o sipOptions) sipReply {
	var rep sipReply
	start := time.Now()
	deadline := start.Add(sipWait)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	stop := context.AfterFunc(ctx, func() { _ = c.SetReadDeadline(time.Now()) })
	defer stop()
	var lastSend time.Time
	send := func() bool {
		if _, err := c.Write(o.raw); err != nil {
			rep.socketError = err
			return false
		}
		rep.sent++
		lastSend = time.Now()
		return true
	}
	if !send() {
		return rep
	}
	interval := sipT1
	nextSend := start.Add(interval)
	buf := make([]byte, sipMaxDatagram)
	for {
		if rep.resp == nil && rep.sent < sipMaxSends && !time.Now().Before(nextSend) {
			if !send() {
				return rep
			}
			interval *= 2
			nextSend = nextSend.Add(interval)
		}
		wake := deadline
		if rep.resp == nil && rep.sent < sipMaxSends && nextSend.Before(wake) {
			wake = nextSend
		}
		_ = c.SetReadDeadline(wake)
		n, err := c.Read(buf)
		now := time.Now()
		if err != nil {
			// ICMP port unreachable, as Unix reports it. Go turns these
			// reports off on Windows UDP sockets (SIO_UDP_CONNRESET,
			// go.dev/issue/5834): there a refusal reads as no answer.
			if classifyNet(err) == neterr.Refused {
				rep.refused = true
				return rep
			}
			var ne net.Error
			if !errors.As(err, &ne) || !ne.Timeout() || ctx.Err() != nil {
				if ctx.Err() == nil {
					rep.socketError = err
				}
				return rep
			}
			if !now.Before(deadline) {
				return rep
			}
			continue
		}
		msg, perr := sip.ParseMessage(append([]byte(nil), buf[:n]...))
		resp, isResp := msg.(*sip.Response)
		if perr == nil && isResp && !sipmsg.StatusValid(resp) {
			perr = errors.New("bad status line " + strconv.Quote(resp.StartLine()))
		}
		if perr == nil && !isResp {
			rep.stray++ // a SIP request, not an answer to ours
			continue
		}
		if perr != nil {
			rep.nonSIP++
			if rep.nonSIPHead == "" {
				rep.nonSIPHead = printableHead(buf[:n], 60)
				rep.parseError = perr.Error()
				rep.malformed = bytes.HasPrefix(buf[:n], []byte("SIP/2.0 "))
			}
			continue
		}
		if !o.matches(resp) {
			rep.stray++
			continue
		}
		rep.resp, rep.size = resp, n
		rep.rtt = now.Sub(lastSend)
		if resp.StatusCode >= 200 {
			return rep
		}
		// provisional: stop retransmitting, give the final a moment
		if g := now.Add(sipFinalGrace); g.Before(deadline) {
			deadline = g
		}
	}
}

// printableHead is the start of a datagram with non-printing bytes escaped.
func printableHead(b []byte, n int) string {
	if len(b) > n {
		b = b[:n]
	}
	return strconv.QuoteToASCII(string(b))
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
	o := newSIPOptions(local, server, in.Env.UserAgent())
	rep := exchangeOptions(ctx, c, o)

	ev := newSIPUDPEvidence(server, local, rep)
	facts := Facts{"server": server.String(), "requests_sent": rep.sent,
		"non_sip_ignored": rep.nonSIP, "stray_ignored": rep.stray, "page_port": 5060}
	ev.putFacts(facts)
	var r Result
	switch {
	case rep.resp != nil:
		resp := rep.resp
		facts["status_code"] = resp.StatusCode
		facts["rtt_ms"] = ms(rep.rtt)
		facts["retransmitted"] = rep.sent > 1
		if h := resp.GetHeader("Server"); h != nil {
			facts["server_agent"] = h.Value()
		} else if h := resp.GetHeader("User-Agent"); h != nil {
			facts["server_agent"] = h.Value()
		}
		r = PassResult(id, content.Phrase("check.sip_udp.answered", content.Vars{"status": ev.StatusLine, "rtt_ms": fmt.Sprintf("%.1f", ms(rep.rtt))}))
	case rep.nonSIP > 0 && rep.malformed:
		facts["non_sip_reply"] = rep.nonSIPHead
		facts["parse_error"] = rep.parseError
		r = FailResult(id, content.Phrase("check.sip_udp.malformed", content.Vars{"port": d.Ports.From, "head": rep.nonSIPHead, "parse_error": rep.parseError}),
			"disable-sip-alg", "allow-sip-udp")
	case rep.nonSIP > 0:
		facts["non_sip_reply"] = rep.nonSIPHead
		facts["parse_error"] = rep.parseError
		r = FailResult(id, content.Phrase("check.sip_udp.not_sip", content.Vars{"port": d.Ports.From, "head": rep.nonSIPHead}),
			"allow-sip-udp", "disable-sip-alg")
	case rep.refused:
		facts["icmp_unreachable"] = true
		r = FailResult(id, content.Phrase("check.sip_udp.refused", content.Vars{"port": d.Ports.From}),
			"allow-sip-udp")
	case rep.socketError != nil:
		facts["socket_error"] = rep.socketError.Error()
		if nr, ok := noRouteResult(id, "SIP/UDP "+server.String(), rep.socketError); ok {
			return nr.withFacts(facts).withEvidence(ev)
		}
		return ErrorResult(id, content.Phrase("check.sip_udp.io_failed", content.Vars{"err": rep.socketError})).withFacts(facts).withEvidence(ev)
	case ctx.Err() != nil && rep.sent < sipMaxSends:
		return ErrorResult(id, content.Phrase("check.sip_udp.cut_short", nil)).withFacts(facts).withEvidence(ev)
	default:
		r = FailResult(id, content.Phrase("check.sip_udp.no_answer", content.Vars{"sent": rep.sent, "port": d.Ports.From}),
			"allow-sip-udp", "allow-return-traffic")
	}
	return r.withFacts(facts).withEvidence(ev)
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

func newSIPUDPEvidence(server, local netip.AddrPort, rep sipReply) *SIPUDPEvidence {
	ev := &SIPUDPEvidence{Server: server, Local: local}
	if rep.resp == nil {
		return ev
	}
	ev.Answered = true
	ev.StatusLine = fmt.Sprintf("%s %d %s", rep.resp.SipVersion, rep.resp.StatusCode, rep.resp.Reason)
	if via := rep.resp.Via(); via != nil {
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

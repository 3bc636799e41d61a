package checks

// sip.size: large SIP over UDP. A real INVITE with SDP (SRTP crypto lines,
// many codecs, WebRTC candidates) exceeds 1,300 bytes and leaves a PC on a
// 1,500-byte path as IP fragments; firewalls and some NATs drop fragments,
// so calls fail while small OPTIONS pass. The check sends one OPTIONS that
// fits a packet and one that must be fragmented, and compares.

import (
	"context"
	"net/netip"
	"strconv"
	"sync"
	"time"

	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/probe/reflector"
	sipprobe "github.com/biztel-tools/biztel-doctor/probe/sip"
	"github.com/biztel-tools/biztel-doctor/probe/sipmsg"
	"github.com/biztel-tools/biztel-doctor/profile"
	"github.com/biztel-tools/biztel-doctor/serve/wire"
)

const (
	// sipSizeSmall is one unfragmented packet even on PPPoE (MTU 1454):
	// 1,400 bytes of SIP + 8 UDP + 20 IP.
	sipSizeSmall = 1400
	// sipSizeLarge needs two fragments on a 1,500-byte path (1,472 bytes of
	// UDP payload fit one packet), as an INVITE with SRTP and WebRTC SDP does.
	sipSizeLarge = 2200
	// sipSizeTimeout: a name lookup, the reflector's Hello (3 tries), both
	// transactions in parallel (RFC 3261 timers, sipWait), and room.
	sipSizeTimeout = resolveTimeout + reflector.HelloTries*reflector.HelloRetry + sipWait + time.Second
)

func init() {
	register(Spec{
		ID:       "sip.size",
		Timeout:  sipSizeTimeout,
		After:    []string{"sip.udp"},
		Remedies: []string{"allow-ip-fragments"},
		Plan:     planSIPSize,
		Run:      runSIPSize,
	})
}

// planSIPSize targets the reflector when there is one (its echo comes back
// as large as the request, so both directions are tested), else the BIZTEL
// server's UDP 5060 (one OPTIONS of each size, as a softphone's INVITE).
func planSIPSize(p *profile.Profile, opt Options) ([]Destination, content.Text) {
	if host, port := reflectorHost(p, opt); host != "" {
		sip := content.PortRange{From: opt.Ports.ReflectorSIP, To: opt.Ports.ReflectorSIP}
		return []Destination{reflectorControlDest(host, port),
			{Proto: "SIP (echo)", Transport: "udp", Address: host, Ports: sip,
				Purpose: content.Phrase("check.sip_size.purpose_reflector", nil)}}, content.Text{}
	}
	addr := p.ServerAddr()
	if addr == "" {
		return nil, content.Phrase("check.sip_size.no_server", nil)
	}
	port := opt.Ports.SIPUDP
	return []Destination{{Proto: "SIP", Transport: "udp", Address: addr, Ports: content.PortRange{From: port, To: port},
		Purpose: content.Phrase("check.sip_size.purpose_server", nil)}}, content.Text{}
}

// SIPSizeEvidence is what sip.size measured; the facts are rendered from it.
type SIPSizeEvidence struct {
	ViaReflector bool
	Target       netip.AddrPort // where the OPTIONS went
	Small, Large SIPSizeProbe
}

// SIPSizeProbe is one OPTIONS transaction of a given size.
type SIPSizeProbe struct {
	Bytes    int           // size of the request's UDP payload
	Sent     int           // transmissions (RFC 3261 timer E/A schedule)
	Answered bool          // a matching SIP response came back
	Status   int           // its status code
	RTT      time.Duration // from the last send to the answer
	// AnswerBytes is the size of the answer; through the reflector it
	// mirrors the request, so a fragmented request has a fragmented answer.
	AnswerBytes int
	// ArrivedBytes is what the reflector says it received (0: not told).
	ArrivedBytes int
	Refused      bool  // ICMP port unreachable
	Err          error // the socket failed (the tool's own problem)
}

func runSIPSize(ctx context.Context, in *Input) Result {
	const id = "sip.size"
	if len(in.Targets) == 0 {
		return ErrorResult(id, content.Phrase("check.sip_size.no_target", nil))
	}
	ev := SIPSizeEvidence{ViaReflector: len(in.Targets) > 1}
	if !ev.ViaReflector {
		if d, ok := in.Deps["sip.udp"]; ok && d.Status != Pass && d.Status != Warn && !d.Excluded() {
			return prereqSkip(id, "sip.udp", d) // SIP over UDP to the server does not pass at all
		}
	}
	target, stop := sipSizeTarget(ctx, in, &ev)
	if stop != nil {
		return *stop
	}
	ev.Target = target
	var wg sync.WaitGroup
	for _, p := range []*SIPSizeProbe{&ev.Small, &ev.Large} {
		p.Bytes = sipSizeLarge
		if p == &ev.Small {
			p.Bytes = sipSizeSmall
		}
		wg.Go(func() { *p = sipSizeExchange(ctx, in, target, p.Bytes, ev.ViaReflector) })
	}
	wg.Wait()
	return judgeSIPSize(id, ev)
}

// sipSizeTarget resolves where the OPTIONS go. Through a reflector it first
// asks Hello whether that reflector reads SIP larger than 2,048 bytes: an
// older one cuts the large request, which must not read as a drop.
func sipSizeTarget(ctx context.Context, in *Input, ev *SIPSizeEvidence) (netip.AddrPort, *Result) {
	const id = "sip.size"
	d := in.Targets[0]
	if !ev.ViaReflector {
		ip, err := resolveIPv4(ctx, in.Env, d.Address)
		if err != nil {
			r := ErrorResult(id, content.Phrase("check.sip_size.resolve_failed", content.Vars{"err": err})).WithFact("server", d.Address)
			return netip.AddrPort{}, &r
		}
		return netip.AddrPortFrom(ip, uint16(d.Ports.From)), nil
	}
	ctl, err := resolveUDP(ctx, in.Env, d.Address, d.Ports.From)
	if err != nil {
		r := ErrorResult(id, content.Phrase("check.sip_size.reflector_unresolved", content.Vars{"host": d.Address, "err": err}))
		return netip.AddrPort{}, &r
	}
	c, err := listenUDP(ctx, in.Env)
	if err != nil {
		r := ErrorResult(id, content.Phrase("check.sip_size.socket_failed", content.Vars{"err": err}))
		return netip.AddrPort{}, &r
	}
	hr, err := reflector.Hello(ctx, c, ctl, in.Profile.Reflector.Token)
	c.Close()
	if err != nil {
		r := reflectorUnreachable(id, ctl, err)
		return netip.AddrPort{}, &r
	}
	if hr.Flags&wire.HelloLargeSIP == 0 {
		r := SkipResult(id, content.Phrase("check.sip_size.old_reflector", content.Vars{"reflector": ctl})).
			WithFact("reflector", ctl.String()).WithFact("reflector_large_sip", false)
		return netip.AddrPort{}, &r
	}
	return withPort(ctl, in.Targets[1].Ports.From).AddrPort(), nil
}

// sipSizeExchange sends one OPTIONS padded to size bytes and waits for its
// answer, retransmitting as SIP over UDP does (probe/sip).
func sipSizeExchange(ctx context.Context, in *Input, target netip.AddrPort, size int, viaReflector bool) SIPSizeProbe {
	p := SIPSizeProbe{Bytes: size}
	c, err := in.Env.Dialer.DialContext(ctx, "udp4", target.String())
	if err != nil {
		p.Err = err
		return p
	}
	defer c.Close()
	o := sipprobe.NewOptions(addrPort(c.LocalAddr()), target, in.Env.UserAgent())
	if viaReflector {
		o.Raw = sipmsg.AddHeader(o.Raw, wire.SIPMirrorHeader, "1")
		if token := in.Profile.Reflector.Token; token != "" {
			o.Raw = sipmsg.AddHeader(o.Raw, wire.SIPAuthHeader, wire.SIPAuth(token, o.CallID))
		}
	}
	o.Raw = wire.PadLines(o.Raw, size)
	p.Bytes = len(o.Raw)
	rep := sipprobe.Exchange(ctx, c, o)
	p.Sent, p.Refused, p.Err = rep.Sent, rep.Refused, rep.SocketError
	if rep.Response != nil {
		p.Answered, p.Status, p.RTT, p.AnswerBytes = true, rep.Response.StatusCode, rep.RTT, rep.Size
		if h := rep.Response.GetHeader(wire.SIPReceivedHeader); h != nil {
			p.ArrivedBytes, _ = strconv.Atoi(h.Value())
		}
	}
	return p
}

// Facts renders the evidence as the report's facts.
func (ev SIPSizeEvidence) Facts() Facts {
	f := Facts{"target": "server"}
	if ev.ViaReflector {
		f["target"] = "reflector"
	}
	if ev.Target.IsValid() {
		f["destination"] = ev.Target.String()
	}
	for name, p := range map[string]SIPSizeProbe{"small": ev.Small, "large": ev.Large} {
		f[name+"_bytes"] = p.Bytes
		f[name+"_requests_sent"] = p.Sent
		f[name+"_answered"] = p.Answered
		if p.Answered {
			f[name+"_status_code"] = p.Status
			f[name+"_rtt_ms"] = ms(p.RTT)
			f[name+"_answer_bytes"] = p.AnswerBytes
		}
		if p.ArrivedBytes > 0 {
			f[name+"_arrived_bytes"] = p.ArrivedBytes
		}
		if p.Refused {
			f[name+"_icmp_unreachable"] = true
		}
	}
	return f
}

// judgeSIPSize: both answered passes; only the small one answered means the
// fragments were dropped; neither means SIP over UDP itself does not pass,
// which is sip.udp's finding, not this one's.
func judgeSIPSize(id string, ev SIPSizeEvidence) Result {
	var r Result
	s, l := ev.Small, ev.Large
	switch {
	case s.Err != nil || l.Err != nil:
		err := s.Err
		if err == nil {
			err = l.Err
		}
		r = ErrorResult(id, content.Phrase("check.sip_size.io_failed", content.Vars{"err": err}))
	case ev.ViaReflector && (s.Status == 403 || l.Status == 403):
		r = ErrorResult(id, content.Phrase("check.sip_size.token_refused", nil))
	case s.Answered && l.Answered:
		sum := content.Phrase("check.sip_size.answered", content.Vars{"small": s.Bytes, "large": l.Bytes})
		if ev.ViaReflector {
			sum = content.Phrase("check.sip_size.echoed", content.Vars{"small": s.Bytes, "large": l.Bytes})
		}
		r = PassResult(id, sum)
	case s.Answered:
		r = FailResult(id, content.Phrase("check.sip_size.fragments_dropped", content.Vars{"small": s.Bytes, "large": l.Bytes, "sent": l.Sent}), "allow-ip-fragments")
	default:
		r = SkipResult(id, content.Phrase("check.sip_size.small_unanswered", content.Vars{"small": s.Bytes}))
		r.SkippedBecause = "sip.udp"
		r.Facts["prerequisite"] = "sip.udp"
	}
	r.Evidence = ev
	return r.withFacts(ev.Facts())
}

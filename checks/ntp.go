package checks

import (
	"context"
	"fmt"
	"net/netip"
	"time"

	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/probe/ntp"
	"github.com/biztel-tools/biztel-doctor/profile"
)

// NTP timing. A hard phone asks once per poll interval; two queries are a
// courteous retry for one lost datagram. 1 s per query is ten times a slow
// internet round trip.
const (
	ntpAttempts       = 2
	ntpAttemptTimeout = time.Second
	ntpCheckBudget    = resolveTimeout + ntpAttempts*ntpAttemptTimeout + 500*time.Millisecond // plus resolving and socket set-up
	// ntpOffsetWarn is the clock offset above which the check warns (the
	// issue's 1 s: beyond that call logs and recordings on the phone drift
	// visibly from the server's).
	ntpOffsetWarn = time.Second
	// ntpMaxStratum: 16 means unsynchronised (RFC 5905 §7.3).
	ntpMaxStratum = 16
)

func init() {
	register(Spec{
		ID:       "ntp.hardphone",
		Timeout:  ntpCheckBudget,
		Remedies: []string{"allow-ntp", "allow-return-traffic", "check-clock"},
		Plan:     ntpPlan,
		Run:      runNTP,
	})
}

func ntpPlan(p *profile.Profile, opt Options) ([]Destination, content.Text) {
	if !p.Option(content.OptHardphone) {
		return nil, content.Phrase("check.ntp.not_applicable", nil)
	}
	port := opt.Ports.NTP
	return []Destination{{Proto: "NTP", Transport: "udp", Address: p.NTPServer(), Ports: content.PortRange{From: port, To: port},
		Purpose: content.Phrase("check.ntp.purpose", nil)}}, content.Text{}
}

// runNTP probes (probe/ntp), then judges the failure or the reply.
func runNTP(ctx context.Context, in *Input) Result {
	const id = "ntp.hardphone"
	if len(in.Targets) == 0 {
		return ErrorResult(id, content.Phrase("check.ntp.no_target", nil))
	}
	d := in.Targets[0]
	ip, err := resolveIPv4(ctx, in.Env, d.Address)
	if err != nil {
		return ErrorResult(id, content.Phrase("check.ntp.unresolved", content.Vars{"error": err})).WithFact("server", d.Address)
	}
	server := netip.AddrPortFrom(ip, uint16(d.Ports.From)).String()
	q := ntp.Query(ctx, in.Env.Dialer, server, ntp.Options{Attempts: ntpAttempts, PerAttempt: ntpAttemptTimeout, Classify: classifyNet})
	facts := Facts{"server": server, "page_port": 123, "requests_sent": q.Sent}
	if q.LocalAddr != "" {
		facts["local_addr"] = q.LocalAddr
	}
	if q.Err != nil {
		facts["error"] = q.Err.Error()
	}
	if q.Outcome != ntp.Answered {
		return judgeNTPFailure(id, d.Address, server, q, facts).withFacts(facts)
	}
	return judgeNTPReply(id, q.Reply, facts).withFacts(facts)
}

// judgeNTPFailure: no usable answer came back.
func judgeNTPFailure(id, name, server string, q ntp.Result, facts Facts) Result {
	switch q.Outcome {
	case ntp.Timeout:
		return FailResult(id, content.Phrase("check.ntp.no_answer", content.Vars{"server": name, "sent": q.Sent}),
			"allow-ntp", "allow-return-traffic")
	case ntp.Refused:
		facts["icmp_unreachable"] = true
		return FailResult(id, content.Phrase("check.ntp.refused", content.Vars{"server": name}), "allow-ntp")
	case ntp.Invalid:
		return FailResult(id, content.Phrase("check.ntp.invalid", content.Vars{"error": q.Err}), "allow-ntp")
	}
	if r, ok := noRouteResult(id, "NTP "+server, q.Err); ok {
		return r
	}
	return ErrorResult(id, content.Phrase("check.ntp.socket_error", content.Vars{"error": q.Err}))
}

// judgeNTPReply: the server answered; is the answer fit to set a clock, and
// is this PC's clock close to it?
func judgeNTPReply(id string, resp *ntp.Reply, facts Facts) Result {
	facts["stratum"] = int(resp.Stratum)
	facts["rtt_ms"] = ms(resp.RTT)
	offsetMS := float64(resp.ClockOffset.Microseconds()) / 1000
	facts["offset_ms"] = offsetMS
	facts["reference"] = resp.Reference
	switch {
	case resp.Kiss:
		facts["kiss_code"] = resp.KissCode
		return WarnResult(id, content.Phrase("check.ntp.kiss_of_death", content.Vars{"code": fmt.Sprintf("%q", resp.KissCode)}), "allow-ntp")
	case resp.Stratum >= ntpMaxStratum:
		return WarnResult(id, content.Phrase("check.ntp.unsynchronised", content.Vars{"stratum": resp.Stratum}), "allow-ntp")
	case resp.Unfit != nil:
		facts["validation"] = resp.Unfit.Error()
		return WarnResult(id, content.Phrase("check.ntp.unfit", content.Vars{"error": resp.Unfit}), "allow-ntp")
	case resp.ClockOffset.Abs() > ntpOffsetWarn:
		return WarnResult(id, content.Phrase("check.ntp.clock_off", content.Vars{"stratum": resp.Stratum,
			"offset_s": fmt.Sprintf("%.1f", resp.ClockOffset.Seconds())}), "check-clock")
	}
	return PassResult(id, content.Phrase("check.ntp.ok", content.Vars{"stratum": resp.Stratum,
		"offset_ms": fmt.Sprintf("%.0f", offsetMS), "rtt_ms": fmt.Sprintf("%.1f", ms(resp.RTT))}))
}

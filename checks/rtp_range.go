package checks

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/probe/reflector"
	"github.com/biztel-tools/biztel-doctor/profile"
)

// rtp.range parameters.
const (
	// rtpSampleCount is how many ports the default run probes: both ends and
	// an even spread. Each probed port is a NAT session that lives for
	// minutes in a small router's table shared with live calls, so the
	// default stays at a few tens.
	rtpSampleCount = 41
	// rtpSweepRate is the full sweep's pace: 10,001 ports in about 2.5 s,
	// gentle enough for a router that creates a session per packet.
	rtpSweepRate = 4000
	// rtpSampleRate paces the sample.
	rtpSampleRate = 200
	// rtpRoundWait is how long replies are awaited after a round's last send.
	rtpRoundWait = 500 * time.Millisecond
	// rtpRounds: ports without a reply are probed again, so one lost packet
	// does not read as a closed port.
	rtpRounds = 3
	// rtpProbeSize is a probe's UDP payload (header + echo body, padded).
	rtpProbeSize = 64
	// rtpTimeout/rtpFullTimeout bound the check: Hello, rounds and waits.
	rtpTimeout     = 8 * time.Second
	rtpFullTimeout = 20 * time.Second
)

func init() {
	register(Spec{
		ID: "rtp.range",
		TimeoutFor: func(o Options) time.Duration {
			if o.RTPFull {
				return rtpFullTimeout
			}
			return rtpTimeout
		},
		Alone: func(o Options) content.Text {
			if o.RTPFull {
				return content.Phrase("check.rtp_range.full_alone", nil)
			}
			return content.Text{}
		},
		Expect: func(o Options) time.Duration {
			if o.RTPFull {
				return rtpFullExpected
			}
			return typicalLight
		},
		Remedies: []string{"allow-rtp", "allow-return-traffic"},
		Plan:     planRTPRange,
		Run:      runRTPRange,
	})
}

// rtpFullExpected is the full sweep's typical length: 10,001 probes at
// rtpSweepRate, the round wait, and a short second round.
const rtpFullExpected = 4 * time.Second

func planRTPRange(p *profile.Profile, opt Options) ([]Destination, content.Text) {
	host, port := reflectorHost(p, opt)
	if host == "" {
		return nil, needsReflector
	}
	r := opt.Ports.ReflectorRTP
	purpose := content.Phrase("check.rtp_range.sample_purpose", content.Vars{"ports": len(samplePorts(r, rtpSampleCount))})
	if opt.RTPFull {
		purpose = content.Phrase("check.rtp_range.full_purpose", nil)
	}
	return []Destination{reflectorControlDest(host, port),
		{Proto: "RTP (echo)", Transport: "udp", Address: host, Ports: r, Purpose: purpose}}, content.Text{}
}

// samplePorts returns both ends of r and an even spread, n ports at most.
func samplePorts(r content.PortRange, n int) []int {
	size := r.To - r.From + 1
	if size <= n {
		n = size
	}
	out := make([]int, 0, n)
	for i := 0; i < n; i++ {
		p := r.From
		if n > 1 {
			p = r.From + i*(size-1)/(n-1)
		}
		if len(out) == 0 || out[len(out)-1] != p {
			out = append(out, p)
		}
	}
	return out
}

func runRTPRange(ctx context.Context, in *Input) Result {
	const id = "rtp.range"
	if len(in.Targets) < 2 {
		return noDestination(id)
	}
	ctl, rtp := in.Targets[0], in.Targets[1]
	ctlAddr, err := resolveUDP(ctx, in.Env, ctl.Address, ctl.Ports.From)
	if err != nil {
		return reflectorUnresolved(id, ctl.Address, err)
	}
	conn, err := listenUDP(ctx, in.Env)
	if err != nil {
		return noUDPSocket(id, err)
	}
	defer conn.Close()
	token := in.Profile.Reflector.Token
	hr, err := reflector.Hello(ctx, conn, ctlAddr, token)
	if err != nil {
		return reflectorUnreachable(id, ctlAddr, err)
	}
	want := rtp.Ports
	if r, bad := rtpNotServed(id, hr, want); bad {
		return r
	}
	ports := samplePorts(want, rtpSampleCount)
	rate := rtpSampleRate
	mode := fmt.Sprintf("sample of %d ports", len(ports))
	if in.Options.RTPFull {
		ports = samplePorts(want, want.To-want.From+1)
		rate = rtpSweepRate
		mode = "full sweep"
	}
	start := time.Now()
	ok := reflector.Sweep{Conn: conn, IP: ctlAddr.IP, Ports: ports, Rate: rate, Token: token,
		Rounds: rtpRounds, RoundWait: rtpRoundWait, Size: rtpProbeSize,
		Progress: func(done float64) { in.Sample(Sample{Progress: done}) }}.Run(ctx)
	if ctx.Err() != nil {
		return ErrorResult(id, content.Phrase("check.rtp_range.timeout", nil))
	}
	return judgeRTPRange(id, ports, ok, in.Options.RTPFull, mode, time.Since(start))
}

// portRun is a stretch of probed ports with the same outcome.
type portRun struct {
	from, to int
	ok       bool
}

// runsOf groups consecutive probed ports by outcome.
func runsOf(ports []int, ok map[int]bool) []portRun {
	var runs []portRun
	for _, p := range ports {
		if n := len(runs); n > 0 && runs[n-1].ok == ok[p] {
			runs[n-1].to = p
			continue
		}
		runs = append(runs, portRun{from: p, to: p, ok: ok[p]})
	}
	return runs
}

func judgeRTPRange(id string, ports []int, ok map[int]bool, full bool, mode string, took time.Duration) Result {
	runs := runsOf(ports, ok)
	var parts, blocked []string
	answered := 0
	for _, p := range ports {
		if ok[p] {
			answered++
		}
	}
	for _, r := range runs {
		span := fmt.Sprint(r.from)
		if r.to != r.from {
			span = fmt.Sprintf("%d–%d", r.from, r.to)
		}
		if r.ok {
			parts = append(parts, span+" ok")
		} else {
			parts = append(parts, span+" no reply")
			blocked = append(blocked, span)
		}
	}
	facts := Facts{"mode": mode, "ports_probed": len(ports), "ports_answered": answered,
		"ranges": strings.Join(parts, ", "), "duration_ms": took.Milliseconds()}
	if full {
		facts["session_note"] = fmt.Sprintf("one NAT session per port (%d), opened at about %d per second; they live for the router's UDP timeout", len(ports), rtpSweepRate)
	} else {
		facts["sample_note"] = "ports between two probed ones are not tested; --rtp-full sweeps all"
	}
	var r Result
	switch {
	case answered == len(ports):
		how := content.Phrase("check.rtp_range.how_sample", nil)
		if full {
			how = content.Phrase("check.rtp_range.how_full", nil)
		}
		r = PassResult(id, content.Phrase("check.rtp_range.all_answered", content.Vars{"ports": len(ports), "how": how}))
	case answered == 0:
		r = FailResult(id, content.Phrase("check.rtp_range.none_answered",
			content.Vars{"ports": len(ports), "from": ports[0], "to": ports[len(ports)-1]}), "allow-rtp", "allow-return-traffic")
	default:
		r = FailResult(id, content.Phrase("check.rtp_range.part_blocked", content.Vars{"ranges": strings.Join(parts, ", ")}),
			"allow-rtp", "allow-return-traffic")
		facts["blocked"] = strings.Join(blocked, ", ")
	}
	for k, v := range facts {
		r.Facts[k] = v
	}
	return r
}

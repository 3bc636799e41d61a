package checks

import (
	"context"
	"fmt"
	"math"
	"net"
	"strings"
	"sync/atomic"
	"time"

	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/probe/media"
	"github.com/biztel-tools/biztel-doctor/probe/reflector"
	"github.com/biztel-tools/biztel-doctor/profile"
)

// mediaSetup is media.quality's budget beyond the stream: resolving, the
// Hello (3 tries), the drain and the closing Stats exchange.
const mediaSetup = 8 * time.Second

// mediaSilenceStop ends the stream when not one echo came back by then
// (75 packets; an echo needs one round trip, under 300 ms on any usable
// path): the path is dead, and 10 s more of sending would prove nothing.
const mediaSilenceStop = 1500 * time.Millisecond

// Facts' "method" values, so a report says how strong the evidence is.
const (
	methodReflector = "reflector echo"
	methodSTUN      = "STUN binding (weaker: no reflector; 20-byte packets to the STUN port, loss not split by direction)"
)

func init() {
	register(Spec{
		ID:         "media.quality",
		TimeoutFor: func(o Options) time.Duration { return mediaDuration(o) + mediaSetup },
		Expect:     func(o Options) time.Duration { return mediaDuration(o) + time.Second },
		Remedies:   []string{"qos-sip-rtp", "use-wired", "bandwidth-200kbps", "allow-rtp", "allow-return-traffic"},
		// the STUN method's server: when its STUN check failed, skip naming it
		After: []string{"stun.3478", "stun.3479"},
		Plan:  planMediaQuality,
		Run:   runMediaQuality,
	})
}

func mediaDuration(o Options) time.Duration {
	if o.MediaDuration <= 0 {
		return DefaultMediaDuration
	}
	return o.MediaDuration
}

func planMediaQuality(p *profile.Profile, opt Options) ([]Destination, content.Text) {
	if host, port := reflectorHost(p, opt); host != "" {
		rtp := opt.Ports.ReflectorRTP.From
		return []Destination{
			reflectorControlDest(host, port),
			{Proto: "RTP (echo)", Transport: "udp", Address: host, Ports: content.PortRange{From: rtp, To: rtp},
				Purpose: content.Phrase("check.media_quality.stream_purpose", nil)},
		}, content.Text{}
	}
	for _, e := range p.STUNEntries() {
		port := opt.Ports.STUNPrimary
		if e.Port == 3479 {
			port = opt.Ports.STUNSecondary
		}
		return []Destination{{Proto: "STUN", Transport: "udp", Address: e.Host, Ports: content.PortRange{From: port, To: port},
			Purpose: content.Phrase("check.media_quality.stun_purpose", nil)}}, content.Text{}
	}
	return nil, content.Phrase("check.media_quality.needs_server", nil)
}

func runMediaQuality(ctx context.Context, in *Input) Result {
	const id = "media.quality"
	conn, err := listenUDP(ctx, in.Env)
	if err != nil {
		return noUDPSocket(id, err)
	}
	defer conn.Close()
	count := int(mediaDuration(in.Options) / media.Interval)
	s := &media.Stream{Conn: conn, Nonce: reflector.NewNonce(), Size: media.Payload}
	var live liveJitter
	var replies atomic.Int64
	silent := func(rounds int) bool {
		return replies.Load() == 0 && time.Duration(rounds)*media.Interval >= mediaSilenceStop
	}
	s.OnReply = func(seq int, p media.Packet) {
		replies.Add(1)
		j := live.add(p.RX - p.TX)
		in.Sample(Sample{RTT: p.RX - p.TX, Jitter: j, Progress: float64(seq+1) / float64(count)})
	}
	var run mediaRun
	switch len(in.Targets) {
	case 2: // reflector: control + RTP
		run = streamViaReflector(ctx, in, s, count, silent)
	case 1:
		run = streamViaSTUN(ctx, in, s, count, silent)
	default:
		return noDestination(id)
	}
	if run.stop != nil {
		return *run.stop
	}
	if ctx.Err() != nil && s.Sent() < int64(count) {
		return ErrorResult(id, content.Phrase("check.media_quality.timeout", nil))
	}
	st := media.Summarize(s.Packets, run.serverRx)
	r := judgeQuality(id, st, in.Content.Thresholds, s.To.String(), run.method)
	if sent := s.Sent(); replies.Load() == 0 && sent < int64(count) {
		after := time.Duration(sent) * media.Interval
		r.Summary = appendText(r.Summary, content.Phrase("check.media_quality.stopped_early", content.Vars{"after": after}))
		r.Facts["stopped_early"] = true
		r.Facts["stopped_after_ms"] = after.Milliseconds()
	}
	return r
}

// mediaRun is how media.quality's stream went out.
type mediaRun struct {
	method   string  // the facts' "method": how strong the evidence is
	serverRx int     // the reflector's count of packets it received; -1: not reported
	stop     *Result // set when the stream could not be sent: the check's result
}

// streamViaReflector sends the stream to the reflector's first RTP port
// after its Hello, and asks it how many packets arrived.
func streamViaReflector(ctx context.Context, in *Input, s *media.Stream, count int, silent func(int) bool) mediaRun {
	const id = "media.quality"
	ctl, rtp := in.Targets[0], in.Targets[1]
	stop := func(r Result) mediaRun { return mediaRun{stop: &r} }
	ctlAddr, err := resolveUDP(ctx, in.Env, ctl.Address, ctl.Ports.From)
	if err != nil {
		return stop(reflectorUnresolved(id, ctl.Address, err))
	}
	token := in.Profile.Reflector.Token
	hr, err := reflector.Hello(ctx, s.Conn, ctlAddr, token)
	if err != nil {
		return stop(reflectorUnreachable(id, ctlAddr, err))
	}
	if r, bad := rtpNotServed(id, hr, rtp.Ports); bad {
		return stop(r)
	}
	s.To = withPort(ctlAddr, rtp.Ports.From)
	s.Token = token
	media.Run(ctx, []*media.Stream{s}, count, media.Interval, silent)
	return mediaRun{method: fmt.Sprintf("%s (UDP %d)", methodReflector, rtp.Ports.From), serverRx: s.ServerCount(ctx, ctlAddr)}
}

// streamViaSTUN sends the stream as STUN Binding requests when there is no
// reflector; it skips, naming the STUN check, when that check failed.
func streamViaSTUN(ctx context.Context, in *Input, s *media.Stream, count int, silent func(int) bool) mediaRun {
	const id = "media.quality"
	t := in.Targets[0]
	if dep := stunCheckOfPort(t.Ports.From, in.Options); in.Deps[dep].Status == Fail {
		r := prereqSkip(id, dep, in.Deps[dep])
		return mediaRun{stop: &r}
	}
	addr, err := resolveUDP(ctx, in.Env, t.Address, t.Ports.From)
	if err != nil {
		r := ErrorResult(id, content.Phrase("check.media_quality.stun_unresolved", content.Vars{"host": t.Address, "err": err}))
		return mediaRun{stop: &r}
	}
	s.To = addr
	s.Encode, s.Decode = media.STUNEncode(s.Nonce), media.STUNDecode(s.Nonce)
	media.Run(ctx, []*media.Stream{s}, count, media.Interval, silent)
	return mediaRun{method: methodSTUN, serverRx: -1}
}

// stunCheckOfPort is the STUN check that probes the port media.quality's
// STUN method uses.
func stunCheckOfPort(port int, o Options) string {
	if port == o.Ports.STUNSecondary {
		return "stun.3479"
	}
	return "stun.3478"
}

// liveJitter is the RFC 3550 estimator run on arrival, for the live sparkline.
type liveJitter struct {
	prev time.Duration
	j    float64
	n    int
}

func (l *liveJitter) add(rtt time.Duration) time.Duration {
	if l.n > 0 {
		d := math.Abs(float64(rtt - l.prev))
		l.j += (d - l.j) / 16
	}
	l.prev = rtt
	l.n++
	return time.Duration(l.j)
}

// withPort is a with another port.
func withPort(a *net.UDPAddr, port int) *net.UDPAddr {
	c := *a
	c.Port = port
	return &c
}

// judgeQuality grades a measured stream against the thresholds and names
// every limit crossed.
func judgeQuality(id string, st media.Stats, th content.Thresholds, dest, method string) Result {
	facts := Facts{"method": method, "destination": dest, "packets_sent": st.Sent, "packets_received": st.Received}
	if st.Sent == 0 {
		r := ErrorResult(id, content.Phrase("check.media_quality.nothing_sent", nil))
		r.Facts = facts
		return r
	}
	if st.Received == 0 {
		r := FailResult(id, content.Phrase("check.media_quality.no_echo", content.Vars{"dest": dest}),
			"allow-rtp", "allow-return-traffic")
		r.Facts = facts
		r.Facts["loss_pct"] = 100.0
		return r
	}
	mos, rf := media.EstimateMOS(st.RTTP50, st.Jitter, st.LossPct)
	qualityFacts(facts, st, mos, rf)
	status, crossed := gradeQuality(st, mos, th)
	if len(crossed) > 0 {
		facts["crossed"] = strings.Join(crossed, "; ")
	}
	sum := content.Phrase("check.media_quality.summary", content.Vars{"loss": fmt.Sprintf("%.1f", st.LossPct),
		"jitter": fmt.Sprintf("%.1f", durMs(st.Jitter)), "rtt": fmt.Sprintf("%.0f", durMs(st.RTTP50)), "mos": fmt.Sprintf("%.2f", mos)})
	var r Result
	switch status {
	case Pass:
		r = PassResult(id, sum)
	case Warn:
		r = WarnResult(id, sum, "qos-sip-rtp", "use-wired", "bandwidth-200kbps")
	default:
		r = FailResult(id, sum, "qos-sip-rtp", "use-wired", "bandwidth-200kbps")
	}
	r.Facts = facts
	return r
}

// qualityFacts records a stream's loss, bursts, jitter, RTT and MOS, and
// each direction's when the reflector counted.
func qualityFacts(facts Facts, st media.Stats, mos, rf float64) {
	facts["loss_pct"] = round2(st.LossPct)
	facts["burst_longest"] = st.LongestBurst
	facts["burst_distribution"] = burstString(st.Bursts)
	facts["jitter_ms"] = durMs(st.Jitter)
	facts["rtt_p50_ms"] = durMs(st.RTTP50)
	facts["rtt_p95_ms"] = durMs(st.RTTP95)
	facts["rtt_max_ms"] = durMs(st.RTTMax)
	facts["mos"] = round2(mos)
	facts["r_factor"] = round2(rf)
	if st.HaveServer {
		facts["loss_up_pct"] = round2(st.UpLossPct)
		facts["loss_down_pct"] = round2(st.DownLossPct)
		facts["jitter_up_ms"] = durMs(st.JitterUp)
		facts["jitter_down_ms"] = durMs(st.JitterDown)
	}
}

// gradeQuality is the worst grade of loss, jitter, RTT and MOS, and the
// limits crossed (the facts' "crossed").
func gradeQuality(st media.Stats, mos float64, th content.Thresholds) (Status, []string) {
	type metric struct {
		name  string
		value float64
		th    content.Threshold
	}
	metrics := []metric{{"loss_pct", st.LossPct, th.LossPercent}, {"jitter_ms", durMs(st.Jitter), th.JitterMs},
		{"rtt_p50_ms", durMs(st.RTTP50), th.RTTMs}, {"mos", mos, th.MOS}}
	status := Pass
	var crossed []string
	for _, m := range metrics {
		g := grade(m.value, m.th)
		if g != Pass {
			crossed = append(crossed, fmt.Sprintf("%s %.4g (%s: pass %s %g)", m.name, m.value, g, map[bool]string{true: "≥", false: "<"}[m.th.HigherIsBetter], m.th.Pass))
		}
		status = worse(status, g)
	}
	return status, crossed
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }

package checks

import (
	"context"
	"fmt"
	"net"
	"slices"
	"sync"
	"time"

	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/probe/media"
	"github.com/biztel-tools/biztel-doctor/probe/reflector"
	"github.com/biztel-tools/biztel-doctor/profile"
	"github.com/biztel-tools/biztel-doctor/serve/wire"
)

// media.bandwidth parameters.
const (
	// bandwidthPerCallKbps is the page's 200 kbps per concurrent call, each way.
	bandwidthPerCallKbps = 200
	// bandwidthPacket is the UDP payload that makes one call's 50 packets/s
	// carry 200 kbps at the IP layer: 500 bytes − 20 (IPv4) − 8 (UDP).
	bandwidthPacket = bandwidthPerCallKbps*1000/8/media.PPS - 28
	// bandwidthMaxCalls caps the streams one laptop sends: 500 calls = 100
	// Mbit/s each way, 25,000 packets/s (probe/media/batch.go keeps that light);
	// a larger site is reported as tested up to this many.
	bandwidthMaxCalls = 500
	// bandwidthMaxDuration: "a few seconds" of load is enough to see a line
	// that cannot carry it, and short enough not to disturb live calls long.
	// A clear answer ends it sooner (loadWatch), except with --long.
	bandwidthMaxDuration = 5 * time.Second
	// bandwidthSetup: Hello, socket set-up, drain, per-stream Stats.
	bandwidthSetup = 8 * time.Second
	// bandwidthMinRatio is the share of the target rate a line must deliver
	// each way to pass.
	bandwidthMinRatio = 0.99
)

func init() {
	register(Spec{
		ID:         "media.bandwidth",
		TimeoutFor: func(o Options) time.Duration { return bandwidthDuration(o) + bandwidthSetup },
		Remedies:   []string{"bandwidth-200kbps", "qos-sip-rtp"},
		Alone:      func(Options) content.Text { return content.Phrase("check.media_bandwidth.alone", nil) },
		Expect:     func(o Options) time.Duration { return bandwidthDuration(o) + time.Second },
		Plan:       planBandwidth,
		Run:        runBandwidth,
	})
}

func bandwidthDuration(o Options) time.Duration {
	return min(mediaDuration(o), bandwidthMaxDuration)
}

func planBandwidth(p *profile.Profile, opt Options) ([]Destination, content.Text) {
	host, port := reflectorHost(p, opt)
	if host == "" {
		return nil, needsReflector
	}
	calls := min(p.CallCount(), bandwidthMaxCalls)
	return []Destination{reflectorControlDest(host, port),
		{Proto: "RTP (echo)", Transport: "udp", Address: host, Ports: opt.Ports.ReflectorRTP,
			Purpose: loadText(calls, bandwidthDuration(opt))}}, content.Text{}
}

// loadText states the load before it is sent: calls, Mbit/s each way and
// how long (plan, CLI and TUI say it the same way).
func loadText(calls int, d time.Duration) content.Text {
	mbps := float64(calls*bandwidthPerCallKbps) / 1000
	return content.Phrase("check.media_bandwidth.load", content.Vars{"calls": calls,
		"mbps": fmt.Sprintf("%.1f", mbps), "secs": fmt.Sprintf("%.0f", d.Seconds())})
}

// LoadOf states the load a plan's media.bandwidth would send, for the CLI
// and the TUI to show before the run; calls is 0 when it sends none.
func LoadOf(p *Plan) (calls int, text content.Text) {
	if _, skipped := p.Skipped["media.bandwidth"]; skipped || !slices.Contains(p.Checks, "media.bandwidth") {
		return 0, content.Text{}
	}
	calls = min(p.Profile.CallCount(), bandwidthMaxCalls)
	return calls, loadText(calls, bandwidthDuration(p.Options))
}

func runBandwidth(ctx context.Context, in *Input) Result {
	const id = "media.bandwidth"
	if len(in.Targets) < 2 {
		return noDestination(id)
	}
	ctl, rtp := in.Targets[0], in.Targets[1]
	ctlAddr, err := resolveUDP(ctx, in.Env, ctl.Address, ctl.Ports.From)
	if err != nil {
		return reflectorUnresolved(id, ctl.Address, err)
	}
	token := in.Profile.Reflector.Token
	hr, err := helloOnce(ctx, in.Env, ctlAddr, token)
	if err != nil {
		return reflectorUnreachable(id, ctlAddr, err)
	}
	if r, bad := rtpNotServed(id, hr, rtp.Ports); bad {
		return r
	}
	size := rtp.Ports.To - rtp.Ports.From + 1
	fit := callsThatFit(in.Profile.CallCount(), hr)
	// Calls use distinct even RTP ports, as a PBX allocates them.
	dest := func(k int) *net.UDPAddr { return withPort(ctlAddr, rtp.Ports.From+(2*k)%size) }
	groups, err := media.NewLoadGroups(ctx, func(ctx context.Context) (net.PacketConn, error) { return listenUDP(ctx, in.Env) }, fit.Calls, dest, token, bandwidthPacket)
	if err != nil {
		return noUDPSocket(id, err)
	}
	defer media.CloseGroups(groups)
	streams := media.AllStreams(groups)
	planned := bandwidthDuration(in.Options)
	// --long always runs the full length: a technician who asks for it
	// wants the longer evidence, not the early answer.
	var watch *loadWatch
	var stop func(int) bool
	if !in.Options.Long {
		watch = newLoadWatch(streams, in.Content.Thresholds.LossPercent.Warn)
		stop = watch.stop
	}
	media.RunLoad(ctx, groups, int(planned/media.Interval), media.Interval, stop)
	if ctx.Err() != nil {
		return ErrorResult(id, content.Phrase("check.media_bandwidth.timeout", nil))
	}
	stats := loadStats(ctx, groups, ctlAddr)
	r := judgeBandwidth(id, stats, fit.Calls, in.Profile.CallCount(), loadOf(streams, planned, watch), in.Content.Thresholds)
	return fit.note(r)
}

// helloOnce asks the reflector what it serves, from a socket of its own.
func helloOnce(ctx context.Context, env *Env, addr *net.UDPAddr, token string) (wire.HelloReplyBody, error) {
	c, err := listenUDP(ctx, env)
	if err != nil {
		return wire.HelloReplyBody{}, err
	}
	defer c.Close()
	return reflector.Hello(ctx, c, addr, token)
}

// loadStats summarizes every call with the reflector's count of its
// echoes, the sockets asked in parallel.
func loadStats(ctx context.Context, groups []*media.LoadGroup, ctlAddr *net.UDPAddr) []media.Stats {
	counts := make([]map[uint64]int, len(groups))
	var wg sync.WaitGroup
	for i, g := range groups {
		wg.Add(1)
		go func() {
			defer wg.Done()
			counts[i] = g.ServerCounts(ctx, ctlAddr)
		}()
	}
	wg.Wait()
	var out []media.Stats
	for i, g := range groups {
		for _, s := range g.Streams {
			out = append(out, media.Summarize(s.Packets, counts[i][s.Nonce]))
		}
	}
	return out
}

// bandwidthLoad is how long the load really ran and why it ended then.
// Early is true only for a run its watch ended on clear loss.
type bandwidthLoad struct {
	Duration, Planned time.Duration
	Early             bool
	Why               string
	Trend             rttTrend
}

// loadOf reads the finished run: its rounds (every stream sent as many),
// and the RTT trend — the one that let it stop early, else over the
// whole run.
func loadOf(streams []*media.Stream, planned time.Duration, w *loadWatch) bandwidthLoad {
	rounds := int(streams[0].Sent())
	l := bandwidthLoad{Duration: time.Duration(rounds) * media.Interval, Planned: planned}
	if w == nil {
		l.Why = "--long runs the full length"
	} else {
		l.Early, l.Why = w.stoppedAt > 0, w.why
	}
	l.Trend = trendOf(len(streams), rounds, func(k, seq int) (time.Duration, time.Duration, bool) {
		p := streams[k].Packets[seq]
		return p.RX - p.TX, p.TX, p.Received
	})
	return l
}

// bandwidthSums adds up every call's counts and jitters.
type bandwidthSums struct {
	sent, srv, rcv   int
	jUp, jDown       time.Duration // mean over the calls
	jUpMax, jDownMax time.Duration // the worst call
	haveServer       bool          // the reflector reported its counts for every call
}

func sumBandwidth(stats []media.Stats) bandwidthSums {
	s := bandwidthSums{haveServer: true}
	for _, st := range stats {
		s.sent += st.Sent
		s.rcv += st.Received
		s.srv += st.ServerReceived
		s.haveServer = s.haveServer && st.HaveServer
		s.jUp += st.JitterUp
		s.jDown += st.JitterDown
		s.jUpMax, s.jDownMax = max(s.jUpMax, st.JitterUp), max(s.jDownMax, st.JitterDown)
	}
	n := time.Duration(max(len(stats), 1))
	s.jUp, s.jDown = s.jUp/n, s.jDown/n
	return s
}

// bandwidthVerdict is what gradeBandwidth concluded, for the summary.
type bandwidthVerdict struct {
	status           Status
	calls            int
	targetKbps       float64 // each way
	lossUp, lossDown float64 // percent; 0 when the reflector gave no counts
	growing          bool    // the echo RTT kept growing through the whole load
}

// judgeBandwidth grades the load's counts (gradeBandwidth) and phrases the
// result (phraseBandwidth).
func judgeBandwidth(id string, stats []media.Stats, calls, wanted int, load bandwidthLoad, th content.Thresholds) Result {
	v, facts := gradeBandwidth(sumBandwidth(stats), calls, wanted, load, th)
	r := phraseBandwidth(id, v, load)
	for k, x := range facts {
		r.Facts[k] = x
	}
	return r
}

// gradeBandwidth compares the rates, loss and jitter each way with the
// thresholds, recording each as facts.
func gradeBandwidth(s bandwidthSums, calls, wanted int, load bandwidthLoad, th content.Thresholds) (bandwidthVerdict, Facts) {
	dur := max(load.Duration, media.Interval)
	ipBits := float64((bandwidthPacket + 28) * 8)
	kbps := func(pkts int) float64 { return round2(float64(pkts) * ipBits / dur.Seconds() / 1000) }
	v := bandwidthVerdict{status: Pass, calls: calls, targetKbps: float64(calls * bandwidthPerCallKbps)}
	facts := Facts{"calls_tested": calls, "calls_profile": wanted, "target_kbps_each_way": v.targetKbps,
		"duration_s": round2(load.Duration.Seconds()), "duration_planned_s": round2(load.Planned.Seconds()),
		"ended_early": load.Early, "load_end": load.Why,
		"packets_sent": s.sent, "packets_received": s.rcv, "rate_down_kbps": kbps(s.rcv)}
	if load.Trend.Measured {
		facts["rtt_first_p50_ms"], facts["rtt_last_p50_ms"] = durMs(load.Trend.First), durMs(load.Trend.Last)
		facts["rtt_growth_ms_per_s"] = round2(load.Trend.GrowthMsPerS)
	}
	lossRT := 0.0
	if s.sent > 0 {
		lossRT = 100 * float64(s.sent-s.rcv) / float64(s.sent)
	}
	if s.haveServer {
		facts["rate_up_kbps"] = kbps(s.srv)
		if s.sent > 0 {
			v.lossUp = 100 * float64(s.sent-s.srv) / float64(s.sent)
		}
		if s.srv > 0 {
			v.lossDown = 100 * float64(max(s.srv-s.rcv, 0)) / float64(s.srv)
		}
		facts["loss_up_pct"], facts["loss_down_pct"] = round2(v.lossUp), round2(v.lossDown)
		facts["jitter_up_ms"], facts["jitter_down_ms"] = durMs(s.jUp), durMs(s.jDown)
		facts["jitter_up_max_ms"], facts["jitter_down_max_ms"] = durMs(s.jUpMax), durMs(s.jDownMax)
		v.status = worse(grade(v.lossUp, th.LossPercent), grade(v.lossDown, th.LossPercent))
		v.status = worse(v.status, worse(grade(durMs(s.jUp), th.JitterMs), grade(durMs(s.jDown), th.JitterMs)))
		if kbps(s.srv) < bandwidthMinRatio*v.targetKbps || kbps(s.rcv) < bandwidthMinRatio*v.targetKbps*(1-v.lossUp/100) {
			v.status = worse(v.status, Warn)
		}
	} else {
		facts["note"] = "the reflector did not report its counts: loss is for the round trip only"
		v.status = grade(lossRT, th.LossPercent)
	}
	facts["loss_pct"] = round2(lossRT)
	// A queue that kept growing through the whole load is a line buffering
	// what it cannot carry, even when nothing was lost yet.
	if v.growing = !load.Early && load.Trend.growing(); v.growing {
		v.status = worse(v.status, Warn)
	}
	return v, facts
}

// phraseBandwidth says the load, the loss each way, a growing queue and
// how long the load ran.
func phraseBandwidth(id string, v bandwidthVerdict, load bandwidthLoad) Result {
	sum := content.Phrase("check.media_bandwidth.summary", content.Vars{"calls": v.calls, "mbps": fmt.Sprintf("%.1f", v.targetKbps/1000),
		"loss_up": fmt.Sprintf("%.1f", v.lossUp), "loss_down": fmt.Sprintf("%.1f", v.lossDown)})
	if v.growing {
		sum = appendText(sum, content.Phrase("check.media_bandwidth.rtt_growing", content.Vars{"growth": fmt.Sprintf("%.0f", load.Trend.GrowthMsPerS)}))
	}
	secs := fmt.Sprintf("%.1f", load.Duration.Seconds())
	if load.Early {
		sum = appendText(sum, content.Phrase("check.media_bandwidth.ended_early", content.Vars{"secs": secs, "planned": fmt.Sprintf("%.0f", load.Planned.Seconds())}))
	} else {
		sum = appendText(sum, content.Phrase("check.media_bandwidth.full_load", content.Vars{"secs": secs}))
	}
	switch v.status {
	case Pass:
		return PassResult(id, sum)
	case Warn:
		return WarnResult(id, sum, "bandwidth-200kbps", "qos-sip-rtp")
	}
	return FailResult(id, sum, "bandwidth-200kbps", "qos-sip-rtp")
}

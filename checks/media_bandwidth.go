package checks

import (
	"context"
	"net"
	"slices"
	"sync"
	"time"

	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/profile"
	"github.com/biztel-tools/biztel-doctor/serve/wire"
)

// media.bandwidth parameters.
const (
	// bandwidthPerCallKbps is the page's 200 kbps per concurrent call, each way.
	bandwidthPerCallKbps = 200
	// bandwidthPacket is the UDP payload that makes one call's 50 packets/s
	// carry 200 kbps at the IP layer: 500 bytes − 20 (IPv4) − 8 (UDP).
	bandwidthPacket = bandwidthPerCallKbps*1000/8/mediaPPS - 28
	// bandwidthMaxCalls caps the streams one laptop sends: 500 calls = 100
	// Mbit/s each way, 25,000 packets/s (media_batch.go keeps that light);
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
		Alone:      func(Options) content.Text { return whyBandwidthAlone },
		Expect:     func(o Options) time.Duration { return bandwidthDuration(o) + time.Second },
		Plan:       planBandwidth,
		Run:        runBandwidth,
	})
}

// whyBandwidthAlone is the plan's reason for running media.bandwidth alone.
var whyBandwidthAlone = content.T("回線に全通話分の負荷をかけるため、他の経路の測定（media.quality、rtp.range、sip.alg）と同時には実行しません",
	"loads the line with every call at once: beside it, media.quality, rtp.range and sip.alg would measure the tool's own load")

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
	return content.Tf("%d 通話分の負荷: 双方向それぞれ %.1f Mbit/s を最長 %.0f 秒（リフレクタの送信元ごとの上限を超える分は試験しません）",
		"load of %d calls: %.1f Mbit/s each way for up to %.0f s (no more than the reflector's per-client budget)", calls, mbps, d.Seconds())
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
		return ErrorResult(id, content.T("計画に宛先がありません", "the plan gave no destination"))
	}
	ctl, rtp := in.Targets[0], in.Targets[1]
	ctlAddr, err := resolveUDP(ctx, in.Env, ctl.Address, ctl.Ports.From)
	if err != nil {
		return ErrorResult(id, content.Tf("リフレクタ %s の名前解決に失敗しました: %v", "cannot resolve the reflector %s: %v", ctl.Address, err))
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
	groups, err := newLoadGroups(ctx, in.Env, fit.Calls, dest, token, bandwidthPacket)
	if err != nil {
		return ErrorResult(id, content.Tf("UDP ソケットを開けません: %v", "cannot open a UDP socket: %v", err))
	}
	defer closeGroups(groups)
	streams := allStreams(groups)
	planned := bandwidthDuration(in.Options)
	// --long always runs the full length: a technician who asks for it
	// wants the longer evidence, not the early answer.
	var watch *loadWatch
	var stop func(int) bool
	if !in.Options.Long {
		watch = newLoadWatch(streams, in.Content.Thresholds.LossPercent.Warn)
		stop = watch.stop
	}
	runLoad(ctx, groups, int(planned/mediaInterval), mediaInterval, stop)
	if ctx.Err() != nil {
		return ErrorResult(id, content.T("制限時間内に負荷試験を終えられませんでした", "the load test did not finish within the check's budget"))
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
	return hello(ctx, c, addr, token)
}

// loadStats summarizes every call with the reflector's count of its
// echoes, the sockets asked in parallel.
func loadStats(ctx context.Context, groups []*loadGroup, ctlAddr *net.UDPAddr) []streamStats {
	counts := make([]map[uint64]int, len(groups))
	var wg sync.WaitGroup
	for i, g := range groups {
		wg.Add(1)
		go func() {
			defer wg.Done()
			counts[i] = g.serverCounts(ctx, ctlAddr)
		}()
	}
	wg.Wait()
	var out []streamStats
	for i, g := range groups {
		for _, s := range g.streams {
			out = append(out, summarize(s.probes, counts[i][s.nonce]))
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
func loadOf(streams []*echoStream, planned time.Duration, w *loadWatch) bandwidthLoad {
	rounds := int(streams[0].sent.Load())
	l := bandwidthLoad{Duration: time.Duration(rounds) * mediaInterval, Planned: planned}
	if w == nil {
		l.Why = "--long runs the full length"
	} else {
		l.Early, l.Why = w.stoppedAt > 0, w.why
	}
	l.Trend = trendOf(len(streams), rounds, func(k, seq int) (time.Duration, time.Duration, bool) {
		p := streams[k].probes[seq]
		return p.rx - p.tx, p.tx, p.received
	})
	return l
}

func judgeBandwidth(id string, stats []streamStats, calls, wanted int, load bandwidthLoad, th content.Thresholds) Result {
	dur := max(load.Duration, mediaInterval)
	var sent, srv, rcv int
	var jUp, jDown, jUpMax, jDownMax time.Duration
	haveServer := true
	for _, s := range stats {
		sent += s.Sent
		rcv += s.Received
		srv += s.ServerReceived
		haveServer = haveServer && s.HaveServer
		jUp += s.JitterUp
		jDown += s.JitterDown
		jUpMax, jDownMax = max(jUpMax, s.JitterUp), max(jDownMax, s.JitterDown)
	}
	n := time.Duration(max(len(stats), 1))
	jUp, jDown = jUp/n, jDown/n
	ipBits := float64((bandwidthPacket + 28) * 8)
	kbps := func(pkts int) float64 { return round2(float64(pkts) * ipBits / dur.Seconds() / 1000) }
	target := float64(calls * bandwidthPerCallKbps)
	facts := Facts{"calls_tested": calls, "calls_profile": wanted, "target_kbps_each_way": target,
		"duration_s": round2(load.Duration.Seconds()), "duration_planned_s": round2(load.Planned.Seconds()),
		"ended_early": load.Early, "load_end": load.Why,
		"packets_sent": sent, "packets_received": rcv, "rate_down_kbps": kbps(rcv)}
	if load.Trend.Measured {
		facts["rtt_first_p50_ms"], facts["rtt_last_p50_ms"] = durMs(load.Trend.First), durMs(load.Trend.Last)
		facts["rtt_growth_ms_per_s"] = round2(load.Trend.GrowthMsPerS)
	}
	lossUp, lossDown, lossRT := 0.0, 0.0, 0.0
	if sent > 0 {
		lossRT = 100 * float64(sent-rcv) / float64(sent)
	}
	status := Pass
	if haveServer {
		facts["rate_up_kbps"] = kbps(srv)
		if sent > 0 {
			lossUp = 100 * float64(sent-srv) / float64(sent)
		}
		if srv > 0 {
			lossDown = 100 * float64(max(srv-rcv, 0)) / float64(srv)
		}
		facts["loss_up_pct"], facts["loss_down_pct"] = round2(lossUp), round2(lossDown)
		facts["jitter_up_ms"], facts["jitter_down_ms"] = durMs(jUp), durMs(jDown)
		facts["jitter_up_max_ms"], facts["jitter_down_max_ms"] = durMs(jUpMax), durMs(jDownMax)
		status = worse(grade(lossUp, th.LossPercent), grade(lossDown, th.LossPercent))
		status = worse(status, worse(grade(durMs(jUp), th.JitterMs), grade(durMs(jDown), th.JitterMs)))
		if kbps(srv) < bandwidthMinRatio*target || kbps(rcv) < bandwidthMinRatio*target*(1-lossUp/100) {
			status = worse(status, Warn)
		}
	} else {
		facts["note"] = "the reflector did not report its counts: loss is for the round trip only"
		status = grade(lossRT, th.LossPercent)
	}
	facts["loss_pct"] = round2(lossRT)
	// A queue that kept growing through the whole load is a line buffering
	// what it cannot carry, even when nothing was lost yet.
	growing := !load.Early && load.Trend.growing()
	if growing {
		status = worse(status, Warn)
	}
	var r Result
	sum := content.Tf("%d 通話分（双方向それぞれ %.1f Mbit/s）: 上り損失 %.1f%%、下り損失 %.1f%%", "%d calls (%.1f Mbit/s each way): loss up %.1f%%, down %.1f%%",
		calls, target/1000, lossUp, lossDown)
	if growing {
		sum = appendText(sum, content.Tf("、往復遅延が毎秒 %.0f ms 増加（回線が運びきれない負荷を溜めています）", "; echo RTT grew %.0f ms per second (the line queues load it cannot carry)",
			load.Trend.GrowthMsPerS))
	}
	if load.Early {
		sum = appendText(sum, content.Tf("（全負荷 %.1f 秒で損失が明らかなため、予定の %.0f 秒より早く終了）", "; the loss was clear after %.1f s of full load, so it stopped before the planned %.0f s",
			load.Duration.Seconds(), load.Planned.Seconds()))
	} else {
		sum = appendText(sum, content.Tf("（全負荷 %.1f 秒）", "; %.1f s of full load", load.Duration.Seconds()))
	}
	switch status {
	case Pass:
		r = PassResult(id, sum)
	case Warn:
		r = WarnResult(id, sum, "bandwidth-200kbps", "qos-sip-rtp")
	default:
		r = FailResult(id, sum, "bandwidth-200kbps", "qos-sip-rtp")
	}
	for k, v := range facts {
		r.Facts[k] = v
	}
	return r
}

package checks

import (
	"context"
	"fmt"
	"math"
	"net"
	"strings"
	"time"

	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/profile"
)

// mediaSetup is media.quality's budget beyond the stream: resolving, the
// Hello (3 tries), the drain and the closing Stats exchange.
const mediaSetup = 8 * time.Second

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
		Plan:       planMediaQuality,
		Run:        runMediaQuality,
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
				Purpose: content.T("通話に似たストリーム（50 パケット/秒、172 バイト）", "call-like stream (50 packets/s, 172 bytes)")},
		}, content.Text{}
	}
	for _, e := range p.STUNEntries() {
		port := opt.Ports.STUNPrimary
		if e.Port == 3479 {
			port = opt.Ports.STUNSecondary
		}
		return []Destination{{Proto: "STUN", Transport: "udp", Address: e.Host, Ports: content.PortRange{From: port, To: port},
			Purpose: content.T("リフレクタがないため STUN で代用（50 回/秒のバインディング要求）", "no reflector: STUN Binding requests at 50/s instead")}}, content.Text{}
	}
	return nil, content.T("リフレクタか STUN サーバが必要です", "needs a reflector or a STUN server")
}

func runMediaQuality(ctx context.Context, in *Input) Result {
	const id = "media.quality"
	env := in.Env
	conn, err := listenUDP(ctx, env)
	if err != nil {
		return ErrorResult(id, content.Tf("UDP ソケットを開けません: %v", "cannot open a UDP socket: %v", err))
	}
	defer conn.Close()
	count := int(mediaDuration(in.Options) / mediaInterval)
	s := &echoStream{conn: conn, nonce: newNonce(), size: mediaPayload}
	method := methodReflector
	serverRx := -1
	var live liveJitter
	s.onReply = func(seq int, p probe) {
		j := live.add(p.rx - p.tx)
		in.Sample(Sample{RTT: p.rx - p.tx, Jitter: j, Progress: float64(seq+1) / float64(count)})
	}
	if len(in.Targets) == 2 { // reflector: control + RTP
		ctl, rtp := in.Targets[0], in.Targets[1]
		ctlAddr, err := resolveUDP(ctx, env, ctl.Address, ctl.Ports.From)
		if err != nil {
			return ErrorResult(id, content.Tf("リフレクタ %s の名前解決に失敗しました: %v", "cannot resolve the reflector %s: %v", ctl.Address, err))
		}
		token := in.Profile.Reflector.Token
		hr, err := hello(ctx, conn, ctlAddr, token)
		if err != nil {
			return reflectorUnreachable(id, ctlAddr, err)
		}
		if r, bad := rtpNotServed(id, hr, rtp.Ports); bad {
			return r
		}
		s.to = withPort(ctlAddr, rtp.Ports.From)
		s.token = token
		runStreams(ctx, []*echoStream{s}, count, mediaInterval, nil)
		serverRx = s.serverCount(ctx, ctlAddr)
		method = fmt.Sprintf("%s (UDP %d)", methodReflector, rtp.Ports.From)
	} else if len(in.Targets) == 1 {
		t := in.Targets[0]
		addr, err := resolveUDP(ctx, env, t.Address, t.Ports.From)
		if err != nil {
			return ErrorResult(id, content.Tf("STUN サーバ %s の名前解決に失敗しました: %v", "cannot resolve the STUN server %s: %v", t.Address, err))
		}
		s.to = addr
		s.encode, s.decode = stunEncode(s.nonce), stunDecode(s.nonce)
		runStreams(ctx, []*echoStream{s}, count, mediaInterval, nil)
		method = methodSTUN
	} else {
		return ErrorResult(id, content.T("計画に宛先がありません", "the plan gave no destination"))
	}
	if ctx.Err() != nil && s.sent.Load() < int64(count) {
		return ErrorResult(id, content.T("制限時間内にストリームを送り終えられませんでした", "the stream did not finish within the check's budget"))
	}
	st := summarize(s.probes, serverRx)
	return judgeQuality(id, st, in.Content.Thresholds, s.to.String(), method)
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
func judgeQuality(id string, st streamStats, th content.Thresholds, dest, method string) Result {
	facts := Facts{"method": method, "destination": dest, "packets_sent": st.Sent, "packets_received": st.Received}
	if st.Sent == 0 {
		r := ErrorResult(id, content.T("パケットを送れませんでした", "no packet could be sent"))
		r.Facts = facts
		return r
	}
	if st.Received == 0 {
		r := FailResult(id, content.Tf("%s へのストリームに 1 パケットも応答がありません: RTP の UDP が往復で通っていません", "not one of the stream's packets to %s came back: UDP for RTP does not pass both ways", dest),
			"allow-rtp", "allow-return-traffic")
		r.Facts = facts
		r.Facts["loss_pct"] = 100.0
		return r
	}
	mos, rf := estimateMOS(st.RTTP50, st.Jitter, st.LossPct)
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
	if len(crossed) > 0 {
		facts["crossed"] = strings.Join(crossed, "; ")
	}
	sum := content.Tf("損失 %.1f%%、ジッタ %.1f ms、往復遅延 %.0f ms、推定 MOS %.2f", "loss %.1f%%, jitter %.1f ms, RTT %.0f ms, estimated MOS %.2f",
		st.LossPct, durMs(st.Jitter), durMs(st.RTTP50), mos)
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

func round2(v float64) float64 { return math.Round(v*100) / 100 }

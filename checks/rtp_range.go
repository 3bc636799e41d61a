package checks

import (
	"context"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/profile"
	"github.com/biztel-tools/biztel-doctor/serve/wire"
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
				return whyRTPFullAlone
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

// whyRTPFullAlone is the plan's reason for running the full sweep alone.
var whyRTPFullAlone = content.T("全ポート掃引は 1 秒に数千パケットを送り、ルータにポートごとのセッションを作るため、他の経路の測定と同時には実行しません",
	"the full sweep sends thousands of packets a second and makes a router session per port: beside it, the other path measurements would see its load")

func planRTPRange(p *profile.Profile, opt Options) ([]Destination, content.Text) {
	host, port := reflectorHost(p, opt)
	if host == "" {
		return nil, needsReflector
	}
	r := opt.Ports.ReflectorRTP
	purpose := content.Tf("RTP 範囲の見本 %d ポートへ往復", "round trip to a sample of %d RTP ports", len(samplePorts(r, rtpSampleCount)))
	if opt.RTPFull {
		purpose = content.T("RTP 範囲の全ポートへ往復（ポートごとに NAT セッションを 1 つ作ります）", "round trip to every RTP port (one NAT session per port)")
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
		return ErrorResult(id, content.T("計画に宛先がありません", "the plan gave no destination"))
	}
	ctl, rtp := in.Targets[0], in.Targets[1]
	ctlAddr, err := resolveUDP(ctx, in.Env, ctl.Address, ctl.Ports.From)
	if err != nil {
		return ErrorResult(id, content.Tf("リフレクタ %s の名前解決に失敗しました: %v", "cannot resolve the reflector %s: %v", ctl.Address, err))
	}
	conn, err := listenUDP(ctx, in.Env)
	if err != nil {
		return ErrorResult(id, content.Tf("UDP ソケットを開けません: %v", "cannot open a UDP socket: %v", err))
	}
	defer conn.Close()
	token := in.Profile.Reflector.Token
	hr, err := hello(ctx, conn, ctlAddr, token)
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
	ok := sweepRTP(ctx, conn, ctlAddr.IP, ports, rate, token, in.Sample)
	if ctx.Err() != nil {
		return ErrorResult(id, content.T("制限時間内に調べ終えられませんでした", "the sweep did not finish within the check's budget"))
	}
	return judgeRTPRange(id, ports, ok, in.Options.RTPFull, mode, time.Since(start))
}

// sweepRTP probes every port (up to rtpRounds times) and returns which
// answered, from that same port.
func sweepRTP(ctx context.Context, conn net.PacketConn, ip net.IP, ports []int, rate int, token string, sample func(Sample)) map[int]bool {
	nonce := newNonce()
	ok := make(map[int]bool, len(ports))
	replies := make(chan int, 1024)
	done := make(chan struct{})
	go func() {
		defer close(replies)
		buf := make([]byte, wire.MaxDatagram)
		for {
			select {
			case <-done:
				return
			default:
			}
			conn.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
			n, from, err := conn.ReadFrom(buf)
			if err != nil {
				if ctx.Err() != nil {
					return
				}
				continue
			}
			h, body, err := wire.Parse(buf[:n])
			if err != nil || h.Type != wire.TypeEchoReply || h.Nonce != nonce {
				continue
			}
			e, _ := wire.ParseEcho(body)
			if ua, isUDP := from.(*net.UDPAddr); isUDP && ua.Port == int(e.Seq) {
				select {
				case replies <- ua.Port:
				case <-done:
					return
				}
			}
		}
	}()
	defer func() {
		close(done)
		for range replies {
		}
	}()
	pkt := wire.Build(wire.Header{Type: wire.TypeEcho, Nonce: nonce}, make([]byte, wire.EchoLen), rtpProbeSize, "")
	const batch = 20 // packets per pacing step
	step := time.Second * batch / time.Duration(rate)
	total := len(ports) * rtpRounds
	sent := 0
	drain := func(until time.Time) {
		t := time.NewTimer(time.Until(until))
		defer t.Stop()
		for {
			select {
			case p, open := <-replies:
				if !open {
					return
				}
				ok[p] = true
			case <-t.C:
				return
			case <-ctx.Done():
				return
			}
		}
	}
	for round := 0; round < rtpRounds; round++ {
		todo := ports[:0:0]
		for _, p := range ports {
			if !ok[p] {
				todo = append(todo, p)
			}
		}
		if len(todo) == 0 {
			break
		}
		next := time.Now()
		for i, p := range todo {
			wire.EchoBody{Seq: uint32(p)}.Put(pkt[wire.HeaderLen:])
			wire.Sign(pkt, token)
			conn.WriteTo(pkt, &net.UDPAddr{IP: ip, Port: p})
			sent++
			if (i+1)%batch == 0 {
				next = next.Add(step)
				drain(next)
				sample(Sample{Progress: float64(sent) / float64(total)})
				if ctx.Err() != nil {
					return ok
				}
			}
		}
		drain(time.Now().Add(rtpRoundWait))
		sample(Sample{Progress: float64(sent) / float64(total)})
	}
	sample(Sample{Progress: 1})
	return ok
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
		how := content.T("見本のポート", "a sample of the range")
		if full {
			how = content.T("範囲全体", "the full range")
		}
		r = PassResult(id, content.Text{
			Ja: fmt.Sprintf("RTP の %d ポートすべてで往復できました（%s）", len(ports), how.Ja),
			En: fmt.Sprintf("all %d RTP ports probed answered (%s)", len(ports), how.En)})
	case answered == 0:
		r = FailResult(id, content.Tf("RTP のどのポートからも応答がありません（%d ポート）: UDP %d–%d を往復で許可してください",
			"no RTP port answered (%d probed): allow UDP %d–%d both ways", len(ports), ports[0], ports[len(ports)-1]), "allow-rtp", "allow-return-traffic")
	default:
		r = FailResult(id, content.Tf("RTP の一部のポートが通りません: %s", "part of the RTP range does not pass: %s", strings.Join(parts, ", ")),
			"allow-rtp", "allow-return-traffic")
		facts["blocked"] = strings.Join(blocked, ", ")
	}
	for k, v := range facts {
		r.Facts[k] = v
	}
	return r
}

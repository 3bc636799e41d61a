package checks

import (
	"context"
	"fmt"
	"net"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/profile"
	"github.com/biztel-tools/biztel-doctor/serve/wire"
)

// nat.timer parameters.
const (
	// NATTimerQuick is the quick setting of the search horizon (the TUI's
	// short run): enough to catch the common 30–120 s UDP defaults.
	NATTimerQuick = 120 * time.Second
	// natTimerPage is what the page asks for SIP: 3600 s.
	natTimerPage = 3600 * time.Second
	// natLadderPoints is the least number of idle times the first round
	// tries at once (max, max/2, max/4 …), each on its own socket and so its
	// own mapping.
	natLadderPoints = 6
	// natLadderFloor: the ladder keeps halving until it passes this, so the
	// common short UDP timers (20–120 s) are bracketed by the first round
	// even with the page's 3600 s horizon (3600 s … 7 s: 10 rungs, 20 armed
	// timers, well inside the reflector's 64 per source).
	natLadderFloor = 5 * time.Second
	// natBisectPoints is how many idle times a bisection round tries inside
	// the bracket found so far; natBisectRounds how many such rounds run
	// (each narrows the bracket to a quarter).
	natBisectPoints = 3
	natBisectRounds = 2
	// natFireGraceMax is how long past T a fire is awaited: a round trip and
	// the reflector's timer, with room; shorter horizons get max/8.
	natFireGraceMax = time.Second
	// natSetup bounds arming (Hello-like retries) around the two rounds.
	natSetup = 10 * time.Second
	// natArmRetry/natArmTries: arming is retried like a Hello.
	natArmRetry = 400 * time.Millisecond
	natArmTries = 3
	// natArmSize is the arming request's size; the fire is no larger.
	natArmSize = 64
)

func init() {
	register(Spec{
		ID:         "nat.timer",
		Long:       true,
		TimeoutFor: natTimerBudget,
		Expect:     natTimerBudget, // how soon it knows depends on the NAT: at most this
		Remedies:   []string{"nat-timer-3600"},
		Plan:       planNATTimer,
		Run:        runNATTimer,
	})
}

func natHorizon(o Options) time.Duration {
	if o.NATTimerMax <= 0 {
		return DefaultNATTimerMax
	}
	return o.NATTimerMax
}

func natGrace(max time.Duration) time.Duration { return min(natFireGraceMax, max/8) }

// natTimerBudget: two rounds, each at most the horizon plus the grace.
func natTimerBudget(o Options) time.Duration {
	h := natHorizon(o)
	return 2*(h+natGrace(h)) + natSetup
}

var needsReflectorToken = content.T("NAT タイマーの測定にはリフレクタのトークンが必要です（reflector.token / --reflector-token）",
	"needs the reflector's token (reflector.token / --reflector-token): NAT-timer probes are served only with one")

func planNATTimer(p *profile.Profile, opt Options) ([]Destination, content.Text) {
	host, _ := reflectorHost(p, opt)
	if host == "" {
		return nil, needsReflector
	}
	if p.Reflector.Token == "" {
		return nil, needsReflectorToken
	}
	port := opt.Ports.ReflectorSIP
	return []Destination{{Proto: "SIP-like UDP (idle mapping)", Transport: "udp", Address: host, Ports: content.PortRange{From: port, To: port},
		Purpose: content.Tf("UDP %d への NAT マッピングが無通信で何秒残るか（最大 %s）", "how long an idle UDP mapping to port %d lasts (up to %s)", port, natHorizon(opt))}}, content.Text{}
}

// idleProbe is one idle time tried on its own mapping.
type idleProbe struct {
	idle      time.Duration
	alive     bool // the same-port packet arrived after the idle time
	otherPort bool // the other-port packet arrived too
	cut       bool // ended early because a shorter idle time expired: no evidence
	err       error
}

func runNATTimer(ctx context.Context, in *Input) Result {
	const id = "nat.timer"
	if len(in.Targets) < 1 {
		return ErrorResult(id, content.T("計画に宛先がありません", "the plan gave no destination"))
	}
	t := in.Targets[0]
	addr, err := resolveUDP(ctx, in.Env, t.Address, t.Ports.From)
	if err != nil {
		return ErrorResult(id, content.Tf("リフレクタ %s の名前解決に失敗しました: %v", "cannot resolve the reflector %s: %v", t.Address, err))
	}
	horizon := natHorizon(in.Options)
	grace := natGrace(horizon)
	total := natTimerBudget(in.Options) - natSetup
	start := time.Now()
	stopTicks := countdown(in.Sample, start, total)
	defer stopTicks()

	token := in.Profile.Reflector.Token
	probes, cut, err := idleRound(ctx, in.Env, addr, token, natLadder(horizon), grace)
	cancelled := len(cut)
	if err != nil {
		return reflectorUnreachable(id, addr, err)
	}
	lo, hi := bracket(probes)
	// Each bisection starts as soon as the round before knows. A later round
	// runs only inside the first half of the horizon, so every round fits
	// the budget of two full ones.
	for round := 0; round < natBisectRounds && hi > 0 && ctx.Err() == nil; round++ {
		if round > 0 && hi > horizon/2 {
			break
		}
		more, c, err := idleRound(ctx, in.Env, addr, token, bisect(lo, hi), grace)
		if err != nil {
			break
		}
		probes, cancelled = append(probes, more...), cancelled+len(c)
		lo, hi = bracket(probes)
	}
	if ctx.Err() != nil {
		return ErrorResult(id, content.T("制限時間内に測定を終えられませんでした", "the measurement did not finish within the check's budget"))
	}
	r := judgeNATTimer(id, probes, lo, hi, horizon, time.Since(start))
	r.Facts["rungs_cancelled"] = cancelled // longer idle times ended once a shorter one expired
	return r
}

// natLadder is the first round's idle times: the horizon, halved at least
// natLadderPoints−1 times and until it passes natLadderFloor.
func natLadder(horizon time.Duration) []time.Duration {
	var out []time.Duration
	for d := horizon; d > 0 && (len(out) < natLadderPoints || d >= natLadderFloor); d /= 2 {
		out = append(out, d)
	}
	return out
}

// bisect spreads natBisectPoints idle times evenly inside (lo, hi).
func bisect(lo, hi time.Duration) []time.Duration {
	var out []time.Duration
	for i := 1; i <= natBisectPoints; i++ {
		out = append(out, lo+(hi-lo)*time.Duration(i)/time.Duration(natBisectPoints+1))
	}
	return out
}

// countdown reports progress each second until stopped.
func countdown(sample func(Sample), start time.Time, total time.Duration) func() {
	done := make(chan struct{})
	exited := make(chan struct{})
	go func() {
		defer close(exited)
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				sample(Sample{Progress: min(1, time.Since(start).Seconds()/total.Seconds())})
			}
		}
	}()
	return func() { close(done); <-exited }
}

// idleRound tries every idle time at once, each on a fresh socket. Once one
// expired it ends every longer one at once (a mapping that is gone after T
// is gone after any longer T) and returns when they have; cut lists them.
// err is set only when the reflector refused or never acknowledged an arm.
func idleRound(ctx context.Context, env *Env, addr *net.UDPAddr, token string, idles []time.Duration, grace time.Duration) (out []idleProbe, cut []time.Duration, err error) {
	rctx, cancel := context.WithCancel(ctx)
	defer cancel()
	results := make(chan idleProbe, len(idles))
	var wg sync.WaitGroup
	for _, d := range idles {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results <- idleOnce(rctx, env, addr, token, d, grace)
		}()
	}
	go func() { wg.Wait(); close(results) }()
	pending := map[time.Duration]bool{}
	for _, d := range idles {
		pending[d] = true
	}
	var firstErr error
	var shortestExpired time.Duration
	for p := range results {
		delete(pending, p.idle)
		if p.cut {
			cut = append(cut, p.idle)
			continue
		}
		if p.err != nil {
			if firstErr == nil && rctx.Err() == nil {
				firstErr = p.err
				cancel()
			}
			continue
		}
		out = append(out, p)
		if !p.alive && (shortestExpired == 0 || p.idle < shortestExpired) {
			shortestExpired = p.idle
		}
		// A mapping gone after T is gone after any longer T: once every
		// idle time still running is longer than one that expired, stop.
		if shortestExpired > 0 && allLonger(pending, shortestExpired) {
			cancel()
		}
	}
	if len(out) == 0 && firstErr != nil {
		return nil, cut, firstErr
	}
	sort.Slice(out, func(i, j int) bool { return out[i].idle < out[j].idle })
	return out, cut, nil
}

func allLonger(pending map[time.Duration]bool, d time.Duration) bool {
	for p := range pending {
		if p < d {
			return false
		}
	}
	return true
}

// idleOnce arms two delayed packets (same port, other port) on a fresh
// socket, stays silent, and reports which arrived by idle+grace.
func idleOnce(ctx context.Context, env *Env, addr *net.UDPAddr, token string, idle, grace time.Duration) idleProbe {
	p := idleProbe{idle: idle}
	conn, err := listenUDP(ctx, env)
	if err != nil {
		p.err = err
		return p
	}
	defer conn.Close()
	nonce := newNonce()
	for i, mode := range []uint8{wire.FireSamePort, wire.FireOtherPort} {
		arm := wire.ArmBody{ID: uint32(i), DelayMs: uint32(idle.Milliseconds()), Mode: mode}
		req := wire.Build(wire.Header{Type: wire.TypeTimerArm, Nonce: nonce}, arm.Marshal(), natArmSize, token)
		if _, _, err := wireExchange(ctx, conn, addr, req, nonce, wire.TypeTimerAck, natArmTries, natArmRetry); err != nil {
			p.err = err
			return p
		}
	}
	// One deadline for the whole wait, set before the cancel hook so the
	// hook's "now" is never pushed back: cancelling the round (a shorter
	// idle time expired) ends the blocking read at once.
	conn.SetReadDeadline(deadlineOf(ctx, idle+grace))
	defer context.AfterFunc(ctx, func() { conn.SetReadDeadline(time.Now()) })()
	buf := make([]byte, wire.MaxDatagram)
	for !(p.alive && p.otherPort) {
		n, _, err := conn.ReadFrom(buf)
		if err != nil {
			p.cut = ctx.Err() != nil && !p.alive // no evidence either way
			break
		}
		h, body, err := wire.Parse(buf[:n])
		if err != nil || h.Nonce != nonce || h.Type != wire.TypeTimerFire {
			continue
		}
		a, _ := wire.ParseArm(body)
		switch a.Mode {
		case wire.FireSamePort:
			p.alive = true
		case wire.FireOtherPort:
			p.otherPort = true
		}
	}
	if p.otherPort && !p.alive {
		p.alive = true // the mapping must exist for any packet to reach us
	}
	return p
}

// bracket returns the longest idle time survived below the shortest one
// that expired (lo), and that one (hi; 0 when none expired).
func bracket(ps []idleProbe) (lo, hi time.Duration) {
	for _, p := range ps {
		if !p.alive && (hi == 0 || p.idle < hi) {
			hi = p.idle
		}
	}
	for _, p := range ps {
		if p.alive && (hi == 0 || p.idle < hi) && p.idle > lo {
			lo = p.idle
		}
	}
	return lo, hi
}

func judgeNATTimer(id string, ps []idleProbe, lo, hi, horizon, took time.Duration) Result {
	facts := Facts{"horizon_s": horizon.Seconds(), "duration_s": round2(took.Seconds()), "page_requirement_s": natTimerPage.Seconds()}
	var tried []string
	eif := false
	for _, p := range ps {
		state := "expired"
		if p.alive {
			state = "alive"
			if p.otherPort {
				state += ", other port reached it"
				eif = true
			}
		}
		tried = append(tried, fmt.Sprintf("%s %s", p.idle.Round(time.Millisecond), state))
	}
	facts["probes"] = strings.Join(tried, "; ")
	if eif {
		facts["filtering"] = "endpoint-independent: a packet from another reflector port reached the mapping"
	} else if lo > 0 {
		facts["filtering"] = "address and port-dependent: only the port the mapping was made to reached it"
	}
	var r Result
	switch {
	case hi == 0:
		facts["nat_timer_min_s"] = round2(lo.Seconds())
		if horizon >= natTimerPage {
			r = PassResult(id, content.Tf("無通信の UDP マッピングは %s 以上残りました（要件 3600 秒）", "an idle UDP mapping lasted at least %s (the page asks 3600 s)", lo))
		} else {
			r = WarnResult(id, content.Tf("無通信の UDP マッピングは少なくとも %s 残りました（%s までしか測っていません。要件は 3600 秒: --nat-timer-max 3600s で確かめてください）",
				"an idle UDP mapping lasted at least %s (tested only up to %s; the page asks 3600 s: run with --nat-timer-max 3600s)", lo, horizon), "nat-timer-3600")
		}
	default:
		facts["nat_timer_min_s"] = round2(lo.Seconds())
		facts["nat_timer_max_s"] = round2(hi.Seconds())
		r = FailResult(id, content.Tf("無通信の UDP マッピングが %s〜%s で消えます（要件は 3600 秒）: ルータの SIP/UDP の NAT タイマーを延ばしてください",
			"an idle UDP mapping expires after %s–%s (the page asks 3600 s): raise the router's NAT timer for SIP/UDP", lo.Round(time.Millisecond), hi.Round(time.Millisecond)), "nat-timer-3600")
	}
	for k, v := range facts {
		r.Facts[k] = v
	}
	return r
}

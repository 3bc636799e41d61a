package checks

import (
	"context"
	"errors"
	"fmt"
	"net"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/probe/reflector"
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
		ID:           "nat.timer",
		Long:         true,
		KeepOnCancel: true, // a cancelled ladder keeps what its rungs proved
		Salvage:      salvageNATTimer,
		TimeoutFor:   natTimerBudget,
		Expect:       natTimerBudget, // how soon it knows depends on the NAT: at most this
		Remedies:     []string{"nat-timer-3600"},
		Plan:         planNATTimer,
		Run:          runNATTimer,
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

func needsReflectorToken() content.Text { return content.Phrase("check.nat_timer.needs_token", nil) }

func planNATTimer(p *profile.Profile, opt Options) ([]Destination, content.Text) {
	host, _ := reflectorHost(p, opt)
	if host == "" {
		return nil, needsReflector
	}
	if p.Reflector.Token == "" {
		return nil, needsReflectorToken()
	}
	port := opt.Ports.ReflectorSIP
	return []Destination{{Proto: "SIP-like UDP (idle mapping)", Transport: "udp", Address: host, Ports: content.PortRange{From: port, To: port},
		Purpose: content.Phrase("check.nat_timer.purpose", content.Vars{"port": port, "horizon": natHorizon(opt)})}}, content.Text{}
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
		return ErrorResult(id, content.Phrase("check.nat_timer.no_destination", nil))
	}
	t := in.Targets[0]
	addr, err := resolveUDP(ctx, in.Env, t.Address, t.Ports.From)
	if err != nil {
		return ErrorResult(id, content.Phrase("check.nat_timer.resolve_failed", content.Vars{"host": t.Address, "err": err}))
	}
	horizon := natHorizon(in.Options)
	grace := natGrace(horizon)
	total := natTimerBudget(in.Options) - natSetup
	start := time.Now()
	stopTicks := countdown(in.Sample, start, total)
	defer stopTicks()

	token := in.Profile.Reflector.Token
	board := &rungBoard{send: in.Sample}
	probes, cut, err := idleRound(ctx, in.Env, addr, token, natLadder(horizon), grace, board)
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
		more, c, err := idleRound(ctx, in.Env, addr, token, bisect(lo, hi), grace, board)
		if err != nil {
			break
		}
		probes, cancelled = append(probes, more...), cancelled+len(c)
		lo, hi = bracket(probes)
	}
	if ctx.Err() != nil {
		// the user's cancel proves no shortfall; the check's own budget
		// running out (never on a healthy reflector) still judges
		return natCutShort(id, probes, horizon, time.Since(start), errors.Is(ctx.Err(), context.Canceled))
	}
	r := judgeNATTimer(id, probes, lo, hi, horizon, time.Since(start))
	r.Facts["rungs_cancelled"] = cancelled // longer idle times ended once a shorter one expired
	return r
}

// natCutShort is the result of a ladder stopped before it knew. The
// longest idle time a rung survived is proven: warn "only ≥ N s proven"
// with the nat-timer remedy. A cancelled run proves no shortfall, so it is
// never fail: a rung that really expired stays in the facts and the summary
// says a shorter timer was seen once and needs a full run to confirm. Out
// of budget (cancelled false), an expired rung is judged as in a full run.
// Before any rung answered, nothing is proven: error "interrupted".
func natCutShort(id string, probes []idleProbe, horizon, took time.Duration, cancelled bool) Result {
	// a rung the cancel ended is no evidence either way (bracket would take
	// it for an expiry)
	all := len(probes)
	probes = slices.DeleteFunc(slices.Clone(probes), func(p idleProbe) bool { return p.cut })
	lo, hi := bracket(probes)
	switch {
	case hi > 0 && !cancelled:
		return judgeNATTimer(id, probes, lo, hi, horizon, took)
	case lo == 0 && hi == 0:
		return ErrorResult(id, content.Phrase("check.nat_timer.interrupted", nil))
	}
	r := judgeNATTimer(id, probes, lo, hi, horizon, took)
	proven := lo.Round(10 * time.Millisecond) // 7.03s, not 7.03125s
	summary := content.Phrase("check.nat_timer.cut_short", content.Vars{"proven": proven})
	if hi > 0 {
		summary = content.Phrase("check.nat_timer.cut_short_expired", content.Vars{"proven": proven, "expired": hi.Round(10 * time.Millisecond)})
	}
	w := WarnResult(id, summary, "nat-timer-3600").withHint(Hint{Kind: HintRunToEnd, Tested: lo, Want: horizon})
	w.Facts = r.Facts
	w.Facts["cut_short"] = true
	w.Facts["rungs_cancelled"] = all - len(probes) // ended by the stop, no evidence either way
	return w
}

// salvageNATTimer is natCutShort over the ladder's last live state, for a
// way out that does not wait for the check to return (Spec.Salvage).
func salvageNATTimer(rungs []Rung, opt Options, took time.Duration) Result {
	var probes []idleProbe
	for _, r := range rungs {
		switch r.State {
		case RungSurvived:
			probes = append(probes, idleProbe{idle: r.Idle, alive: true, otherPort: r.OtherPort})
		case RungExpired:
			probes = append(probes, idleProbe{idle: r.Idle})
		default: // waiting or cut when the run stopped
			probes = append(probes, idleProbe{idle: r.Idle, cut: true})
		}
	}
	return natCutShort("nat.timer", probes, natHorizon(opt), took, true)
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
func idleRound(ctx context.Context, env *Env, addr *net.UDPAddr, token string, idles []time.Duration, grace time.Duration, board *rungBoard) (out []idleProbe, cut []time.Duration, err error) {
	board.arm(idles, grace)
	defer board.cutWaiting()
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
		board.answer(p)
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

// rungBoard keeps the ladder's state for the live view (Sample.Rungs) and
// sends it on every change; a nil board (tests) does nothing.
type rungBoard struct {
	mu    sync.Mutex
	send  func(Sample)
	rungs []Rung
}

func (b *rungBoard) arm(idles []time.Duration, grace time.Duration) {
	if b == nil {
		return
	}
	now := time.Now()
	b.update(func() {
		for _, d := range idles {
			b.rungs = append(b.rungs, Rung{Idle: d, Due: now.Add(d + grace), State: RungWaiting})
		}
		slices.SortFunc(b.rungs, func(x, y Rung) int { return int(x.Idle - y.Idle) })
	})
}

func (b *rungBoard) answer(p idleProbe) {
	if b == nil {
		return
	}
	state := RungExpired
	switch {
	case p.cut || p.err != nil:
		state = RungCut
	case p.alive:
		state = RungSurvived
	}
	b.update(func() { b.set(p.idle, state, p.otherPort) })
}

// cutWaiting marks what the round left waiting as cut (it ended first).
func (b *rungBoard) cutWaiting() {
	if b == nil {
		return
	}
	b.update(func() {
		for i := range b.rungs {
			if b.rungs[i].State == RungWaiting {
				b.rungs[i].State = RungCut
			}
		}
	})
}

func (b *rungBoard) set(idle time.Duration, state string, otherPort bool) {
	for i := range b.rungs {
		if b.rungs[i].Idle == idle && b.rungs[i].State == RungWaiting {
			b.rungs[i].State, b.rungs[i].OtherPort = state, otherPort && state == RungSurvived
			return
		}
	}
}

func (b *rungBoard) update(f func()) {
	b.mu.Lock()
	f()
	snap := slices.Clone(b.rungs)
	b.mu.Unlock()
	if b.send != nil {
		b.send(Sample{Rungs: snap})
	}
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
	nonce := reflector.NewNonce()
	for i, mode := range []uint8{wire.FireSamePort, wire.FireOtherPort} {
		arm := wire.ArmBody{ID: uint32(i), DelayMs: uint32(idle.Milliseconds()), Mode: mode}
		req := wire.Build(wire.Header{Type: wire.TypeTimerArm, Nonce: nonce}, arm.Marshal(), natArmSize, token)
		if _, _, err := reflector.Exchange(ctx, conn, addr, req, nonce, wire.TypeTimerAck, natArmTries, natArmRetry); err != nil {
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
	if p.cut {
		disarm(conn, addr, nonce, token)
	}
	return p
}

// disarm tells the reflector to drop the timers of a probe that ended early
// (wire.TypeTimerDisarm), so a cancelled hour-long rung does not hold its
// slots (64 per source) for the hour: a ladder run again at once still
// fits. Best effort, no answer: sent twice from the probe's own socket; a
// reflector older than the message drops it, and its timers fire into a
// closed port as before.
func disarm(conn net.PacketConn, addr *net.UDPAddr, nonce uint64, token string) {
	req := wire.Build(wire.Header{Type: wire.TypeTimerDisarm, Nonce: nonce}, nil, natArmSize, token)
	for range 2 {
		conn.WriteTo(req, addr)
	}
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
			r = PassResult(id, content.Phrase("check.nat_timer.pass", content.Vars{"proven": lo}))
		} else {
			// what to run next is a typed hint: the CLI names its flag,
			// the TUI its step (the words are theirs, not the check's)
			r = WarnResult(id, content.Phrase("check.nat_timer.short_horizon", content.Vars{"proven": lo, "horizon": horizon}), "nat-timer-3600").
				withHint(Hint{Kind: HintLongerHorizon, Tested: horizon, Want: natTimerPage})
		}
	default:
		facts["nat_timer_min_s"] = round2(lo.Seconds())
		facts["nat_timer_max_s"] = round2(hi.Seconds())
		r = FailResult(id, content.Phrase("check.nat_timer.expires", content.Vars{"lo": lo.Round(time.Millisecond), "hi": hi.Round(time.Millisecond)}), "nat-timer-3600")
	}
	for k, v := range facts {
		r.Facts[k] = v
	}
	return r
}

package checks

import (
	"context"
	"net"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/biztel-tools/biztel-doctor/checks/checktest/impair"
)

// TestNATTimerBisects: the relay forgets idle mappings after 1.5 s; the check
// brackets that time and fails against the page's 3600 s.
func TestNATTimerBisects(t *testing.T) {
	const timeout = 1500 * time.Millisecond
	b := newBed(t, 1, impair.Config{MappingTimeout: timeout})
	b.opt.Long = true
	b.opt.NATTimerMax = 4 * time.Second
	r, samples := runReflectorCheck(t, "nat.timer", b.profile, b.opt, nil)
	t.Logf("%s: %s %v", r.Status, r.Summary.En, r.Facts)
	lo, hi := factF(t, r, "nat_timer_min_s"), factF(t, r, "nat_timer_max_s")
	if r.Status != Fail || lo > timeout.Seconds() || hi < timeout.Seconds() || hi-lo > 0.6 {
		t.Errorf("%s: bracket %v–%v s, want around %v: %v", r.Status, lo, hi, timeout, r.Facts)
	}
	if !strings.HasPrefix(r.Facts["filtering"].(string), "endpoint-independent") {
		t.Errorf("filtering %v", r.Facts["filtering"])
	}
	if len(samples) == 0 {
		t.Error("no countdown samples")
	}
	if got := r.Remedies; len(got) != 1 || got[0] != "nat-timer-3600" {
		t.Errorf("remedies %v", got)
	}
}

// TestNATTimerHonestHorizon: a mapping that outlives the horizon is
// reported as "at least" the horizon, a warn below the page's 3600 s.
func TestNATTimerHonestHorizon(t *testing.T) {
	b := newBed(t, 1, impair.Config{})
	b.opt.Long = true
	b.opt.NATTimerMax = 1 * time.Second
	r, _ := runReflectorCheck(t, "nat.timer", b.profile, b.opt, nil)
	if r.Status != Warn || factF(t, r, "nat_timer_min_s") != 1 || r.Facts["nat_timer_max_s"] != nil || !strings.Contains(r.Summary.En, "at least 1s") {
		t.Errorf("%s %q %v", r.Status, r.Summary.En, r.Facts)
	}
	// what to run next is typed, never a flag in the check's own words
	if r.Hint != (Hint{Kind: HintLongerHorizon, Tested: time.Second, Want: natTimerPage}) || strings.Contains(r.Summary.En+r.Summary.Ja, "--") {
		t.Errorf("hint %+v, summary %q", r.Hint, r.Summary.En)
	}
}

func TestNATTimerNeedsToken(t *testing.T) {
	b := newBed(t, 1, impair.Config{})
	b.profile.Reflector.Token = ""
	b.opt.Long = true
	r, _ := runReflectorCheck(t, "nat.timer", b.profile, b.opt, nil)
	if r.Status != Skip || r.Summary.En != needsReflectorToken().En {
		t.Errorf("%s %q", r.Status, r.Summary.En)
	}
	plain := DefaultOptions()
	if plan, _ := MakePlan(b.profile, plain); plan.Skipped["nat.timer"].IsZero() {
		t.Error("nat.timer planned without --long")
	}
	if got := natTimerBudget(Options{NATTimerMax: NATTimerQuick}); got < 2*NATTimerQuick {
		t.Errorf("budget %v too small for two rounds of %v", got, NATTimerQuick)
	}
}

// TestNATTimerCancelsLongerRungs: once a rung expires, every longer one
// ends at once — its blocking read interrupted, not waited out — and is
// disarmed on the reflector. The hour
// rung would hold this test for an hour (and the test binary's timeout)
// if cancelling did not reach the socket.
func TestNATTimerCancelsLongerRungs(t *testing.T) {
	b := newBed(t, 1, impair.Config{MappingTimeout: 300 * time.Millisecond})
	env := (&Env{}).withDefaults()
	addr := &net.UDPAddr{IP: net.ParseIP(bedRelayIP), Port: b.opt.Ports.ReflectorSIP}
	idles := []time.Duration{100 * time.Millisecond, 700 * time.Millisecond, 10 * time.Minute, time.Hour}
	probes, cut, err := idleRound(context.Background(), env, addr, bedToken, idles, 200*time.Millisecond, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(probes) != 2 || !probes[0].alive || probes[1].alive || probes[1].idle != idles[1] {
		t.Errorf("probes %+v, want 100ms alive and 700ms expired", probes)
	}
	slices.Sort(cut)
	if !slices.Equal(cut, idles[2:]) {
		t.Errorf("cancelled rungs %v, want %v", cut, idles[2:])
	}
	// the cancelled rungs are disarmed on the reflector: their slots are
	// free now, not in ten minutes and an hour
	for i := 0; i < 100 && b.srv.ArmedTimers() > 0; i++ {
		time.Sleep(20 * time.Millisecond)
	}
	if n := b.srv.ArmedTimers(); n != 0 {
		t.Errorf("%d timers still armed on the reflector after the round", n)
	}
}

// TestNATLadderReachesShortTimers: with the page's hour as horizon, the
// first round already brackets a 20 s NAT timer.
func TestNATLadderReachesShortTimers(t *testing.T) {
	l := natLadder(natTimerPage)
	if last := l[len(l)-1]; last < natLadderFloor || last > 2*natLadderFloor || l[0] != natTimerPage {
		t.Errorf("ladder %v: want from 3600s down to just above %v", l, natLadderFloor)
	}
	if 2*len(l)+2*natBisectPoints > 32 {
		t.Errorf("%d rungs arm %d timers: keep them to half the reflector's per-source 64", len(l), 2*len(l))
	}
	if got := natLadder(4 * time.Second); len(got) != natLadderPoints {
		t.Errorf("a short horizon still gets %d rungs: %v", natLadderPoints, got)
	}
}

// TestNATTimerCutShortKeepsWhatWasProven: a ladder stopped before it knew
// keeps the longest idle time a rung survived as a warn with the remedy and
// a "run to the end" hint; with no rung answered it is an interrupted
// error. A cancelled run is never fail (it proves no shortfall), even when
// a rung already expired: that rung stays in the facts and the summary says
// a full run must confirm it. Only the check's own budget running out
// (not a cancel) still judges an expired rung as a finding.
func TestNATTimerCutShortKeepsWhatWasProven(t *testing.T) {
	h := time.Hour
	alive := []idleProbe{{idle: 7 * time.Second, alive: true}, {idle: 14 * time.Second, alive: true}, {idle: 28 * time.Second, cut: true}}
	r := natCutShort("nat.timer", alive, h, time.Minute, true)
	if r.Status != Warn || !strings.Contains(r.Summary.En, "only ≥ 14s") || len(r.Remedies) == 0 || r.Facts["cut_short"] != true {
		t.Errorf("cut short after 14 s proven: %s %q %v", r.Status, r.Summary.En, r.Remedies)
	}
	if r.Hint.Kind != HintRunToEnd || r.Hint.Tested != 14*time.Second {
		t.Errorf("hint %+v, want run-to-end after 14s", r.Hint)
	}
	none := natCutShort("nat.timer", []idleProbe{{idle: 7 * time.Second, cut: true}}, h, time.Second, true)
	if none.Status != Error || !strings.Contains(none.Summary.En, "interrupted") {
		t.Errorf("cut short before any rung: %s %q", none.Status, none.Summary.En)
	}
	seen := []idleProbe{{idle: 7 * time.Second, alive: true}, {idle: 14 * time.Second}}
	expired := natCutShort("nat.timer", seen, h, time.Minute, true)
	if expired.Status != Warn || !strings.Contains(expired.Summary.En, "only ≥ 7s") || !strings.Contains(expired.Summary.En, "gone after 14s") ||
		!strings.Contains(expired.Summary.En, "full run") || !strings.Contains(expired.Facts["probes"].(string), "14s expired") {
		t.Errorf("cancelled after a rung expired: %s %q %v, want warn keeping the expired rung", expired.Status, expired.Summary.En, expired.Facts)
	}
	if onlyExpired := natCutShort("nat.timer", seen[1:], h, time.Minute, true); onlyExpired.Status != Warn {
		t.Errorf("cancelled after only an expiry: %s %q, want warn", onlyExpired.Status, onlyExpired.Summary.En)
	}
	if budget := natCutShort("nat.timer", seen, h, time.Minute, false); budget.Status != Fail {
		t.Errorf("out of budget with an expired rung: %s, want fail (a full run's finding)", budget.Status)
	}
}

// TestNATTimerSalvageFromRungs: the ladder's last live state gives the
// same result the check returns when cancelled, so a way out that cannot
// wait for the check (a signal, the quit key) keeps what was proven.
func TestNATTimerSalvageFromRungs(t *testing.T) {
	rungs := []Rung{{Idle: 7 * time.Second, State: RungSurvived, OtherPort: true}, {Idle: 14 * time.Second, State: RungSurvived},
		{Idle: 28 * time.Second, State: RungWaiting}, {Idle: 56 * time.Second, State: RungCut}}
	opt := Options{NATTimerMax: time.Hour}
	r, ok := Salvage("nat.timer", rungs, opt, time.Minute)
	want := natCutShort("nat.timer", []idleProbe{{idle: 7 * time.Second, alive: true, otherPort: true}, {idle: 14 * time.Second, alive: true},
		{idle: 28 * time.Second, cut: true}, {idle: 56 * time.Second, cut: true}}, time.Hour, time.Minute, true)
	if !ok || r.Status != Warn || r.Summary != want.Summary || r.Duration != time.Minute || r.Facts["filtering"] != want.Facts["filtering"] {
		t.Errorf("salvaged %v %s %q %v, want %q", ok, r.Status, r.Summary.En, r.Facts, want.Summary.En)
	}
	// the rungs the stop ended are counted, as the returned result counts them
	if r.Facts["rungs_cancelled"] != 2 || want.Facts["rungs_cancelled"] != 2 {
		t.Errorf("rungs_cancelled: salvaged %v, returned %v, want 2", r.Facts["rungs_cancelled"], want.Facts["rungs_cancelled"])
	}
	if _, ok := Salvage("nat.timer", nil, opt, time.Minute); ok {
		t.Error("salvaged a ladder that reported nothing")
	}
	if _, ok := Salvage("sip.udp", rungs, opt, time.Minute); ok {
		t.Error("salvaged a check that keeps nothing")
	}
	if r, _ := Salvage("nat.timer", rungs[2:], opt, time.Minute); r.Status != Error {
		t.Errorf("nothing answered yet: %s, want error interrupted", r.Status)
	}
}

// TestRungBoard: the ladder's live state follows the rounds: armed rungs
// wait, answers set them, what a round leaves is cut; every change is sent.
func TestRungBoard(t *testing.T) {
	var last []Rung
	sends := 0
	b := &rungBoard{send: func(s Sample) { last, sends = s.Rungs, sends+1 }}
	b.arm([]time.Duration{14 * time.Second, 7 * time.Second, 28 * time.Second}, time.Second)
	b.answer(idleProbe{idle: 7 * time.Second, alive: true})
	b.answer(idleProbe{idle: 14 * time.Second})
	b.cutWaiting()
	want := []string{RungSurvived, RungExpired, RungCut}
	for i, r := range last {
		if r.State != want[i] || r.Due.IsZero() {
			t.Errorf("rung %d (%s): %s, want %s", i, r.Idle, r.State, want[i])
		}
	}
	if len(last) != 3 || sends != 4 || last[0].Idle != 7*time.Second {
		t.Errorf("rungs %+v after %d sends", last, sends)
	}
}

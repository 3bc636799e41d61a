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
}

func TestNATTimerNeedsToken(t *testing.T) {
	b := newBed(t, 1, impair.Config{})
	b.profile.Reflector.Token = ""
	b.opt.Long = true
	r, _ := runReflectorCheck(t, "nat.timer", b.profile, b.opt, nil)
	if r.Status != Skip || r.Summary.En != needsReflectorToken.En {
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
// ends at once — its blocking read interrupted, not waited out. The hour
// rung would hold this test for an hour (and the test binary's timeout)
// if cancelling did not reach the socket.
func TestNATTimerCancelsLongerRungs(t *testing.T) {
	b := newBed(t, 1, impair.Config{MappingTimeout: 300 * time.Millisecond})
	env := (&Env{}).withDefaults()
	addr := &net.UDPAddr{IP: net.ParseIP(bedRelayIP), Port: b.opt.Ports.ReflectorSIP}
	idles := []time.Duration{100 * time.Millisecond, 700 * time.Millisecond, 10 * time.Minute, time.Hour}
	probes, cut, err := idleRound(context.Background(), env, addr, bedToken, idles, 200*time.Millisecond)
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

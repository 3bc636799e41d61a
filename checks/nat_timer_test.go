package checks

import (
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

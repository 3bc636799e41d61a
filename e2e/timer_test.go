//go:build linux

package e2e

import (
	"testing"
	"time"
)

// natTimeout is the router's UDP mapping lifetime in scenario 6: a short
// UDP default that the hour-long search must bracket within minutes.
const natTimeout = 20 * time.Second

// inspectNATTimer: the measured lifetime brackets the ct timeout object's
// value (conntrack ages in whole seconds; the check bisects).
func inspectNATTimer(t *testing.T, r *report) {
	c, _ := r.check("nat.timer")
	if c.notImplemented() {
		return
	}
	lo, okLo := num(c.Facts["nat_timer_min_s"])
	hi, okHi := num(c.Facts["nat_timer_max_s"])
	want := natTimeout.Seconds()
	t.Logf("nat.timer: %v–%v s in %v s (horizon %v s, %v rungs cancelled)", c.Facts["nat_timer_min_s"], c.Facts["nat_timer_max_s"],
		c.Facts["duration_s"], c.Facts["horizon_s"], c.Facts["rungs_cancelled"])
	if !okLo {
		t.Fatalf("nat.timer reports no lower bound: %v", c.Facts)
	}
	if lo > want+2 {
		t.Errorf("nat.timer lower bound %vs, above the router's %vs", lo, want)
	}
	if okHi && hi < want-2 {
		t.Errorf("nat.timer upper bound %vs, below the router's %vs", hi, want)
	}
	if okHi && hi > 2*want+5 {
		t.Errorf("nat.timer upper bound %vs: not near the router's %vs", hi, want)
	}
}

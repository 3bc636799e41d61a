package demo

import (
	"testing"
	"time"
)

// TestScheduleRepeats: the intermittent fault is a function of the time
// since monitoring began: down 20–30 s into every minute, a mapping change
// once per minute at 45 s, the same in every period and every run.
func TestScheduleRepeats(t *testing.T) {
	for _, tc := range []struct {
		at   time.Duration
		down bool
	}{{0, false}, {19 * time.Second, false}, {20 * time.Second, true}, {29*time.Second + 999*time.Millisecond, true},
		{30 * time.Second, false}, {80 * time.Second, true}, {95 * time.Second, false}, {140 * time.Second, true}} {
		if Down(tc.at) != tc.down {
			t.Errorf("Down(%s) = %v", tc.at, !tc.down)
		}
	}
	now := time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC)
	clock := now
	s := &Schedule{Now: func() time.Time { return clock }}
	var remaps []time.Duration
	for e := time.Duration(0); e < 3*time.Minute; e += 500 * time.Millisecond {
		clock = now.Add(e)
		if el := s.Elapsed(); s.remapDue(el) {
			remaps = append(remaps, el)
		}
	}
	want := []time.Duration{45 * time.Second, 105 * time.Second, 165 * time.Second}
	if len(remaps) != len(want) {
		t.Fatalf("remaps at %v; want %v", remaps, want)
	}
	for i := range want {
		if remaps[i] != want[i] {
			t.Errorf("remaps at %v; want %v", remaps, want)
		}
	}
}

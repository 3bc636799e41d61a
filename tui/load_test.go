package tui

import (
	"testing"

	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/profile"
)

// TestHeavyLoadAsksFirst: before the checks start, the ways-in screen
// states media.bandwidth's load and the run's order; above 50 calls the
// first Enter only asks, the second sends.
func TestHeavyLoadAsksFirst(t *testing.T) {
	for _, c := range []struct {
		calls int
		asks  bool
	}{{calls: 60, asks: true}, {calls: 50}} {
		p := testProfile(false)
		p.Reflector = profile.Reflector{Addr: "198.51.100.40", Token: "t"}
		p.Channels = c.calls
		d := newDriver(t, content.En, p, nil)
		d.press("enter")
		for range fieldOptions {
			d.press("down")
		}
		d.press("enter")
		d.mustShow("3/8 Ways in", "Order of the run and its time")
		d.press("end") // the load is under the symptoms
		d.mustShow("alone", d.m.sh.checkName("media.bandwidth"))
		d.mustNotShow("media.bandwidth") // names, not ids
		if c.calls == 60 {
			d.mustShow("load of 60 calls: 12.0 Mbit/s each way for up to 5 s")
		}
		d.press("enter")
		if c.asks {
			d.mustShow("3/8 Ways in", "More than 50 calls: press Enter again")
			d.press("enter")
		}
		d.mustShow("4/8 Questions")
	}
}

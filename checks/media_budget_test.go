package checks

import (
	"strings"
	"testing"

	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/serve/wire"
)

// TestCallsThatFit: the load is sized to the reflector's budget, which an
// older reflector does not say (then the default is assumed), and to the
// tool's 500 calls; the summary says whenever fewer calls were tested.
func TestCallsThatFit(t *testing.T) {
	cases := []struct {
		name       string
		wanted     int
		said       uint32
		calls      int
		byRefl     bool
		summaryHas []string
	}{
		{name: "fits", wanted: 10, said: 20000, calls: 10},
		{name: "over the default budget", wanted: 500, said: 20000, calls: 380, byRefl: true,
			summaryHas: []string{"of the profile's 500 calls, 380 were tested", "at most 20000 packets/s per client"}},
		{name: "a larger budget", wanted: 500, said: 30000, calls: 500},
		{name: "over the tool's limit", wanted: 800, said: 100000, calls: 500, summaryHas: []string{"of the profile's 800 calls, 500 were tested (the tool's limit: 500 calls, 100 Mbit/s each way)"}},
		{name: "older reflector", wanted: 10, calls: 10, summaryHas: []string{"does not say its budget: assumed the default 20000"}},
		{name: "older reflector, too many calls", wanted: 400, calls: 380, byRefl: true,
			summaryHas: []string{"380 were tested", "assumed the default 20000"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := callsThatFit(c.wanted, wire.HelloReplyBody{RatePPS: c.said})
			if f.Calls != c.calls || f.ByReflector != c.byRefl || f.Said != (c.said > 0) {
				t.Fatalf("fit %+v, want %d calls (by the reflector: %v)", f, c.calls, c.byRefl)
			}
			r := f.note(PassResult("media.bandwidth", content.T("x", "x")))
			for _, want := range c.summaryHas {
				if !strings.Contains(r.Summary.En, want) || r.Summary.Ja == "x" {
					t.Errorf("summary %q lacks %q (ja %q)", r.Summary.En, want, r.Summary.Ja)
				}
			}
			if len(c.summaryHas) == 0 && r.Summary.En != "x" {
				t.Errorf("summary %q says more than it needs", r.Summary.En)
			}
			if r.Facts["reflector_budget_said"] != (c.said > 0) {
				t.Errorf("facts %v", r.Facts)
			}
		})
	}
}

package demo

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/biztel-tools/biztel-doctor/checks"
)

// TestScenariosRepeat: each scenario gives the same statuses and remedies
// on five runs in a row against the same simulated site, so a re-run or a
// verify never passes an item whose fault is still simulated (the FTPS
// fake once handed out the next, open, passive port the second time).
func TestScenariosRepeat(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every check ten times against the demo fakes")
	}
	for _, sc := range Scenarios() {
		t.Run(string(sc), func(t *testing.T) {
			s, err := StartScenario(context.Background(), sc)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			var first string
			for run := range 5 {
				got := outcomeLine(t, s, s.Options)
				if run == 0 {
					first = got
				} else if got != first {
					t.Fatalf("run %d differs from run 1:\n%s\nvs\n%s", run+1, got, first)
				}
			}
		})
	}
}

// outcomeLine is each check's status and remedies, one line per check.
func outcomeLine(t *testing.T, s *Site, opt checks.Options) string {
	t.Helper()
	plan, err := checks.MakePlan(s.Profile, opt)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, r := range checks.Run(context.Background(), plan, s.Env, nil).Results {
		fmt.Fprintf(&b, "%s %s %v\n", r.ID, r.Status, r.Remedies)
	}
	return b.String()
}

// TestFixesRepairTheirFaults: each fix of the problems site turns the
// checks that name its remedy from fail to pass.
func TestFixesRepairTheirFaults(t *testing.T) {
	if testing.Short() {
		t.Skip("runs checks against the demo fakes")
	}
	s, err := StartScenario(context.Background(), Problems)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if len(s.Fixes) < 4 {
		t.Fatalf("fixes %v: want SIP UDP, NTP, TLS inspection and FTPS", s.Fixes)
	}
	before := statuses(t, s, s.Options)
	for remedy, fix := range s.Fixes {
		opt := s.Options
		fix(&opt)
		opt.Only = nil
		for id, r := range before {
			if r.Status == checks.Fail && slices.Contains(r.Remedies, remedy) {
				opt.Only = append(opt.Only, id)
			}
		}
		if len(opt.Only) == 0 {
			t.Errorf("fix %s: no failing check names it", remedy)
			continue
		}
		after := statuses(t, s, opt)
		for _, id := range opt.Only {
			if got := after[id].Status; got != checks.Pass {
				t.Errorf("fix %s: %s still %s (%s)", remedy, id, got, after[id].Summary.En)
			}
		}
	}
}

func statuses(t *testing.T, s *Site, opt checks.Options) map[string]checks.Result {
	t.Helper()
	plan, err := checks.MakePlan(s.Profile, opt)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]checks.Result{}
	for _, r := range checks.Run(context.Background(), plan, s.Env, nil).Results {
		out[r.ID] = r
	}
	return out
}

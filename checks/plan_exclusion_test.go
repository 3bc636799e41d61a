package checks

import (
	"context"
	"github.com/biztel-tools/biztel-doctor/profile"
	"slices"
	"strings"
	"testing"
)

// exclusionSpecs: b needs a, c stands alone, long is a long check.
func exclusionSpecs() []Spec {
	return []Spec{testSpec("a", Pass), testSpec("b", Pass, needs("a")), testSpec("c", Pass),
		testSpec("long", Pass, func(s *Spec) { s.Long = true })}
}

func TestPlanRecordsWhatTheFlagsLeaveOut(t *testing.T) {
	cases := []struct {
		name       string
		only, skip []string
		long       bool
		checks     []string
		excluded   map[string]string // id → flag
		longSkip   bool              // "long" is planned but skipped for want of --long
	}{
		{name: "defaults", checks: []string{"a", "b", "c", "long"}, excluded: map[string]string{}, longSkip: true},
		{name: "--long", long: true, checks: []string{"a", "b", "c", "long"}, excluded: map[string]string{}},
		{name: "--skip c", skip: []string{"c"}, checks: []string{"a", "b", "long"},
			excluded: map[string]string{"c": ExcludedBySkip}, longSkip: true},
		{name: "--only b adds its prerequisite", only: []string{"b"}, checks: []string{"a", "b"},
			excluded: map[string]string{"c": ExcludedByOnly, "long": ExcludedByOnly}},
		{name: "--only b --skip a", only: []string{"b"}, skip: []string{"a"}, checks: []string{"b"},
			excluded: map[string]string{"a": ExcludedBySkip, "c": ExcludedByOnly, "long": ExcludedByOnly}},
		{name: "--only long runs it", only: []string{"long"}, checks: []string{"long"},
			excluded: map[string]string{"a": ExcludedByOnly, "b": ExcludedByOnly, "c": ExcludedByOnly}},
		{name: "--skip long", skip: []string{"long"}, checks: []string{"a", "b", "c"},
			excluded: map[string]string{"long": ExcludedBySkip}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			opt := DefaultOptions()
			opt.Only, opt.Skip, opt.Long = tc.only, tc.skip, tc.long
			plan, err := makePlan(&profile.Profile{}, opt, exclusionSpecs())
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(plan.Checks, tc.checks) {
				t.Errorf("checks %v, want %v", plan.Checks, tc.checks)
			}
			got := map[string]string{}
			var order []string
			for _, ex := range plan.Excluded {
				got[ex.ID] = ex.By
				order = append(order, ex.ID)
				if ex.Why.Ja == "" || ex.Why.En == "" || !strings.Contains(ex.Why.En, ex.By) || !strings.Contains(ex.Why.Ja, ex.By) {
					t.Errorf("%s: reason %+v must name %s in both languages", ex.ID, ex.Why, ex.By)
				}
				if slices.Contains(plan.Checks, ex.ID) {
					t.Errorf("%s both planned and excluded", ex.ID)
				}
			}
			if !mapsEqual(got, tc.excluded) {
				t.Errorf("excluded %v, want %v", got, tc.excluded)
			}
			if !slices.IsSortedFunc(order, func(x, y string) int { return catalogIndex(x) - catalogIndex(y) }) {
				t.Errorf("excluded not in catalog order: %v", order)
			}
			why, skipped := plan.Skipped["long"]
			if skipped != tc.longSkip {
				t.Errorf("long skipped %v, want %v", skipped, tc.longSkip)
			}
			if skipped && !strings.Contains(why.En, "--long") {
				t.Errorf("long's reason %q does not name --long", why.En)
			}
		})
	}
}

func catalogIndex(id string) int {
	return slices.IndexFunc(exclusionSpecs(), func(s Spec) bool { return s.ID == id })
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// Over the real catalog, every check is either planned or excluded: none
// vanishes, whatever the flags.
func TestPlanAccountsForEveryCatalogCheck(t *testing.T) {
	p := &profile.Profile{Server: profile.Server{IP: "192.0.2.1"}}
	for _, flags := range []struct{ only, skip []string }{
		{}, {skip: []string{"sip.udp", "upnp.igd"}}, {only: []string{"nat.mapping"}},
		{only: []string{"sip.alg"}, skip: []string{"stun.3479"}}, {only: []string{"nat.timer"}},
	} {
		opt := DefaultOptions()
		opt.Only, opt.Skip = flags.only, flags.skip
		plan, err := MakePlan(p, opt)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]int{}
		for _, id := range plan.Checks {
			seen[id]++
		}
		for _, ex := range plan.Excluded {
			seen[ex.ID]++
		}
		for _, id := range IDs() {
			if seen[id] != 1 {
				t.Errorf("only %v skip %v: %s accounted for %d times, want once", flags.only, flags.skip, id, seen[id])
			}
		}
	}
}

// The runner reports exclusions as skips naming the flag, apart from the
// run's own results and without events (a consumer keyed by id, the TUI,
// must not take them for results of the run), and the long check's skip
// names --long.
func TestRunReportsExclusionsAsSkips(t *testing.T) {
	opt := DefaultOptions()
	opt.Skip = []string{"c"}
	out, events := runSpecs(t, context.Background(), opt, exclusionSpecs()...)
	if len(out.Excluded) != 1 {
		t.Fatalf("excluded results %+v, want c", out.Excluded)
	}
	ex := out.Excluded[0]
	if ex.ID != "c" || ex.Status != Skip || ex.SkippedBecause != ExcludedBySkip || !ex.Excluded() ||
		ex.Summary.Ja != "--skip で除外されました" || ex.Summary.En != "excluded with --skip" || ex.Duration != 0 {
		t.Errorf("excluded c: %+v", ex)
	}
	if r := resultByID(out, "c"); r.ID != "" {
		t.Errorf("c is among the run's results: %+v", r)
	}
	for _, ev := range events {
		if ev.ID == "c" {
			t.Errorf("event for an excluded check: %+v", ev)
		}
	}
	long := resultByID(out, "long")
	if long.Status != Skip || long.SkippedBecause != ExcludedByLong || !long.Excluded() || !strings.Contains(long.Summary.Ja, "--long") {
		t.Errorf("long without --long: %+v", long)
	}
	if r := resultByID(out, "b"); r.Status != Pass || r.Excluded() {
		t.Errorf("b: %+v", r)
	}

	opt = DefaultOptions()
	opt.Only = []string{"c"}
	out, _ = runSpecs(t, context.Background(), opt, exclusionSpecs()...)
	var ids []string
	for _, r := range out.Excluded {
		if r.SkippedBecause != ExcludedByOnly || r.Status != Skip || !strings.Contains(r.Summary.En, "--only") {
			t.Errorf("%s: %+v", r.ID, r)
		}
		ids = append(ids, r.ID)
	}
	if !slices.Equal(ids, []string{"a", "b", "long"}) || len(out.Results) != 1 {
		t.Errorf("--only c: excluded %v, %d results", ids, len(out.Results))
	}
}

// A prerequisite skip is not an exclusion.
func TestPrerequisiteSkipIsNotExcluded(t *testing.T) {
	out, _ := runSpecs(t, context.Background(), DefaultOptions(), testSpec("a", Fail), testSpec("b", Pass, needs("a")))
	if r := resultByID(out, "b"); r.Status != Skip || r.SkippedBecause != "a" || r.Excluded() {
		t.Errorf("b: %+v", r)
	}
}

package report_test

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/report"
)

// The fixtures in testdata/diff are real reports of `check --format json`
// run in the namespace bed (e2e TestWriteDiffFixtures), the router changed
// between runs as a customer changes theirs.
func readFixture(t *testing.T, name string, c *content.Content) *report.Report {
	t.Helper()
	r, err := report.ReadFile(filepath.Join("testdata", "diff", name+".json"), c)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestDiffOverBedReports(t *testing.T) {
	c := content.MustLoad()
	cases := []struct {
		name, before, after string
		changes             map[string]report.Change // check → change; every other ran check still passes
		items               map[string]report.ItemChange
		exit                int
	}{
		{"blocked to fixed", "blocked-sip-udp", "fixed",
			map[string]report.Change{"sip.udp": report.Fixed},
			map[string]report.ItemChange{"allow-sip-udp": report.ItemDone}, 0},
		{"blocked (ja) to fixed", "blocked-sip-udp-ja", "fixed",
			map[string]report.Change{"sip.udp": report.Fixed},
			map[string]report.ItemChange{"allow-sip-udp": report.ItemDone}, 0},
		{"fixed to regressed", "fixed", "regressed-web-8000",
			map[string]report.Change{"web.8000": report.Regressed},
			map[string]report.ItemChange{"allow-web-8000": report.ItemNew}, 1},
		{"ALG on to off", "alg-on", "alg-off",
			map[string]report.Change{"sip.alg": report.Fixed},
			map[string]report.ItemChange{"disable-sip-alg": report.ItemDone}, 0},
		{"ALG off to on", "alg-off", "alg-on",
			map[string]report.Change{"sip.alg": report.Regressed},
			map[string]report.ItemChange{"disable-sip-alg": report.ItemNew}, 1},
		{"still blocked", "blocked-sip-udp", "blocked-sip-udp-ja",
			map[string]report.Change{"sip.udp": report.StillFailing},
			map[string]report.ItemChange{"allow-sip-udp": report.ItemStillOpen}, 1},
		{"no change", "fixed", "alg-off", map[string]report.Change{}, map[string]report.ItemChange{}, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before, after := readFixture(t, tc.before, c), readFixture(t, tc.after, c)
			cmp := report.Compare(before, after)
			if len(cmp.Site) != 0 {
				t.Errorf("same bed, different site: %+v", cmp.Site)
			}
			if len(cmp.Checks) != 20 {
				t.Errorf("%d checks compared, want the catalog's 20", len(cmp.Checks))
			}
			for _, d := range cmp.Checks {
				want, ok := tc.changes[d.ID]
				switch {
				case ok && d.Change != want:
					t.Errorf("%s: %s, want %s", d.ID, d.Change, want)
				case !ok && d.ID == "nat.timer" && d.Change != report.NotChecked:
					t.Errorf("nat.timer (needs --long): %s", d.Change)
				case !ok && d.ID != "nat.timer" && d.Change != report.StillPassing:
					t.Errorf("%s: %s, want still passing", d.ID, d.Change)
				}
				if ok && want != report.StillFailing && len(d.Facts) == 0 {
					t.Errorf("%s changed status but no fact changed", d.ID)
				}
			}
			for id, want := range tc.items {
				i := slices.IndexFunc(cmp.Items, func(d report.ItemDiff) bool { return d.ID == id })
				if i < 0 || cmp.Items[i].Change != want {
					t.Errorf("item %s: %+v, want %s", id, cmp.Items, want)
				}
			}
			if got := cmp.ExitCode(); got != tc.exit {
				t.Errorf("exit %d, want %d (verdict %q)", got, tc.exit, cmp.Verdict(content.En, c))
			}
		})
	}
}

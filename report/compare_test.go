package report_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/biztel-tools/biztel-doctor/checks"
	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/profile"
	"github.com/biztel-tools/biztel-doctor/report"
)

func TestClassifyEveryPair(t *testing.T) {
	const (
		P, W, F, S, E = checks.Pass, checks.Warn, checks.Fail, checks.Skip, checks.Error
		A             = checks.Status("") // absent from the report
	)
	cases := []struct {
		before, after checks.Status
		want          report.Change
	}{
		{F, P, report.Fixed}, {W, P, report.Fixed}, {E, P, report.Fixed},
		{P, W, report.Regressed}, {P, F, report.Regressed}, {P, E, report.Regressed},
		{W, F, report.Regressed}, {W, E, report.Regressed},
		{F, F, report.StillFailing}, {E, E, report.StillFailing}, {F, E, report.StillFailing}, {E, F, report.StillFailing},
		{W, W, report.StillWarning},
		{F, W, report.Improved}, {E, W, report.Improved},
		{P, P, report.StillPassing},
		{S, P, report.NewlyChecked}, {A, F, report.NewlyChecked}, {S, W, report.NewlyChecked},
		{P, S, report.NoLongerChecked}, {F, A, report.NoLongerChecked},
		{S, S, report.NotChecked}, {A, S, report.NotChecked}, {S, A, report.NotChecked},
	}
	for _, tc := range cases {
		if got := report.Classify(tc.before, tc.after); got != tc.want {
			t.Errorf("%q → %q: %s, want %s", tc.before, tc.after, got, tc.want)
		}
	}
}

// A fact read back from JSON (float64) equals the live run's int; changed,
// added and removed facts are listed in key order.
func TestFactChanges(t *testing.T) {
	before := checks.Facts{"loss_pct": 4.1, "timeouts": 3, "gone": "x", "same": true}
	after := checks.Facts{"loss_pct": 2.3, "timeouts": 3.0, "new": "y", "same": true}
	got := report.FactChanges(before, after)
	want := []report.FactChange{{Key: "gone", Before: "x"}, {Key: "loss_pct", Before: "4.1", After: "2.3"}, {Key: "new", After: "y"}}
	if len(got) != len(want) {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("%d: %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestCompareChecklistsKeepsNumbers(t *testing.T) {
	item := func(id string, done bool) report.Item {
		return report.Item{ID: id, Title: content.T(id, id), Done: done}
	}
	before := []report.Item{item("a", false), item("b", false), item("c", false)}
	after := []report.Item{item("b", false), item("c", true), item("d", false)}
	got := report.CompareChecklists(before, after)
	want := map[string]struct {
		ch     report.ItemChange
		bn, an int
	}{
		"b": {report.ItemStillOpen, 2, 1}, "c": {report.ItemDone, 3, 2}, "d": {report.ItemNew, 0, 3}, "a": {report.ItemDone, 1, 0},
	}
	if len(got) != len(want) {
		t.Fatalf("%d items: %+v", len(got), got)
	}
	for _, d := range got {
		w := want[d.ID]
		if d.Change != w.ch || d.BeforeNumber != w.bn || d.AfterNumber != w.an {
			t.Errorf("%s: %s %d→%d, want %s %d→%d", d.ID, d.Change, d.BeforeNumber, d.AfterNumber, w.ch, w.bn, w.an)
		}
	}
}

func TestSiteDiffs(t *testing.T) {
	p := func(host, ip string) *profile.Profile {
		return &profile.Profile{Server: profile.Server{Host: host, IP: ip}}
	}
	cases := []struct {
		name          string
		before, after *profile.Profile
		want          string
	}{
		{"same", p("s.example", "203.0.113.10"), p("s.example", "203.0.113.10"), ""},
		{"host added", p("", "203.0.113.10"), p("s.example", "203.0.113.10"), ""},
		{"other ip", p("s.example", "203.0.113.10"), p("s.example", "203.0.113.99"), "server.ip"},
		{"both differ", p("a.example", "203.0.113.10"), p("b.example", "203.0.113.11"), "server.host,server.ip"},
		{"nothing in common", p("s.example", ""), p("", "203.0.113.10"), "server.host,server.ip"},
	}
	for _, tc := range cases {
		var fields []string
		for _, d := range report.SiteDiffs(tc.before, tc.after) {
			fields = append(fields, d.Field)
		}
		if got := strings.Join(fields, ","); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

func res(id string, s checks.Status, facts checks.Facts) checks.Result {
	return checks.Result{ID: id, Status: s, Summary: content.T(id+" ja", id+" en"), Facts: facts}
}

// Exit status and verdict of diff: a regression or a fail/error after gives
// 1; warns alone give 0.
func TestComparisonExitAndVerdict(t *testing.T) {
	c := content.MustLoad()
	mk := func(rs ...checks.Result) *report.Report {
		return &report.Report{Results: rs, Profile: &profile.Profile{}}
	}
	cases := []struct {
		name          string
		before, after *report.Report
		exit          int
		verdict       string
	}{
		{"fixed", mk(res("sip.udp", checks.Fail, nil)), mk(res("sip.udp", checks.Pass, nil)), 0, "1 fixed, nothing regressed"},
		{"warn stays", mk(res("net.link", checks.Warn, nil)), mk(res("net.link", checks.Warn, nil)), 0, "No change"},
		{"regressed to warn", mk(res("net.link", checks.Pass, nil)), mk(res("net.link", checks.Warn, nil)), 1, "Regressed: 1"},
		{"still failing", mk(res("sip.udp", checks.Fail, nil)), mk(res("sip.udp", checks.Error, nil)), 1, "Nothing fixed"},
		{"partial", mk(res("sip.udp", checks.Fail, nil), res("sip.alg", checks.Fail, nil)),
			mk(res("sip.udp", checks.Pass, nil), res("sip.alg", checks.Fail, nil)), 1, "1 fixed, nothing regressed; 1 still fail"},
		{"new fail", mk(), mk(res("sip.udp", checks.Fail, nil)), 1, "Nothing fixed"},
	}
	for _, tc := range cases {
		cmp := report.Compare(tc.before, tc.after)
		if cmp.ExitCode() != tc.exit || !strings.Contains(cmp.Verdict(content.En, c), tc.verdict) {
			t.Errorf("%s: exit %d, verdict %q; want %d, %q", tc.name, cmp.ExitCode(), cmp.Verdict(content.En, c), tc.exit, tc.verdict)
		}
		if cmp.Verdict(content.Ja, c) == cmp.Verdict(content.En, c) {
			t.Errorf("%s: verdict not translated", tc.name)
		}
	}
}

// The three renderings name the changes and the facts that changed.
func TestDiffRenderings(t *testing.T) {
	c := content.MustLoad()
	before := &report.Report{Profile: &profile.Profile{}, Version: "1",
		Results: []checks.Result{res("media.quality", checks.Warn, checks.Facts{"loss_pct": 4.1}), res("sip.alg", checks.Pass, nil)}}
	after := &report.Report{Profile: &profile.Profile{}, Version: "2",
		Results: []checks.Result{res("media.quality", checks.Pass, checks.Facts{"loss_pct": 2.3}), res("sip.alg", checks.Fail, nil)}}
	cmp := report.Compare(before, after)
	var text, md, js bytes.Buffer
	if err := cmp.WriteDiffText(&text, content.En, c); err != nil {
		t.Fatal(err)
	}
	if err := cmp.WriteDiffMarkdown(&md, content.En, c); err != nil {
		t.Fatal(err)
	}
	if err := cmp.WriteDiffJSON(&js, content.En, c); err != nil {
		t.Fatal(err)
	}
	for name, out := range map[string]string{"text": text.String(), "markdown": md.String()} {
		for _, want := range []string{"Regressed (1)", "Fixed (1)", "loss_pct", "4.1", "2.3", "sip.alg"} {
			if !strings.Contains(out, want) {
				t.Errorf("%s lacks %q:\n%s", name, want, out)
			}
		}
	}
	var doc struct {
		Schema   string         `json:"schema"`
		ExitCode int            `json:"exit_code"`
		Counts   map[string]int `json:"counts"`
		Checks   []struct {
			ID, Change string
			Facts      []struct{ Key, Before, After string }
		} `json:"checks"`
	}
	if err := json.Unmarshal(js.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Schema != report.DiffSchema || doc.ExitCode != 1 || doc.Counts["fixed"] != 1 || doc.Counts["regressed"] != 1 {
		t.Errorf("json: %+v", doc)
	}
	if len(doc.Checks) != 2 || doc.Checks[0].Change != "fixed" || doc.Checks[0].Facts[0].Before != "4.1" {
		t.Errorf("json checks: %+v", doc.Checks)
	}
}

// A session's stable numbers are the numbers compared; an item fixed in the
// session counts as done.
func TestCompareChecklistsUsesSessionNumbers(t *testing.T) {
	before := []report.Item{{ID: "a", Number: 6}, {ID: "b", Number: 8}}
	after := []report.Item{{ID: "a", Number: 6, Fixed: true}, {ID: "b", Number: 8}}
	got := report.CompareChecklists(before, after)
	if got[0].Change != report.ItemDone || got[0].BeforeNumber != 6 || got[0].AfterNumber != 6 {
		t.Errorf("a: %+v", got[0])
	}
	if got[1].Change != report.ItemStillOpen || got[1].BeforeNumber != 8 || got[1].AfterNumber != 8 {
		t.Errorf("b: %+v", got[1])
	}
}

// Files given in the wrong order are pointed out.
func TestDiffSaysWhenSwapped(t *testing.T) {
	c := content.MustLoad()
	before, after := readFixture(t, "fixed", c), readFixture(t, "blocked-sip-udp", c)
	cmp := report.Compare(before, after)
	var text bytes.Buffer
	_ = cmp.WriteDiffText(&text, content.En, c)
	if !cmp.Swapped() || !strings.Contains(text.String(), "BEFORE report is newer") {
		t.Errorf("swapped files not named:\n%s", text.String())
	}
	if report.Compare(after, before).Swapped() {
		t.Errorf("files in order read as swapped")
	}
}

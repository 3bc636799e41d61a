package report_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/biztel-tools/biztel-doctor/checks"
	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/profile"
	"github.com/biztel-tools/biztel-doctor/report"
	"github.com/biztel-tools/biztel-doctor/report/reporttest"
)

// excludedOutcome is a run of `check --only net.ipv4,upnp.igd --skip
// sip.udp` as the runner reports it (two checks passed, sip.udp left out by
// --skip, the rest by --only), except that nat.timer is reported as a full
// run without --long reports it.
func excludedOutcome(t *testing.T) *checks.Outcome {
	t.Helper()
	p := &profile.Profile{Server: profile.Server{IP: "192.0.2.1"}}
	opt := checks.DefaultOptions()
	opt.Skip = []string{"sip.udp"}
	opt.Only = []string{"net.ipv4", "upnp.igd"}
	plan, err := checks.MakePlan(p, opt)
	if err != nil {
		t.Fatal(err)
	}
	out := &checks.Outcome{Started: time.Date(2026, 11, 24, 1, 2, 3, 0, time.UTC), Duration: time.Second,
		Results: []checks.Result{
			checks.PassResult("net.ipv4", content.T("IPv4 あり", "IPv4 path")),
			checks.PassResult("upnp.igd", content.T("UPnP なし", "no UPnP")),
		}}
	long := checks.SkipResult("nat.timer", content.T("長時間の確認のため --long のときだけ実行します", "a long check: runs only with --long"))
	long.SkippedBecause = checks.ExcludedByLong
	out.Results = append(out.Results, long) // as a full run without --long reports it
	for _, ex := range plan.Excluded {
		if ex.ID == "nat.timer" {
			continue
		}
		r := checks.SkipResult(ex.ID, ex.Why)
		r.SkippedBecause = ex.By
		out.Excluded = append(out.Excluded, r)
	}
	return out
}

func TestReportListsEveryCatalogCheckOnce(t *testing.T) {
	c := content.MustLoad()
	rep := report.Build(report.Input{Version: "1", Outcome: excludedOutcome(t), Content: c})
	if len(rep.Results) != len(c.Checks) {
		t.Fatalf("%d results, want one per catalog check (%d)", len(rep.Results), len(c.Checks))
	}
	for i, ci := range c.Checks {
		if rep.Results[i].ID != ci.ID {
			t.Errorf("result %d is %s, want %s (catalog order)", i, rep.Results[i].ID, ci.ID)
		}
	}
	byID := map[string]checks.Result{}
	for _, r := range rep.Results {
		byID[r.ID] = r
	}
	for id, by := range map[string]string{"sip.udp": "--skip", "stun.3478": "--only", "nat.timer": "--long"} {
		if r := byID[id]; r.Status != checks.Skip || r.SkippedBecause != by || !r.Excluded() {
			t.Errorf("%s: %s because %q, want skip because %s", id, r.Status, r.SkippedBecause, by)
		}
	}
	if rep.Excluded() != len(c.Checks)-2 {
		t.Errorf("excluded %d, want %d", rep.Excluded(), len(c.Checks)-2)
	}
	if code := rep.ExitCode(); code != 0 {
		t.Errorf("exit %d: exclusions are no findings", code)
	}
	if len(rep.Checklist) != 0 {
		t.Errorf("exclusions made checklist items: %+v", rep.Checklist)
	}
}

// A check that ran (a TUI verify run) keeps its result over the exclusion.
func TestReportPrefersARealResultToAnExclusion(t *testing.T) {
	out := excludedOutcome(t)
	out.Results = append(out.Results, checks.FailResult("sip.udp", content.T("応答なし", "no reply"), "allow-sip-udp"))
	rep := report.Build(report.Input{Version: "1", Outcome: out, Content: content.MustLoad()})
	n := 0
	for _, r := range rep.Results {
		if r.ID == "sip.udp" {
			n++
			if r.Status != checks.Fail {
				t.Errorf("sip.udp %s, want the run's fail", r.Status)
			}
		}
	}
	if n != 1 || rep.ExitCode() != 1 {
		t.Errorf("sip.udp listed %d times, exit %d", n, rep.ExitCode())
	}
}

func TestExclusionsRenderInEveryFormatAndLanguage(t *testing.T) {
	c := content.MustLoad()
	rep := report.Build(report.Input{Version: "1", Outcome: excludedOutcome(t), Content: c})
	want := map[content.Lang][]string{
		content.Ja: {"--skip で除外されました", "--only）", "--long のときだけ実行します", "うち実行時の指定（--skip / --only / --long）で除外 19"},
		content.En: {"excluded with --skip", "excluded: not selected for this run (--only)", "runs only with --long", "of which excluded by --skip / --only / --long 19"},
	}
	for lang, phrases := range want {
		var text, md, js bytes.Buffer
		if err := rep.WriteText(&text, lang, c, report.TextOptions{}); err != nil {
			t.Fatal(err)
		}
		if err := rep.WriteMarkdown(&md, lang, c); err != nil {
			t.Fatal(err)
		}
		if err := rep.WriteJSON(&js, lang, c); err != nil {
			t.Fatal(err)
		}
		for _, p := range phrases {
			if !strings.Contains(text.String(), p) {
				t.Errorf("%s text lacks %q:\n%s", lang, p, text.String())
			}
			if !strings.Contains(md.String(), p) {
				t.Errorf("%s markdown lacks %q", lang, p)
			}
		}
		for _, id := range []string{"sip.udp", "stun.3478", "ftps.passive"} {
			if !strings.Contains(text.String(), "[--] "+id) {
				t.Errorf("%s text: %s not shown as [--]", lang, id)
			}
			if !strings.Contains(md.String(), "`"+id+"` | [--]") {
				t.Errorf("%s markdown: %s not shown as [--]", lang, id)
			}
		}
		if err := reporttest.ValidateJSON(js.Bytes()); err != nil {
			t.Fatalf("%s: %v\n%s", lang, err, js.String())
		}
		var doc struct {
			Summary map[string]int `json:"summary"`
			Checks  []struct {
				ID, Status, Summary string
				SkippedBecause      string `json:"skipped_because"`
			} `json:"checks"`
		}
		if err := json.Unmarshal(js.Bytes(), &doc); err != nil {
			t.Fatal(err)
		}
		if len(doc.Checks) != len(c.Checks) || doc.Summary["skip"] != len(c.Checks)-2 || doc.Summary["pass"] != 2 {
			t.Errorf("%s json: %d checks, summary %v", lang, len(doc.Checks), doc.Summary)
		}
		for _, ch := range doc.Checks {
			if ch.Status == "skip" && (ch.SkippedBecause == "" || !strings.Contains(ch.Summary, ch.SkippedBecause)) {
				t.Errorf("%s json %s: skip because %q, summary %q", lang, ch.ID, ch.SkippedBecause, ch.Summary)
			}
		}
	}
}

func TestSchemaRefusesAStrangeSkipReason(t *testing.T) {
	c := content.MustLoad()
	rep := report.Build(report.Input{Version: "1", Outcome: excludedOutcome(t), Content: c})
	var js bytes.Buffer
	if err := rep.WriteJSON(&js, content.En, c); err != nil {
		t.Fatal(err)
	}
	bad := strings.Replace(js.String(), `"skipped_because": "--skip"`, `"skipped_because": "because"`, 1)
	if bad == js.String() {
		t.Fatal("mutation did not apply")
	}
	if err := reporttest.ValidateJSON([]byte(bad)); err == nil {
		t.Error("schema accepted skipped_because \"because\"")
	}
}

package tui

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/biztel-tools/biztel-doctor/checks"
	"github.com/biztel-tools/biztel-doctor/content"
)

// TestVerifyKeepsItemNumbers: verifying item 1 (now fixed) keeps it as
// item 1, ticked, with its before/after line; item 2 keeps its number.
func TestVerifyKeepsItemNumbers(t *testing.T) {
	faults := map[string]checks.Result{"sip.alg": failed("sip.alg", "disable-sip-alg"), "sip.tls": failed("sip.tls", "allow-sip-tls")}
	d := newDriver(t, content.En, testProfile(false), faults)
	d.press("5", "enter", "enter")
	items := d.m.sh.report().Checklist
	if len(items) < 2 {
		t.Fatalf("checklist %v", checklistIDs(d))
	}
	first, second := items[0], items[1]
	d.m.sh.cfg.Runner = fakeRunner(nil) // the first item's fault is fixed
	d.press("down", "up", "v")
	d.mustShow("1. [x] "+first.Title.En, "before NG → now OK 01:00:00", "2. [ ] "+second.Title.En)
	after := d.m.sh.report().Checklist
	if after[0].ID != first.ID || after[0].Number != 1 || after[1].ID != second.ID || after[1].Number != 2 {
		t.Errorf("numbers moved: %v", checklistIDs(d))
	}
}

// TestRerunKeyRunsTheSelectedCheck: r on step 5 re-runs the selected
// check (with what builds on it), R re-runs all.
func TestRerunKeyRunsTheSelectedCheck(t *testing.T) {
	d := newDriver(t, content.En, testProfile(false), nil)
	d.press("5", "enter")
	all := d.m.sh.plan(nil).Checks
	var ran []string
	d.m.sh.cfg.Runner = func(ctx context.Context, plan *checks.Plan, env *checks.Env, ch chan<- checks.Event) *checks.Outcome {
		ran = plan.Checks
		return fakeRunner(nil)(ctx, plan, env, ch)
	}
	d.press("r")
	sel := d.m.live.list()[0]
	if len(ran) == 0 || len(ran) >= len(all) || !strings.Contains(strings.Join(ran, ","), sel) {
		t.Fatalf("r ran %v (plan has %d), want %s and its dependents", ran, len(all), sel)
	}
	if runs := d.m.sh.ses.Runs(sel); len(runs) != 2 {
		t.Errorf("%s has %d runs, want 2 (the first and the re-run)", sel, len(runs))
	}
	d.press("R")
	if len(ran) != len(all) {
		t.Errorf("R ran %d checks, want all %d", len(ran), len(all))
	}
}

// partialRunner finishes the plan's first two checks, then waits for
// cancellation as a long check would.
func partialRunner(ctx context.Context, plan *checks.Plan, env *checks.Env, ch chan<- checks.Event) *checks.Outcome {
	for _, id := range plan.Checks[:2] {
		r := checks.Result{ID: id, Status: checks.Pass, Summary: content.T("良好", "fine"), Facts: checks.Facts{}}
		ch <- checks.Event{Kind: checks.EventStarted, ID: id, At: fixedNow}
		ch <- checks.Event{Kind: checks.EventFinished, ID: id, Result: &r}
	}
	return blockingRunner(ctx, plan, env, ch)
}

// TestNothingLooksFinalWhileChecksRun: steps 4, 6, 7 and 8 say how many
// checks are still running and that what they show is provisional, and
// export asks before saving a report made mid-run.
func TestNothingLooksFinalWhileChecksRun(t *testing.T) {
	d := newDriver(t, content.En, testProfile(false), nil)
	d.wait = time.Second // the export's fsync on a loaded machine
	d.m.sh.cfg.Runner = partialRunner
	d.press("5", "enter")
	total := len(d.m.sh.plan(nil).Checks)
	want := "Checks running: 2 of " + strconv.Itoa(total) + " done"
	for _, step := range []string{"4", "6", "7", "8"} {
		d.press(step)
		d.mustShow(want)
	}
	d.press("enter")
	d.mustShow("Checks are still running")
	if files, _ := filepath.Glob(filepath.Join(d.m.sh.cfg.OutDir, "*.json")); len(files) != 0 {
		t.Fatalf("saved %v without asking", files)
	}
	d.press("enter")
	d.mustShow("Saved:")
	d.m.live.cancelRun()
	d.press("6")
	d.mustNotShow("Checks running")
}

// TestNoProblemsSaysWhatWasNotChecked: "no problems found" names what was
// not measured, and on a symptom's path points to the full review.
func TestNoProblemsSaysWhatWasNotChecked(t *testing.T) {
	d := newDriver(t, content.En, testProfile(false), nil)
	startWay(d, 1) // a symptom: only its checks run
	d.press("6")
	d.mustShow("No problems found.", "Not measured (skipped or not run):", "Only this symptom's checks ran")
	if !strings.Contains(d.screen(), "NAT timer") { // by its name: ids stay off the main flow
		t.Errorf("nat.timer (never run) not named:\n%s", d.screen())
	}
}

// TestProfileLoadErrorInTheUsersWords: a file that does not load is said
// in the screen's language, without the CLI's flag or Go's error text, and
// the form keeps what was typed.
func TestProfileLoadErrorInTheUsersWords(t *testing.T) {
	for lang, want := range map[content.Lang]string{content.Ja: "が見つかりません", content.En: "No file"} {
		d := newDriver(t, lang, testProfile(false), nil)
		d.press("2")
		d.typeText("nofile.yaml")
		d.press("enter")
		d.mustShow("nofile.yaml", want)
		for _, bad := range []string{"--profile", "no such file", "open nofile"} {
			d.mustNotShow(bad)
		}
		if d.m.sh.ses.Profile.Server.IP != "203.0.113.10" {
			t.Errorf("%s: the form lost what was typed", lang)
		}
	}
}

// TestExportToAFolderThatFailsOffersAnother: a report folder that cannot
// be written says where it tried and why, offers another folder, and the
// report then saves there.
func TestExportToAFolderThatFailsOffersAnother(t *testing.T) {
	d := newDriver(t, content.En, testProfile(false), nil)
	d.wait = time.Second
	gone := filepath.Join(t.TempDir(), "gone")
	d.m.sh.cfg.OutDir = gone
	d.press("5", "enter", "8", "enter")
	d.mustShow("Could not save in", gone, "(the folder", "Type another folder")
	other := t.TempDir()
	for range os.TempDir() {
		d.press("backspace")
	}
	d.typeText(other)
	d.press("enter")
	d.mustShow("Saved:")
	if files, _ := filepath.Glob(filepath.Join(other, "biztel-doctor-*.json")); len(files) != 1 {
		t.Fatalf("saved %v in %s", files, other)
	}
	if d.m.sh.cfg.OutDir != other {
		t.Errorf("later saves go to %s, want %s", d.m.sh.cfg.OutDir, other)
	}
}

// TestLongCheckInTheTUI: nat.timer, left out of a run, says how to run it
// here (no CLI flag), and r on its row says how long it may take before
// it starts it.
func TestLongCheckInTheTUI(t *testing.T) {
	d := newDriver(t, content.En, testProfile(false), nil)
	d.press("5", "enter")
	d.mustNotShow("--long")
	for d.m.live.list()[d.m.live.cur] != "nat.timer" {
		d.press("down")
	}
	d.mustShow("press r on this row to run it")
	var ran []string
	d.m.sh.cfg.Runner = func(ctx context.Context, plan *checks.Plan, env *checks.Env, ch chan<- checks.Event) *checks.Outcome {
		ran = plan.Checks
		return fakeRunner(nil)(ctx, plan, env, ch)
	}
	d.press("r")
	d.mustShow("NAT timer (SIP) probes idle times up to 3600 s") // the name, not the id
	if ran != nil {
		t.Fatal("nat.timer started before the question")
	}
	d.press("r")
	if !strings.Contains(strings.Join(ran, ","), "nat.timer") {
		t.Errorf("r then r ran %v, want nat.timer", ran)
	}
}

// TestNATTimerRungsShowWhileItRuns: the detail pane of a running nat.timer
// shows each rung with its state, the longest idle time proven so far and
// when the next rung answers.
func TestNATTimerRungsShowWhileItRuns(t *testing.T) {
	d := newDriver(t, content.En, testProfile(false), nil)
	d.m.sh.cfg.Runner = func(ctx context.Context, plan *checks.Plan, env *checks.Env, ch chan<- checks.Event) *checks.Outcome {
		ch <- checks.Event{Kind: checks.EventStarted, ID: "nat.timer", At: fixedNow}
		ch <- checks.Event{Kind: checks.EventSample, ID: "nat.timer", Sample: &checks.Sample{ID: "nat.timer", Rungs: []checks.Rung{
			{Idle: 7 * time.Second, State: checks.RungSurvived}, {Idle: 14 * time.Second, State: checks.RungSurvived},
			{Idle: 28 * time.Second, Due: fixedNow.Add(12 * time.Second), State: checks.RungWaiting}}}}
		return blockingRunner(ctx, plan, env, ch)
	}
	d.press("5", "enter")
	for d.m.live.list()[d.m.live.cur] != "nat.timer" {
		d.press("down")
	}
	d.mustShow("7s OK", "14s OK", "28s ..", "proven: lasts ≥ 14s", "next answer in 12s")
}

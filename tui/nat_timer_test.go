package tui

import (
	"context"
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/biztel-tools/biztel-doctor/checks"
	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/profile"
)

// cliFlag is a command-line flag in screen text (the screens' rules are
// plain dashes, never followed by a letter).
var cliFlag = regexp.MustCompile(`--[a-z]`)

// reflectorProfile is the test site with a reflector and its token, so
// nat.timer is planned rather than skipped.
func reflectorProfile() *profile.Profile {
	p := testProfile(false)
	p.Reflector = profile.Reflector{Addr: "198.51.100.40", Token: "t0ken"}
	return p
}

// toNATTimerRow runs the full review (nat.timer left out as a long check),
// then puts the cursor on nat.timer's row and answers r twice (the
// question, then start) with runner.
func toNATTimerRow(d *driver, runner Runner) {
	d.press("5", "enter")
	for d.m.live.list()[d.m.live.cur] != "nat.timer" {
		d.press("down")
	}
	d.m.sh.cfg.Runner = runner
}

// TestNATTimerScreensNameNoFlag: nat.timer's "tested only up to 20 s"
// result carries a typed hint; the TUI says it with its own step and key
// (choose a 3600 s horizon on step 5), in ja and en, on step 5 and on the
// findings — never the CLI's --nat-timer-max.
func TestNATTimerScreensNameNoFlag(t *testing.T) {
	short := checks.WarnResult("nat.timer", content.T("無通信の UDP マッピングは少なくとも 20s 残りました（20s までしか測っていません。要件は 3600 秒）",
		"an idle UDP mapping lasted at least 20s (tested only up to 20s; the page asks 3600 s)"), "nat-timer-3600")
	short.Hint = checks.Hint{Kind: checks.HintLongerHorizon, Tested: 20 * time.Second, Want: time.Hour}
	for _, lang := range []content.Lang{content.En, content.Ja} {
		d := newDriver(t, lang, reflectorProfile(), nil)
		toNATTimerRow(d, fakeRunner(map[string]checks.Result{"nat.timer": short}))
		d.press("r", "r", "d")
		want := map[content.Lang]string{content.En: "choose a 3600 s horizon on step 5", content.Ja: "t で待ち時間を 3600 秒にして"}[lang]
		d.mustShow(want)
		for _, step := range []string{"d", "6", "7", "8"} {
			d.press(step)
			if f := cliFlag.FindString(d.screen()); f != "" {
				t.Errorf("%s, after %q: the screen names a CLI flag (%s…):\n%s", lang, step, f, d.screen())
			}
		}
		if r, _ := d.m.sh.result("nat.timer"); !strings.Contains(r.Summary.In(lang), want) {
			t.Errorf("%s: the report's summary %q lacks the TUI's words", lang, r.Summary.In(lang))
		}
	}
}

// TestNATTimerHorizonChoice: before nat.timer starts, t steps its horizon
// (the quick 120 s, the page's 3600 s) and the question says the choice.
func TestNATTimerHorizonChoice(t *testing.T) {
	d := newDriver(t, content.En, reflectorProfile(), nil)
	var horizon time.Duration
	toNATTimerRow(d, func(ctx context.Context, plan *checks.Plan, env *checks.Env, ch chan<- checks.Event) *checks.Outcome {
		horizon = plan.Options.NATTimerMax
		return fakeRunner(nil)(ctx, plan, env, ch)
	})
	d.press("r")
	d.mustShow("up to 3600 s", "t: change the horizon")
	d.press("t")
	d.mustShow("up to 120 s")
	d.press("t")
	d.mustShow("up to 3600 s")
	d.press("t", "r")
	if horizon != checks.NATTimerQuick {
		t.Errorf("ran with a %v horizon, want the chosen %v", horizon, checks.NATTimerQuick)
	}
	d.press("r", "esc")
	d.mustNotShow("change the horizon")
	if d.m.screen != screenChecks {
		t.Errorf("esc on the question left step 5 (screen %v)", d.m.screen)
	}
}

// ladderRunner starts nat.timer, reports its rungs (7 s and 14 s survived,
// 28 s waiting, or with expired set 14 s expired) and waits to be
// cancelled, as the real ladder does for minutes.
func ladderRunner(expired bool) Runner {
	return func(ctx context.Context, plan *checks.Plan, env *checks.Env, ch chan<- checks.Event) *checks.Outcome {
		second := checks.RungSurvived
		if expired {
			second = checks.RungExpired
		}
		ch <- checks.Event{Kind: checks.EventStarted, ID: "nat.timer", At: fixedNow}
		ch <- checks.Event{Kind: checks.EventSample, ID: "nat.timer", Sample: &checks.Sample{ID: "nat.timer", Rungs: []checks.Rung{
			{Idle: 7 * time.Second, State: checks.RungSurvived}, {Idle: 14 * time.Second, State: second},
			{Idle: 28 * time.Second, Due: fixedNow.Add(12 * time.Second), State: checks.RungWaiting}}}}
		return blockingRunner(ctx, plan, env, ch)
	}
}

// TestCancelNATTimerKeepsWhatWasProven: esc on step 5 and q+y cut a
// running nat.timer short; both keep what its rungs proved — warn "only ≥
// N proven" with the nat-timer remedy, never fail even after a rung
// expired — on the screen and in the saved report, which says it was
// interrupted.
func TestCancelNATTimerKeepsWhatWasProven(t *testing.T) {
	for _, tc := range []struct {
		name    string
		expired bool
		keys    []string
		says    string
	}{
		{"esc", false, []string{"esc"}, "only ≥ 14s"},
		{"esc after an expiry", true, []string{"esc"}, "only ≥ 7s"},
		{"q+y", false, []string{"q", "y"}, "only ≥ 14s"},
		{"q+y after an expiry", true, []string{"q", "y"}, "gone after 14s"},
	} {
		d := newDriver(t, content.En, reflectorProfile(), nil)
		toNATTimerRow(d, ladderRunner(tc.expired))
		d.press("r", "r")
		row := map[bool]string{false: "≥14s proven", true: "≥7s proven"}[tc.expired]
		d.mustShow("proven: lasts ≥", row) // the detail pane and the row
		d.press(tc.keys...)
		r, _ := d.m.sh.result("nat.timer")
		if r.Status != checks.Warn || !strings.Contains(r.Summary.En, tc.says) || len(r.Remedies) == 0 || r.Remedies[0] != "nat-timer-3600" {
			t.Errorf("%s: nat.timer %s %q %v, want warn %q with the remedy", tc.name, r.Status, r.Summary.En, r.Remedies, tc.says)
		}
		if cliFlag.MatchString(r.Summary.En) {
			t.Errorf("%s: %q names a CLI flag", tc.name, r.Summary.En)
		}
		paths, err := d.m.SaveUnsaved()
		if err != nil || len(paths) != 2 {
			t.Fatalf("%s: saved %v, %v", tc.name, paths, err)
		}
		assertSavedNATTimer(t, tc.name, paths)
	}
}

// assertSavedNATTimer reads the saved JSON: interrupted, nat.timer warn.
func assertSavedNATTimer(t *testing.T, name string, paths []string) {
	t.Helper()
	for _, p := range paths {
		if !strings.HasSuffix(p, ".json") {
			continue
		}
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Interrupted bool `json:"interrupted"`
			Checks      []struct{ ID, Status string }
		}
		if err := json.Unmarshal(data, &doc); err != nil {
			t.Fatal(err)
		}
		for _, c := range doc.Checks {
			if c.ID == "nat.timer" && c.Status != "warn" {
				t.Errorf("%s: saved nat.timer %s, want warn", name, c.Status)
			}
		}
		if !doc.Interrupted {
			t.Errorf("%s: saved report not interrupted", name)
		}
	}
}

// TestTreeNeverSaysAllAnsweredWhileWaiting: symptom C runs nat.timer;
// its question waits for it and shows what the rungs proved so far, and
// skipping past it (→) ends on which question is still open and why —
// never "All questions answered" beside a question still waiting.
func TestTreeNeverSaysAllAnsweredWhileWaiting(t *testing.T) {
	d := newDriver(t, content.En, reflectorProfile(), nil)
	d.m.sh.cfg.Runner = ladderRunner(false)
	d.press("3", "c", "enter")
	for i := 0; i < 10 && !strings.Contains(d.screen(), "NAT timer for SIP"); i++ {
		d.press("right")
	}
	d.mustShow("Is the NAT timer for SIP set to 3600 seconds?", "Waiting for the check \"NAT timer (SIP)\"", "proven: lasts ≥ 14s")
	if f := cliFlag.FindString(d.screen()); f != "" {
		t.Errorf("the question names a CLI flag (%s…):\n%s", f, d.screen())
	}
	for i := 0; i < 10 && d.m.tree.cur < len(d.m.tree.path()); i++ {
		d.press("right")
	}
	d.mustNotShow("All questions answered")
	d.mustShow("questions answered. Not answered yet:", "3. Is the NAT timer for SIP set to 3600 seconds? (waiting for", "timer (SIP)\": filled in when it ends)")
	d.m.Interrupt() // the blocked ladder ends with the test
}

// TestEnterWhileNATTimerRunsShowsFindings: Enter on step 5 during a long
// run goes to the findings so far (marked provisional) instead of doing
// nothing until the ladder ends; the run goes on.
func TestEnterWhileNATTimerRunsShowsFindings(t *testing.T) {
	d := newDriver(t, content.En, reflectorProfile(), map[string]checks.Result{"sip.alg": failed("sip.alg", "disable-sip-alg")})
	toNATTimerRow(d, ladderRunner(false))
	d.press("r", "r", "enter")
	if d.m.screen != screenFindings || !d.m.live.running() {
		t.Fatalf("screen %v, running %v: want the findings while nat.timer runs", d.m.screen, d.m.live.running())
	}
	d.mustShow("Checks running")
	d.m.Interrupt()
}

// TestNATTimerWithoutTokenNamesNoFlag: a site with a reflector but no
// token: nat.timer's skip names the site file's key, not the CLI's flag.
func TestNATTimerWithoutTokenNamesNoFlag(t *testing.T) {
	p := reflectorProfile()
	p.Reflector.Token = ""
	d := newDriver(t, content.En, p, nil)
	toNATTimerRow(d, fakeRunner(nil))
	d.press("r", "r")
	d.mustShow("reflector.token in the site file")
	if f := cliFlag.FindString(d.screen()); f != "" {
		t.Errorf("the screen names a CLI flag (%s…):\n%s", f, d.screen())
	}
}

// TestSymptomSaysNATTimerLengthBeforeItStarts: symptom C's checks include
// nat.timer; step 3 says its horizon and longest time before it starts.
func TestSymptomSaysNATTimerLengthBeforeItStarts(t *testing.T) {
	d := newDriver(t, content.En, reflectorProfile(), nil)
	d.press("3", "c")
	d.mustShow("NAT timer (SIP) probes idle times up to 3600 s and takes up to about 120 min")
	if d.m.live.running() {
		t.Error("the run started before Enter")
	}
}

// TestEnterOnAWaitingQuestionAsksFirst: Enter on the nat.timer question
// while the check runs does not silently answer for it: it first says a
// hand answer stands over the check's; the second Enter takes the answer.
func TestEnterOnAWaitingQuestionAsksFirst(t *testing.T) {
	d := newDriver(t, content.En, reflectorProfile(), nil)
	d.m.sh.cfg.Runner = ladderRunner(false)
	d.press("3", "c", "enter")
	for i := 0; i < 10 && !strings.Contains(d.screen(), "NAT timer for SIP"); i++ {
		d.press("right")
	}
	d.press("enter")
	if _, src := d.m.sh.answer(d.m.tree.path()[d.m.tree.cur]); src != fromWaiting {
		t.Fatalf("one Enter answered the waiting question by hand (%v)", src)
	}
	d.mustShow("is still running. A hand answer stands over what it", "Enter: take this answer")
	d.press("down", "enter")
	if a, _ := d.m.sh.ses.Answers["nat.timer"]; a != "no" {
		t.Errorf("hand answer %q after the second Enter, want no", a)
	}
	d.m.Interrupt()
}

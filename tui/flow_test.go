package tui

import (
	tea "charm.land/bubbletea/v2"
	"context"
	"github.com/biztel-tools/biztel-doctor/profile"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"charm.land/lipgloss/v2"

	"github.com/biztel-tools/biztel-doctor/checks"
	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/session"
)

func failed(id string, remedies ...string) checks.Result {
	return checks.FailResult(id, content.T("失敗", "failed"), remedies...)
}

// TestWalkFullReview drives the whole flow with keys: start, site, full
// review, every question, live checks, findings, router, export.
func TestWalkFullReview(t *testing.T) {
	d := newDriver(t, content.En, testProfile(false), map[string]checks.Result{
		"sip.alg": failed("sip.alg", "disable-sip-alg")})
	d.mustShow("1/8 Start", "Traffic plan (nothing has been sent yet)")
	d.press("enter")
	d.mustShow("2/8 Site", "s0123456789ab.u.biztel.jp", "The site is valid")
	for range fieldOptions - 0 {
		d.press("down")
	}
	d.press("enter")
	d.mustShow("3/8 Ways in", "Full review")
	d.press("enter") // full review; the checks start in the background
	d.mustShow("4/8 Questions", "Question 1/")
	// answer every question with the answer under the cursor
	for i := 0; i < 40 && !strings.Contains(d.screen(), "All questions answered"); i++ {
		if strings.Contains(d.screen(), "Prefilled from check") || strings.Contains(d.screen(), "Prefilled from the site") {
			d.press("right") // keep the prefilled answer
			continue
		}
		d.press("enter")
	}
	d.mustShow("All questions answered")
	d.press("enter")
	d.mustShow("5/8 Live checks", "SIP-ALG / SIP-NAT", "[NG] fail", "[OK] pass")
	d.press("enter")
	d.mustShow("6/8 Findings", "SIP is rewritten on the path", "Disable SIP-ALG")
	d.press("enter")
	d.mustShow("7/8 Router config")
	d.press("enter")
	d.mustShow("8/8 Export")
	d.press("enter")
	d.mustShow("Saved:", ".md", ".json")
	entries, _ := os.ReadDir(d.m.sh.cfg.OutDir)
	if len(entries) != 2 {
		t.Fatalf("export wrote %d files, want .md and .json", len(entries))
	}
	md, _ := os.ReadFile(d.m.sh.cfg.OutDir + "/" + entries[1].Name())
	if !strings.Contains(string(md), "Disable SIP-ALG / SIP-NAT") || !strings.Contains(string(md), "answer:case.sip-alg") {
		t.Errorf("Markdown report lacks the checklist item:\n%s", md)
	}
	if d.m.sh.unsaved() {
		t.Error("after export the results still count as unsaved")
	}
}

func TestQuitAsksWhenResultsWouldBeLost(t *testing.T) {
	d := newDriver(t, content.Ja, testProfile(false), nil)
	d.press("5", "enter") // run the checks
	d.mustShow("[OK]")
	d.press("q")
	d.mustShow("まだ保存していません", d.m.sh.cfg.OutDir, "biztel-doctor-20261124-010000", "Ctrl+C: 保存して終了")
	quitPromptFits(t, d)
	d.press("n")
	d.mustNotShow("まだ保存していません")
	d.press("q", "y")
	if d.m.Report() == nil {
		t.Fatal("no report for the exit summary")
	}
	// quitting saves what was not exported (cmd_tui.go calls SaveUnsaved)
	paths, err := d.m.SaveUnsaved()
	if err != nil || len(paths) != 2 {
		t.Fatalf("SaveUnsaved = %v, %v; want the .md and .json", paths, err)
	}
	for _, p := range paths {
		if data, err := os.ReadFile(p); err != nil || !strings.Contains(string(data), "sip.udp") {
			t.Errorf("%s: %v, %d bytes without the results", p, err, len(data))
		}
	}
	if again, _ := d.m.SaveUnsaved(); len(again) != 0 {
		t.Errorf("saved twice: %v", again)
	}
}

// TestDemoQuitSavesNothing: the demo's simulated results are not written
// to the working directory on quit.
func TestDemoQuitSavesNothing(t *testing.T) {
	d := newDriver(t, content.Ja, testProfile(false), nil)
	d.m.sh.cfg.Demo = true
	d.press("5", "enter")
	d.mustShow("[OK]")
	d.press("q")
	d.mustShow("終了しますか")
	if paths, err := d.m.SaveUnsaved(); len(paths) != 0 || err != nil {
		t.Errorf("demo saved %v (%v)", paths, err)
	}
}

func TestLanguageToggleAndHelp(t *testing.T) {
	d := newDriver(t, content.Ja, testProfile(false), nil)
	d.mustShow("はじめに", "送信する通信")
	d.press("L")
	d.mustShow("Start", "Traffic plan")
	d.press("?")
	d.mustShow("go to step")
	d.press("L")
	d.mustShow("はじめに")
}

func TestSiteFormValidatesInline(t *testing.T) {
	t.Chdir(t.TempDir()) // the form saves biztel-site.yaml in the working directory
	d := newDriver(t, content.En, nil, nil)
	d.press("2", "down", "down") // Server IP
	d.typeText("XXX.XXX.XXX.XXX")
	d.mustShow("the page's example placeholder")
	if d.m.sh.ses.Profile != nil {
		t.Fatal("an invalid site became the profile")
	}
	for range 15 {
		d.press("backspace")
	}
	d.typeText("203.0.113.10")
	d.mustShow("The site is valid")
	// letters typed into a field are not global keys
	d.press("up")
	d.typeText("Lq")
	if d.m.sh.lang != content.En || d.m.screen != screenSite {
		t.Fatal("typing L or q in a field toggled the language or quit")
	}
	d.press("down", "down", "down", "down", "down", "down", "down") // save field
	d.press("enter")
}

func TestEscCancelsARun(t *testing.T) {
	d := newDriver(t, content.En, testProfile(false), nil)
	lm := d.m.live
	// start by hand so the run is in flight while Esc arrives
	d.m.sh.ses.Begin(d.m.sh.plan(nil), session.KindFirst, "")
	cmd := startRun(d.m.sh.cfg.Ctx, blockingRunner, d.m.sh.plan(nil), d.m.sh.cfg.Env, "")
	d.m.screen = screenChecks
	_ = lm
	msg := cmd()
	d.m.Update(msg)
	d.press("esc")
	d.send(waitEvent(d.m.live.run)())
	d.mustShow("Cancelled")
	if !d.m.sh.report().Interrupted {
		t.Fatal("outcome not marked interrupted")
	}
	for _, r := range resultsOf(d.m.sh) {
		if r.Status == checks.Pass {
			t.Fatalf("cancelled check %s shown as passed", r.ID)
		}
	}
}

// blockingRunner waits for cancellation, then reports every check
// interrupted, as checks.Run does.
func blockingRunner(ctx context.Context, plan *checks.Plan, env *checks.Env, ch chan<- checks.Event) *checks.Outcome {
	<-ctx.Done()
	out := &checks.Outcome{Interrupted: true}
	for _, id := range plan.Checks {
		r := checks.ErrorResult(id, content.T("中断されました", "interrupted"))
		ch <- checks.Event{Kind: checks.EventFinished, ID: id, Result: &r}
		out.Results = append(out.Results, r)
	}
	close(ch)
	return out
}

// TestScalesAndResizes: every frame fills the terminal exactly, in both
// languages, and no line is wider than the terminal.
func TestScalesAndResizes(t *testing.T) {
	for _, lang := range []content.Lang{content.Ja, content.En} {
		d := newDriver(t, lang, testProfile(true), map[string]checks.Result{"sip.udp": failed("sip.udp", "allow-sip-udp")})
		d.press("5", "enter")
		for _, size := range [][2]int{{80, 24}, {120, 40}, {100, 30}, {80, 24}} {
			d.send(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
			for s := screenStart; s < screenCount; s++ {
				d.press(string(rune('1' + s)))
				if d.m.screen != s {
					t.Fatalf("key %d shows screen %d", s+1, d.m.screen+1)
				}
				lines := strings.Split(d.screen(), "\n")
				if len(lines) != size[1] {
					t.Errorf("%s %dx%d screen %d: %d lines", lang, size[0], size[1], s+1, len(lines))
				}
				for _, l := range lines {
					if w := lipgloss.Width(l); w > size[0] {
						t.Errorf("%s %dx%d screen %d: line %d cells wide: %q", lang, size[0], size[1], s+1, w, l)
					}
				}
				if s == screenSite {
					d.press("esc") // the form takes digits as text
				}
			}
		}
	}
}

// TestColumnsAlignWithJapanese: in the live-check list the check name starts
// at the same cell in every row, whatever the Japanese status word.
func TestColumnsAlignWithJapanese(t *testing.T) {
	d := newDriver(t, content.Ja, testProfile(false), map[string]checks.Result{
		"sip.udp": failed("sip.udp", "allow-sip-udp"), "net.proxy": checks.WarnResult("net.proxy", content.T("プロキシ", "proxy"), "remove-proxy")})
	d.press("5", "enter")
	col := -1
	for _, l := range strings.Split(d.screen(), "\n") {
		for _, id := range []string{"IPv4 経路", "プロキシ", "SIP (UDP 5060)", "管理画面ホスト名の名前解決"} {
			if i := strings.Index(l, id); i >= 0 && strings.HasPrefix(strings.TrimLeft(l, " >"), "[") {
				c := lipgloss.Width(l[:i])
				if col >= 0 && c != col {
					t.Fatalf("check id %s at cell %d, others at %d:\n%s", id, c, col, d.screen())
				}
				col = c
			}
		}
	}
	if col < 0 {
		t.Fatal("no check rows found")
	}
}

// TestNoColorMeansNoColour: with NoColor every frame is free of colour
// sequences, and every status still reads as symbol and word.
func TestNoColorMeansNoColour(t *testing.T) {
	d := newDriver(t, content.En, testProfile(false), map[string]checks.Result{"sip.udp": failed("sip.udp", "allow-sip-udp")})
	d.press("5", "enter")
	for s := screenStart; s < screenCount; s++ {
		d.press(string(rune('1' + s)))
		if raw := d.m.View().Content; strings.Contains(raw, "[38;") || strings.Contains(raw, "[48;") {
			t.Errorf("screen %d has colour with NoColor: %q", s+1, raw)
		}
		if s == screenChecks {
			d.mustShow("[NG] fail", "[OK] pass")
		}
		if s == screenSite {
			d.press("esc") // the form takes digits as text
		}
	}
}

func TestSymptomPicksItsQuestionsAndChecks(t *testing.T) {
	var ran []string
	d := newDriver(t, content.En, testProfile(false), nil)
	d.m.sh.cfg.Runner = func(ctx context.Context, plan *checks.Plan, env *checks.Env, ch chan<- checks.Event) *checks.Outcome {
		ran = plan.Checks
		return fakeRunner(nil)(ctx, plan, env, ch)
	}
	startWay(d, 7) // bulk recording download fails
	var nodes []string
	for _, n := range d.m.tree.path() {
		nodes = append(nodes, n.ID)
	}
	if strings.Join(nodes, ",") != "vendor,ngfw,case.ftp-alg" {
		t.Errorf("recording symptom asks %v", nodes)
	}
	for _, id := range ran {
		if !strings.HasPrefix(id, "ftps.") {
			t.Errorf("recording symptom ran %s (all: %v)", id, ran)
		}
	}
	d.mustShow("Question 1/3")
}

func TestSiteSavesAProfileThatLoadsBack(t *testing.T) {
	d := newDriver(t, content.En, testProfile(true), nil)
	path := filepath.Join(t.TempDir(), "site.yaml")
	d.press("2")
	for range fieldSave {
		d.press("down")
	}
	for range len("biztel-site.yaml") {
		d.press("backspace")
	}
	d.typeText(path)
	d.press("enter")
	d.mustShow("Saved " + path[:20])
	p, err := profile.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if p.Server.VPNIP != "10.0.0.10" || p.Channels != 10 || len(p.STUN.Servers) != 2 {
		t.Errorf("saved profile %+v lost values", p)
	}
	// and the load field reads it back into a fresh form
	e := newDriver(t, content.En, nil, nil)
	e.press("2")
	e.typeText(path)
	e.press("enter")
	e.mustShow("Loaded", "10.0.0.10", "The site is valid")
}

func TestSiteLoadErrorDoesNotBlockTheForm(t *testing.T) {
	d := newDriver(t, content.En, testProfile(false), nil)
	d.press("2")
	d.typeText("/nonexistent/site.yaml")
	d.press("enter")
	d.mustShow("/nonexistent/site.yaml", "The site is valid")
	for range fieldOptions {
		d.press("down")
	}
	d.press("enter")
	d.mustShow("3/8 Ways in")
}

func TestQuitDuringARunRecordsUnfinishedChecksAsInterrupted(t *testing.T) {
	d := newDriver(t, content.En, testProfile(false), nil)
	d.m.screen = screenChecks
	d.m.sh.ses.Begin(d.m.sh.plan(nil), session.KindFirst, "")
	msg := startRun(d.m.sh.cfg.Ctx, blockingRunner, d.m.sh.plan(nil), d.m.sh.cfg.Env, "")()
	d.m.Update(msg)
	d.press("ctrl+c")
	if d.m.sh.unsaved() {
		d.press("y")
	}
	rep := d.m.Report()
	if rep == nil || !rep.Interrupted || rep.ExitCode() != 130 {
		t.Fatalf("report after quitting mid-run: %+v", rep)
	}
	for _, r := range rep.Results {
		if r.Status != checks.Error || r.Summary.En != "interrupted" {
			t.Errorf("%s: %s %q, want error interrupted", r.ID, r.Status, r.Summary.En)
		}
	}
}

// TestSiteOptionCursorIsMarked: the option under the cursor is marked with
// ">" (not only reversed, which a plain view or a colour-blind eye loses),
// and the hint says how to move it.
func TestSiteOptionCursorIsMarked(t *testing.T) {
	t.Chdir(t.TempDir())
	d := newDriver(t, content.En, testProfile(false), nil)
	d.press("2")
	for range fieldOptions {
		d.press("down")
	}
	d.mustShow(">[x] encryption", "←→: choose an option")
	d.press("right", "space")
	d.mustShow(" [x] encryption", ">[ ] WebRTC")
}

// quitPromptFits: the quit question wraps inside the width, cut nowhere.
func quitPromptFits(t *testing.T, d *driver) {
	t.Helper()
	for _, l := range strings.Split(d.screen(), "\n") {
		if lipgloss.Width(l) > d.m.sh.width || strings.HasSuffix(strings.TrimSpace(l), "..") {
			t.Fatalf("quit prompt line cut or too wide: %q\n%s", l, d.screen())
		}
	}
}

// TestCtrlCAtTheQuitQuestionSavesAndQuits: a second Ctrl-C is an answer,
// not ignored: it quits, and what was not exported is then saved.
func TestCtrlCAtTheQuitQuestionSavesAndQuits(t *testing.T) {
	d := newDriver(t, content.En, testProfile(false), nil)
	d.press("5", "enter", "ctrl+c")
	d.mustShow("Quitting saves", "biztel-doctor-20261124-010000", d.m.sh.cfg.OutDir)
	quitPromptFits(t, d)
	_, cmd := d.m.Update(keyMsg("ctrl+c"))
	if cmd == nil {
		t.Fatal("Ctrl-C at the quit question did nothing")
	}
	if _, ok := cmd().(tea.QuitMsg); !ok {
		t.Fatal("Ctrl-C at the quit question did not quit")
	}
	paths, err := d.m.SaveUnsaved()
	if err != nil || len(paths) != 2 || !strings.HasSuffix(paths[0], "biztel-doctor-20261124-010000.md") {
		t.Fatalf("saved %v, %v: not the files the question named", paths, err)
	}
}

// TestGlobalKeysAreNotTypedIntoFields: in a text field ?, L, digits and q
// are text; Esc leaves the field and then they act, as the footer says.
func TestGlobalKeysAreNotTypedIntoFields(t *testing.T) {
	d := newDriver(t, content.En, nil, nil)
	d.press("2")
	d.mustShow("typing (after Esc: ? help, q quit)")
	d.typeText("real.yaml")
	d.press("esc")
	d.mustShow("> Load file") // no longer marked as typing
	d.mustNotShow("* Load file")
	d.press("?")
	d.mustShow("Help: step 2")
	d.press("esc", "L")
	d.mustShow("読込ファイル", "real.yaml")
	d.mustNotShow("real.yaml?")
	d.press("3")
	d.mustShow("3/8")
}

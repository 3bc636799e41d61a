package tui

import (
	"errors"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/biztel-tools/biztel-doctor/checks"
	"github.com/biztel-tools/biztel-doctor/content"
)

// demoConfig is the app on a recorded demo scenario whose s key switches
// with next.
func demoConfig(t *testing.T, sc string, next func() (Config, error)) Config {
	t.Helper()
	fx := loadDemoFixture(t, sc)
	results := map[string]checks.Result{}
	for _, r := range fx.Results {
		results[r.ID] = r
	}
	return Config{Lang: content.En, NoColor: true, Profile: fx.Profile, Runner: fakeRunner(results), Env: &checks.Env{},
		Demo: true, DemoScenario: sc, Version: "test", OutDir: t.TempDir(), Now: func() time.Time { return fixedNow }, NextDemo: next, NextDemoScenario: otherDemo(sc)}
}

// otherDemo is the scenario the demo's s switches to from sc.
func otherDemo(sc string) string {
	if sc == "healthy" {
		return "problems"
	}
	return "healthy"
}

// TestDemoSwitchesScenario: s on the start screen switches the demo to the
// other scenario in place, in the language in use. With results it asks
// first: n keeps them, y drops them. It failed before: the start screen
// could only say to start the demo again with another scenario.
func TestDemoSwitchesScenario(t *testing.T) {
	var next func() (Config, error)
	switches := 0
	next = func() (Config, error) {
		switches++
		if switches%2 == 1 {
			return demoConfig(t, "healthy", next), nil
		}
		return demoConfig(t, "problems", next), nil
	}
	d := newDriverFor(t, New(demoConfig(t, "problems", next)), 0)
	d.mustShow("[demo: problems]", "s: to see a site that passes, switch to the demo “healthy”", "s other demo")
	d.press("L", "s") // nothing measured: at once, still in Japanese
	d.mustShow("[デモ: 正常]", "s キー: 不具合の見え方を確かめるには")
	d.press("L", "3", "enter", "1") // the full review runs
	if !d.m.sh.ses.Measured() {
		t.Fatal("the full review measured nothing")
	}
	d.press("s")
	d.mustShow("drops this demo's results", "y yes")
	d.press("x") // only y or n answer it
	d.mustShow("drops this demo's results")
	d.press("5", "1") // leaving step 1 is a no
	d.mustNotShow("drops this demo's results")
	d.press("s", "n")
	d.mustNotShow("drops this demo's results")
	if !d.m.sh.ses.Measured() || switches != 1 {
		t.Fatalf("n lost the results or switched (%d switches)", switches)
	}
	d.press("s", "y")
	d.mustShow("[demo: problems]")
	if d.m.sh.ses.Measured() || d.m.screen != screenStart {
		t.Error("the other demo starts with this one's results, or not on step 1")
	}
}

// TestDemoSwitchFailureIsSaid: a site that cannot start leaves the demo
// as it was and says why on the start screen.
func TestDemoSwitchFailureIsSaid(t *testing.T) {
	next := func() (Config, error) { return Config{}, errors.New("no free port") }
	d := newDriverFor(t, New(demoConfig(t, "healthy", next)), 0)
	d.press("s")
	d.mustShow("[demo: healthy]", "could not start the demo “problems”: no free port (this demo carries on)")
}

// TestDemoSwitchesOneAtATime: a second s while the other demo starts does
// not start a second one (two would close each other's sites).
func TestDemoSwitchesOneAtATime(t *testing.T) {
	calls := 0
	next := func() (Config, error) { calls++; return Config{}, errors.New("slow") }
	m := New(demoConfig(t, "problems", next))
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	first := m.askSwitchDemo(demoSwitchAskMsg{})
	second := m.askSwitchDemo(demoSwitchAskMsg{})
	if first == nil || second != nil {
		t.Fatalf("first %v, second %v: want one switch", first != nil, second != nil)
	}
	m.Update(first())
	if calls != 1 || m.start.switching {
		t.Errorf("%d starts; still switching after it failed: %v", calls, m.start.switching)
	}
	if m.askSwitchDemo(demoSwitchAskMsg{}) == nil {
		t.Error("after a failed start, s does nothing")
	}
}

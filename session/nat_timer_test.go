package session

import (
	"strings"
	"testing"
	"time"

	"github.com/biztel-tools/biztel-doctor/checks"
	"github.com/biztel-tools/biztel-doctor/content"
)

// beginLadder starts a run of nat.timer and sip.udp; nat.timer reports
// rungs (its live state) and nothing finishes.
func beginLadder(s *Session, rungs []checks.Rung) {
	plan := &checks.Plan{Checks: []string{"sip.udp", "nat.timer"}, Options: checks.Options{NATTimerMax: time.Hour}}
	s.Begin(plan, KindFirst, "")
	s.Event(checks.Event{Kind: checks.EventStarted, ID: "nat.timer", At: s.now()})
	if rungs != nil {
		s.Event(checks.Event{Kind: checks.EventSample, ID: "nat.timer", Sample: &checks.Sample{ID: "nat.timer", Rungs: rungs}})
	}
}

// TestInterruptKeepsWhatNATTimerProved: the way out that cannot wait for
// the check (a signal, a closed terminal, the quit key) keeps what the
// answered rungs proved — warn "only ≥ N s proven" with the nat-timer
// remedy, never fail even after an expiry — and the rest stays error
// "interrupted"; before any rung answered nat.timer is error too.
func TestInterruptKeepsWhatNATTimerProved(t *testing.T) {
	for _, tc := range []struct {
		name   string
		rungs  []checks.Rung
		status checks.Status
		says   []string
	}{
		{"survived", []checks.Rung{{Idle: 7 * time.Second, State: checks.RungSurvived}, {Idle: 14 * time.Second, State: checks.RungSurvived},
			{Idle: 28 * time.Second, State: checks.RungWaiting}}, checks.Warn, []string{"only ≥ 14s", "run biztel-doctor check --long --only nat.timer"}},
		{"expired", []checks.Rung{{Idle: 7 * time.Second, State: checks.RungSurvived}, {Idle: 14 * time.Second, State: checks.RungExpired},
			{Idle: 28 * time.Second, State: checks.RungCut}}, checks.Warn, []string{"only ≥ 7s", "gone after 14s", "full run"}},
		{"nothing answered", []checks.Rung{{Idle: 7 * time.Second, State: checks.RungWaiting}}, checks.Error, []string{"interrupted"}},
		{"no rungs yet", nil, checks.Error, []string{"interrupted"}},
	} {
		s, _ := newTestSession(t)
		beginLadder(s, tc.rungs)
		s.Interrupt()
		rep := s.Report(content.En, false)
		if !rep.Interrupted {
			t.Errorf("%s: report not interrupted", tc.name)
		}
		for _, r := range rep.Results {
			switch r.ID {
			case "nat.timer":
				if r.Status != tc.status {
					t.Errorf("%s: nat.timer %s %q, want %s", tc.name, r.Status, r.Summary.En, tc.status)
				}
				for _, w := range tc.says {
					if !strings.Contains(r.Summary.En, w) {
						t.Errorf("%s: %q does not say %q", tc.name, r.Summary.En, w)
					}
				}
				if tc.status == checks.Warn && (len(r.Remedies) == 0 || r.Remedies[0] != "nat-timer-3600" || r.Facts["cut_short"] != true) {
					t.Errorf("%s: remedies %v facts %v", tc.name, r.Remedies, r.Facts)
				}
			case "sip.udp":
				if r.Status != checks.Error || r.Summary.En != "interrupted" {
					t.Errorf("%s: sip.udp %s %q, want error interrupted", tc.name, r.Status, r.Summary.En)
				}
			}
		}
	}
}

// TestHintWordsPerFront: a check's typed hint is said with the CLI's flag
// in `check` and with the TUI's step and key on its screens; the TUI's
// words name no flag.
func TestHintWordsPerFront(t *testing.T) {
	r := checks.WarnResult("nat.timer", content.T("短い", "short"), "nat-timer-3600")
	r.Hint = checks.Hint{Kind: checks.HintLongerHorizon, Tested: 20 * time.Second, Want: time.Hour}
	for _, front := range []Front{FrontCLI, FrontTUI} {
		s := New(Config{Content: content.MustLoad(), Front: front}, nil)
		run(s, KindFirst, "", r)
		got, _ := s.Latest("nat.timer")
		for _, text := range []string{got.Summary.Ja, got.Summary.En} {
			flag := strings.Contains(text, "--nat-timer-max 3600s")
			if front == FrontCLI && !flag || front == FrontTUI && strings.Contains(text, "--") {
				t.Errorf("front %q: %q", front, text)
			}
			if front == FrontTUI && !strings.Contains(text, "3600") {
				t.Errorf("front %q names no horizon: %q", front, text)
			}
		}
	}
	run2 := checks.WarnResult("nat.timer", content.T("止めた", "stopped"), "nat-timer-3600")
	run2.Hint = checks.Hint{Kind: checks.HintRunToEnd, Tested: 14 * time.Second, Want: time.Hour}
	if w := HintWords(content.MustLoad(), run2.Hint, FrontTUI); strings.Contains(w.En+w.Ja, "--") || w.En == "" {
		t.Errorf("TUI words %q", w.En)
	}
}

package tui

import (
	"bytes"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/biztel-tools/biztel-doctor/checks"
	"github.com/biztel-tools/biztel-doctor/content"
)

// TestProgramRunsChecksThroughCommands runs the app in a real Bubble Tea
// program (teatest): the run's events arrive as messages through the
// program's own command loop, and the first frame comes without a key.
func TestProgramRunsChecksThroughCommands(t *testing.T) {
	m := New(Config{Lang: content.En, NoColor: true, Profile: testProfile(false), Env: &checks.Env{},
		Runner: fakeRunner(map[string]checks.Result{"sip.udp": failed("sip.udp", "allow-sip-udp")}),
		OutDir: t.TempDir(), Now: func() time.Time { return fixedNow }})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))
	shows := func(s string) func([]byte) bool {
		return func(b []byte) bool { return bytes.Contains([]byte(ansi.Strip(string(b))), []byte(s)) }
	}
	teatest.WaitFor(t, tm.Output(), shows("Traffic plan"), teatest.WithDuration(5*time.Second))
	tm.Send(tea.KeyPressMsg{Code: '5', Text: "5"})
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	teatest.WaitFor(t, tm.Output(), shows("Done. Enter"), teatest.WithDuration(5*time.Second))
	tm.Send(tea.KeyPressMsg{Code: 'q', Text: "q"})
	tm.Send(tea.KeyPressMsg{Code: 'y', Text: "y"})
	final := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(*Model)
	rep := final.Report()
	if rep == nil || rep.ExitCode() != 1 {
		t.Fatalf("final report %v: want the sip.udp failure (exit 1)", rep)
	}
	var found bool
	for _, it := range rep.Checklist {
		found = found || it.ID == "allow-sip-udp"
	}
	if !found || !strings.Contains(resultsOf(final.sh)["sip.udp"].Summary.En, "failed") {
		t.Fatalf("checklist %v lacks allow-sip-udp", rep.Checklist)
	}
}

// BenchmarkFirstFrame is start to first frame: building the app (content
// loaded once per process, as in the binary) and rendering at 80×24.
// Goal ≤ 100 ms.
func BenchmarkFirstFrame(b *testing.B) {
	content.MustLoad()
	for b.Loop() {
		m := New(Config{Lang: content.Ja, Profile: testProfile(true), Env: &checks.Env{}})
		m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
		if v := m.View(); v.Content == "" {
			b.Fatal("empty first frame")
		}
	}
}

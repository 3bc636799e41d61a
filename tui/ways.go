package tui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/biztel-tools/biztel-doctor/checks"
	"github.com/biztel-tools/biztel-doctor/report"
)

// waysModel is step 3: the full review, or one of the symptoms, which picks
// the questions and the checks. Choosing starts the checks in the
// background, so their results prefill the questions.
type waysModel struct {
	sh        *shared
	cur       int  // 0: full review; i: symptom i-1
	confirmed bool // the heavy load was stated and Enter pressed once
}

func newWays(sh *shared) waysModel { return waysModel{sh: sh} }

func (m waysModel) keys() []key.Binding {
	k := m.sh.keys
	return []key.Binding{k.Up, k.Enter, k.Back}
}

func (m waysModel) update(msg tea.Msg) (waysModel, tea.Cmd) {
	k := m.sh.keys
	n := len(m.sh.c.Symptoms()) + 1
	if msg, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(msg, k.Up):
			m.cur = (m.cur + n - 1) % n
		case key.Matches(msg, k.Down):
			m.cur = (m.cur + 1) % n
		case key.Matches(msg, k.Back):
			m.confirmed = false
			return m, goTo(screenSite)
		case key.Matches(msg, k.Enter):
			if m.sh.ses.Profile == nil {
				return m, goTo(screenSite)
			}
			if calls, _ := m.load(); calls > loadConfirmCalls && !m.confirmed {
				m.confirmed = true // the view asks; the next Enter sends
				return m, nil
			}
			m.sh.ses.Symptom = ""
			if m.cur > 0 {
				m.sh.ses.Symptom = m.sh.c.Symptoms()[m.cur-1].ID
			}
			m.sh.ses.Chosen = true
			return m, tea.Batch(func() tea.Msg { return startChecksMsg{} }, goTo(screenTree))
		}
	}
	return m, nil
}

func (m waysModel) view() string {
	sh := m.sh
	w := sh.bodyWidth()
	lines := wrap(sh.L("ways.intro"), w)
	item := func(i int, s string) string {
		if i == m.cur {
			return sh.st.cursor.Render("> " + s)
		}
		return "  " + s
	}
	lines = append(lines, item(0, sh.L("ways.full")), sh.st.dim.Render("  "+sh.L("ways.symptom")+":"))
	for i, s := range sh.c.Symptoms() {
		// lettered: the digits 1-8 jump to the steps
		lines = append(lines, item(i+1, clip(string(rune('A'+i))+". "+s.Title.In(sh.lang), w-4)))
	}
	lines = append(lines, "")
	// The run's order and load where the details of a symptom would go
	// (the same run starts either way), and always while confirming.
	if m.cur == 0 || m.confirmed {
		return strings.Join(append(lines, m.loadLines(w)...), "\n")
	}
	if m.cur > 0 {
		s := sh.c.Symptoms()[m.cur-1]
		lines = append(lines, sh.st.bold.Render(sh.L("ways.causes")))
		for _, c := range s.Causes {
			lines = append(lines, clip("  - "+c.In(sh.lang), w))
		}
		lines = append(lines, clip(sh.L("ways.checks")+": "+strings.Join(s.Checks, ", "), w),
			sh.st.dim.Render(clip(sh.L("tree.source")+": "+s.Source.In(sh.lang), w)))
	}
	return strings.Join(lines, "\n")
}

// loadConfirmCalls: above this many calls media.bandwidth's load (200 kbps
// each way per call) is heavy enough that the TUI asks before sending it.
const loadConfirmCalls = 50

// load is what media.bandwidth would send in the full review.
func (m waysModel) load() (int, string) {
	p := m.sh.plan(nil)
	if p == nil {
		return 0, ""
	}
	calls, text := checks.LoadOf(p)
	return calls, text.In(m.sh.lang)
}

// loadLines state the load and the run's order before anything is sent,
// and ask for confirmation above loadConfirmCalls calls.
func (m waysModel) loadLines(w int) []string {
	sh := m.sh
	p := sh.plan(nil)
	if p == nil {
		return nil
	}
	var out []string
	for _, l := range report.PlanOrderLines(p, sh.lang, sh.c) {
		out = append(out, sh.st.dim.Render(clip(l, w)))
	}
	calls, load := m.load()
	if calls == 0 {
		return append(out, "")
	}
	out = append(out, wrap(sh.L("ways.load")+": "+load, w)...)
	if m.confirmed && calls > loadConfirmCalls {
		out = append(out, sh.st.bold.Render(clip(sh.L("ways.load.confirm"), w)))
	}
	return append(out, "")
}

package tui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// waysModel is step 3: the full review, or one of the symptoms, which picks
// the questions and the checks. Choosing starts the checks in the
// background, so their results prefill the questions.
type waysModel struct {
	sh  *shared
	cur int // 0: full review; i: symptom i-1
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
			return m, goTo(screenSite)
		case key.Matches(msg, k.Enter):
			if m.sh.ses.Profile == nil {
				return m, goTo(screenSite)
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

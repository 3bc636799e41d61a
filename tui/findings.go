package tui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/biztel-tools/biztel-doctor/findings"
	"github.com/biztel-tools/biztel-doctor/report"
)

// findingsModel is step 6: the results grouped by root cause, the answers
// that call for a change, then the checklist with the site's values; items
// can be ticked, and "verify" re-runs just the checks that prove an item.
type findingsModel struct {
	sh  *shared
	cur int // checklist item under the cursor
	off int
	// follow keeps the cursor in view. Off on entering, so the root causes
	// at the top show first even when the checklist is long (a site with
	// several faults); the first move or tick brings the cursor into view.
	follow bool
}

func newFindings(sh *shared) findingsModel { return findingsModel{sh: sh} }

func (m *findingsModel) enter() { m.off, m.follow = 0, false }

func (m findingsModel) keys() []key.Binding {
	k := m.sh.keys
	return []key.Binding{k.Up, k.Tick, k.Verify, k.Enter}
}

func (m findingsModel) update(msg tea.Msg) (findingsModel, tea.Cmd) {
	msgKey, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return m, nil
	}
	k := m.sh.keys
	items := m.sh.report().Checklist
	switch {
	case key.Matches(msgKey, k.Up):
		if m.cur == 0 {
			m.off, m.follow = 0, false // up from the first item shows the root causes again
		} else if m.follow {
			m.cur--
		}
		m.follow = m.follow || m.cur > 0
	case key.Matches(msgKey, k.Down):
		if m.follow && m.cur < len(items)-1 {
			m.cur++
		}
		m.follow = true
	case key.Matches(msgKey, k.Tick) && m.cur < len(items):
		m.follow = true
		id := items[m.cur].ID
		m.sh.ticked[id] = !m.sh.ticked[id]
		m.sh.exported = false
	case key.Matches(msgKey, k.Verify) && m.cur < len(items) && len(items[m.cur].Verify) > 0 && m.sh.verifying == "":
		it := items[m.cur]
		return m, func() tea.Msg { return startChecksMsg{only: it.Verify, verify: it.ID} }
	case key.Matches(msgKey, k.Enter):
		return m, goTo(screenConfig)
	case key.Matches(msgKey, k.Back):
		return m, goTo(screenChecks)
	}
	return m, nil
}

func (m findingsModel) view() string {
	sh := m.sh
	w := sh.bodyWidth()
	rep := sh.report()
	var lines []string
	lines = append(lines, sh.st.bold.Render(sh.L("findings.groups")))
	lines = append(lines, m.groupLines(w)...)
	lines = append(lines, "", sh.st.bold.Render(sh.L("findings.checklist")))
	cursorLine := len(lines)
	for i, it := range rep.Checklist {
		if i == m.cur {
			cursorLine = len(lines)
		}
		lines = append(lines, m.itemLines(i, it, w)...)
	}
	if len(rep.Checklist) == 0 {
		lines = append(lines, "  "+sh.L("report.checklist.none"))
	}
	h := sh.bodyHeight()
	off := m.off
	if m.follow {
		off = follow(m.off, cursorLine, h-3)
		if cursorLine+3 < len(lines) && cursorLine+3 >= off+h {
			off = cursorLine + 4 - h
		}
	}
	shown, _ := window(lines, off, h)
	return strings.Join(shown, "\n")
}

// groupLines renders the root-cause groups and the answers.
func (m findingsModel) groupLines(w int) []string {
	sh := m.sh
	if len(sh.results) == 0 {
		return []string{"  " + sh.L("findings.notrun")}
	}
	groups := findings.GroupResults(sh.resultsInOrder())
	answers := findings.FromAnswers(sh.c.Tree(), sh.effectiveAnswers())
	if len(groups) == 0 && len(answers) == 0 {
		return []string{"  " + sh.st.ok.Render(sh.L("findings.none"))}
	}
	var out []string
	for _, g := range groups {
		title, explain := m.groupText(g)
		ids := ""
		if !g.Single() {
			ids = "  (" + strings.Join(g.Checks, ", ") + ")"
		}
		out = append(out, clip("  "+pad(sh.status(g.Status), 13)+" "+title+ids, w))
		for _, l := range wrap(explain, w-6) {
			out = append(out, "      "+sh.st.dim.Render(l))
		}
	}
	for _, a := range answers {
		out = append(out, clip("  "+pad("["+sh.L("findings.answer")+"]", 13)+" "+a.Node+": "+a.Finding.In(sh.lang), w))
	}
	return out
}

// groupText is a group's title and explanation: the cause's texts, or the
// check's own title and summary for a single result.
func (m findingsModel) groupText(g findings.Group) (string, string) {
	sh := m.sh
	if g.Single() {
		id := g.Checks[0]
		title := id
		if ci, ok := sh.c.Check(id); ok {
			title = id + " " + ci.Title.In(sh.lang)
		}
		return title, sh.results[id].Summary.In(sh.lang)
	}
	return sh.L("finding." + g.ID + ".title"), sh.L("finding." + g.ID + ".explain")
}

// itemLines renders one checklist item: tick box, title, its section of the
// page, and the checks that verify it with their latest status.
func (m findingsModel) itemLines(i int, it report.Item, w int) []string {
	sh := m.sh
	box := "[ ]"
	if sh.ticked[it.ID] {
		box = "[x]"
	}
	head := box + " " + it.Title.In(sh.lang) + "  (" + it.ID + ")"
	if i == m.cur {
		head = sh.st.cursor.Render("> " + clip(head, w-2))
	} else {
		head = "  " + clip(head, w-2)
	}
	out := []string{head, sh.st.dim.Render(clip("      "+sh.L("findings.source")+": "+it.Source.In(sh.lang), w))}
	if len(it.Verify) > 0 {
		var vs []string
		for _, id := range it.Verify {
			st := "[  ]"
			if r, ok := sh.results[id]; ok {
				st = r.Status.Symbol()
			}
			vs = append(vs, id+" "+st)
		}
		line := "      " + sh.L("findings.verify") + ": " + strings.Join(vs, ", ")
		if sh.verifying == it.ID {
			line = "      " + sh.L("findings.verifying", "checks", strings.Join(it.Verify, ", "))
		}
		out = append(out, clip(line, w))
	}
	if i == m.cur {
		for _, s := range it.Steps {
			for _, l := range wrap(s.In(sh.lang), w-8) {
				out = append(out, "        "+l)
			}
		}
	}
	return out
}

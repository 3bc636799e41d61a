package tui

import (
	"fmt"
	"slices"
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
	sh    *shared
	cur   int    // checklist item under the cursor
	curID string // its remedy id: the cursor stays on its item when items are added
	off   int
	// follow keeps the cursor in view. Off on entering, so the root causes
	// at the top show first even when the checklist is long (a site with
	// several faults); the first move, tick or verify brings the cursor
	// into view (and a tick or verify acts only on an item in view).
	follow bool
}

func newFindings(sh *shared) findingsModel { return findingsModel{sh: sh} }

func (m *findingsModel) enter() { m.off, m.follow = 0, false }

func (m findingsModel) keys() []key.Binding {
	k := m.sh.keys
	if _, fixable := m.sh.cfg.DemoFixes[m.curID]; m.sh.cfg.Demo && fixable && !m.sh.demoFixed[m.curID] {
		return []key.Binding{k.Up, k.Tick, k.Verify, k.DemoFix, k.Enter, k.PageDn, k.Home}
	}
	return []key.Binding{k.Up, k.Tick, k.Verify, k.Enter, k.PageDn, k.Home}
}

// applyDemoFix repairs the item's fault on the simulated site: the runs
// to come contact a healthy fake, so a verify shows NG → OK on the same
// item number. Only in the demo, only for a fault it simulates.
func (m findingsModel) applyDemoFix(id string) {
	sh := m.sh
	fix, ok := sh.cfg.DemoFixes[id]
	if !sh.cfg.Demo || !ok || sh.demoFixed[id] {
		return
	}
	sh.ses.Adjust(fix)
	cfg := sh.cfg
	cfg.Options = sh.ses.Options(nil)
	for loop, real := range newDemoPorts(cfg) { // the healthy fake's ports read as the site's
		sh.ports[loop] = real
	}
	if sh.demoFixed == nil {
		sh.demoFixed = map[string]bool{}
	}
	sh.demoFixed[id] = true
}

func (m findingsModel) update(msg tea.Msg) (findingsModel, tea.Cmd) {
	msgKey, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return m, nil
	}
	items := m.sh.report().Checklist
	m.locate(items)
	m, cmd := m.key(msgKey, items)
	if m.cur < len(items) {
		m.curID = items[m.cur].ID
	}
	return m, cmd
}

func (m findingsModel) key(msgKey tea.KeyPressMsg, items []report.Item) (findingsModel, tea.Cmd) {
	k := m.sh.keys
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
	case (key.Matches(msgKey, k.Tick) || key.Matches(msgKey, k.Verify)) && !m.cursorShown():
		// the item under the cursor is below the root causes: show it
		// first, so a tick or a verify never acts on an item out of sight
		m.follow = true
	case key.Matches(msgKey, k.Tick) && m.cur < len(items):
		m.follow = true
		id := items[m.cur].ID
		m.sh.ses.Ticked[id] = !m.sh.ses.Ticked[id]
		m.sh.exported = false
	case key.Matches(msgKey, k.Verify) && m.cur < len(items) && len(items[m.cur].Verify) > 0 && m.sh.verifying == "":
		m.follow = true
		it := items[m.cur]
		return m, func() tea.Msg { return startChecksMsg{only: it.Verify, verify: it.ID} }
	case key.Matches(msgKey, k.DemoFix) && m.cur < len(items):
		m.follow = true
		m.applyDemoFix(items[m.cur].ID)
	case key.Matches(msgKey, k.Enter):
		return m, goTo(screenConfig)
	case key.Matches(msgKey, k.Back):
		return m, goTo(screenChecks)
	case key.Matches(msgKey, k.Home):
		m.cur, m.off, m.follow = 0, 0, false
	case key.Matches(msgKey, k.End):
		m.cur, m.follow = max(len(items)-1, 0), true
	case key.Matches(msgKey, k.PageDn), key.Matches(msgKey, k.PageUp):
		lines, from, to := m.layout()
		h := m.sh.bodyHeight()
		off := m.offset(len(lines), from, to)
		m.off, _ = scrollKey(msgKey, k, off, len(lines), h, false)
		m.follow = false
	}
	return m, nil
}

func (m findingsModel) view() string {
	lines, from, to := m.layout()
	return strings.Join(m.sh.viewport(lines, m.offset(len(lines), from, to), m.sh.bodyHeight()), "\n")
}

// layout is every line of the screen, and the lines [from, to) of the
// checklist item under the cursor (from == to when there is none).
func (m findingsModel) layout() (lines []string, from, to int) {
	sh := m.sh
	w := sh.bodyWidth()
	rep := sh.report()
	m.locate(rep.Checklist)
	lines = append(lines, sh.st.bold.Render(sh.L("findings.groups")))
	lines = append(lines, m.groupLines(w)...)
	lines = append(lines, "", sh.st.bold.Render(sh.L("findings.checklist")))
	from, to = len(lines), len(lines)
	for i, it := range rep.Checklist {
		item := m.itemLines(i, rep.Checklist[len(rep.Checklist)-1].Number, it, w)
		if i == m.cur {
			from, to = len(lines), len(lines)+len(item)
		}
		lines = append(lines, item...)
	}
	switch {
	case len(rep.Checklist) == 0 && !sh.ses.Measured():
		lines = append(lines, "  "+sh.L("findings.notrun")) // not "nothing to change": nothing was checked
	case len(rep.Checklist) == 0:
		lines = append(lines, "  "+sh.L("report.checklist.none"))
	}
	return lines, from, to
}

// locate puts the cursor back on its item when the list changed (a
// verified item is kept at the end of the list).
func (m *findingsModel) locate(items []report.Item) {
	for i, it := range items {
		if it.ID == m.curID {
			m.cur = i
			return
		}
	}
	m.cur = min(m.cur, max(len(items)-1, 0))
}

// offset is the first line shown: the top until the checklist is used,
// then the whole item under the cursor (its steps too), as far as it fits.
func (m findingsModel) offset(n, from, to int) int {
	h := m.sh.bodyHeight()
	if n > h {
		h-- // the position line
	}
	if !m.follow {
		return max(min(m.off, n-h), 0)
	}
	off := 0
	if to > off+h {
		off = to - h
	}
	if from < off {
		off = from // an item taller than the screen shows from its head
	}
	if off > n-h {
		off = n - h
	}
	return max(off, 0)
}

// cursorShown reports whether the head of the item under the cursor is on
// the screen, where the user can see what a tick or a verify acts on.
func (m findingsModel) cursorShown() bool {
	lines, from, to := m.layout()
	if from == to {
		return true // no item: nothing to act on
	}
	h := m.sh.bodyHeight()
	if len(lines) > h {
		h--
	}
	off := m.offset(len(lines), from, to)
	return from >= off && from < off+h
}

// groupLines renders the root-cause groups and the answers.
func (m findingsModel) groupLines(w int) []string {
	sh := m.sh
	if !sh.ses.Measured() {
		return []string{"  " + sh.L("findings.notrun")}
	}
	groups := findings.GroupResults(sh.resultsInOrder())
	answers := findings.FromAnswers(sh.c.Tree(), sh.effectiveAnswers())
	if len(groups) == 0 && len(answers) == 0 {
		return m.noneFound(w)
	}
	var out []string
	prov := sh.ses.Provisional()
	for _, g := range groups {
		title, explain := m.groupText(g)
		if slices.ContainsFunc(g.Checks, func(id string) bool { return prov[id] }) {
			title += " " + sh.L("session.provisional") // its checks still run: it may change
		}
		out = append(out, hang("  "+pad(sh.status(g.Status), 13)+" ", title, w)...)
		for _, l := range wrap(explain, w-6) {
			out = append(out, "      "+l)
		}
	}
	for _, a := range answers {
		text := a.Finding.In(sh.lang)
		if m.answerProvisional(a.Node, prov) {
			text += " " + sh.L("session.provisional")
		}
		out = append(out, hang("  "+pad("["+sh.L("findings.answer")+"]", 13)+" ", text, w)...)
	}
	return out
}

// answerProvisional reports whether the answer to node came from a check
// of the run in flight (prefilled from its result, which may change).
func (m findingsModel) answerProvisional(node string, prov map[string]bool) bool {
	for _, n := range m.sh.c.Tree().Nodes {
		if n.ID == node && prov[n.Check] {
			_, src := m.sh.answer(n)
			return src == fromCheck
		}
	}
	return false
}

// noneFound is "no problems found" with what it rests on: the checks that
// measured nothing (skipped, left out, never run), and on a symptom's path
// that only its checks ran, with the way to the full review.
func (m findingsModel) noneFound(w int) []string {
	sh := m.sh
	out := []string{"  " + sh.st.ok.Render(sh.L("findings.none"))}
	if ids := sh.ses.NotMeasured(); len(ids) > 0 {
		for _, l := range wrap(sh.L("findings.notmeasured", "checks", sh.checkNames(ids)), w-4) {
			out = append(out, "    "+l)
		}
	}
	if sh.ses.Symptom != "" {
		for _, l := range wrap(sh.L("findings.symptomonly", "full", sh.L("ways.full")), w-4) {
			out = append(out, "    "+l)
		}
	}
	return out
}

// groupText is a group's title and explanation: the cause's texts, or the
// check's own title and summary for a single result.
func (m findingsModel) groupText(g findings.Group) (string, string) {
	sh := m.sh
	if g.Single() {
		id := g.Checks[0]
		r, _ := sh.result(id)
		return sh.checkName(id), r.Summary.In(sh.lang)
	}
	return sh.L("finding." + g.ID + ".title"), sh.L("finding."+g.ID+".explain") +
		sh.L("findings.shown_by", "checks", sh.checkNames(g.Checks))
}

// supportLines list the root causes' and the checklist's ids.
func (m findingsModel) supportLines(w int) []string {
	sh := m.sh
	var out []string
	for _, g := range findings.GroupResults(sh.resultsInOrder()) {
		out = append(out, hang("  ", g.ID+": "+strings.Join(g.Checks, ", "), w)...)
	}
	for i, it := range sh.report().Checklist {
		out = append(out, hang("  "+itoa(i+1)+". ", it.ID+" ("+strings.Join(it.Verify, ", ")+")", w)...)
	}
	return out
}

// itemLines renders item i of n: number, tick box, title, its section of the
// page, and the checks that verify it with their latest status.
func (m findingsModel) itemLines(i, last int, it report.Item, w int) []string {
	sh := m.sh
	box := "[ ]"
	if it.Done {
		box = "[x]"
	}
	// the session's number, kept whatever is fixed or added; aligned
	num := fmt.Sprintf("%*d. ", len(itoa(last)), it.Number)
	title := it.Title.In(sh.lang)
	if it.Provisional {
		title += " " + sh.L("session.provisional") // made while its checks still run
	}
	var out []string
	if i == m.cur {
		out = styled(sh.st.cursor, hang("> "+num+box+" ", title, w))
	} else {
		out = hang("  "+num+box+" ", title, w)
	}
	out = append(out, hang("      "+sh.L("findings.source")+": ", it.Source.In(sh.lang), w)...)
	if len(it.Verify) > 0 {
		var vs []string
		for _, id := range it.Verify {
			st := sh.L("findings.notyet")
			if r, ok := sh.result(id); ok {
				st = r.Status.Symbol()
			}
			vs = append(vs, sh.checkName(id)+" "+st)
		}
		line := sh.L("findings.verify") + ": " + strings.Join(vs, sh.L("list.sep"))
		if sh.verifying == it.ID {
			line = sh.L("findings.verifying", "checks", sh.checkNames(it.Verify))
		}
		out = append(out, hang("      ", line, w)...)
		if sh.verifying != it.ID {
			for _, v := range it.History {
				out = append(out, hang("      ", report.HistoryLine(v, sh.lang, sh.c), w)...)
			}
		}
	}
	if _, fixable := sh.cfg.DemoFixes[it.ID]; sh.cfg.Demo && fixable && !it.Fixed {
		label := "findings.demofix"
		if sh.demoFixed[it.ID] {
			label = "findings.demofixed"
		}
		out = append(out, hang("      ", sh.L(label), w)...)
	}
	if i == m.cur {
		for _, s := range it.Steps {
			out = append(out, hang("        - ", s.In(sh.lang), w)...)
		}
	}
	return out
}

package tui

import (
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/findings"
	"github.com/biztel-tools/biztel-doctor/profile"
)

// treeModel is step 4: the decision tree of the page. A question a live
// check answers is prefilled from its result and says so; choosing another
// answer asks for a reason, which goes into the report.
type treeModel struct {
	sh      *shared
	cur     int // index into the shown nodes; == len: all answered
	ans     int // answer under the cursor
	reason  textinput.Model
	pending string // answer waiting for its override reason
	off     int    // scroll offset (PgUp/PgDn/Home/End)
	manual  bool   // scrolled by hand: the view stops following the cursor
	// asked is the question whose check still runs on which Enter was
	// pressed once: the second Enter answers it by hand.
	asked string
}

// lineCount is the height of the whole screen, for scrolling.
func (m treeModel) lineCount() int { return strings.Count(m.full(), "\n") + 1 }

func newTree(sh *shared) treeModel {
	ti := newInput("> ")
	ti.CharLimit = 200
	return treeModel{sh: sh, reason: ti}
}

// path is the nodes of the way in, in order, that are shown given the
// answers so far.
func (m treeModel) path() []content.TreeNode {
	tree := m.sh.c.Tree()
	var ids []string
	if s, ok := m.sh.symptomInfo(); ok {
		ids = s.Nodes
	}
	answers := m.sh.effectiveAnswers()
	var out []content.TreeNode
	for _, n := range tree.Nodes {
		if ids != nil && !slices.Contains(ids, n.ID) {
			continue
		}
		if findings.Shown(n, answers) {
			out = append(out, n)
		}
	}
	return out
}

// answers lists a node's answers; a vendor node offers the vendor names.
func (m treeModel) answers(n content.TreeNode) []content.TreeAnswer {
	if n.Kind != content.NodeVendor {
		return n.Answers
	}
	var out []content.TreeAnswer
	for _, v := range profile.Vendors {
		label := content.T(v, v)
		if vt, ok := m.sh.c.Vendor(v); ok {
			label = content.T(vt.Display, vt.Display) // product names, not the flag's slugs
		}
		if v == "generic" {
			label = m.sh.c.UI["tree.vendor_none"]
		}
		out = append(out, content.TreeAnswer{ID: v, Label: label})
	}
	return out
}

func (m treeModel) capturing() bool { return m.pending != "" }

// toVendor puts the cursor on the device question (every way in asks it:
// TestStep7ChangesDevice holds each symptom to it); false when not shown.
func (m *treeModel) toVendor() bool {
	for i, n := range m.path() {
		if n.Kind == content.NodeVendor {
			m.cur = i
			return true
		}
	}
	return false
}

// enter puts the cursor on the current answer of the current question.
func (m *treeModel) enter() {
	p := m.path()
	if m.cur > len(p) {
		m.cur = len(p)
	}
	m.syncCursor()
}

func (m *treeModel) syncCursor() {
	p := m.path()
	m.ans = 0
	if m.cur >= len(p) {
		return
	}
	a, _ := m.sh.answer(p[m.cur])
	for i, x := range m.answers(p[m.cur]) {
		if x.ID == a {
			m.ans = i
		}
	}
}

func (m treeModel) keys() []key.Binding {
	k := m.sh.keys
	if m.pending != "" {
		return []key.Binding{k.Enter, k.Leave}
	}
	return []key.Binding{k.Up, k.Enter, k.Left, k.Right, k.PageDn}
}

func (m treeModel) update(msg tea.Msg) (treeModel, tea.Cmd) {
	key_, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return m, nil
	}
	if m.pending != "" {
		return m.reasonKey(key_)
	}
	k := m.sh.keys
	p := m.path()
	if key.Matches(key_, k.Left) || key.Matches(key_, k.Back) || key.Matches(key_, k.Right) {
		m.asked = "" // another question: its own Enter asks again
	}
	switch {
	case key.Matches(key_, k.Left), key.Matches(key_, k.Back):
		if m.cur > 0 {
			m.cur--
			m.syncCursor()
		} else {
			return m, goTo(screenWays)
		}
	case key.Matches(key_, k.Right):
		if m.cur < len(p) {
			m.cur++
			m.syncCursor()
		}
	case m.cur >= len(p):
		if key.Matches(key_, k.Enter) {
			return m, goTo(screenChecks)
		}
	case key.Matches(key_, k.Up):
		if m.ans > 0 {
			m.ans--
		}
	case key.Matches(key_, k.Down):
		if m.ans < len(m.answers(p[m.cur]))-1 {
			m.ans++
		}
	case key.Matches(key_, k.Enter):
		if _, src := m.sh.answer(p[m.cur]); src == fromWaiting && m.asked != p[m.cur].ID {
			m.asked = p[m.cur].ID // Enter to move on would otherwise answer for the check
			return m, nil
		}
		m.asked = ""
		return m.choose(p[m.cur])
	default:
		m.off, m.manual = scrollKey(key_, k, m.off, m.lineCount(), m.sh.bodyHeight(), false)
		return m, nil
	}
	m.manual = false
	return m, nil
}

// choose takes the answer under the cursor; against a check's answer it
// first asks why.
func (m treeModel) choose(n content.TreeNode) (treeModel, tea.Cmd) {
	id := m.answers(n)[m.ans].ID
	if prev, src := m.sh.answer(n); src == fromCheck && prev != id {
		m.pending = id
		m.reason.SetValue("")
		return m, m.reason.Focus()
	}
	if m.sh.prefill(n) == id {
		delete(m.sh.ses.Reasons, n.ID)
	}
	m.set(n, id)
	return m, nil
}

func (m treeModel) reasonKey(msg tea.KeyPressMsg) (treeModel, tea.Cmd) {
	k := m.sh.keys
	switch {
	case key.Matches(msg, k.Back):
		m.pending = ""
		m.reason.Blur()
		return m, nil
	case key.Matches(msg, k.Enter):
		why := strings.TrimSpace(m.reason.Value())
		if why == "" {
			return m, nil // a reason is required
		}
		n := m.path()[m.cur]
		m.sh.ses.Reasons[n.ID] = why
		id := m.pending
		m.pending = ""
		m.reason.Blur()
		m.set(n, id)
		return m, nil
	}
	var cmd tea.Cmd
	m.reason, cmd = m.reason.Update(msg)
	return m, cmd
}

// set records an answer and moves to the next question. The vendor goes
// into the profile, the encryption answer into its option.
func (m *treeModel) set(n content.TreeNode, id string) {
	sh := m.sh
	sh.ses.Answers[n.ID] = id
	sh.exported = false
	if sh.ses.Profile != nil {
		p := *sh.ses.Profile
		switch {
		case n.Kind == content.NodeVendor:
			p.Vendor = id
		case n.Profile != "" && n.Profile != "vpn":
			on := id == "yes"
			setOption(&p.Options, n.Profile, on)
		}
		sh.ses.Profile = &p
	}
	m.cur++
	m.syncCursor()
}

func setOption(o *profile.Options, name string, on bool) {
	switch name {
	case content.OptEncryption:
		o.Encryption = &on
	case content.OptWebRTC:
		o.WebRTC = &on
	case content.OptHardphone:
		o.Hardphone = &on
	case content.OptRecordingDownload:
		o.RecordingDownload = &on
	case content.OptUniConnect:
		o.UniConnect = &on
	}
}

func (m treeModel) view() string { return m.render(false) }

// full is the screen without scrolling.
func (m treeModel) full() string { return m.render(true) }

func (m treeModel) render(full bool) string {
	sh := m.sh
	w := sh.bodyWidth()
	p := m.path()
	if m.cur >= len(p) {
		return strings.Join(m.end(p, w), "\n")
	}
	n := p[m.cur]
	lines := []string{sh.L("tree.progress", "n", itoa(m.cur+1), "total", itoa(len(p)))}
	for _, l := range wrap(n.Question.In(sh.lang), w) {
		lines = append(lines, sh.st.bold.Render(l))
	}
	lines = append(lines, wrap(n.Help.In(sh.lang), w)...)
	lines = append(lines, hang(sh.L("tree.source")+": ", n.Source.In(sh.lang), w)...)
	chosen, src := sh.answer(n)
	if l := m.sourceLine(n, src); l != "" {
		lines = append(lines, wrap(l, w)...)
	}
	if rungs := sh.ses.Ladder(n.Check); src == fromWaiting && len(rungs) > 0 {
		lines = append(lines, rungLines(sh, rungs, w)...) // what the wait has proved so far
	}
	if m.asked == n.ID && src == fromWaiting {
		lines = append(lines, styled(sh.st.warn, wrap(sh.L("session.tree.waiting.confirm", "check", sh.checkName(n.Check)), w))...)
	}
	lines = append(lines, "")
	answers := m.answers(n)
	cur := len(lines)
	for i, a := range answers {
		mark := "( )"
		if a.ID == chosen {
			mark = "(*)"
		}
		if i == m.ans {
			cur = len(lines)
			lines = append(lines, styled(sh.st.cursor, hang("> "+mark+" ", a.Label.In(sh.lang), w))...)
		} else {
			lines = append(lines, hang("  "+mark+" ", a.Label.In(sh.lang), w)...)
		}
	}
	if m.pending != "" {
		lines = append(lines, "")
		lines = append(lines, wrap(sh.L("tree.reason"), w)...)
		cur = len(lines)
		lines = append(lines, m.reason.View())
	}
	if full {
		return strings.Join(lines, "\n")
	}
	h := sh.bodyHeight()
	off := clampOff(m.off, len(lines), h)
	if !m.manual && (cur < off || cur >= off+h-1) { // the answer under the cursor stays in view
		off = clampOff(cur-h/2, len(lines), h)
	}
	return strings.Join(sh.viewport(lines, off, h), "\n")
}

// end is the screen after the last question: "all answered" only when
// every question has an answer; otherwise which are open, and why (a
// check they wait for still runs).
func (m treeModel) end(p []content.TreeNode, w int) []string {
	sh := m.sh
	var open []string
	count := 0
	for i, n := range p {
		a, src := sh.answer(n)
		text := n.Question.In(sh.lang)
		switch src {
		case fromWaiting:
			text = sh.L("session.tree.open.waiting", "question", text, "check", sh.checkName(n.Check))
		case fromNotRun:
			text = sh.L("session.tree.open.not_run", "question", text, "check", sh.checkName(n.Check))
		}
		if a == "" {
			open = append(open, hang("  "+itoa(i+1)+". ", text, w)...)
			count++
		}
	}
	if count == 0 {
		return wrap(sh.L("tree.done"), w)
	}
	out := wrap(sh.L("session.tree.open", "answered", itoa(len(p)-count), "total", itoa(len(p))), w)
	return append(append(append(out, open...), ""), wrap(sh.L("session.tree.open.keys"), w)...)
}

// supportLines are the node ids of the way in, the current one marked.
func (m treeModel) supportLines(w int) []string {
	var out []string
	for i, n := range m.path() {
		mark := "  "
		if i == m.cur {
			mark = "> "
		}
		id := n.ID
		if n.Check != "" {
			id += " (" + n.Check + ")"
		}
		out = append(out, clip(mark+itoa(i+1)+". "+id, w))
	}
	return out
}

// sourceLine says where the current answer came from.
func (m treeModel) sourceLine(n content.TreeNode, src answerSource) string {
	sh := m.sh
	switch src {
	case fromCheck:
		return sh.L("tree.prefilled", "check", sh.checkName(n.Check), "status", sh.latestStatus(n.Check).LabelIn(sh.c, sh.lang))
	case fromProfile:
		return sh.L("tree.from_profile")
	case fromWaiting:
		return sh.L("tree.waiting", "check", sh.checkName(n.Check))
	case fromNotRun: // a long check only r on step 5 runs: nothing to wait for
		return sh.L("tree.not_run", "check", sh.checkName(n.Check), "horizon", sh.horizonWords(), "min", sh.worstMinutes(n.Check))
	case fromHand:
		if why, ok := sh.ses.Reasons[n.ID]; ok {
			return sh.L("tree.overridden", "reason", why)
		}
	}
	return ""
}

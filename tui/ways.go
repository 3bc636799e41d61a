package tui

import (
	"strings"
	"unicode"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/biztel-tools/biztel-doctor/checks"
)

// waysModel is step 3: the full review, or one of the symptoms, which picks
// the questions and the checks. Choosing starts the checks in the
// background, so their results prefill the questions.
type waysModel struct {
	sh        *shared
	cur       int  // 0: full review; i: symptom i-1
	off       int  // scroll offset
	manual    bool // scrolled by hand: the view stops following the cursor
	confirmed bool // the heavy load was stated and Enter pressed once
}

func newWays(sh *shared) waysModel { return waysModel{sh: sh} }

func (m waysModel) keys() []key.Binding {
	k := m.sh.keys
	return []key.Binding{k.Up, m.letters(), k.Enter, k.Back, k.PageDn}
}

// letters are the symptoms' letters (A, B, …), one per symptom: the
// letters on the screen are the keys.
func (m waysModel) letters() key.Binding {
	n := len(m.sh.c.Symptoms())
	var keys []string
	for i := range n {
		keys = append(keys, string(rune('a'+i)), string(rune('A'+i)))
	}
	return key.NewBinding(key.WithKeys(keys...), key.WithHelp("A-"+string(rune('A'+n-1)), m.sh.L("key.letter")))
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
		case key.Matches(msg, m.letters()):
			// a symptom's letter puts the cursor on it: its causes show,
			// Enter starts it
			if i := int(unicode.ToUpper([]rune(msg.Text)[0]) - 'A'); i >= 0 && i < n-1 {
				m.cur = i + 1
			}
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
		default:
			lines, _ := m.lines()
			m.off, m.manual = scrollKey(msg, k, m.off, len(lines), m.sh.bodyHeight(), false)
			return m, nil
		}
		m.manual = false
	}
	return m, nil
}

func (m waysModel) view() string {
	lines, cur := m.lines()
	h := m.sh.bodyHeight()
	off := clampOff(m.off, len(lines), h)
	if !m.manual && (cur < off || cur >= off+h-1) {
		off = clampOff(cur, len(lines), h)
	}
	if m.confirmed {
		off = clampOff(len(lines), len(lines), h) // the question asked is at the end
	}
	return strings.Join(m.sh.viewport(lines, off, h), "\n")
}

// lines is the whole screen and the line of the cursor.
func (m waysModel) lines() ([]string, int) {
	sh := m.sh
	w := sh.bodyWidth()
	lines := wrap(sh.L("ways.intro"), w)
	cur := 0
	item := func(i int, s string) []string {
		if i == m.cur {
			cur = len(lines)
			return styled(sh.st.cursor, hang("> ", s, w))
		}
		return hang("  ", s, w)
	}
	lines = append(lines, item(0, sh.L("ways.full"))...)
	lines = append(lines, "  "+sh.L("ways.symptom")+":")
	for i, s := range sh.c.Symptoms() {
		// lettered: the digits 1-8 jump to the steps
		lines = append(lines, item(i+1, string(rune('A'+i))+". "+s.Title.In(sh.lang))...)
	}
	lines = append(lines, "")
	// The run's order and load where the details of a symptom would go
	// (the same run starts either way), and always while confirming.
	if m.cur == 0 || m.confirmed {
		return append(lines, m.loadLines(w)...), cur
	}
	if m.cur > 0 {
		s := sh.c.Symptoms()[m.cur-1]
		lines = append(lines, sh.st.bold.Render(sh.L("ways.causes")))
		for _, c := range s.Causes {
			lines = append(lines, hang("  - ", c.In(sh.lang), w)...)
		}
		lines = append(lines, longLines(sh, s.Checks, w)...) // before the list: how long is what people ask first
		lines = append(lines, hang(sh.L("ways.checks")+": ", sh.checkNames(sh.willRun(s.Checks)), w)...)
		lines = append(lines, hang(sh.L("tree.source")+": ", s.Source.In(sh.lang), w)...)
	}
	return lines, cur
}

// supportLines are the symptom ids and the checks each runs.
func (m waysModel) supportLines(w int) []string {
	var out []string
	for i, s := range m.sh.c.Symptoms() {
		out = append(out, hang("  "+string(rune('A'+i))+". ", s.ID+": "+strings.Join(m.sh.willRun(s.Checks), ", "), w)...)
	}
	return out
}

// willRun are the checks a run of only would really run, in the plan's
// order: with the checks they need (a symptom's SIP checks need STUN's
// bindings), without the long ones left for r.
func (sh *shared) willRun(only []string) []string {
	if p := sh.plan(only); p != nil {
		return p.Runs()
	}
	return only
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
	out := orderLines(sh, p, w)
	calls, load := m.load()
	if calls == 0 {
		return append(out, "")
	}
	out = append(out, wrap(sh.L("ways.load")+": "+load, w)...)
	if m.confirmed && calls > loadConfirmCalls {
		out = append(out, styled(sh.st.bold, wrap(sh.L("ways.load.confirm"), w))...)
	}
	return append(out, "")
}

// stageKindKeys name a stage's kind (the plan's own words, plan.order.*).
var stageKindKeys = map[checks.StageKind]string{checks.StageTogether: "plan.order.together",
	checks.StageAlone: "plan.order.alone", checks.StageLong: "plan.order.long"}

// orderLines state the run's order as plan does, in the TUI's words: check
// names, lengths in words (8 秒, not 8s), the language's list separator.
func orderLines(sh *shared, p *checks.Plan, w int) []string {
	exp, longest := p.Duration()
	out := wrap(sh.L("ways.order", "exp", sh.duration(exp), "max", sh.duration(longest)), w)
	for i, st := range p.Schedule() {
		line := sh.L("ways.order.stage", "n", itoa(i+1), "kind", sh.L(stageKindKeys[st.Kind]),
			"exp", sh.duration(st.Expected), "checks", sh.checkNames(st.Checks))
		if !st.Why.IsZero() {
			line += " — " + sh.namesForIDs(st.Why.In(sh.lang))
		}
		out = append(out, hang("", line, w)...)
	}
	return out
}

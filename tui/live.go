package tui

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/progress"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/biztel-tools/biztel-doctor/checks"
	"github.com/biztel-tools/biztel-doctor/session"
)

// liveModel is step 5: every check with a spinner, its elapsed time and
// result, an overall progress bar, and a detail pane with the selected
// check's facts. It owns the run: results arrive as messages whatever
// screen is shown, and Esc cancels.
type liveModel struct {
	sh        *shared
	run       *run
	order     []string // the checks listed, in plan order
	started   map[string]time.Time
	finished  map[string]bool
	samples   []checks.Sample // media.quality's live RTT/jitter
	rungs     []checks.Rung   // nat.timer's ladder as it stands
	cur       int
	spin      spinner.Model
	bar       progress.Model
	cancelled bool
	// confirmLong is a long check (nat.timer) whose re-run asks first: its
	// horizon and worst-case length are shown before anything is sent.
	confirmLong string
	baseHorizon time.Duration // the session's own nat.timer horizon, before t changed it
	full        bool          // d: the selected check's whole detail fills the screen
	fullOff     int           // its scroll offset
}

// minListRows is how many rows of the check list stay on screen under a
// long detail pane; the rest of the detail is one key (d) away.
const minListRows = 8

// maxSamples is how many live samples the sparkline keeps (one per column).
const maxSamples = 40

func newLive(sh *shared) liveModel {
	return liveModel{sh: sh, started: map[string]time.Time{}, finished: map[string]bool{},
		spin: spinner.New(spinner.WithSpinner(spinner.Line)),
		bar:  newBar()}
}

// newBar is the run's progress bar: '#' done, '.' to do, both readable on
// a screen share (the bubble's default empty colour is a dark grey).
func newBar() progress.Model {
	b := progress.New(progress.WithFillCharacters('#', '.'), progress.WithoutPercentage(),
		progress.WithColors(lipgloss.Color("#5fafff")))
	b.EmptyColor = lipgloss.Color("#c0c0c0")
	return b
}

func (m liveModel) running() bool { return m.run != nil }

// cancelRun stops a run when the app quits: the session records its
// unfinished checks as error "interrupted" (as checks.Run does), so the
// report saved on the way out never shows them as passed or leaves them out.
func (m *liveModel) cancelRun() {
	if m.run == nil {
		return
	}
	m.run.cancel()
	m.sh.ses.Interrupt()
}

func (m liveModel) keys() []key.Binding {
	k := m.sh.keys
	if m.full {
		return []key.Binding{key.NewBinding(key.WithKeys("d", "esc"), key.WithHelp("d/Esc", k.Back.Help().Desc)), k.Up, k.PageDn, k.Home}
	}
	return []key.Binding{k.Up, k.Enter, k.Detail, k.Rerun, k.RerunAll, k.Back, k.PageDn, k.Home}
}

func (m liveModel) update(msg tea.Msg) (liveModel, tea.Cmd) {
	sh := m.sh
	switch msg := msg.(type) {
	case startChecksMsg:
		if m.running() {
			return m, nil
		}
		plan := sh.plan(msg.only)
		if plan == nil {
			return m, nil
		}
		kind := session.KindFirst
		switch {
		case msg.verify != "":
			kind = session.KindVerify
		case msg.only != nil:
			kind = session.KindRerun
		default:
			m.order = plan.Checks
		}
		for _, id := range plan.Checks {
			delete(m.finished, id)
			delete(m.started, id)
		}
		m.cancelled, m.samples = false, nil
		sh.verifying = msg.verify
		sh.exported = false // the saved report no longer tells all
		sh.ses.Begin(plan, kind, msg.verify)
		return m, tea.Batch(startRun(sh.cfg.Ctx, sh.cfg.Runner, plan, sh.cfg.Env, msg.verify), m.spin.Tick)
	case runStartedMsg:
		m.run = msg.run
		return m, waitEvent(msg.run)
	case checkEventMsg:
		if msg.run != m.run {
			return m, nil // a stale run's event
		}
		m.event(msg.ev)
		return m, waitEvent(msg.run)
	case runDoneMsg:
		if msg.run != m.run {
			return m, nil
		}
		m.done(msg)
		return m, nil
	case spinner.TickMsg:
		if !m.running() {
			return m, nil
		}
		var cmd tea.Cmd
		m.spin, cmd = m.spin.Update(msg)
		return m, cmd
	case tea.KeyPressMsg:
		return m.key(msg)
	}
	return m, nil
}

func (m *liveModel) event(ev checks.Event) {
	switch ev.Kind {
	case checks.EventStarted:
		m.started[ev.ID] = ev.At
	case checks.EventFinished:
		r := m.sh.ports.result(*ev.Result)
		ev.Result = &r
		m.finished[ev.ID] = true
		m.sh.exported = false
		defer m.panicHook(ev.ID) // after the session has the result
	case checks.EventSample:
		if ev.Sample.Rungs != nil {
			m.rungs = ev.Sample.Rungs
		}
		if ev.ID == "nat.timer" {
			break // its samples are the ladder, not RTT/jitter
		}
		m.samples = append(m.samples, *ev.Sample)
		if len(m.samples) > maxSamples {
			m.samples = m.samples[len(m.samples)-maxSamples:]
		}
	}
	m.sh.ses.Event(ev)
}

// panicHook is the developer override's injected panic (Config.PanicAfter).
func (m *liveModel) panicHook(id string) {
	if id == m.sh.cfg.PanicAfter {
		panic("developer override: panic after " + id)
	}
}

// done records the outcome in the session: results no event brought, and
// a verify run's before and after for its checklist item.
func (m *liveModel) done(msg runDoneMsg) {
	sh := m.sh
	o := *msg.outcome
	o.Results = nil
	for _, r := range msg.outcome.Results {
		o.Results = append(o.Results, sh.ports.result(r))
		m.finished[r.ID] = true
	}
	sh.ses.End(&o)
	m.cancelled = msg.outcome.Interrupted
	sh.exported = false
	sh.verifying = ""
	m.run = nil
}

func (m liveModel) key(msg tea.KeyPressMsg) (liveModel, tea.Cmd) {
	k := m.sh.keys
	if m.full {
		if key.Matches(msg, k.Detail) || key.Matches(msg, k.Back) {
			m.full = false
			return m, nil
		}
		m.fullOff, _ = scrollKey(msg, k, m.fullOff, len(m.detail(m.list(), m.sh.bodyWidth())), m.sh.bodyHeight(), true)
		return m, nil
	}
	last := len(m.list()) - 1
	page := max(m.sh.bodyHeight()/2, 1)
	switch {
	case key.Matches(msg, k.Up):
		m.cur = max(m.cur-1, 0)
	case key.Matches(msg, k.Down):
		m.cur = max(min(m.cur+1, last), 0)
	case key.Matches(msg, k.PageUp):
		m.cur = max(m.cur-page, 0)
	case key.Matches(msg, k.PageDn):
		m.cur = max(min(m.cur+page, last), 0)
	case key.Matches(msg, k.Home):
		m.cur = 0
	case key.Matches(msg, k.End):
		m.cur = max(last, 0)
	case key.Matches(msg, k.Detail):
		m.full, m.fullOff = true, 0
	case m.confirmLong != "" && key.Matches(msg, k.Back):
		m.confirmLong = ""
	case m.confirmLong != "" && msg.String() == horizonKey:
		m.nextHorizon()
	case key.Matches(msg, k.Back):
		if m.running() {
			// what a long check proved is kept at once (session.Interrupt),
			// not only if the runner returns it in time
			m.cancelRun()
			return m, nil
		}
		return m, goTo(screenTree)
	case key.Matches(msg, k.Rerun) && !m.running() && m.cur < len(m.list()):
		return m.rerunSelected()
	case key.Matches(msg, k.RerunAll) && !m.running():
		m.sh.ses.Chosen = true
		return m, func() tea.Msg { return startChecksMsg{} }
	case key.Matches(msg, k.Enter):
		return m, m.enterCmd()
	}
	return m, nil
}

// rerunSelected runs the selected check again with what builds on it; a
// long one first says how long it takes and waits for a second r.
func (m liveModel) rerunSelected() (liveModel, tea.Cmd) {
	id := m.list()[m.cur]
	if sp, ok := checks.Lookup(id); ok && sp.Long && m.confirmLong != id {
		m.confirmLong = id // say how long before it starts
		return m, nil
	}
	m.confirmLong = ""
	// the selected check and what builds on it; the rest keep their results
	only := m.sh.ses.WithDependents(id, m.list())
	m.sh.ses.Chosen = true
	return m, func() tea.Msg { return startChecksMsg{only: only} }
}

// enterCmd is Enter on step 5: start the checks, or go to the findings.
func (m liveModel) enterCmd() tea.Cmd {
	switch {
	case m.running() && m.sh.ses.Measured():
		// a long run (nat.timer) need not be waited out: the findings
		// so far, each marked provisional, while it goes on
		return goTo(screenFindings)
	case m.running():
		return nil
	case !m.sh.ses.Measured():
		m.sh.ses.Chosen = true
		return func() tea.Msg { return startChecksMsg{} }
	}
	return goTo(screenFindings)
}

// list is the checks shown: the run's, or the plan's before any run.
func (m liveModel) list() []string {
	if len(m.order) > 0 {
		return m.order
	}
	if p := m.sh.plan(nil); p != nil {
		return p.Checks
	}
	return nil
}

func (m liveModel) view() string {
	sh := m.sh
	w := sh.bodyWidth()
	ids := m.list()
	h := sh.bodyHeight()
	if m.full {
		lines := m.detail(ids, w)
		return strings.Join(sh.viewport(lines, clampOff(m.fullOff, len(lines), h), h), "\n")
	}
	done := 0
	for _, id := range ids {
		if m.finished[id] {
			done++
		}
	}
	frac := 0.0
	if len(ids) > 0 {
		frac = float64(done) / float64(len(ids))
	}
	m.bar.SetWidth(w - 24)
	bar := m.bar.ViewAs(frac)
	if sh.cfg.NoColor {
		bar = ansi.Strip(bar) // the bar's gradient is colour
	}
	lines := []string{bar + "  " + sh.L("checks.progress", "done", itoa(done), "total", itoa(len(ids)))}
	switch {
	case m.confirmLong != "":
		lines = append(lines, styled(sh.st.warn, wrap(m.longNotice(m.confirmLong), w))...) // whole: its keys are at the end
	case m.running():
		lines = append(lines, sh.L("checks.running.hint"))
	case m.cancelled:
		lines = append(lines, sh.st.warn.Render(sh.L("checks.cancelled")))
	case sh.ses.Measured():
		lines = append(lines, sh.st.ok.Render(sh.L("checks.finished")))
	default:
		lines = append(lines, sh.L("checks.intro"))
	}
	detail := m.detail(ids, w)
	var rows []string
	for i, id := range ids {
		rows = append(rows, m.row(i, id, w))
	}
	room := h - len(lines) - 1 - len(detail)
	if want := min(len(rows)+1, minListRows); room < want {
		// the detail gives way to the list; the rest is one key away
		keep := max(h-len(lines)-1-want-1, 1)
		detail = append(detail[:min(keep, len(detail))], sh.L("checks.more_detail", "n", itoa(len(detail)-keep)))
		room = h - len(lines) - 1 - len(detail)
	}
	lines = append(lines, listWindow(sh, rows, m.cur, room)...)
	lines = append(lines, strings.Repeat("-", w))
	return strings.Join(append(lines, detail...), "\n")
}

// listWindow shows the rows around the cursor in room lines, the last of
// them saying where the window is when the rows do not all fit.
func listWindow(sh *shared, rows []string, cur, room int) []string {
	if len(rows) <= room {
		return rows
	}
	h := max(room-1, 1)
	off := max(min(cur-h/2, len(rows)-h), 0)
	shown, off := window(rows, off, h)
	return append(append([]string{}, shown...), sh.position(off, len(shown), len(rows)))
}

// row is one check: cursor, status symbol and word, name, elapsed. The
// summary is in the detail pane under the list, whole.
func (m liveModel) row(i int, id string, w int) string {
	sh := m.sh
	r, have := sh.result(id)
	mark, label, elapsed := "[  ]", sh.L("checks.pending"), ""
	var status checks.Status
	switch {
	case have && (m.finished[id] || !m.running()):
		status = r.Status
		mark, label, elapsed = r.Status.Symbol(), r.Status.LabelIn(sh.c, sh.lang), secs(r.Duration)
	case m.running() && !m.started[id].IsZero():
		mark, label, elapsed = "[ "+m.spin.View()+"]", sh.L("checks.running"), secs(sh.now().Sub(m.started[id]))
	}
	cursor := "  "
	if i == m.cur {
		cursor = "> "
	}
	cols := pad(mark, 5) + pad(label, 9)
	if status != "" {
		cols = m.colour(status, cols)
	}
	nameW := min(max(w-lipglossWidth(cursor)-14-8, 10), 40)
	line := cursor + cols + pad(sh.checkName(id), nameW) + " " + pad(elapsed, 7)
	if p := provenOf(m.rungs); id == "nat.timer" && status == "" && m.running() && p > 0 {
		// more than elapsed time: what the ladder has proven so far
		line += " " + sh.L("session.row.proven", "proven", p.Round(100*time.Millisecond).String())
	}
	return clip(line, w)
}

// provenOf is the longest idle time a rung survived (0: none yet).
func provenOf(rungs []checks.Rung) time.Duration {
	var proven time.Duration
	for _, r := range rungs {
		if r.State == checks.RungSurvived && r.Idle > proven {
			proven = r.Idle
		}
	}
	return proven
}

func (m liveModel) colour(s checks.Status, text string) string {
	st := m.sh.st
	switch s {
	case checks.Pass:
		return st.ok.Render(text)
	case checks.Warn:
		return st.warn.Render(text)
	case checks.Fail, checks.Error:
		return st.bad.Render(text)
	}
	return text
}

func secs(d time.Duration) string {
	if d <= 0 {
		return ""
	}
	return fmt.Sprintf("%.1fs", d.Seconds())
}

// detail is the pane under the list: the selected check's name, summary,
// evidence with labels, and what to do, all wrapped whole; then the live
// RTT/jitter sparkline.
func (m liveModel) detail(ids []string, w int) []string {
	sh := m.sh
	if m.cur >= len(ids) {
		return nil
	}
	id := ids[m.cur]
	out := styled(sh.st.bold, wrap(sh.checkName(id), w))
	if m.full {
		out = append(out, "("+id+")")
	}
	// a check running again shows no earlier result as if it were this run's
	if r, ok := sh.result(id); ok && !(m.running() && !m.started[id].IsZero() && !m.finished[id]) {
		out = append(out, wrap(m.summary(r), w)...)
		keys := r.Facts.Keys()
		if _, ok := r.Facts[demoPortsFact]; ok { // the demo's note last: the measurements first
			keys = append(slices.DeleteFunc(keys, func(k string) bool { return k == demoPortsFact }), demoPortsFact)
		}
		if len(keys) > 0 {
			out = append(out, sh.L("checks.facts")+":")
		}
		for _, k := range keys {
			out = append(out, hang("  "+sh.factLabel(k)+": ", sh.factValue(k, r.Facts[k]), w)...)
		}
		if len(r.Remedies) > 0 {
			var names []string
			for _, id := range r.Remedies {
				names = append(names, sh.remedyName(id))
			}
			out = append(out, hang(sh.L("checks.remedies")+": ", strings.Join(names, sh.L("list.sep")), w)...)
		}
	}
	if id == "nat.timer" && len(m.rungs) > 0 {
		out = append(out, m.rungLines(w)...)
	}
	// the samples are media.quality's: under another check they would
	// read as that check's measurements once the run is over
	if len(m.samples) > 0 && (m.running() || id == "media.quality") {
		out = append(out, sparklines(sh, m.samples, w)...)
	}
	return out
}

// supportLines list the check ids by name, for support.
func (m liveModel) supportLines(w int) []string {
	var out []string
	for _, id := range m.list() {
		out = append(out, clip("  "+pad(id, 16)+" "+m.sh.checkName(id), w))
	}
	return out
}

// sparkLevels are ASCII only: block elements are East-Asian ambiguous and
// drawn double width by some terminals.
const sparkLevels = " .:-=+*#"

// sparklines draws RTT and jitter of the live samples, one column each.
func sparklines(sh *shared, samples []checks.Sample, w int) []string {
	line := func(name string, get func(checks.Sample) time.Duration) string {
		var max time.Duration
		for _, s := range samples {
			if v := get(s); v > max {
				max = v
			}
		}
		var b strings.Builder
		for _, s := range samples {
			lvl := 0
			if s.Lost {
				b.WriteByte('x')
				continue
			}
			if max > 0 {
				lvl = int(float64(get(s)) / float64(max) * float64(len(sparkLevels)-1))
			}
			b.WriteByte(sparkLevels[lvl])
		}
		last := get(samples[len(samples)-1])
		return clip(pad(name, 7)+"|"+b.String()+"| "+sh.L("checks.spark.value", "last", fmt.Sprintf("%.1f", ms(last)),
			"max", fmt.Sprintf("%.1f", ms(max))), w)
	}
	return []string{sh.L("checks.samples"), line("RTT", func(s checks.Sample) time.Duration { return s.RTT }),
		line(sh.L("checks.spark.jitter"), func(s checks.Sample) time.Duration { return s.Jitter })}
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// summary is a result's summary for the screen: a long check the run left
// out says how to run it here, not which CLI flag would.
func (m liveModel) summary(r checks.Result) string {
	if r.SkippedBecause == checks.ExcludedByLong {
		return m.sh.L("checks.long.skipped", "min", m.sh.worstMinutes(r.ID))
	}
	return r.Summary.In(m.sh.lang)
}

// longNotice is the question before a long check starts: its horizon and
// the longest it can take.
func (m liveModel) longNotice(id string) string {
	return m.sh.L("checks.long.confirm", "check", m.sh.checkName(id), "horizon", m.sh.horizonWords(), "min", m.sh.worstMinutes(id))
}

// horizonKey changes nat.timer's horizon while its start is asked.
const horizonKey = "t"

// nextHorizon steps nat.timer's horizon to the next choice: the session's
// own (the demo's 20 s), the quick 120 s and the page's 3600 s.
func (m *liveModel) nextHorizon() {
	cur := m.sh.ses.Options(nil).NATTimerMax
	choices := []time.Duration{checks.NATTimerQuick, checks.DefaultNATTimerMax}
	if m.baseHorizon == 0 {
		m.baseHorizon = cur
	}
	if !slices.Contains(choices, m.baseHorizon) {
		choices = append([]time.Duration{m.baseHorizon}, choices...)
	}
	slices.Sort(choices)
	next := choices[(slices.Index(choices, cur)+1)%len(choices)]
	m.sh.ses.Adjust(func(o *checks.Options) { o.NATTimerMax = next })
}

// longLines say, before a way in starts, the horizon and the longest time
// of each long check among ids (nat.timer in symptom C).
func longLines(sh *shared, ids []string, w int) []string {
	var out []string
	for _, id := range ids {
		if sp, ok := checks.Lookup(id); ok && sp.Long {
			// the plain horizon: the page's words would push the time off step 3
			horizon := sh.L("checks.horizon", "s", itoa(int(sh.ses.Options(nil).NATTimerMax.Seconds())))
			out = append(out, hang("  ", sh.L("session.ways.long", "check", sh.checkName(id), "horizon", horizon, "min", sh.worstMinutes(id)), w)...)
		}
	}
	return out
}

// horizonWords is the session's nat.timer horizon in words ("20 s"); the
// page's 3600 s is said to be the requirement, so no screen takes it for
// how long the run takes (worstMinutes says that).
func (sh *shared) horizonWords() string {
	h := sh.ses.Options(nil).NATTimerMax
	if h == checks.DefaultNATTimerMax {
		return sh.L("checks.horizon.page", "s", itoa(int(h.Seconds())))
	}
	return sh.L("checks.horizon", "s", itoa(int(h.Seconds())))
}

// worstMinutes is the run budget of check id alone, in minutes.
func (sh *shared) worstMinutes(id string) string {
	p := sh.plan([]string{id})
	if p == nil {
		return "?"
	}
	return itoa(int(checks.OverallTimeout(p).Round(time.Minute).Minutes()))
}

// rungLines show nat.timer's ladder: each idle time and what it proved,
// the longest idle time proven so far and when the next rung answers.
func (m liveModel) rungLines(w int) []string { return rungLines(m.sh, m.rungs, w) }

func rungLines(sh *shared, rungs []checks.Rung, w int) []string {
	marks := map[string]string{checks.RungSurvived: "OK", checks.RungExpired: "NG", checks.RungWaiting: "..", checks.RungCut: "--"}
	var parts []string
	var proven, next time.Duration
	now := sh.now()
	for _, r := range rungs {
		step := time.Second
		if r.Idle < 10*time.Second {
			step = 100 * time.Millisecond // the demo's short ladder: 0.6s, 1.2s …
		}
		parts = append(parts, r.Idle.Round(step).String()+" "+marks[r.State])
		switch {
		case r.State == checks.RungSurvived && r.Idle > proven:
			proven = r.Idle
		case r.State == checks.RungWaiting && (next == 0 || r.Due.Sub(now) < next):
			next = max(r.Due.Sub(now), time.Second)
		}
	}
	out := wrap(sh.L("checks.rungs")+": "+strings.Join(parts, "  "), w)
	status := sh.L("checks.rungs.proven", "proven", proven.Round(100*time.Millisecond).String())
	if next > 0 {
		status += "  " + sh.L("checks.rungs.next", "next", next.Round(time.Second).String())
	}
	return append(out, clip(status, w))
}

package tui

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/biztel-tools/biztel-doctor/monitor"
)

// The monitor screen: "watch over time (intermittent problems)". It opens
// over the current step from the start screen (key w), runs monitor.Run in
// the background and draws loss, jitter and RTT per window as live charts
// with the event list under them. Esc stops the run and goes back. Texts:
// content/data/ui_monitor.yaml.

// MonitorSetup, when set in Config, replaces the run's site (the demo
// points it at a simulated site with an intermittent fault); the returned
// func releases it.
type MonitorSetup func(ctx context.Context, cfg monitor.Config) (monitor.Config, func(), error)

// Lengths of a run from the TUI: the CLI's defaults; the demo's windows
// are shorter so its one-minute fault pattern shows within a screen share.
const (
	tuiMonitorDuration = monitor.DefaultDuration
	demoMonitorWindow  = 5 * time.Second
)

type (
	openMonitorMsg    struct{}
	monitorStartedMsg struct{ run *monitorRun }
	monitorUpdateMsg  struct {
		run *monitorRun
		upd monitorUpdate
	}
	monitorDoneMsg struct {
		run *monitorRun
		rec *monitor.Record
		err error
	}
)

// monitorUpdate is one window (with the events so far) or one live reading.
type monitorUpdate struct {
	windows []monitor.Window
	events  []monitor.Event
	live    *monitor.Live
}

type monitorRun struct {
	updates chan monitorUpdate
	done    chan monitorDoneMsg
	cancel  context.CancelFunc
	path    string
}

// monitorModel is the screen's state.
type monitorModel struct {
	sh       *shared
	run      *monitorRun
	cfg      monitor.Config
	windows  []monitor.Window
	events   []monitor.Event
	live     monitor.Live
	finished bool
	stopped  bool
	err      error
	note     string // why nothing runs (no site)
}

func watchKey(sh *shared) key.Binding {
	return key.NewBinding(key.WithKeys("w"), key.WithHelp("w", sh.L("monitor.key")))
}

func openMonitor() tea.Msg { return openMonitorMsg{} }

// startMonitor builds the run from the site and starts it.
func startMonitor(sh *shared) (*monitorModel, tea.Cmd) {
	m := &monitorModel{sh: sh}
	cfg := monitor.Config{Profile: sh.ses.Profile, Env: sh.cfg.Env, Ports: sh.cfg.Options.Ports,
		Duration: tuiMonitorDuration, Window: monitor.DefaultWindow, Version: sh.cfg.Version,
		Thresholds: sh.c.Thresholds}
	release := func() {}
	if sh.cfg.MonitorSetup != nil {
		var err error
		cfg.Window = demoMonitorWindow
		if cfg, release, err = sh.cfg.MonitorSetup(sh.cfg.Ctx, cfg); err != nil {
			m.err = err
			return m, nil
		}
	}
	if cfg.Profile == nil || cfg.Validate() != nil {
		release()
		m.note = sh.L("monitor.nosite")
		return m, nil
	}
	m.cfg = cfg
	path := ""
	if !sh.cfg.Demo {
		path = filepath.Join(sh.cfg.OutDir, monitor.DefaultFileName(sh.now()))
	}
	lang := sh.lang
	return m, func() tea.Msg {
		ctx, cancel := context.WithCancel(sh.cfg.Ctx)
		r := &monitorRun{updates: make(chan monitorUpdate, 8), done: make(chan monitorDoneMsg, 1), cancel: cancel, path: path}
		send := func(u monitorUpdate) {
			select {
			case r.updates <- u:
			default: // the screen is behind: a later update carries the same
			}
		}
		cfg.OnWindow = func(rec *monitor.Record, _ monitor.Window, _ []monitor.Event) {
			if path != "" {
				rec.WriteJSONFile(path, lang) // a failed write shows in the CLI only; the run goes on
			}
			send(monitorUpdate{windows: append([]monitor.Window(nil), rec.Windows...), events: append([]monitor.Event(nil), rec.Events...)})
		}
		cfg.OnLive = func(l monitor.Live) { send(monitorUpdate{live: &l}) }
		go func() {
			defer release()
			rec, err := monitor.Run(ctx, cfg)
			if err == nil && path != "" {
				rec.WriteJSONFile(path, lang)
			}
			r.done <- monitorDoneMsg{run: r, rec: rec, err: err}
			close(r.updates)
		}()
		return monitorStartedMsg{run: r}
	}
}

// waitMonitor reads one update; the screen re-arms it until done.
func waitMonitor(r *monitorRun) tea.Cmd {
	return func() tea.Msg {
		u, ok := <-r.updates
		if !ok {
			return <-r.done
		}
		return monitorUpdateMsg{run: r, upd: u}
	}
}

// keys: Esc stops the run and goes back; the steps' keys do nothing here.
func (m *monitorModel) keys() []key.Binding {
	return []key.Binding{key.NewBinding(key.WithKeys("esc"), key.WithHelp("Esc", m.sh.L("monitor.stop")))}
}

// update handles the screen's messages; done is false for a key the root
// handles (quit, language, help).
func (m *monitorModel) update(msg tea.Msg) (cmd tea.Cmd, close, done bool) {
	switch msg := msg.(type) {
	case monitorStartedMsg:
		m.run = msg.run
		return waitMonitor(msg.run), false, true
	case monitorUpdateMsg:
		if msg.run != m.run {
			return nil, false, true
		}
		if msg.upd.live != nil {
			m.live = *msg.upd.live
		} else {
			m.windows, m.events = msg.upd.windows, msg.upd.events
		}
		return waitMonitor(msg.run), false, true
	case monitorDoneMsg:
		if msg.run == m.run {
			m.finished, m.err = true, msg.err
			if msg.rec != nil {
				m.windows, m.events = msg.rec.Windows, msg.rec.Events
			}
		}
		return nil, false, true
	case tea.KeyPressMsg:
		k := m.sh.keys
		switch {
		case key.Matches(msg, k.Back):
			m.stop()
			return nil, true, true
		case key.Matches(msg, k.Quit), key.Matches(msg, k.Lang), key.Matches(msg, k.Help), msg.String() == "ctrl+c":
			return nil, false, false
		}
		return nil, false, true // the steps' keys do nothing while watching
	}
	return nil, false, false
}

// stop cancels the run (the record is written complete).
func (m *monitorModel) stop() {
	if m.run != nil && !m.finished {
		m.stopped = true
		m.run.cancel()
	}
}

// view fits the body: every line wraps whole (nothing is cut at the
// edge); the newest events that fit are shown, the header saying how many
// of all; at a short height the introduction goes first.
func (m *monitorModel) view() string {
	sh := m.sh
	w, h := sh.bodyWidth(), sh.bodyHeight()
	title := styled(sh.st.bold, wrap(sh.L("monitor.title"), w))
	if m.note != "" {
		return strings.Join(append(title, wrap(m.note, w)...), "\n")
	}
	if m.err != nil {
		return strings.Join(append(title, wrap(sh.L("monitor.error", "err", m.err.Error()), w)...), "\n")
	}
	intro := wrap(sh.L("monitor.intro", "window", sh.duration(m.cfg.Window)), w)
	method := monitor.MethodLabel(m.live.Method, sh.lang)
	if m.live.Method == "" {
		method = "—"
	}
	head := wrap(sh.L("monitor.status", "elapsed", sh.duration(m.live.Elapsed.Round(time.Second)),
		"duration", sh.duration(m.cfg.Duration), "method", method, "windows", itoa(len(m.windows))), w)
	if m.live.Silent >= monitor.OutageAfter && !m.finished {
		head = append(head, styled(sh.st.err, wrap(sh.L("monitor.silent", "secs", itoa(int(m.live.Silent.Seconds()))), w))...)
	}
	head = append(head, "")
	head = append(head, m.charts(w)...)
	foot := append([]string{""}, m.footer(w)...)
	room := h - len(title) - len(intro) - len(head) - len(foot) - 2 // blank + events heading
	if room < 2 {
		room += len(intro)
		intro = nil
	}
	events, shown := m.eventLines(w, room)
	heading := sh.L("monitor.events", "n", itoa(len(m.events)))
	if shown < len(m.events) {
		heading = sh.L("monitor.events.some", "n", itoa(len(m.events)), "k", itoa(shown))
	}
	lines := append(title, intro...)
	lines = append(lines, head...)
	lines = append(lines, "")
	lines = append(lines, styled(sh.st.bold, wrap(heading, w))...)
	lines = append(lines, events...)
	return strings.Join(append(lines, foot...), "\n")
}

// eventLines are the newest events that fit in room lines, oldest first,
// each wrapped whole under its time, kind and length; shown counts them.
func (m *monitorModel) eventLines(w, room int) (lines []string, shown int) {
	sh := m.sh
	if len(m.events) == 0 {
		return wrap("  "+sh.L("monitor.noevents"), w), 0
	}
	for i := len(m.events) - 1; i >= 0; i-- {
		e := m.events[i]
		prefix := "  " + e.Start.Local().Format("15:04:05") + " " + monitor.KindLabel(e.Kind, sh.lang) + " " +
			sh.L("monitor.secs", "s", fmt.Sprintf("%.1f", e.Seconds)) + " "
		// the summary under its heading: the same shape in both languages
		block := append(wrap(strings.TrimRight(prefix, " "), w), hang("    ", e.Summary.In(sh.lang), w)...)
		if shown > 0 && len(lines)+len(block) > room {
			break
		}
		lines, shown = append(block, lines...), shown+1
	}
	return lines, shown
}

// charts draws loss, jitter and RTT of the latest windows that fit beside
// their figures.
func (m *monitorModel) charts(w int) []string {
	sh := m.sh
	if len(m.windows) == 0 {
		return wrap(sh.L("monitor.starting"), w)
	}
	const label = 10
	type row struct {
		name, unit string
		get        func(monitor.Window) *float64
	}
	rows := []row{
		{sh.L("monitor.loss"), "%", func(x monitor.Window) *float64 { return &x.LossPct }},
		{sh.L("monitor.jitter"), "ms", func(x monitor.Window) *float64 { return x.JitterMs }},
		{sh.L("monitor.rtt"), "ms", func(x monitor.Window) *float64 { return x.RTTMs }},
	}
	tails := make([]string, len(rows))
	tailW := 0
	for i, r := range rows {
		last, hi := math.NaN(), math.NaN()
		for _, x := range m.windows {
			if v := r.get(x); v != nil {
				last = *v
				if math.IsNaN(hi) || *v > hi {
					hi = *v
				}
			}
		}
		tails[i] = fmt.Sprintf("%s %s  %s %s", sh.L("monitor.now"), num(last, r.unit), sh.L("monitor.max"), num(hi, r.unit))
		tailW = max(tailW, lipglossWidth(tails[i]))
	}
	n := max(w-label-tailW-1, 8)
	ws := m.windows[max(len(m.windows)-n, 0):]
	var out []string
	for i, r := range rows {
		vals := make([]float64, len(ws))
		for j, x := range ws {
			vals[j] = math.NaN()
			if v := r.get(x); v != nil {
				vals[j] = *v
			}
		}
		out = append(out, hang(pad(r.name, label)+pad(monitor.Sparkline(vals), n)+" ", tails[i], w)...)
	}
	return out
}

func num(v float64, unit string) string {
	if math.IsNaN(v) {
		return "—"
	}
	return fmt.Sprintf("%.1f%s", v, unit)
}

func (m *monitorModel) footer(w int) []string {
	sh := m.sh
	var s string
	switch {
	case m.run != nil && m.run.path != "":
		s = sh.L("monitor.file", "path", m.run.path)
	case sh.cfg.Demo:
		s = sh.L("monitor.nofile")
	}
	if m.finished {
		done := sh.L("monitor.done")
		if m.stopped {
			done = sh.L("monitor.stopped")
		}
		s = done + " " + s
	}
	return wrap(s, w)
}

// updateMonitor routes a message to the monitor screen while it is open;
// done is false when the root should handle it.
func (m *Model) updateMonitor(msg tea.Msg) (tea.Cmd, bool) {
	if _, ok := msg.(openMonitorMsg); ok {
		mon, cmd := startMonitor(m.sh)
		m.mon = mon
		return cmd, true
	}
	if m.mon == nil {
		return nil, false
	}
	cmd, close, done := m.mon.update(msg)
	if close {
		m.mon = nil
	}
	return cmd, done
}

// body is the monitor screen when open, else the current step.
func (m *Model) body() string {
	if m.mon != nil {
		return m.mon.view()
	}
	return m.screenBody()
}

// keysNow are the help bar's keys of what is shown.
func (m *Model) keysNow() []key.Binding {
	if m.mon != nil {
		return m.mon.keys()
	}
	return m.screenKeys()
}

// globalNow are the keys that work on every screen; while the monitor
// runs the step keys (1-8) do nothing, so they are not offered.
func (m *Model) globalNow() []key.Binding {
	k := m.sh.keys
	if m.mon != nil {
		return []key.Binding{k.Lang, k.Help, k.Quit}
	}
	return k.global()
}

// stopMonitor ends a run in flight (on quit).
func (m *Model) stopMonitor() {
	if m.mon != nil {
		m.mon.stop()
	}
}

// watchHint is the start screen's line for the way in.
func watchHint(sh *shared) string { return "w: " + sh.L("monitor.way") }

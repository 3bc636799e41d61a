package tui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// The demo's other scenario, one key away on the start screen: a trainee
// sees the faulty site and the healthy one without leaving the app.
// Config.NextDemo starts the other simulated site (and closes this one);
// the app is then rebuilt on it as that demo starts, keeping the language
// and the size. This demo's results and site choices go: the demo saves
// none anyway, and when there are any the key asks first.

type (
	// demoSwitchAskMsg asks the root to switch: the start screen's s
	// (sure false: the root asks first when there is something to lose),
	// or y at that question.
	demoSwitchAskMsg struct{ sure bool }
	// demoSwitchedMsg carries the other scenario's app config, or why it
	// could not start.
	demoSwitchedMsg struct {
		cfg Config
		err error
	}
)

func demoSwitchKey(sh *shared) key.Binding {
	return key.NewBinding(key.WithKeys("s"), key.WithHelp("s", sh.L("demo.switch.key")))
}

// canSwitchDemo: the key works in the demo when the caller gave a way to
// start the other scenario.
func (sh *shared) canSwitchDemo() bool {
	return sh.cfg.Demo && sh.cfg.NextDemo != nil && sh.cfg.NextDemoScenario != ""
}

// otherScenario names the scenario s switches to, for the start screen's
// hint and the question.
func (sh *shared) otherScenario() string { return sh.cfg.NextDemoScenario }

// askSwitchDemo switches at once when nothing was measured or runs; else
// the start screen asks first.
func (m *Model) askSwitchDemo(msg demoSwitchAskMsg) tea.Cmd {
	if !msg.sure && (m.sh.ses.Measured() || m.live.running()) {
		m.start.confirmSwitch, m.start.off = true, 0 // the question is on top
		return nil
	}
	if m.start.switching {
		return nil // one at a time: two would close each other's sites
	}
	m.start.confirmSwitch, m.start.switching = false, true
	return m.switchDemo()
}

// switchDemo stops what runs on this simulated site, then starts the
// other one off the update loop (it opens its fake servers).
func (m *Model) switchDemo() tea.Cmd {
	m.live.cancelRun()
	m.stopMonitor()
	next := m.sh.cfg.NextDemo
	return func() tea.Msg {
		cfg, err := next()
		return demoSwitchedMsg{cfg: cfg, err: err}
	}
}

// demoSwitched rebuilds the app on the other scenario's site, as it would
// start, on step 1 with the same language and size.
func (m *Model) demoSwitched(msg demoSwitchedMsg) {
	if msg.err != nil {
		m.start.switching = false
		m.start.note = m.sh.L("demo.switch.failed", "scenario", m.sh.L("demo.name."+m.sh.otherScenario()), "error", msg.err.Error())
		return
	}
	cfg := msg.cfg
	cfg.Lang = m.sh.lang
	w, h := m.sh.width, m.sh.height
	*m = *New(cfg)
	m.sh.width, m.sh.height = w, h
}

// switchKey is the start screen's handling of s and of y/n at its
// question; handled is false for any other key.
func (m startModel) switchKey(msg tea.KeyPressMsg) (startModel, tea.Cmd, bool) {
	k := m.sh.keys
	switch {
	case !m.sh.canSwitchDemo():
		return m, nil, false
	case m.confirmSwitch && key.Matches(msg, k.Yes):
		return m, func() tea.Msg { return demoSwitchAskMsg{sure: true} }, true
	case m.confirmSwitch && key.Matches(msg, k.No):
		m.confirmSwitch = false
		return m, nil, true
	case key.Matches(msg, demoSwitchKey(m.sh)):
		m.note = ""
		return m, func() tea.Msg { return demoSwitchAskMsg{} }, true
	}
	return m, nil, false
}

// switchLines are the start screen's lines about the other demo: the
// question when switching would drop results, why it failed, the hint.
func (m startModel) switchLines(w int) []string {
	sh := m.sh
	if !sh.canSwitchDemo() {
		return nil
	}
	other := sh.otherScenario()
	switch {
	case m.confirmSwitch:
		return styled(sh.st.warn, wrap(sh.L("demo.switch.confirm", "scenario", sh.L("demo.name."+other)), w))
	case m.note != "":
		return styled(sh.st.warn, wrap(m.note, w))
	}
	return wrap(sh.L("demo.switch.to."+other), w)
}

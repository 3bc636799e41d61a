package tui

import (
	"path/filepath"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// The ? screen: for the current step, what it is for, every key with what
// it does, and (for support on the phone) the ids behind what is shown.

// helpClose is the key that closes the ? screen.
func helpClose(k keyMap) key.Binding {
	return key.NewBinding(key.WithKeys("esc", "?"), key.WithHelp("Esc/?", k.Back.Help().Desc))
}

func (m *Model) helpKey(msg tea.KeyPressMsg) tea.Cmd {
	k := m.sh.keys
	if key.Matches(msg, helpClose(k)) {
		m.helpOpen = false
		return nil
	}
	if key.Matches(msg, k.Lang) {
		m.globalLang()
		return nil
	}
	lines := m.helpLines()
	m.helpOff, _ = scrollKey(msg, k, m.helpOff, len(lines), m.sh.bodyHeight(), true)
	return nil
}

func (m *Model) globalLang() {
	if m.sh.lang == "ja" {
		m.sh.setLang("en")
	} else {
		m.sh.setLang("ja")
	}
}

func (m *Model) helpView() string {
	lines := m.helpLines()
	m.helpOff = clampOff(m.helpOff, len(lines), m.sh.bodyHeight())
	return strings.Join(m.sh.viewport(lines, m.helpOff, m.sh.bodyHeight()), "\n")
}

// helpLines is the whole ? screen of the current step.
func (m *Model) helpLines() []string {
	sh := m.sh
	w := sh.bodyWidth()
	k := sh.keys
	lines := []string{sh.st.bold.Render(sh.L("help.title", "n", itoa(int(m.screen)+1), "step", sh.L(stepKeys[m.screen])))}
	lines = append(lines, wrap(sh.L("help."+stepKeys[m.screen]), w)...)
	all := dedupe(append(append(append([]key.Binding{}, m.screenKeys()...), k.scroll()...), k.global()...))
	if m.mon != nil { // the monitor screen over the step: its own words and keys
		lines = append(styled(sh.st.bold, wrap(sh.L("monitor.title"), w)), wrap(sh.L("help.monitor"), w)...)
		all = append(m.mon.keys(), m.globalNow()...)
	}
	lines = append(lines, "", sh.st.bold.Render(sh.L("help.keys")))
	for _, b := range all {
		h := b.Help()
		lines = append(lines, hang("  "+pad(h.Key, 12)+" ", h.Desc, w)...)
	}
	ctrlc := "help.ctrlc"
	if sh.cfg.Demo {
		ctrlc = "help.ctrlc.demo" // the demo saves nothing
	}
	lines = append(lines, hang("  "+pad("Ctrl+C", 12)+" ", sh.L(ctrlc), w)...)
	if m.capturingScreen() {
		lines = append(lines, wrap(sh.L("help.editing"), w)...)
	}
	if ids := m.supportLines(w); len(ids) > 0 {
		lines = append(lines, "", sh.st.bold.Render(sh.L("help.support")))
		lines = append(lines, ids...)
	}
	return lines
}

// hang wraps text after a prefix, continuation lines under the text.
func hang(prefix, text string, w int) []string {
	ind := strings.Repeat(" ", lipglossWidth(prefix))
	var out []string
	for i, l := range wrap(text, w-lipglossWidth(prefix)) {
		if i == 0 {
			out = append(out, prefix+l)
		} else {
			out = append(out, ind+l)
		}
	}
	return out
}

// capturingScreen reports whether the step has text fields at all.
func (m *Model) capturingScreen() bool { return m.screen == screenSite || m.screen == screenTree }

// supportLines are the internal ids of what the step shows, for a support
// engineer who needs them (the main flow shows names only).
func (m *Model) supportLines(w int) []string {
	switch m.screen {
	case screenStart, screenChecks:
		return m.live.supportLines(w)
	case screenTree:
		return m.tree.supportLines(w)
	case screenFindings:
		return m.findings.supportLines(w)
	case screenConfig:
		return m.router.supportLines(w)
	case screenWays:
		return m.ways.supportLines(w)
	}
	return nil
}

// quitPrompt is the quit question: what will be saved, where, under which
// names, and the keys; it wraps to the width instead of being cut.
func (m *Model) quitPrompt() string {
	sh := m.sh
	w := max(sh.width, 20)
	var text, keys string
	if sh.cfg.Demo {
		text, keys = sh.L("quit.confirm"), sh.L("quit.keys.demo")
	} else {
		dir := sh.cfg.OutDir
		if abs, err := filepath.Abs(dir); err == nil {
			dir = abs
		}
		if sh.quitAt.IsZero() {
			sh.quitAt = sh.now()
		}
		text = sh.L("quit.confirm.save", "dir", dir, "base", reportBase(sh.quitAt))
		keys = sh.L("quit.keys")
	}
	lines := append(wrap(text, w), wrap(keys, w)...)
	return sh.st.err.Render(strings.Join(lines, "\n"))
}

// reportBase is the file name (without extension) of a report saved at t.
func reportBase(t time.Time) string { return "biztel-doctor-" + t.Format("20060102-150405") }

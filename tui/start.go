package tui

import (
	"net"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/biztel-tools/biztel-doctor/checks"
	"github.com/biztel-tools/biztel-doctor/content"
)

// startModel is step 1: what the tool does, the language toggle, and the
// traffic plan — every destination the checks would contact — before
// anything is sent.
type startModel struct {
	sh  *shared
	off int // scroll offset of the body
	// confirmSwitch: s asked to switch the demo and results would go
	// (tui/demo_switch.go); note is why a switch failed.
	confirmSwitch bool
	note          string
	switching     bool // the other demo is starting
}

func newStart(sh *shared) startModel { return startModel{sh: sh} }

func (m startModel) keys() []key.Binding {
	k := m.sh.keys
	if m.confirmSwitch {
		return []key.Binding{k.Yes, k.No}
	}
	keys := []key.Binding{k.Enter, k.Down, watchKey(m.sh)}
	if m.sh.canSwitchDemo() {
		keys = append(keys, demoSwitchKey(m.sh))
	}
	return append(keys, k.PageDn, k.Home)
}

func (m startModel) update(msg tea.Msg) (startModel, tea.Cmd) {
	k := m.sh.keys
	if msg, ok := msg.(tea.KeyPressMsg); ok {
		if m, cmd, ok := m.switchKey(msg); ok {
			return m, cmd
		}
		if m.confirmSwitch {
			return m, nil // y or n first
		}
		switch {
		case key.Matches(msg, k.Enter), key.Matches(msg, k.Right):
			return m, goTo(screenSite)
		case key.Matches(msg, watchKey(m.sh)):
			return m, openMonitor
		}
		m.off, _ = scrollKey(msg, k, m.off, len(m.lines()), m.sh.bodyHeight(), true)
	}
	return m, nil
}

func (m startModel) view() string {
	lines := m.lines()
	h := m.sh.bodyHeight()
	return strings.Join(m.sh.viewport(lines, clampOff(m.off, len(lines), h), h), "\n")
}

func (m startModel) lines() []string {
	sh := m.sh
	w := sh.bodyWidth()
	var lines []string
	if m.confirmSwitch {
		lines = append(lines, m.switchLines(w)...) // on top: its keys are the only ones
	}
	lines = append(lines, wrap(sh.L("start.intro"), w)...)
	if sh.cfg.Demo && sh.cfg.DemoScenario != "" {
		lines = append(lines, styled(sh.st.bold, wrap(sh.L("demo.about."+sh.cfg.DemoScenario), w))...)
		if !m.confirmSwitch {
			lines = append(lines, m.switchLines(w)...)
		}
		lines = append(lines, wrap(sh.L("demo.ports"), w)...)
	}
	lines = append(lines, wrap(sh.L("start.steps"), w)...)
	lines = append(lines, "", sh.st.bold.Render(sh.L("start.plan")))
	lines = append(lines, planLines(sh, w)...)
	lines = append(lines, "", sh.L("start.go"))
	lines = append(lines, wrap(watchHint(sh), w)...)
	return lines
}

// planLines renders the traffic plan: each purpose in full (wrapped), then
// under it the destinations it contacts as aligned columns of ASCII values
// (protocol, address, ports), so nothing is cut and wide characters never
// shift a column.
func planLines(sh *shared, w int) []string {
	p := sh.plan(nil)
	if p == nil {
		return wrap(sh.L("start.noplan"), w)
	}
	var out []string
	last := ""
	// the protocol column is as wide as its longest name, so none is cut
	protoW := 13
	for _, d := range p.Destinations {
		protoW = max(protoW, lipglossWidth(sh.planProto(d.Proto)+"/"+d.Transport))
	}
	for _, d := range p.Destinations {
		d = sh.ports.destination(sh.whereTo(d))
		if purpose := d.Purpose.In(sh.lang); purpose != last {
			out = append(out, hang("- ", sh.checkName(d.Check)+": "+purpose, w)...)
			last = purpose
		}
		row := "    " + pad(sh.planProto(d.Proto)+"/"+strings.ToUpper(d.Transport), protoW) + " " +
			pad(d.Address, max(lipglossWidth(d.Address), 24)) + " " + d.Ports.String()
		out = append(out, hang("    ", strings.TrimPrefix(row, "    "), w)...) // a narrow screen wraps it whole
	}
	var local, skipped []string
	for _, id := range p.Checks {
		if _, skip := p.Skipped[id]; skip {
			skipped = append(skipped, id)
		} else if len(p.For(id)) == 0 {
			local = append(local, sh.checkName(id))
		}
	}
	if len(local) > 0 {
		out = append(out, wrap(sh.L("start.local")+": "+strings.Join(local, sh.L("list.sep")), w)...)
	}
	if len(skipped) > 0 {
		out = append(out, sh.L("start.skipped")+":")
		for _, id := range skipped {
			why := p.Skipped[id].In(sh.lang)
			if sp, _ := checks.Lookup(id); sp.Long && !p.Options.Long {
				// how to run it here, not the CLI flag the plan's words name
				why = sh.L("start.long.skipped", "min", sh.worstMinutes(id))
			}
			out = append(out, hang("  ", sh.checkName(id)+": "+why, w)...)
		}
	}
	return out
}

// whereTo is where a destination really goes: the plan names the SSDP
// group for upnp.igd, but the search goes to Env.SSDPAddr when that is set
// (a loopback fake in demo), and the start screen must say so.
func (sh *shared) whereTo(d checks.Destination) checks.Destination {
	if d.Check != "upnp.igd" || sh.cfg.Env == nil || sh.cfg.Env.SSDPAddr == "" {
		return d
	}
	host, port, err := net.SplitHostPort(sh.cfg.Env.SSDPAddr)
	if err != nil {
		return d
	}
	d.Address = host
	if n, err := strconv.Atoi(port); err == nil {
		d.Ports = content.PortRange{From: n, To: n}
	}
	return d
}

// planProto is a destination's protocol in the user's words where the plan
// describes one ("SIP (echo)", "biztel-doctor reflector": ui planproto.*);
// a protocol's own name (SIP, STUN, DNS) stays as it is.
func (sh *shared) planProto(p string) string {
	if t, ok := sh.c.UI["planproto."+p]; ok {
		return t.In(sh.lang)
	}
	return p
}

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
}

func newStart(sh *shared) startModel { return startModel{sh: sh} }

func (m startModel) keys() []key.Binding {
	k := m.sh.keys
	return []key.Binding{k.Enter, k.Down} // w (watch over time) is on the screen: the bar must keep ? and q
}

func (m startModel) update(msg tea.Msg) (startModel, tea.Cmd) {
	k := m.sh.keys
	if msg, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(msg, k.Enter), key.Matches(msg, k.Right):
			return m, goTo(screenSite)
		case key.Matches(msg, watchKey(m.sh)):
			return m, openMonitor
		case key.Matches(msg, k.Down):
			m.off++
		case key.Matches(msg, k.Up):
			if m.off > 0 {
				m.off--
			}
		}
	}
	return m, nil
}

func (m startModel) view() string {
	sh := m.sh
	w := sh.bodyWidth()
	var lines []string
	lines = append(lines, wrap(sh.L("start.intro"), w)...)
	if sh.cfg.Demo && sh.cfg.DemoScenario != "" {
		for _, part := range strings.Split(sh.L("demo.about."+sh.cfg.DemoScenario), "\n") {
			for _, l := range wrap(part, w) {
				lines = append(lines, sh.st.bold.Render(l))
			}
		}
		lines = append(lines, wrap(sh.L("demo.ports"), w)...)
	}
	lines = append(lines, wrap(sh.L("start.steps"), w)...)
	lines = append(lines, sh.st.bold.Render(clip(watchHint(sh), w)))
	lines = append(lines, "", sh.st.bold.Render(sh.L("start.plan")))
	lines = append(lines, planLines(sh, w)...)
	lines = append(lines, "", sh.st.dim.Render(sh.L("start.go")))
	shown, _ := window(lines, m.off, sh.bodyHeight())
	return strings.Join(shown, "\n")
}

// planLines renders the traffic plan as aligned columns of ASCII values
// (check id, protocol, address, ports) with the purpose last, so wide
// characters never shift a column.
func planLines(sh *shared, w int) []string {
	p := sh.plan(nil)
	if p == nil {
		return []string{sh.L("start.noplan")}
	}
	var out []string
	for _, d := range p.Destinations {
		d = sh.ports.destination(sh.whereTo(d))
		row := pad(d.Check, 15) + " " + pad(d.Proto+"/"+strings.ToUpper(d.Transport), 13) + " " +
			pad(d.Address, 22) + " " + pad(d.Ports.String(), 11) + " "
		out = append(out, row+clip(d.Purpose.In(sh.lang), w-lipglossWidth(row)))
	}
	var local, skipped []string
	for _, id := range p.Checks {
		if _, skip := p.Skipped[id]; skip {
			skipped = append(skipped, id)
		} else if len(p.For(id)) == 0 {
			local = append(local, id)
		}
	}
	if len(local) > 0 {
		out = append(out, wrap(sh.L("start.local")+": "+strings.Join(local, ", "), w)...)
	}
	if len(skipped) > 0 {
		out = append(out, sh.L("start.skipped")+":")
		for _, id := range skipped {
			out = append(out, "  "+pad(id, 15)+" "+clip(p.Skipped[id].In(sh.lang), w-18))
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

package tui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// routerModel is step 7: the configuration for the router/firewall picked
// in the tree, or the generic rule table with the site's addresses.
type routerModel struct {
	sh  *shared
	off int
}

func newRouter(sh *shared) routerModel { return routerModel{sh: sh} }

func (m routerModel) keys() []key.Binding {
	k := m.sh.keys
	return []key.Binding{k.Enter, vendorKey(m.sh), k.Down, k.PageDn, k.Home}
}

// vendorKey goes to the question that picks the device (step 4), so the
// configuration can be shown for another one.
func vendorKey(sh *shared) key.Binding {
	return key.NewBinding(key.WithKeys("c"), key.WithHelp("c", sh.L("config.change")))
}

// vendorQuestionMsg asks the root for step 4's device question.
type vendorQuestionMsg struct{}

func (m routerModel) update(msg tea.Msg) (routerModel, tea.Cmd) {
	msgKey, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return m, nil
	}
	k := m.sh.keys
	switch {
	case key.Matches(msgKey, k.Enter):
		return m, goTo(screenExport)
	case key.Matches(msgKey, k.Back):
		return m, goTo(screenFindings)
	case key.Matches(msgKey, vendorKey(m.sh)):
		return m, func() tea.Msg { return vendorQuestionMsg{} }
	}
	m.off, _ = scrollKey(msgKey, k, m.off, len(m.lines()), m.sh.bodyHeight(), true)
	return m, nil
}

func (m routerModel) view() string {
	lines := m.lines()
	h := m.sh.bodyHeight()
	return strings.Join(m.sh.viewport(lines, clampOff(m.off, len(lines), h), h), "\n")
}

func (m routerModel) lines() []string {
	sh := m.sh
	w := sh.bodyWidth()
	if sh.ses.Profile == nil {
		return wrap(sh.L("start.noplan"), w)
	}
	vendor := sh.L("config.none")
	if vt, ok := sh.c.Vendor(sh.ses.Profile.Vendor); ok {
		vendor = vt.Display // the firmware line is in the configuration's header
	}
	text, generic := routerConfig(sh.cfg, sh.ses.Profile, sh.lang, sh.siteRemedies())
	head := styled(sh.st.bold, wrap(sh.L("config.vendor", "vendor", vendor), w))
	if sh.ses.Measured() && len(sh.siteRemedies()) == 0 {
		// a healthy site: the whole set below is reference, not a to-do
		head = append(head, styled(sh.st.bold, wrap(sh.L("config.nochange"), w))...)
	}
	if generic {
		head = append(head, wrap(sh.L("config.generic"), w)...)
		if sh.ses.Profile.Vendor == "" {
			head = append(head, wrap(sh.L("config.pick"), w)...)
		}
	}
	var body []string
	for _, l := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), "#") || strings.HasPrefix(l, "  ") || lipglossWidth(l) > w {
			body = append(body, hangWrap(l, w)...) // comments and notes: read them whole
			continue
		}
		body = append(body, l)
	}
	return append(head, body...)
}

// supportLines are the vendor documents the configuration follows.
func (m routerModel) supportLines(w int) []string {
	sh := m.sh
	if sh.ses.Profile == nil {
		return nil
	}
	vt, ok := sh.c.Vendor(sh.ses.Profile.Vendor)
	if !ok {
		return nil
	}
	var out []string
	for _, s := range vt.Sources {
		out = append(out, hang("  ["+s.ID+"] ", s.Title+" ("+s.Firmware+")", w)...)
		out = append(out, urlLines("      ", s.URL, w)...)
	}
	return out
}

// urlLines puts a URL (or a file path) on lines of its own, broken where
// wrap breaks a word longer than a line: after its slashes, and a segment
// still wider than the screen inside at '-', '_' or '.' rather than cut
// short at the edge. A reference in words (the stored requirements page)
// wraps as words.
func urlLines(indent, url string, w int) []string {
	if lipglossWidth(url) <= w-lipglossWidth(indent) {
		return []string{indent + url}
	}
	return hang(indent, url, w)
}

// hangWrap wraps a comment or a note with its continuation lines indented
// under it, a comment's still starting with "#": pasted into a device they
// stay comments, and on screen they read as one item.
func hangWrap(l string, w int) []string {
	lines := wrap(l, w)
	if len(lines) < 2 {
		return lines
	}
	body := strings.TrimLeft(l, " ")
	cont := l[:len(l)-len(body)] + "    "
	if strings.HasPrefix(body, "#") {
		cont = l[:len(l)-len(body)] + "#     "
	}
	return append(lines[:1], hangRest(strings.TrimLeft(l[len(lines[0]):], " "), cont, w)...)
}

// hangRest wraps what follows a comment's first line under cont. A URL
// that fits whole only without the indent gets a line of its own without
// it (whole beats indented; a longer one breaks at its slashes anyway),
// and only that line: the text around it keeps the indent. Atoms, not
// fields: Japanese has no spaces, yet a sentence of it is no URL.
func hangRest(rest, cont string, w int) []string {
	short := strings.TrimRight(cont, " ")
	var out []string
	var text strings.Builder
	flush := func() {
		if t := strings.TrimSpace(text.String()); t != "" {
			for _, r := range wrap(t, w-lipglossWidth(cont)) {
				out = append(out, cont+r)
			}
		}
		text.Reset()
	}
	for _, a := range atoms(rest) {
		if !a.space && a.width > w-lipglossWidth(cont) && a.width <= w-lipglossWidth(short) {
			flush()
			out = append(out, short+a.text)
			continue
		}
		text.WriteString(a.text)
	}
	flush()
	return out
}

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
	return []key.Binding{k.Down, k.PageDn, k.Enter}
}

func (m routerModel) update(msg tea.Msg) (routerModel, tea.Cmd) {
	msgKey, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return m, nil
	}
	k := m.sh.keys
	page := m.sh.bodyHeight() - 3
	switch {
	case key.Matches(msgKey, k.Down):
		m.off++
	case key.Matches(msgKey, k.Up):
		m.off--
	case key.Matches(msgKey, k.PageDn):
		m.off += page
	case key.Matches(msgKey, k.PageUp):
		m.off -= page
	case key.Matches(msgKey, k.Enter):
		return m, goTo(screenExport)
	case key.Matches(msgKey, k.Back):
		return m, goTo(screenFindings)
	}
	if m.off < 0 {
		m.off = 0
	}
	return m, nil
}

func (m routerModel) view() string {
	sh := m.sh
	w := sh.bodyWidth()
	if sh.ses.Profile == nil {
		return sh.L("start.noplan")
	}
	vendor := sh.ses.Profile.Vendor
	if vendor == "" {
		vendor = "-"
	}
	text, generic := routerConfig(sh.cfg, sh.ses.Profile, sh.lang)
	head := []string{sh.st.bold.Render(sh.L("config.vendor", "vendor", vendor))}
	if generic {
		head = append(head, sh.st.dim.Render(clip(sh.L("config.generic"), w)))
		if sh.ses.Profile.Vendor == "" {
			head = append(head, sh.st.dim.Render(clip(sh.L("config.pick"), w)))
		}
	}
	var body []string
	for _, l := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), "#") || strings.HasPrefix(l, "  ") {
			body = append(body, hangWrap(l, w)...) // comments and notes: read them whole
			continue
		}
		body = append(body, clip(l, w)) // configuration lines stay one line each
	}
	h := sh.bodyHeight() - len(head)
	shown, _ := window(body, m.off, h)
	return strings.Join(append(head, shown...), "\n")
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
	rest := strings.TrimLeft(l[len(lines[0]):], " ")
	for _, word := range strings.Fields(rest) {
		if lipglossWidth(word) > w-lipglossWidth(cont) { // a URL: whole beats indented
			cont = strings.TrimRight(cont, " ")
			break
		}
	}
	out := []string{lines[0]}
	for _, r := range wrap(rest, w-lipglossWidth(cont)) {
		out = append(out, cont+r)
	}
	return out
}

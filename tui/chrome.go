package tui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// The chrome around every screen: the footer of keys, the ? help screen,
// the scroll position of long bodies and the "terminal too small" screen.

// minWidth and minHeight are the smallest terminal the layout is drawn
// for; below it a clear message replaces a broken layout.
const (
	minWidth  = 60
	minHeight = 20
)

// tooSmall reports whether the terminal is below the minimum size.
func (sh *shared) tooSmall() bool { return sh.width < minWidth || sh.height < minHeight }

// tooSmallView is the whole frame when the terminal is too small.
func (sh *shared) tooSmallView() string {
	w := max(sh.width, 10)
	lines := wrap(sh.L("app.too_small", "need", itoa(minWidth)+"×"+itoa(minHeight), "now", itoa(sh.width)+"×"+itoa(sh.height)), w)
	lines = append(lines, "")
	lines = append(lines, wrap(sh.L("app.too_small.quit"), w)...)
	return strings.Join(lines, "\n")
}

// footerItem is one "key what-it-does" of the footer.
func footerItem(b key.Binding) string {
	h := b.Help()
	return h.Key + " " + h.Desc
}

// dedupe drops bindings whose help repeats an earlier one (↑ and ↓ share
// "↑↓ move"), keeping the first.
func dedupe(bs []key.Binding) []key.Binding {
	seen := map[string]bool{}
	var out []key.Binding
	for _, b := range bs {
		h := b.Help()
		if h.Key == "" || seen[h.Key+h.Desc] {
			continue
		}
		seen[h.Key+h.Desc] = true
		out = append(out, b)
	}
	return out
}

// footer fits the screen's keys and the global ones into one line of w
// cells. `?` and `q` always stay; the other items are kept in priority
// order (the screen's first) as long as they fit, then shown in order.
func footer(screen, global []key.Binding, w int) string {
	const sep = " | "
	required := global[len(global)-2:] // ? and q
	optional := dedupe(append(append([]key.Binding{}, screen...), global[:len(global)-2]...))
	used := 0
	for _, b := range required {
		used += lipglossWidth(footerItem(b)) + len(sep)
	}
	keep := make([]bool, len(optional))
	for i, b := range optional {
		if n := lipglossWidth(footerItem(b)) + len(sep); used+n <= w {
			keep[i], used = true, used+n
		}
	}
	var parts []string
	for i, b := range optional {
		if keep[i] {
			parts = append(parts, footerItem(b))
		}
	}
	for _, b := range required {
		parts = append(parts, footerItem(b))
	}
	return clip(strings.Join(parts, sep), w)
}

// editingFooter is the footer while a text field takes the keys: the
// field's keys and how to reach the global ones (they would be typed).
func (sh *shared) editingFooter(screen []key.Binding, w int) string {
	var parts []string
	for _, b := range dedupe(screen) {
		parts = append(parts, footerItem(b))
	}
	tail := sh.L("footer.editing")
	line := strings.Join(append(parts, tail), " | ")
	for lipglossWidth(line) > w && len(parts) > 0 {
		parts = parts[:len(parts)-1]
		line = strings.Join(append(parts, tail), " | ")
	}
	return clip(line, w)
}

// viewport shows h lines of lines from off. When they do not all fit, the
// last line says where the view is and how much is below ("12–20 / 31
// ↓ 11 more"), so nothing is hidden without a sign.
func (sh *shared) viewport(lines []string, off, h int) []string {
	if len(lines) <= h {
		return lines
	}
	h = max(h-1, 1)
	shown, off := window(lines, off, h)
	out := append([]string{}, shown...)
	return append(out, sh.position(off, len(shown), len(lines)))
}

// position is the scroll line: shown range, total, and what is above/below.
func (sh *shared) position(off, n, total int) string {
	s := sh.positionWords(off, n, total)
	if hint := "  (PgUp/PgDn, Home/End)"; lipglossWidth(s+hint) <= sh.bodyWidth() {
		s += hint
	}
	return sh.st.bold.Render(s)
}

// positionWords is the scroll line without the scroll keys, for a screen
// whose view follows its cursor instead (the site form).
func (sh *shared) positionWords(off, n, total int) string {
	s := sh.L("scroll.pos", "from", itoa(off+1), "to", itoa(off+n), "total", itoa(total))
	if below := total - off - n; below > 0 {
		s += "  " + sh.L("scroll.below", "n", itoa(below))
	}
	if off > 0 {
		s += "  " + sh.L("scroll.above", "n", itoa(off))
	}
	return s
}

// scrollKey moves a scroll offset by PgUp/PgDn/Home/End (and ↑↓ when
// arrows scroll too), clamped to a body of total lines in h rows.
func scrollKey(msg tea.KeyPressMsg, k keyMap, off, total, h int, arrows bool) (int, bool) {
	page := max(h-2, 1)
	switch {
	case key.Matches(msg, k.PageDn):
		off += page
	case key.Matches(msg, k.PageUp):
		off -= page
	case key.Matches(msg, k.Home):
		off = 0
	case key.Matches(msg, k.End):
		off = total
	case arrows && key.Matches(msg, k.Down):
		off++
	case arrows && key.Matches(msg, k.Up):
		off--
	default:
		return off, false
	}
	return clampOff(off, total, h), true
}

// clampOff keeps an offset inside the scrollable range of total lines in
// h rows (one of which is the position line when they overflow).
func clampOff(off, total, h int) int {
	if total > h {
		h--
	}
	return max(min(off, total-h), 0)
}

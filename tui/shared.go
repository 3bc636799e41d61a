package tui

import (
	"charm.land/bubbles/v2/textinput"
	"strconv"
	"strings"
	"time"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/biztel-tools/biztel-doctor/checks"
	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/report"
	"github.com/biztel-tools/biztel-doctor/session"
)

// shared is what every screen sees: the terminal size, the language, the
// styles and keys, the content, and the session (site, answers, results).
// One value, owned by the root model and passed down; never a global.
type shared struct {
	width, height int
	helpLines     int // lines of the help bar at the last render (more with ? open)
	bannerLines   int // lines of the "checks running" banner at the last render
	lang          content.Lang
	st            styles
	keys          keyMap
	c             *content.Content
	cfg           Config
	ports         demoPorts // the demo's loopback ports → the real site's; nil outside the demo

	// ses is the session: site, answers, every run, the checklist and the
	// report. The TUI presents it.
	ses *session.Session

	verifying string          // checklist item whose checks are re-running
	exported  bool            // the report was saved since the last change
	quitAt    time.Time       // when the quit question was asked: the saved files' names
	demoFixed map[string]bool // demo: remedies applied to the simulated site
}

func newShared(cfg Config) *shared {
	sh := &shared{lang: cfg.Lang, c: cfg.Content, cfg: cfg, ses: newSession(cfg), ports: newDemoPorts(cfg)}
	sh.setLang(cfg.Lang)
	return sh
}

func (sh *shared) setLang(l content.Lang) {
	sh.lang = l
	sh.st = newStyles(sh.cfg.NoColor)
	sh.keys = newKeyMap(sh.c, l)
}

// L is a UI label in the current language; vars fill {placeholders}.
func (sh *shared) L(key string, vars ...string) string {
	s := sh.c.Label(key, sh.lang)
	if len(vars) > 1 {
		m := map[string]string{}
		for i := 0; i+1 < len(vars); i += 2 {
			m[vars[i]] = vars[i+1]
		}
		s = content.Fill(s, m)
	}
	return s
}

// text is a UI label in both languages, for a message kept on screen
// across a language switch.
func (sh *shared) text(key string, vars ...string) content.Text {
	in := func(l content.Lang) string {
		defer func(keep content.Lang) { sh.lang = keep }(sh.lang)
		sh.lang = l
		return sh.L(key, vars...)
	}
	return content.T(in(content.Ja), in(content.En))
}

func (sh *shared) now() time.Time {
	if sh.cfg.Now != nil {
		return sh.cfg.Now()
	}
	return time.Now()
}

// unsaved reports whether quitting would lose results.
func (sh *shared) unsaved() bool { return sh.ses.Measured() && !sh.exported }

// bodyHeight is the lines between the header and the help bar, the full
// help (?) taking its extra lines from the body.
func (sh *shared) bodyHeight() int {
	h := sh.height - 3 - max(sh.helpLines, 1) - sh.bannerLines
	if h < 4 {
		h = 4
	}
	return h
}

func (sh *shared) bodyWidth() int {
	if sh.width < 20 {
		return 20
	}
	return sh.width
}

// styles has no faint or grey style: on a compressed screen share text
// in dim or dark grey is unreadable, so no information is drawn that way.
type styles struct {
	title, cursor, bold, err, ok, warn, bad lipgloss.Style
}

func newStyles(noColor bool) styles {
	s := styles{
		title:  lipgloss.NewStyle().Bold(true),
		bold:   lipgloss.NewStyle().Bold(true),
		cursor: lipgloss.NewStyle().Reverse(true),
		err:    lipgloss.NewStyle().Bold(true),
		ok:     lipgloss.NewStyle(),
		warn:   lipgloss.NewStyle(),
		bad:    lipgloss.NewStyle(),
	}
	if !noColor {
		s.title = s.title.Foreground(lipgloss.Color("#5fafff"))
		s.err = s.err.Foreground(lipgloss.Color("#ff5f5f"))
		s.ok = s.ok.Foreground(lipgloss.Color("#5fd75f"))
		s.warn = s.warn.Foreground(lipgloss.Color("#ffd75f"))
		s.bad = s.bad.Foreground(lipgloss.Color("#ff5f5f"))
	}
	return s
}

// status renders a status as its ASCII symbol and word, coloured when
// colour is on; it reads the same without colour.
func (sh *shared) status(s checks.Status) string {
	text := s.Symbol() + " " + s.LabelIn(sh.c, sh.lang)
	switch s {
	case checks.Pass:
		return sh.st.ok.Render(text)
	case checks.Warn:
		return sh.st.warn.Render(text)
	case checks.Fail, checks.Error:
		return sh.st.bad.Render(text)
	}
	return text
}

// Layout helpers. Widths are display cells (lipgloss.Width), so Japanese
// wide characters count two and columns stay aligned.

// pad fits s to exactly w cells: truncated with "..." or padded with spaces.
func pad(s string, w int) string {
	if w <= 0 {
		return ""
	}
	if lipgloss.Width(s) > w {
		s = ansi.Truncate(s, w, "..")
	}
	if n := w - lipgloss.Width(s); n > 0 {
		s += strings.Repeat(" ", n)
	}
	return s
}

// clip truncates s to w cells.
func clip(s string, w int) string {
	if lipgloss.Width(s) <= w {
		return s
	}
	return ansi.Truncate(s, w, "..")
}

// window returns the lines of a scrolled view: at most h lines from off,
// with off clamped.
func window(lines []string, off, h int) ([]string, int) {
	if off > len(lines)-h {
		off = len(lines) - h
	}
	if off < 0 {
		off = 0
	}
	end := off + h
	if end > len(lines) {
		end = len(lines)
	}
	return lines[off:end], off
}

// follow returns an offset that keeps line cur visible in a window of h.
func follow(off, cur, h int) int {
	if cur < off {
		return cur
	}
	if cur >= off+h {
		return cur - h + 1
	}
	return off
}

func lipglossWidth(s string) int { return lipgloss.Width(s) }

func itoa(n int) string { return strconv.Itoa(n) }

// newInput is a text field with a steady cursor: a blinking one redraws the
// screen twice a second, which is noise on a screen share (and in goldens).
func newInput(prompt string) textinput.Model {
	ti := textinput.New()
	ti.Prompt = prompt
	st := ti.Styles()
	st.Cursor.Blink = false
	ti.SetStyles(st)
	return ti
}

// checkName is a check's title in the current language: the main flow
// names checks, it does not show their ids (the ? screen does).
func (sh *shared) checkName(id string) string {
	if ci, ok := sh.c.Check(id); ok {
		return ci.Title.In(sh.lang)
	}
	return id
}

// remedyName is a remedy's title in the current language.
func (sh *shared) remedyName(id string) string {
	if r, ok := sh.c.Remedy(id); ok {
		return r.Title.In(sh.lang)
	}
	return id
}

// checkNames joins check titles.
func (sh *shared) checkNames(ids []string) string {
	var out []string
	for _, id := range ids {
		out = append(out, sh.checkName(id))
	}
	return strings.Join(out, sh.L("list.sep"))
}

// factLabel is the label of an evidence key in the current language (the
// content table of fact labels; keys built at run time match a pattern).
func (sh *shared) factLabel(k string) string {
	if t, ok := sh.c.FactLabel(k); ok {
		return t.In(sh.lang)
	}
	return k
}

// factValue is an evidence value as people read it: yes/no for booleans,
// whole numbers without an exponent (a report read back from JSON holds
// float64), enumerated words from the content table of fact values; a
// list is translated item by item. Values quoted as received stay raw.
func (sh *shared) factValue(k string, v any) string {
	return report.FactValue(sh.c, sh.lang, k, v)
}

// namesForIDs replaces the check ids in a line written for the CLI (the
// run's order) with the checks' names: the TUI shows no ids.
func (sh *shared) namesForIDs(line string) string {
	for _, ci := range sh.c.Checks {
		line = strings.ReplaceAll(line, ci.ID, ci.Title.In(sh.lang))
	}
	return line
}

package tui

import (
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/profile"
	"github.com/biztel-tools/biztel-doctor/report"
)

// ViewConfig is what the read-only viewer of a saved report needs. It has
// no environment and no runner: the viewer sends nothing.
type ViewConfig struct {
	Lang    content.Lang
	NoColor bool
	Content *content.Content
	Report  *report.Report
	// Comparison, when set, is Report compared with an earlier report
	// (view --against); it adds the before/after screen.
	Comparison *report.Comparison
	// Snippet renders the router configuration of vendor for the profile.
	Snippet func(vendor string, p *profile.Profile, lang content.Lang) string
}

// viewTab is one screen of the viewer.
type viewTab int

const (
	tabFindings viewTab = iota
	tabChecklist
	tabConfig
	tabSite
	tabCompare
)

var tabKeys = []string{"view.tab.findings", "view.tab.checklist", "view.tab.config", "view.tab.site", "view.tab.compare"}

// Viewer is the read-only TUI over a saved report: findings by cause, the
// checklist with its numbers, the router configuration for any vendor, the
// answers and the site, and with --against the before/after comparison.
type Viewer struct {
	cfg           ViewConfig
	lang          content.Lang
	tab           viewTab
	offset        []int // scroll offset per tab
	vendor        string
	width, height int
	bold, inverse lipgloss.Style
}

// NewViewer builds the viewer.
func NewViewer(cfg ViewConfig) *Viewer {
	if cfg.Content == nil {
		cfg.Content = content.MustLoad()
	}
	if cfg.Lang == "" {
		cfg.Lang = content.Ja
	}
	v := &Viewer{cfg: cfg, lang: cfg.Lang, offset: make([]int, len(tabKeys)), width: 80, height: 24}
	if cfg.Report.Profile != nil {
		v.vendor = cfg.Report.Profile.Vendor
	}
	v.bold, v.inverse = lipgloss.NewStyle(), lipgloss.NewStyle()
	if !cfg.NoColor {
		v.bold, v.inverse = v.bold.Bold(true), v.inverse.Reverse(true)
	}
	if cfg.Comparison != nil {
		v.tab = tabCompare // what --against was asked for
	}
	return v
}

// Lang is the language the viewer shows now (L switches it).
func (v *Viewer) Lang() content.Lang { return v.lang }

func (v *Viewer) Init() tea.Cmd { return nil }

func (v *Viewer) tabs() int {
	if v.cfg.Comparison != nil {
		return len(tabKeys)
	}
	return len(tabKeys) - 1
}

func (v *Viewer) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		v.width, v.height = msg.Width, msg.Height
	case tea.KeyPressMsg:
		return v, v.key(msg.String())
	}
	return v, nil
}

// key handles one key press; the viewer has no other input.
func (v *Viewer) key(k string) tea.Cmd {
	page := max(1, v.bodyHeight()-1)
	switch k {
	case "q", "esc", "ctrl+c":
		return tea.Quit
	case "tab", "right":
		v.tab = (v.tab + 1) % viewTab(v.tabs())
	case "shift+tab", "left":
		v.tab = (v.tab + viewTab(v.tabs()) - 1) % viewTab(v.tabs())
	case "1", "2", "3", "4", "5":
		if n := int(k[0] - '1'); n < v.tabs() {
			v.tab = viewTab(n)
		}
	case "L":
		v.lang = other(v.lang)
	case "down", "j":
		v.scroll(1)
	case "up", "k":
		v.scroll(-1)
	case "pgdown", "space", "f":
		v.scroll(page)
	case "pgup", "b":
		v.scroll(-page)
	case "home", "g":
		v.offset[v.tab] = 0
	case "v", "V":
		if v.tab == tabConfig {
			v.nextVendor(k == "v")
		}
	}
	return nil
}

func other(l content.Lang) content.Lang {
	if l == content.En {
		return content.Ja
	}
	return content.En
}

func (v *Viewer) nextVendor(forward bool) {
	list := profile.Vendors
	i := slices.Index(list, v.vendor)
	switch {
	case i < 0 && forward:
		i = 0
	case i < 0:
		i = len(list) - 1
	case forward:
		i = (i + 1) % len(list)
	default:
		i = (i + len(list) - 1) % len(list)
	}
	v.vendor = list[i]
	v.offset[tabConfig] = 0
}

func (v *Viewer) scroll(n int) {
	last := max(0, len(v.bodyLines())-v.bodyHeight())
	v.offset[v.tab] = min(max(0, v.offset[v.tab]+n), last)
}

// header is the saved report's date, tool version, simulated mark and site,
// then the tab bar.
func (v *Viewer) header() []string {
	r, L := v.cfg.Report, v.label
	top := L("view.title") + " · " + r.StartedAt.Local().Format("2006-01-02 15:04") + " · biztel-doctor " + r.Version
	if r.Simulated != "" {
		top += " · [" + L("view.simulated") + ": " + report.ScenarioName(v.cfg.Content, v.lang, r.Simulated) + "]"
	}
	top += " · " + L("view.readonly")
	var tabs []string
	for i := 0; i < v.tabs(); i++ {
		t := itoa(i+1) + " " + L(tabKeys[i])
		if viewTab(i) == v.tab {
			t = v.inverse.Render("[" + t + "]")
		} else {
			t = " " + t + " "
		}
		tabs = append(tabs, t)
	}
	// the title line wraps whole: a screen share must not lose its end
	out := styled(v.bold, wrap(top, v.width))
	out = append(out, wrap(L("report.site")+": "+siteOf(r.Profile), v.width)...)
	return append(out, clip(strings.Join(tabs, ""), v.width))
}

func (v *Viewer) label(key string) string { return v.cfg.Content.Label(key, v.lang) }

func (v *Viewer) bodyHeight() int { return max(1, v.height-len(v.header())-1) } // header, help 1

// bodyLines is the current tab's text wrapped to the width.
func (v *Viewer) bodyLines() []string {
	var out []string
	for _, line := range strings.Split(strings.TrimRight(v.tabText(), "\n"), "\n") {
		if line == "" {
			out = append(out, "")
			continue
		}
		out = append(out, hangingWrap(line, v.width)...)
	}
	return out
}

// hangingWrap wraps line to width, continuation lines indented like the
// first (a summary under its check stays under it). Japanese breaks
// between characters, as on the steps, not only at spaces.
func hangingWrap(line string, width int) []string {
	indent := len(line) - len(strings.TrimLeft(line, " "))
	if indent > width/2 {
		indent = 0
	}
	return hang(strings.Repeat(" ", indent), strings.TrimLeft(line, " "), max(10+indent, width))
}

func (v *Viewer) View() tea.View {
	lines := v.header()
	body := v.bodyLines()
	off := min(v.offset[v.tab], max(0, len(body)-1))
	body = body[off:]
	h := v.bodyHeight()
	for i := 0; i < h; i++ {
		if i < len(body) {
			lines = append(lines, body[i])
		} else {
			lines = append(lines, "")
		}
	}
	lines = append(lines, clip(content.Fill(v.label("view.help"), map[string]string{"n": itoa(v.tabs())}), v.width)) // as many tabs as there are
	view := tea.NewView(strings.Join(lines, "\n"))
	view.AltScreen = true
	view.WindowTitle = "biztel-doctor view"
	return view
}

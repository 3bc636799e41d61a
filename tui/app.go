// Package tui is the interactive troubleshooter: a small root model (window
// size, global keys, routing) and one child model per screen of the flow —
// start, site, ways in, questions, live checks, findings and checklist,
// router configuration, export. All I/O runs in commands that return typed
// messages; all text comes from content.
package tui

import (
	"context"
	"os"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"github.com/biztel-tools/biztel-doctor/checks"
	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/profile"
	"github.com/biztel-tools/biztel-doctor/report"
)

// Config is what the app needs from main.
type Config struct {
	Ctx         context.Context // cancels runs when the program ends; default Background
	Lang        content.Lang
	NoColor     bool
	Content     *content.Content
	Profile     *profile.Profile // from --profile and site flags; nil: fill in the form
	ProfilePath string
	Options     checks.Options // run options (ports point at fakes in demo)
	Env         *checks.Env
	Runner      Runner // default checks.Run
	Snippet     SnippetFunc
	Version     string
	OutDir      string // where export writes; default "."
	Demo        bool
	// DemoScenario names the demo's simulated site ("problems",
	// "healthy"); the header and the start screen show it.
	DemoScenario string
	Now          func() time.Time
	// MonitorSetup, when set, points the monitor screen at another site
	// (the demo's intermittent fault); tui/monitor.go.
	MonitorSetup MonitorSetup
	// PanicAfter is a developer hook (--dev-override's panic_after_check):
	// the app panics when this check finishes, so a test can prove that a
	// recovered panic still saves the whole report. "" in normal use.
	PanicAfter string
	// DemoFixes are the simulated site's fixes by remedy id (demo.Site.Fixes):
	// step 6 offers "apply this fix to the simulated site" for them.
	DemoFixes map[string]func(*checks.Options)
	// NextDemo starts the demo's other scenario and closes this one's site
	// (the start screen's s key, tui/demo_switch.go); nil: no switching.
	NextDemo func() (Config, error)
	// NextDemoScenario names the scenario NextDemo starts ("healthy" …).
	NextDemoScenario string
}

// screenID numbers the screens; the number is the step shown ("3/8").
type screenID int

const (
	screenStart screenID = iota
	screenSite
	screenWays
	screenTree
	screenChecks
	screenFindings
	screenConfig
	screenExport
	screenCount
)

var stepKeys = [screenCount]string{"step.start", "step.site", "step.ways", "step.tree", "step.checks", "step.findings", "step.config", "step.export"}

// gotoMsg moves to a screen.
type gotoMsg struct{ to screenID }

func goTo(s screenID) tea.Cmd { return func() tea.Msg { return gotoMsg{s} } }

// Model is the root model.
type Model struct {
	sh          *shared
	screen      screenID
	confirmQuit bool
	helpOpen    bool // the ? screen of the current step is shown
	helpOff     int  // its scroll offset

	start    startModel
	site     siteModel
	ways     waysModel
	tree     treeModel
	live     liveModel
	findings findingsModel
	router   routerModel
	export   exportModel
	mon      *monitorModel // the monitor screen when open (tui/monitor.go)
}

// New builds the app.
func New(cfg Config) *Model {
	if cfg.Content == nil {
		cfg.Content = content.MustLoad()
	}
	if cfg.Lang == "" {
		cfg.Lang = content.Ja
	}
	if cfg.Runner == nil {
		cfg.Runner = checks.Run
	}
	if cfg.Env == nil {
		cfg.Env = checks.SystemEnv(cfg.Version)
	}
	if cfg.Ctx == nil {
		cfg.Ctx = context.Background()
	}
	if cfg.OutDir == "" {
		cfg.OutDir = "."
	}
	sh := newShared(cfg)
	sh.width, sh.height = 80, 24
	m := &Model{sh: sh,
		start: newStart(sh), site: newSite(sh), ways: newWays(sh), tree: newTree(sh),
		live: newLive(sh), findings: newFindings(sh), router: newRouter(sh), export: newExport(sh)}
	return m
}

// Report is the session's report for the summary printed on exit; nil when
// no check ran.
func (m *Model) Report() *report.Report {
	if !m.sh.ses.Measured() {
		return nil
	}
	return m.sh.report()
}

// SaveUnsaved writes the report (Markdown and JSON, as export does) when
// checks ran and their results were not exported, so quitting — also by a
// signal — never loses a measurement. The demo's simulated results are not
// saved. It returns the files written; none when there was nothing to save.
func (m *Model) SaveUnsaved() ([]string, error) {
	if m.sh.cfg.Demo || !m.sh.unsaved() {
		return nil, nil
	}
	at := m.sh.now()
	if !m.sh.quitAt.IsZero() {
		at = m.sh.quitAt // the names the quit question showed
	}
	rep := m.sh.report()
	msg := saveReport(m.sh.cfg.OutDir, rep, m.sh.lang, m.sh.c, at)().(reportSavedMsg)
	if msg.err != nil {
		// a read-only folder or a full disk: the temp folder rather than
		// nothing; the error still says where the first try went
		alt := saveReport(os.TempDir(), rep, m.sh.lang, m.sh.c, at)().(reportSavedMsg)
		if alt.err == nil {
			m.sh.exported = true
			return alt.paths, nil
		}
		return nil, msg.err
	}
	m.sh.exported = true
	return msg.paths, nil
}

// Interrupt cuts the run in flight short, when the app ended without the
// quit key (a signal, a closed terminal, a recovered panic): every check
// not finished becomes error "interrupted" in the session, so the report
// saved next is complete and true.
func (m *Model) Interrupt() {
	if m.live.run != nil {
		m.live.run.cancel()
	}
	m.sh.ses.Interrupt()
}

// ExportedPaths are the files step 8 saved last (nil when it saved none),
// for the goodbye printed on exit.
func (m *Model) ExportedPaths() []string { return m.export.paths }

// Lang is the language in use at the end (the summary is printed in it).
func (m *Model) Lang() content.Lang { return m.sh.lang }

func (m *Model) Init() tea.Cmd { return nil }

func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if cmd, done := m.updateMonitor(msg); done {
		return m, cmd
	}
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.sh.width, m.sh.height = msg.Width, msg.Height
		return m, nil
	case tea.KeyPressMsg:
		if cmd, done := m.globalKey(msg); done {
			return m, cmd
		}
	case gotoMsg:
		m.screen = msg.to
		return m, m.enter()
	case vendorQuestionMsg:
		if m.tree.toVendor() {
			m.screen = screenTree
			m.tree.syncCursor()
		}
		return m, nil
	case demoSwitchAskMsg:
		return m, m.askSwitchDemo(msg)
	case demoSwitchedMsg:
		m.demoSwitched(msg)
		return m, nil
	case startChecksMsg, runStartedMsg, checkEventMsg, runDoneMsg, spinner.TickMsg:
		var cmd tea.Cmd
		m.live, cmd = m.live.update(msg)
		return m, cmd
	}
	return m, m.updateScreen(msg)
}

// globalKey handles the keys every screen shares; done is false when the
// key belongs to the current screen.
func (m *Model) globalKey(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	k := m.sh.keys
	if m.confirmQuit {
		switch {
		case key.Matches(msg, k.Yes), msg.String() == "ctrl+c": // a second Ctrl-C: save and quit
			return m.quit(), true
		case key.Matches(msg, k.No):
			m.confirmQuit, m.sh.quitAt = false, time.Time{}
		}
		return nil, true
	}
	typing := m.capturing()
	switch {
	case msg.String() == "ctrl+c", key.Matches(msg, k.Quit) && !typing:
		if m.sh.unsaved() {
			m.confirmQuit = true
			return nil, true
		}
		return m.quit(), true
	case m.sh.tooSmall():
		return nil, true // nothing else is drawn: no key acts unseen
	case typing:
		return nil, false
	case m.helpOpen:
		return m.helpKey(msg), true
	case key.Matches(msg, k.Help):
		m.helpOpen, m.helpOff = true, 0
		return nil, true
	case key.Matches(msg, k.Lang):
		if m.sh.lang == content.Ja {
			m.sh.setLang(content.En)
		} else {
			m.sh.setLang(content.Ja)
		}
		return nil, true
	case key.Matches(msg, k.Jump):
		m.screen = screenID(msg.String()[0] - '1')
		return m.enter(), true
	}
	return nil, false
}

func (m *Model) quit() tea.Cmd {
	m.live.cancelRun()
	m.stopMonitor()
	return tea.Quit
}

// capturing reports whether the screen is taking typed text, so letters go
// to it rather than to the global keys.
func (m *Model) capturing() bool {
	switch m.screen {
	case screenSite:
		return m.site.capturing()
	case screenTree:
		return m.tree.capturing()
	case screenExport:
		return m.export.capturing()
	}
	return false
}

// enter tells the new screen it is shown.
func (m *Model) enter() tea.Cmd {
	m.start.confirmSwitch = false // leaving step 1 answers its question with no
	switch m.screen {
	case screenSite:
		return m.site.enter()
	case screenTree:
		m.tree.enter()
	case screenFindings:
		m.findings.enter()
	}
	return nil
}

func (m *Model) updateScreen(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	switch m.screen {
	case screenStart:
		m.start, cmd = m.start.update(msg)
	case screenSite:
		m.site, cmd = m.site.update(msg)
	case screenWays:
		m.ways, cmd = m.ways.update(msg)
	case screenTree:
		m.tree, cmd = m.tree.update(msg)
	case screenChecks:
		m.live, cmd = m.live.update(msg)
	case screenFindings:
		m.findings, cmd = m.findings.update(msg)
	case screenConfig:
		m.router, cmd = m.router.update(msg)
	case screenExport:
		m.export, cmd = m.export.update(msg)
	}
	return cmd
}

func (m *Model) View() tea.View {
	v := tea.NewView(m.render())
	v.AltScreen = true
	v.WindowTitle = "biztel-doctor"
	return v
}

// render draws header, body and footer at the terminal's size.
func (m *Model) render() string {
	sh := m.sh
	if sh.tooSmall() && !m.confirmQuit {
		return sh.tooSmallView()
	}
	bar := m.helpBar()
	sh.helpLines = strings.Count(bar, "\n") + 1 // before the body: its height depends on the bar
	banner := m.runBanner()
	sh.bannerLines = min(len(banner), 1) // before the body: its height depends on it
	body := m.body()
	if m.helpOpen {
		body = m.helpView()
	}
	lines := strings.Split(body, "\n")
	h := sh.bodyHeight()
	if len(lines) > h {
		lines = lines[:h]
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	if banner != "" {
		lines = append([]string{banner}, lines...)
	}
	for i, l := range lines {
		lines[i] = clip(l, sh.width)
	}
	rule := strings.Repeat("-", sh.width)
	return m.header() + "\n" + rule + "\n" + strings.Join(lines, "\n") + "\n" + rule + "\n" + bar
}

// runBanner is the line over steps 4, 6, 7 and 8 while checks run: what
// those screens show is provisional until every check has ended.
func (m *Model) runBanner() string {
	switch m.screen {
	case screenTree, screenFindings, screenConfig, screenExport:
	default:
		return ""
	}
	running, done, total := m.sh.ses.Running()
	if !running {
		return ""
	}
	return m.sh.st.warn.Render(clip(m.sh.L("session.running", "done", itoa(done), "total", itoa(total)), m.sh.width))
}

// helpBar is the footer: the keys of the screen (or of the ? screen), or
// the quit question.
func (m *Model) helpBar() string {
	sh := m.sh
	if m.confirmQuit {
		return m.quitPrompt()
	}
	k := sh.keys
	switch {
	case m.helpOpen:
		// Esc/? takes ?'s place: the footer named ? twice, as leave and as help
		return footer([]key.Binding{k.Up, k.PageDn, k.Home}, []key.Binding{k.Lang, k.Jump, helpClose(k), k.Quit}, sh.width)
	case m.capturing():
		return sh.editingFooter(m.keysNow(), sh.width)
	}
	return footer(m.keysNow(), m.globalNow(), sh.width) // the monitor's keys while it is open
}

func (m *Model) header() string {
	sh := m.sh
	step := sh.st.title.Render(sh.L("app.title")) + "  " +
		sh.st.bold.Render(itoa(int(m.screen)+1)+"/"+itoa(int(screenCount))+" "+sh.L(stepKeys[m.screen]))
	right := strings.ToUpper(string(sh.lang))
	if sh.cfg.Demo {
		label := sh.L("app.demo")
		if sh.cfg.DemoScenario != "" {
			label = sh.L("app.demo.scenario", "scenario", sh.L("demo.name."+sh.cfg.DemoScenario))
		}
		right = "[" + label + "] " + right
	}
	gap := sh.width - lipglossWidth(step) - lipglossWidth(right)
	if gap < 1 {
		return clip(step, sh.width)
	}
	return step + strings.Repeat(" ", gap) + right
}

// screenBody is the current screen's body.
func (m *Model) screenBody() string {
	switch m.screen {
	case screenStart:
		return m.start.view()
	case screenSite:
		return m.site.view()
	case screenWays:
		return m.ways.view()
	case screenTree:
		return m.tree.view()
	case screenChecks:
		return m.live.view()
	case screenFindings:
		return m.findings.view()
	case screenConfig:
		return m.router.view()
	}
	return m.export.view()
}

// screenKeys is the current screen's own key bindings.
func (m *Model) screenKeys() []key.Binding {
	switch m.screen {
	case screenStart:
		return m.start.keys()
	case screenSite:
		return m.site.keys()
	case screenWays:
		return m.ways.keys()
	case screenTree:
		return m.tree.keys()
	case screenChecks:
		return m.live.keys()
	case screenFindings:
		return m.findings.keys()
	case screenConfig:
		return m.router.keys()
	}
	return m.export.keys()
}

package tui

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/biztel-tools/biztel-doctor/checks"
	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/report"
)

// exportModel is step 8: save the report as Markdown and JSON with the same
// renderers as `check`, and show where.
type exportModel struct {
	sh      *shared
	paths   []string
	err     error
	confirm bool // asked whether to save while checks still run
	// other is the folder to try after a save failed (read-only folder,
	// full disk): shown with the failure, prefilled with the temp folder.
	other  textinput.Model
	failed string // the folder that failed; "" when the last save worked
}

type reportSavedMsg struct {
	dir   string
	paths []string
	err   error
}

func newExport(sh *shared) exportModel {
	return exportModel{sh: sh, other: newInput("> ")}
}

// capturing reports whether the other-folder field takes typed text.
func (m exportModel) capturing() bool { return m.failed != "" }

func (m exportModel) keys() []key.Binding {
	k := m.sh.keys
	return []key.Binding{k.Enter, k.Back}
}

func (m exportModel) update(msg tea.Msg) (exportModel, tea.Cmd) {
	switch msg := msg.(type) {
	case reportSavedMsg:
		m.paths, m.err = msg.paths, msg.err
		if msg.err == nil {
			m.sh.exported = true
			m.sh.cfg.OutDir = msg.dir // later saves (and the one on exit) go where this one went
			m.failed = ""
			m.other.Blur()
			return m, nil
		}
		m.failed = msg.dir
		m.other.SetValue(os.TempDir())
		return m, m.other.Focus()
	case tea.KeyPressMsg:
		k := m.sh.keys
		switch {
		case key.Matches(msg, k.Enter):
			if running, _, _ := m.sh.ses.Running(); running && !m.confirm {
				m.confirm = true // a report made mid-run is not the whole story: ask first
				return m, nil
			}
			m.confirm = false
			dir := m.sh.cfg.OutDir
			if m.failed != "" {
				dir = strings.TrimSpace(m.other.Value())
			}
			return m, saveReport(dir, m.sh.report(), m.sh.lang, m.sh.c, m.sh.now())
		case key.Matches(msg, k.Back) && m.confirm:
			m.confirm = false
		case key.Matches(msg, k.Back):
			m.failed = ""
			return m, goTo(screenConfig)
		}
	}
	if m.failed != "" {
		var cmd tea.Cmd
		m.other, cmd = m.other.Update(msg)
		return m, cmd
	}
	return m, nil
}

// saveReport writes the Markdown and JSON reports next to each other.
func saveReport(dir string, rep *report.Report, lang content.Lang, c *content.Content, now time.Time) tea.Cmd {
	return func() tea.Msg {
		base := filepath.Join(dir, reportBase(now))
		var paths []string
		for _, f := range []struct {
			ext    string
			render func(io.Writer) error
		}{
			{".md", func(w io.Writer) error { return rep.WriteMarkdown(w, lang, c) }},
			{".json", func(w io.Writer) error { return rep.WriteJSON(w, lang, c) }},
		} {
			path := base + f.ext
			if err := writeFile(path, f.render); err != nil {
				return reportSavedMsg{dir: dir, paths: paths, err: err}
			}
			paths = append(paths, path)
		}
		return reportSavedMsg{dir: dir, paths: paths}
	}
}

// writeFile writes the file atomically: a temporary file in the same
// folder, synced, then renamed over path, so a signal or a full disk never
// leaves half a report under the report's name.
func writeFile(path string, render func(io.Writer) error) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("tui: export: %w", err)
	}
	tmp := f.Name()
	err = render(f)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp, 0o644)
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("tui: export %s: %w", path, err)
	}
	return nil
}

func (m exportModel) view() string {
	sh := m.sh
	w := sh.bodyWidth()
	dir := sh.cfg.OutDir
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs // "." says nothing on a screen share
	}
	intro := sh.L("export.intro")
	if len(m.paths) > 0 { // Enter again writes a second pair: say so
		intro = sh.L("export.intro.again")
	}
	lines := append(wrap(intro, w), wrap(sh.L("export.dir", "dir", dir), w)...)
	lines = append(lines, "")
	if m.confirm {
		lines = append(lines, styled(sh.st.warn, wrap(sh.L("export.running"), w))...)
	}
	if m.err != nil {
		lines = append(lines, styled(sh.st.err, wrap(sh.L("export.failed.where", "dir", m.failed, "why", saveProblem(sh, m.err)), w))...)
		m.other.SetWidth(w - 4)
		lines = append(lines, sh.L("export.other"), m.other.View())
	}
	if len(m.paths) > 0 {
		lines = append(lines, sh.st.ok.Render(sh.L("export.saved")))
		for _, p := range m.paths {
			lines = append(lines, urlLines("  ", p, w)...) // a long path breaks at its slashes only
		}
	}
	if rep := sh.report(); len(rep.Results) > 0 {
		counts := rep.Counts()
		var parts []string
		for _, st := range checks.Statuses {
			parts = append(parts, fmt.Sprintf("%s %s %d", st.Symbol(), st.LabelIn(sh.c, sh.lang), counts[st]))
		}
		lines = append(lines, "")
		lines = append(lines, packParts(parts, "  ", w)...) // at 60 columns the error count went under ".."
	}
	lines = append(lines, "", strings.Join(wrap(sh.L("export.summary"), w), "\n"))
	return strings.Join(lines, "\n")
}

// saveProblem says why a save failed in the user's words where the OS
// names a common cause; the OS's own text otherwise.
func saveProblem(sh *shared, err error) string {
	switch {
	case errors.Is(err, fs.ErrPermission):
		return sh.L("export.why.denied")
	case errors.Is(err, fs.ErrNotExist):
		return sh.L("export.why.missing")
	case errors.Is(err, syscall.ENOSPC):
		return sh.L("export.why.full")
	}
	return err.Error()
}

package tui

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/biztel-tools/biztel-doctor/checks"
	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/report"
)

// exportModel is step 8: save the report as Markdown and JSON with the same
// renderers as `check`, and show where.
type exportModel struct {
	sh    *shared
	paths []string
	err   error
}

type reportSavedMsg struct {
	paths []string
	err   error
}

func newExport(sh *shared) exportModel { return exportModel{sh: sh} }

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
		}
	case tea.KeyPressMsg:
		k := m.sh.keys
		switch {
		case key.Matches(msg, k.Enter):
			return m, saveReport(m.sh.cfg.OutDir, m.sh.report(), m.sh.lang, m.sh.c, m.sh.now())
		case key.Matches(msg, k.Back):
			return m, goTo(screenConfig)
		}
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
				return reportSavedMsg{paths: paths, err: err}
			}
			paths = append(paths, path)
		}
		return reportSavedMsg{paths: paths}
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
	lines := append(wrap(sh.L("export.intro"), w), wrap(sh.L("export.dir", "dir", dir), w)...)
	lines = append(lines, "")
	if m.err != nil {
		lines = append(lines, styled(sh.st.err, wrap(sh.L("export.failed", "err", m.err.Error()), w))...)
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
			parts = append(parts, fmt.Sprintf("%s %s %d", st.Symbol(), st.Label(sh.lang), counts[st]))
		}
		lines = append(lines, "", strings.Join(parts, "  "))
	}
	lines = append(lines, "", strings.Join(wrap(sh.L("export.summary"), w), "\n"))
	return strings.Join(lines, "\n")
}

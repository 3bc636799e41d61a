package main

import (
	"fmt"
	"io"
	"path/filepath"
	"strconv"

	"github.com/biztel-tools/biztel-doctor/checks"
	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/findings"
	"github.com/biztel-tools/biztel-doctor/report"
)

// writeGoodbye prints what stays on the terminal when the TUI ends: the
// verdict, how many findings and checklist items, the saved files and what
// the exit status means. Short lines, so a narrow terminal splits no word.
// The words are content's (ui_goodbye.yaml).
func writeGoodbye(w io.Writer, lang content.Lang, rep *report.Report, paths []string, demo bool, code int) {
	c := content.MustLoad()
	say := func(key string, vars ...string) {
		m := map[string]string{}
		for i := 0; i+1 < len(vars); i += 2 {
			m[vars[i]] = vars[i+1]
		}
		fmt.Fprintln(w, content.Fill(c.Label(key, lang), m))
	}
	say("goodbye.ended")
	if rep == nil || len(rep.Results) == 0 {
		say("goodbye.nolive")
	} else {
		done := 0
		for _, it := range rep.Checklist {
			if it.Done {
				done++
			}
		}
		say("goodbye.counts", "causes", strconv.Itoa(len(findings.GroupResults(rep.Results))),
			"items", strconv.Itoa(len(rep.Checklist)), "done", strconv.Itoa(done))
		counts := rep.Counts()
		var line string
		for _, st := range checks.Statuses {
			line += fmt.Sprintf("%s %d  ", st.LabelIn(c, lang), counts[st])
		}
		fmt.Fprintln(w, "  "+line)
	}
	switch {
	case len(paths) > 0:
		say("goodbye.saved")
		for _, p := range paths {
			if abs, err := filepath.Abs(p); err == nil {
				p = abs
			}
			fmt.Fprintln(w, "  "+p)
		}
	case demo:
		say("goodbye.demo")
	}
	say("goodbye.exit", "code", strconv.Itoa(code), "meaning", exitMeaning(c, lang, code))
}

// exitMeaning says what an exit status of the TUI means (design.md §3);
// any other status is a usage or profile error.
func exitMeaning(c *content.Content, lang content.Lang, code int) string {
	switch code {
	case exitOK, 1, exitInterrupted:
		return c.Label("goodbye.exit."+strconv.Itoa(code), lang)
	}
	return c.Label("goodbye.exit.2", lang)
}

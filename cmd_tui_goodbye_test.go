package main

import (
	"bytes"
	"go/scanner"
	"go/token"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/biztel-tools/biztel-doctor/checks"
	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/report"
)

// TestGoodbyeWordsComeFromContent: the goodbye's words are content's
// (ui_goodbye.yaml), in one language each, and its Go source has no
// Japanese literal left (issue 14: the text was inline Go).
func TestGoodbyeWordsComeFromContent(t *testing.T) {
	src, err := os.ReadFile("cmd_tui_goodbye.go")
	if err != nil {
		t.Fatal(err)
	}
	var s scanner.Scanner
	fset := token.NewFileSet()
	s.Init(fset.AddFile("cmd_tui_goodbye.go", -1, len(src)), src, nil, 0)
	for {
		pos, tok, lit := s.Scan()
		if tok == token.EOF {
			break
		}
		if tok == token.STRING && japaneseRun.MatchString(lit) {
			t.Errorf("%s: a Japanese literal %s: put it in content/data/ui_goodbye.yaml", fset.Position(pos), lit)
		}
	}
	rep := &report.Report{Results: []checks.Result{
		{ID: "sip.udp", Status: checks.Fail, Remedies: []string{"allow-sip-udp"}},
		{ID: "net.ipv4", Status: checks.Pass},
	}, Checklist: []report.Item{{ID: "allow-sip-udp", Done: true}, {ID: "allow-rtp"}}}
	c := content.MustLoad()
	for _, lang := range []content.Lang{content.Ja, content.En} {
		for _, code := range []int{exitOK, 1, exitUsage, exitInterrupted} {
			var b bytes.Buffer
			writeGoodbye(&b, lang, rep, []string{"/srv/r/biztel-doctor-x.md", "/srv/r/biztel-doctor-x.json"}, false, code)
			out := b.String()
			for _, key := range []string{"goodbye.ended", "goodbye.saved"} {
				if !strings.Contains(out, c.Label(key, lang)) {
					t.Errorf("%s: the goodbye lacks %s:\n%s", lang, key, out)
				}
			}
			if !strings.Contains(out, "（完了 1）") && lang == content.Ja || !strings.Contains(out, "(1 done)") && lang == content.En {
				t.Errorf("%s: the goodbye does not count the ticked item:\n%s", lang, out)
			}
			if strings.Contains(out, "{") {
				t.Errorf("%s: an unfilled placeholder:\n%s", lang, out)
			}
			if lang == content.En && japaneseRun.MatchString(out) {
				t.Errorf("en goodbye has Japanese:\n%s", out)
			}
			if lang == content.Ja && regexp.MustCompile(`[a-z]{4,}`).MatchString(strings.NewReplacer("/srv/r/biztel-doctor-x.md", "", "/srv/r/biztel-doctor-x.json", "").Replace(out)) {
				t.Errorf("ja goodbye has English words:\n%s", out)
			}
			if n := strings.Count(out, "\n"); n > 8 {
				t.Errorf("%s: the goodbye is %d lines, not a short verdict", lang, n)
			}
		}
	}
}

var japaneseRun = regexp.MustCompile(`[\p{Han}\p{Hiragana}\p{Katakana}]`)

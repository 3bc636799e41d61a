package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestOutputAndSelectionMistakes: mistakes found by hand that used to run
// the checks and then fail to write (or exit 0 on an empty report). Each is
// refused up front with one line naming the problem.
func TestOutputAndSelectionMistakes(t *testing.T) {
	dir := t.TempDir()
	readOnly := filepath.Join(dir, "ro")
	if err := os.Mkdir(readOnly, 0o555); err != nil {
		t.Fatal(err)
	}
	type mistake struct {
		name         string
		args         []string
		wantJa, want string // in the default language (Japanese) and with --lang en
	}
	cases := []mistake{
		{"-o a directory", []string{"plan", "--server", "192.0.2.1", "-o", dir}, "はディレクトリです", "is a directory"},
		{"-o in a missing directory", []string{"check", "--server", "127.0.0.1", "-o", filepath.Join(dir, "nope", "r.json")}, "がありません", "does not exist"},
		{"format conflicts with .md", []string{"plan", "--server", "192.0.2.1", "--format", "json", "-o", filepath.Join(dir, "r.md")}, "が食い違っています", "conflicts with -o"},
		{"format conflicts with .json", []string{"check", "--server", "127.0.0.1", "--format", "text", "-o", filepath.Join(dir, "r.json")}, "が食い違っています", "conflicts with -o"},
		{"only and skip cancel out", []string{"check", "--server", "127.0.0.1", "--only", "sip.udp", "--skip", "sip.udp"}, "実行する確認がなくなりました", "no check to run"},
		{"only lists no id", []string{"check", "--server", "127.0.0.1", "--only", " , ,"}, "確認 ID がありません", "names no check id"},
		{"plan: only and skip cancel out", []string{"plan", "--server", "192.0.2.1", "--only", "web.8000", "--skip", "web.8000"}, "実行する確認がなくなりました", "no check to run"},
	}
	if os.Geteuid() != 0 { // root writes anywhere
		cases = append(cases, mistake{"-o in a read-only directory", []string{"check", "--server", "127.0.0.1", "-o", filepath.Join(readOnly, "r.md")},
			"に書き込めません", "cannot write in"})
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, run := range []struct{ lang, want string }{{"", tc.wantJa}, {"en", tc.want}} {
				args := tc.args
				if run.lang != "" {
					args = append(slices.Clone(args), "--lang", run.lang)
				}
				code, tio := runCLI(t, args...)
				msg := tio.err.String()
				if code != exitUsage || strings.Count(strings.TrimSpace(msg), "\n") != 0 || !strings.Contains(msg, run.want) {
					t.Errorf("%v: exit %d, stderr %q; want 2 and one line containing %q", args, code, msg, run.want)
				}
				assertLanguage(t, msg, run.lang)
				if tio.out.Len() != 0 {
					t.Errorf("a report was written to stdout: %.200s", tio.out.String())
				}
			}
		})
	}
	// a format that agrees with the name, or a name that says nothing, is fine
	for _, args := range [][]string{
		{"plan", "--server", "192.0.2.1", "--format", "markdown", "-o", filepath.Join(dir, "p.md")},
		{"plan", "--server", "192.0.2.1", "--format", "json", "-o", filepath.Join(dir, "p.txt")},
	} {
		if code, tio := runCLI(t, args...); code != exitOK {
			t.Errorf("%v: exit %d, stderr %q", args, code, tio.err.String())
		}
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*probe*")); len(left) > 0 {
		t.Errorf("probe files left behind: %v", left)
	}
}

package probe_test

import (
	"go/scanner"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
)

// osOutputFiles parse what a Japanese (or Chinese) Windows or macOS prints:
// their Japanese literals match the OS's output and are never shown.
var osOutputFiles = map[string]bool{
	"hostinfo/parse_netsh.go":        true, // netsh wlan show interfaces (ja, zh)
	"hostinfo/parse_networksetup.go": true, // system_profiler SPAirPortDataType (ja)
}

// phrasedInGo is the debt this test ratchets down: the checks that still
// write their summaries as content.T("日本語", "English") in Go rather than
// taking them from content/ (issue 12 item 4). A file may only lose
// literals; a file not listed may have none.
var phrasedInGo = map[string]int{
	"checks/media_bandwidth.go":   10,
	"checks/media_budget.go":      3,
	"checks/media_quality.go":     12,
	"checks/nat_mapping.go":       12,
	"checks/nat_timer.go":         9,
	"checks/plan.go":              3,
	"checks/reflector.go":         5,
	"checks/rtp_range.go":         12,
	"checks/runner.go":            7,
	"checks/sip_alg.go":           8,
	"checks/sip_alg_heuristic.go": 8,
	"checks/sip_size.go":          15,
	"checks/sip_tls.go":           3,
	"checks/sip_udp.go":           13,
	"checks/sip_wss.go":           9,
	"checks/stun.go":              10,
	"checks/tcp_phrase.go":        20,
	"checks/tlsprobe.go":          14,
	"checks/upnp.go":              9,
	"checks/web_8000.go":          6,
}

// TestNoJapaneseLiterals: user-facing words belong in content/ (ja and
// en); the probe and host packages have none, and the checks only the
// shrinking list above. Comments are not looked at.
func TestNoJapaneseLiterals(t *testing.T) {
	for _, root := range []string{"../checks", ".", "../hostinfo"} {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return err
			}
			rel := strings.TrimPrefix(filepath.ToSlash(filepath.Join("probe", path)), "probe/../")
			if osOutputFiles[rel] || strings.Contains(rel, "/checktest/") {
				return nil
			}
			n, err := japaneseLiterals(path)
			if err != nil {
				return err
			}
			switch limit, listed := phrasedInGo[rel]; {
			case !listed && n > 0:
				t.Errorf("%s has %d Go string literals in Japanese: put user-facing text in content/", rel, n)
			case n > limit:
				t.Errorf("%s has %d Japanese literals, more than the %d it had: put new text in content/", rel, n, limit)
			case n < limit:
				t.Errorf("%s is down to %d Japanese literals: lower its entry in phrasedInGo to keep the ratchet", rel, n)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// japaneseLiterals counts the string and rune literals of a Go file that
// hold kana or kanji.
func japaneseLiterals(path string) (int, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	var s scanner.Scanner
	s.Init(token.NewFileSet().AddFile(path, -1, len(src)), src, nil, 0)
	n := 0
	for {
		_, tok, lit := s.Scan()
		if tok == token.EOF {
			return n, nil
		}
		if tok != token.STRING && tok != token.CHAR {
			continue
		}
		for _, r := range lit {
			if unicode.In(r, unicode.Hiragana, unicode.Katakana, unicode.Han) {
				n++
				break
			}
		}
	}
}

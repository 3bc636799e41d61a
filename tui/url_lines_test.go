package tui

import (
	"strings"
	"testing"

	"github.com/biztel-tools/biztel-doctor/content"
)

// TestURLsNeverSplitInsideAWord: every vendor document's URL, as step 7
// shows it at 80 and 60 columns, is on lines of its own, broken only
// after a slash, and reads back whole (issue 14 item 1: "…/644799/flow-bas"
// / "#ed-sip-inspection").
func TestURLsNeverSplitInsideAWord(t *testing.T) {
	c := content.MustLoad()
	urls := 0
	for _, v := range c.Vendors() {
		for _, s := range v.Sources {
			if s.URL == "" {
				continue
			}
			urls++
			for _, w := range []int{80, 60} {
				lines := urlLines("      ", s.URL, w)
				var whole strings.Builder
				if strings.ContainsRune(s.URL, ' ') { // a reference in words wraps as words
					for _, l := range lines {
						if lipglossWidth(l) > w {
							t.Errorf("%q at %d columns: line %q is wider than the screen", s.URL, w, l)
						}
					}
					continue
				}
				for i, l := range lines {
					part := strings.TrimPrefix(l, "      ")
					if i < len(lines)-1 && !strings.HasSuffix(part, "/") {
						t.Errorf("%s at %d columns: line %q is broken inside a word", s.URL, w, l)
					}
					whole.WriteString(part)
					// wider than the screen only when it is one segment: whole beats cut
					if lipglossWidth(l) > w && strings.Contains(strings.TrimSuffix(part, "/"), "/") {
						t.Errorf("%s at %d columns: line %q is wider than the screen", s.URL, w, l)
					}
				}
				if whole.String() != s.URL {
					t.Errorf("%s at %d columns reads back as %q", s.URL, w, whole.String())
				}
			}
		}
	}
	if urls < 12 {
		t.Errorf("only %d vendor URLs", urls)
	}
}

package tui

import (
	"strings"
	"testing"

	"github.com/biztel-tools/biztel-doctor/content"
)

// TestURLsNeverSplitInsideAWord: every vendor document's URL, as step 7
// shows it at 80 and 60 columns, is on lines of its own, no wider than the
// screen, and reads back whole (issue 14 item 1: "…/644799/flow-bas" /
// "#ed-sip-inspection"). A line ends after a slash (or before a "?query");
// only a segment wider than the screen (…/Troubleshooting-Tip-nbsp-Hairpin-
// NAT-when-the-server-is-located/) breaks inside, at a separator such as
// '-', ':' or '.', never clipped.
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
				checkURLLines(t, s.URL, w)
			}
		}
	}
	if urls < 12 {
		t.Errorf("only %d vendor URLs", urls)
	}
}

func checkURLLines(t *testing.T, url string, w int) {
	t.Helper()
	lines := urlLines("      ", url, w)
	for _, l := range lines {
		if lipglossWidth(l) > w {
			t.Errorf("%q at %d columns: line %q is wider than the screen", url, w, l)
		}
	}
	if strings.ContainsRune(url, ' ') { // a reference in words wraps as words
		return
	}
	var whole strings.Builder
	for i, l := range lines {
		part := strings.TrimPrefix(l, "      ")
		whole.WriteString(part)
		if i == len(lines)-1 {
			continue
		}
		next := strings.TrimPrefix(lines[i+1], "      ")
		if strings.ContainsAny(part[len(part)-1:], "/,;&") || strings.ContainsAny(next[:1], "#?") {
			continue // between segments, or before a query
		}
		// inside a segment: only where the segment is too wide, at a separator
		seg := part[strings.LastIndex(part, "/")+1:] + strings.SplitAfter(next, "/")[0]
		if lipglossWidth(seg) <= w-6 || !strings.ContainsAny(part[len(part)-1:], ":@=-_.") {
			t.Errorf("%s at %d columns: line %q is broken inside a word", url, w, l)
		}
	}
	if whole.String() != url {
		t.Errorf("%s at %d columns reads back as %q", url, w, whole.String())
	}
}

// TestURLLinesBreakALongSegmentInside: a path segment wider than the
// screen breaks at its hyphens instead of running off the edge (the ?
// screen's Hairpin-NAT source at 60 columns showed "…-the-server..").
func TestURLLinesBreakALongSegmentInside(t *testing.T) {
	got := urlLines("      ", "https://community.fortinet.com/t5/FortiGate/Troubleshooting-Tip-nbsp-Hairpin-NAT-when-the-server-is-located/ta-p/344045", 60)
	want := []string{"      https://community.fortinet.com/t5/FortiGate/",
		"      Troubleshooting-Tip-nbsp-Hairpin-NAT-when-the-server-",
		"      is-located/ta-p/344045"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("urlLines = %q, want %q", got, want)
	}
}

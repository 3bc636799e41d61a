package tui

import (
	"regexp"
	"testing"

	"github.com/biztel-tools/biztel-doctor/content"
)

// TestBlankStatusIsExplained: a check that has not run shows "[  ]" with
// a word beside it on step 5, never the bare mark (issue 14 item 3: "an
// unexplained blank status").
func TestBlankStatusIsExplained(t *testing.T) {
	for _, lang := range []content.Lang{content.Ja, content.En} {
		d := demoDriver(t, "problems", lang)
		d.press("5")
		word := d.m.sh.L("checks.pending")
		explained := regexp.MustCompile(`\[  \] ` + regexp.QuoteMeta(word) + ` `)
		bare := regexp.MustCompile(`\[  \]`)
		s := d.screen()
		if n, m := len(bare.FindAllString(s, -1)), len(explained.FindAllString(s, -1)); n < 3 || n != m {
			t.Errorf("%s: %d blank marks, %d with %q:\n%s", lang, n, m, word, s)
		}
	}
}

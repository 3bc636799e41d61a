package main

import (
	"strings"
	"testing"
)

// TestDemoScenarioFlag: --scenario takes the two scenarios and names them
// when given anything else; the check of the value comes before the
// terminal check, so a typo is reported even in a pipe.
func TestDemoScenarioFlag(t *testing.T) {
	for _, sc := range []string{"problems", "healthy"} {
		code, tio := runCLI(t, "demo", "--scenario", sc, "--lang", "en")
		if code != exitUsage || !strings.Contains(tio.err.String(), "not a terminal") {
			t.Errorf("--scenario %s: exit %d, stderr %q; want the not-a-terminal hint", sc, code, tio.err.String())
		}
	}
	for lang, want := range map[string]string{"ja": "はありません。次のいずれか: problems, healthy", "en": "is not known: use one of problems, healthy"} {
		code, tio := runCLI(t, "demo", "--scenario", "broken", "--lang", lang)
		if code != exitUsage || !strings.Contains(tio.err.String(), `--scenario "broken"`) || !strings.Contains(tio.err.String(), want) {
			t.Errorf("--scenario broken --lang %s: exit %d, stderr %q; want 2 naming the scenarios", lang, code, tio.err.String())
		}
		assertLanguage(t, tio.err.String(), lang)
	}
	if code, tio := runCLI(t, "--scenario", "problems"); code != exitUsage || !strings.Contains(tio.err.String(), "scenario") {
		t.Errorf("--scenario outside demo: exit %d, stderr %q; want 2", code, tio.err.String())
	}
}

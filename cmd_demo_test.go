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

// TestDemoRefusesSiteFlags: the demo's site is the simulated one; a site
// flag (which would point live checks elsewhere) is a usage error, before
// anything starts.
func TestDemoRefusesSiteFlags(t *testing.T) {
	for _, args := range [][]string{{"--profile", "site.yaml"}, {"--server", "198.18.0.10"}, {"--server-ip", "198.18.0.10"},
		{"--vpn-ip", "10.0.0.10"}, {"--stun", "198.18.0.20"}, {"--ntp", "198.18.0.30"}, {"--recording", "198.18.0.11"},
		{"--reflector", "198.18.0.40"}, {"--reflector-token", "x"}, {"--channels", "4"}, {"--vendor", "yamaha"}} {
		code, tio := runCLI(t, append([]string{"demo", "--lang", "en"}, args...)...)
		if code != exitUsage || !strings.Contains(tio.err.String(), args[0][2:]) || strings.Contains(tio.err.String(), "not a terminal") {
			t.Errorf("demo %v: exit %d, stderr %q; want 2 naming the flag", args, code, tio.err.String())
		}
	}
}

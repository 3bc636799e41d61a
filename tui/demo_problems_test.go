package tui

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/biztel-tools/biztel-doctor/checks"
	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/demo"
)

// TestDemoProblemsWalk walks the problems scenario as a newcomer would: the
// header names the scenario, the start screen says what it simulates, and
// after the checks the findings lead with the root causes and the checklist.
func TestDemoProblemsWalk(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every check against the demo fakes")
	}
	site, err := demo.StartScenario(context.Background(), demo.Problems)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(site.Close)
	m := New(Config{Lang: content.En, NoColor: true, Profile: site.Profile, Options: site.Options, Env: site.Env,
		Demo: true, DemoScenario: string(site.Scenario), OutDir: t.TempDir(), Version: "test",
		NextDemo: func() (Config, error) { return Config{}, errors.New("not switched here") }, NextDemoScenario: "healthy"})
	d := newDriverFor(t, m, runWait)
	d.mustShow("[demo: problems] EN", "Demo problems: a simulated site", "switch to the demo “healthy”")
	// the traffic plan names the real site's ports, not the fakes' loopback ones
	if !regexp.MustCompile(`(?m)^    route/UDP +127\.0\.0\.1 +5060$`).MatchString(d.screen()) {
		t.Fatalf("the plan lacks route/UDP to 127.0.0.1 5060:\n%s", d.screen())
	}
	d.mustNotShow(" " + itoa(site.Options.Ports.SIPUDP) + " ")
	d.press("enter")
	for range fieldOptions {
		d.press("down")
	}
	d.press("enter", "enter")
	d.press("5")
	d.mustShow("Done. Enter: to the findings")
	// summaries name BIZTEL's ports (UDP 5060, TLS 15061, ...), as on a real site
	demoPortsShown(t, m.sh.ports, resultsOf(m.sh))
	for id, want := range map[string]string{"sip.udp": "UDP 5060", "sip.tls": "127.0.0.1:15061",
		"sip.wss": "127.0.0.1:15062", "web.8000": "127.0.0.1:8000", "ftps.passive": "127.0.0.1:2099"} {
		r := resultsOf(m.sh)[id]
		if !strings.Contains(r.Summary.En, want) || !strings.Contains(r.Summary.Ja, want) {
			t.Errorf("%s summary lacks %q: %v", id, want, r.Summary)
		}
		if r.Facts[demoPortsFact] == nil {
			t.Errorf("%s does not say which loopback port stood in: %v", id, r.Facts)
		}
	}
	d.press("enter")
	// the root causes first, even though the checklist below is long
	d.mustShow("6/8 Findings", "Findings by root cause", "TLS is intercepted on the path",
		"SIP is rewritten on the path", m.sh.checkName("sip.size"))
	d.mustNotShow("(sip.tls, sip.wss, web.8000)")                  // ids are for the ? screen
	if r := resultsOf(m.sh)["upnp.igd"]; r.Status != checks.Warn { // its finding is below the fold now
		t.Errorf("upnp.igd: %s, want warn", r.Status)
	}
	d.press("down")                                                        // to the checklist, with the site's address filled in
	d.mustShow("Checklist", ">  1. [ ] Allow SIP (UDP 5060)", "127.0.0.1") // ten items and more: numbers take two columns
	d.mustNotShow("(allow-sip-udp)")
	d.press("up")
	d.mustShow("Findings by root cause")
	d.press("7")
	d.mustShow("7/8 Router config", "Device: Fortinet FortiGate")
	text, generic := routerConfig(m.sh.cfg, m.sh.ses.Profile, content.En, m.sh.siteRemedies())
	if generic || !strings.Contains(text, "127.0.0.1") || !strings.Contains(text, "default-voip-alg-mode") {
		t.Errorf("router step (generic %v) lacks the site's address or the SIP-ALG line:\n%s", generic, text)
	}
}

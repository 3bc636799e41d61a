package tui

import (
	"context"
	"strings"
	"testing"

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
		Demo: true, DemoScenario: string(site.Scenario), OutDir: t.TempDir(), Version: "test"})
	d := newDriverFor(t, m, runWait)
	d.mustShow("[demo: problems] EN", "Demo problems: a simulated site", "biztel-doctor demo --scenario healthy")
	d.press("enter")
	for range fieldOptions {
		d.press("down")
	}
	d.press("enter", "enter")
	d.press("5")
	d.mustShow("Done. Enter: to the findings")
	d.press("enter")
	// the root causes first, even though the checklist below is long
	d.mustShow("6/8 Findings", "Findings by root cause", "TLS is intercepted on the path  (sip.tls, sip.wss, web.8000)",
		"SIP is rewritten on the path  (sip.alg)", "ntp.hardphone", "upnp.igd")
	d.press("down") // to the checklist, with the site's address filled in
	d.mustShow("Checklist", "> [ ] Allow SIP (UDP 5060)  (allow-sip-udp)", "127.0.0.1")
	d.press("up")
	d.mustShow("Findings by root cause")
	d.press("7")
	d.mustShow("7/8 Router config", "Device: fortigate")
	text, generic := routerConfig(m.sh.cfg, m.sh.profile, content.En)
	if generic || !strings.Contains(text, "127.0.0.1") || !strings.Contains(text, "default-voip-alg-mode") {
		t.Errorf("router step (generic %v) lacks the site's address or the SIP-ALG line:\n%s", generic, text)
	}
}

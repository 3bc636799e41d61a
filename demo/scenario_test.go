package demo

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/biztel-tools/biztel-doctor/checks"
	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/findings"
	"github.com/biztel-tools/biztel-doctor/report"
)

// TestProblemsScenario runs the problems site through the real checks: each
// fault shows as its check's status, the findings group them by root cause
// and the checklist names the remedies, filled with the site's address.
func TestProblemsScenario(t *testing.T) {
	s, err := StartScenario(context.Background(), Problems)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.Scenario != Problems || s.Profile.Vendor != "fortigate" {
		t.Errorf("site scenario %q, vendor %q; want problems behind a fortigate", s.Scenario, s.Profile.Vendor)
	}
	plan, err := checks.MakePlan(s.Profile, s.Options)
	if err != nil {
		t.Fatal(err)
	}
	out := checks.Run(context.Background(), plan, s.Env, nil)

	want := map[string]checks.Status{
		// the faults
		"sip.udp":       checks.Fail, // UDP 5060 silent
		"sip.alg":       checks.Fail, // the relay's SIP-ALG
		"sip.size":      checks.Fail, // the relay drops what a 1,500-byte path fragments
		"sip.tls":       checks.Fail, // FortiGate inspection
		"sip.wss":       checks.Fail,
		"web.8000":      checks.Fail,
		"ftps.passive":  checks.Fail, // first passive port closed
		"ntp.hardphone": checks.Fail, // NTP silent
		"upnp.igd":      checks.Warn, // a gateway answers SSDP
		// what still works, so the faults stand out
		"net.ipv4": checks.Pass, "net.link": checks.Pass, "net.proxy": checks.Pass, "dns.mgmt": checks.Pass,
		"stun.3478": checks.Pass, "stun.3479": checks.Pass, "nat.mapping": checks.Pass,
		"rtp.range": checks.Pass, "media.quality": checks.Pass, "media.bandwidth": checks.Pass,
		"ftps.control": checks.Pass,
		"nat.timer":    checks.Skip, // a long check, not asked for
	}
	got := map[string]checks.Result{}
	for _, r := range out.Results {
		got[r.ID] = r
	}
	for id, st := range want {
		r, ok := got[id]
		if !ok {
			t.Errorf("%s: no result", id)
			continue
		}
		if r.Status != st {
			t.Errorf("%s: %s, want %s (%s; facts %v)", id, r.Status, st, r.Summary.En, r.Facts)
		}
	}
	for _, r := range out.Results {
		if _, ok := want[r.ID]; !ok {
			t.Errorf("%s: %s, not expected by the scenario (%s)", r.ID, r.Status, r.Summary.En)
		}
	}

	groups := map[string]findings.Group{}
	for _, g := range findings.GroupResults(out.Results) {
		groups[g.ID] = g
	}
	wantGroups := map[string][]string{
		"tls-intercepted":     {"sip.tls", "sip.wss", "web.8000"},
		"sip-rewritten":       {"sip.alg"},
		"check:sip.udp":       {"sip.udp"},
		"check:ftps.passive":  {"ftps.passive"},
		"check:ntp.hardphone": {"ntp.hardphone"},
		"check:upnp.igd":      {"upnp.igd"},
		"check:sip.size":      {"sip.size"},
	}
	for id, ids := range wantGroups {
		if g, ok := groups[id]; !ok {
			t.Errorf("no finding %q", id)
		} else if !slices.Equal(g.Checks, ids) {
			t.Errorf("finding %s explains %v, want %v", id, g.Checks, ids)
		}
	}
	if len(groups) != len(wantGroups) {
		t.Errorf("%d findings, want %d: %v", len(groups), len(wantGroups), groups)
	}

	c := content.MustLoad()
	rep := report.Build(report.Input{Outcome: out, Profile: s.Profile, Content: c})
	var items []string
	for _, it := range rep.Checklist {
		items = append(items, it.ID)
	}
	for _, id := range []string{"allow-sip-udp", "allow-return-traffic", "disable-sip-alg", "disable-tls-inspection",
		"allow-ftps", "allow-ntp", "disable-upnp", "allow-ip-fragments"} {
		if !slices.Contains(items, id) {
			t.Errorf("checklist %v lacks %s", items, id)
		}
	}
	var steps strings.Builder
	for _, it := range rep.Checklist {
		for _, st := range it.Steps {
			steps.WriteString(st.En + "\n")
		}
	}
	if !strings.Contains(steps.String(), loopback) {
		t.Errorf("no checklist step names the site's server address %s:\n%s", loopback, steps.String())
	}
	if strings.Contains(steps.String(), "{") {
		t.Errorf("a checklist step has an unfilled placeholder:\n%s", steps.String())
	}
}

func TestParseScenario(t *testing.T) {
	for in, want := range map[string]Scenario{"problems": Problems, "healthy": Healthy, " Problems ": Problems} {
		if got, err := ParseScenario(in); err != nil || got != want {
			t.Errorf("ParseScenario(%q) = %q, %v", in, got, err)
		}
	}
	for _, in := range []string{"", "broken", "healthy,problems"} {
		_, err := ParseScenario(in)
		if err == nil || !strings.Contains(err.Error(), "problems, healthy") {
			t.Errorf("ParseScenario(%q): %v, want an error naming the scenarios", in, err)
		}
	}
	if _, err := StartScenario(context.Background(), "broken"); err == nil {
		t.Error("StartScenario of an unknown scenario started")
	}
}

package tui

import (
	"context"
	"strings"
	"testing"

	"github.com/biztel-tools/biztel-doctor/checks"
	"github.com/biztel-tools/biztel-doctor/content"
)

// TestTreeRefsResolve holds every remedy the tree names to the remedies of
// the merged content, and the tree to its own validation.
func TestTreeRefsResolve(t *testing.T) {
	c := content.MustLoad()
	if err := c.ValidateTree(); err != nil {
		t.Fatal(err)
	}
	for id, where := range c.TreeRemedyRefs() {
		if _, ok := c.Remedy(id); !ok {
			t.Errorf("%s names remedy %q, which content/data does not define", where, id)
		}
	}
	for _, n := range c.Tree().Nodes {
		if n.Check != "" {
			if _, ok := checks.Lookup(n.Check); !ok {
				t.Errorf("tree node %s names check %q, not in the registry", n.ID, n.Check)
			}
		}
	}
}

// checklistIDs is the remedy ids of the session's checklist.
func checklistIDs(d *driver) []string {
	var out []string
	for _, it := range d.m.sh.report().Checklist {
		out = append(out, it.ID)
	}
	return out
}

func has(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// answerAll walks the questions of the current way in, choosing the
// answer labelled pick[node] where given and keeping prefilled answers.
func answerAll(t *testing.T, d *driver, pick map[string]string) {
	t.Helper()
	for i := 0; i < 40; i++ {
		p := d.m.tree.path()
		cur := d.m.tree.cur
		if cur >= len(p) {
			return
		}
		n := p[cur]
		want, ok := pick[n.ID]
		if !ok {
			if a, src := d.m.sh.answer(n); a != "" && src != fromWaiting {
				d.press("right")
				continue
			}
			d.press("enter")
			continue
		}
		for j, a := range d.m.tree.answers(n) {
			if a.ID == want {
				d.m.tree.ans = j
			}
		}
		d.press("enter")
		if d.m.tree.pending != "" {
			d.typeText("checked by hand")
			d.press("enter")
		}
	}
	t.Fatal("questions never end")
}

func startWay(d *driver, symptom int) {
	d.press("3")
	for range symptom {
		d.press("down")
	}
	d.press("enter")
}

// The tree is not decoration: different answers and different failures
// give different findings, checklist items and configuration.
func TestVPNOnOffChangesChecklist(t *testing.T) {
	dnsFail := map[string]checks.Result{"dns.mgmt": failed("dns.mgmt", "dns-mgmt-resolve")}
	on := newDriver(t, content.En, testProfile(true), dnsFail)
	startWay(on, 1) // cannot register: asks vpn and vpn.dns
	answerAll(t, on, nil)
	off := newDriver(t, content.En, testProfile(false), dnsFail)
	startWay(off, 1)
	answerAll(t, off, nil)
	if got := checklistIDs(on); !has(got, "vpn-dns-private") {
		t.Errorf("VPN on, dns.mgmt failing: checklist %v lacks vpn-dns-private", got)
	}
	if got := checklistIDs(off); has(got, "vpn-dns-private") {
		t.Errorf("VPN off: checklist %v has vpn-dns-private", got)
	}
	if on.m.sh.effectiveAnswers()["vpn.dns"] != "no" {
		t.Errorf("vpn.dns not prefilled from the failing dns.mgmt: %v", on.m.sh.effectiveAnswers())
	}
	if _, asked := off.m.sh.effectiveAnswers()["vpn.dns"]; asked {
		t.Error("VPN off: the name-resolution question was asked")
	}
}

func TestEncryptionOnOffChangesPlanAndConfig(t *testing.T) {
	run := func(answer string) *driver {
		d := newDriver(t, content.En, testProfile(false), map[string]checks.Result{"sip.tls": failed("sip.tls", "allow-sip-tls")})
		startWay(d, 0)
		answerAll(t, d, map[string]string{"encryption": answer, "vendor": "generic"})
		d.press("5", "R") // run all again with the answers' options
		return d
	}
	on, off := run("yes"), run("no")
	if !has(checklistIDs(on), "allow-sip-tls") {
		t.Errorf("encryption on: checklist %v lacks allow-sip-tls", checklistIDs(on))
	}
	if has(checklistIDs(off), "allow-sip-tls") {
		t.Errorf("encryption off: checklist %v still has allow-sip-tls", checklistIDs(off))
	}
	if r := resultsOf(off.m.sh)["sip.tls"]; r.Status != checks.Skip {
		t.Errorf("encryption off: sip.tls %s, want skip", r.Status)
	}
	confOn, _ := routerConfig(on.m.sh.cfg, on.m.sh.ses.Profile, content.En, nil)
	confOff, _ := routerConfig(off.m.sh.cfg, off.m.sh.ses.Profile, content.En, nil)
	if confOn == confOff || !strings.Contains(confOn, "15061") {
		t.Error("the router configuration does not follow the encryption answer")
	}
}

func TestUDPBlockedVersusTLSIntercepted(t *testing.T) {
	udp := newDriver(t, content.En, testProfile(false), map[string]checks.Result{
		"sip.udp":   failed("sip.udp", "allow-sip-udp"),
		"stun.3478": failed("stun.3478", "allow-stun"), "stun.3479": failed("stun.3479", "allow-stun"),
		"rtp.range": failed("rtp.range", "allow-rtp"), "media.quality": failed("media.quality", "allow-rtp"),
		"media.bandwidth": failed("media.bandwidth", "allow-rtp")})
	tls := newDriver(t, content.En, testProfile(false), map[string]checks.Result{
		"sip.tls":  failed("sip.tls", "disable-tls-inspection"),
		"web.8000": failed("web.8000", "disable-tls-inspection"), "sip.wss": failed("sip.wss", "disable-tls-inspection")})
	for _, d := range []*driver{udp, tls} {
		d.press("5", "enter", "enter")
	}
	udp.mustShow("6/8 Findings", "UDP is blocked outbound")
	udp.mustNotShow("TLS is intercepted")
	tls.mustShow("TLS is intercepted on the path")
	tls.mustNotShow("UDP is blocked")
	if u, s := checklistIDs(udp), checklistIDs(tls); !has(u, "allow-sip-udp") || has(u, "disable-tls-inspection") ||
		!has(s, "disable-tls-inspection") || has(s, "allow-sip-udp") {
		t.Errorf("checklists do not follow the failures: UDP %v, TLS %v", u, s)
	}
}

func TestPrefillOverrideNeedsReason(t *testing.T) {
	d := newDriver(t, content.En, testProfile(false), map[string]checks.Result{"sip.alg": failed("sip.alg", "disable-sip-alg")})
	startWay(d, 2) // no audio: asks case.sip-alg
	for d.m.tree.path()[d.m.tree.cur].ID != "case.sip-alg" {
		d.press("right")
	}
	d.mustShow(`Prefilled from the check "SIP-ALG / SIP-NAT" (fail)`, "(*) Enabled")
	d.mustNotShow("case.sip-alg") // the node id is for support (? screen)
	d.press("up", "enter")        // choose "Disabled" against the check
	d.mustShow("Why differ from the check?")
	d.press("enter") // an empty reason is refused
	d.mustShow("Why differ from the check?")
	d.typeText("ALG off since the check ran")
	d.press("enter")
	d.press("left")
	d.mustShow("Overridden (reason: ALG off since the check ran)", "(*) Disabled")
	rep := d.m.sh.report()
	if rep.Answers["case.sip-alg"] != "off" || rep.Answers["case.sip-alg.reason"] == "" {
		t.Errorf("report answers %v lack the override and its reason", rep.Answers)
	}
}

func TestVerifyRerunsOnlyTheItemsChecks(t *testing.T) {
	results := map[string]checks.Result{"sip.alg": failed("sip.alg", "disable-sip-alg")}
	d := newDriver(t, content.En, testProfile(false), results)
	d.press("5", "enter", "enter")
	d.mustShow("Disable SIP-ALG", "SIP-ALG / SIP-NAT [NG]")
	var ran []string
	d.m.sh.cfg.Runner = func(ctx context.Context, plan *checks.Plan, env *checks.Env, ch chan<- checks.Event) *checks.Outcome {
		ran = plan.Checks
		return fakeRunner(nil)(ctx, plan, env, ch) // fixed now: passes
	}
	d.press("v")
	// just sip.alg and the prerequisites the runner needs for it
	want, _ := checks.MakePlan(d.m.sh.ses.Profile, checks.Options{Only: []string{"sip.alg"}})
	if strings.Join(ran, ",") != strings.Join(want.Checks, ",") || len(ran) >= len(d.m.sh.plan(nil).Checks) {
		t.Fatalf("verify ran %v, want %v", ran, want.Checks)
	}
	d.mustShow("SIP-ALG / SIP-NAT [OK]", "[x] Disable SIP-ALG", "before NG → now OK 01:00:00") // fixed: kept and ticked
	d.press("space")
	d.mustShow("[ ] Disable SIP-ALG")
}

// TestPrefillStatusInJapanese: the prefilled answer names the check's
// result in the screen's language ("[不合格]", not "[fail]").
func TestPrefillStatusInJapanese(t *testing.T) {
	d := newDriver(t, content.Ja, testProfile(false), map[string]checks.Result{"sip.alg": failed("sip.alg", "disable-sip-alg")})
	startWay(d, 2) // no audio: asks case.sip-alg
	for d.m.tree.path()[d.m.tree.cur].ID != "case.sip-alg" {
		d.press("right")
	}
	d.mustShow("自動入力: 確認「SIP-ALG / SIP-NAT」の結果（不合格）から")
	d.mustNotShow("[fail]")
}

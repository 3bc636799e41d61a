package tui

import (
	"charm.land/bubbles/v2/key"
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/biztel-tools/biztel-doctor/checks"
	"github.com/biztel-tools/biztel-doctor/content"
)

// manyFaults fails enough checks that, at 80×24, the root causes fill the
// findings screen and the checklist starts below it.
func manyFaults() map[string]checks.Result {
	long := func(id, what string, remedies ...string) checks.Result {
		text := what + ": no answer after 4 sends, so it is blocked outbound or the answers are not let back in"
		return checks.FailResult(id, content.T(text, text), remedies...)
	}
	return map[string]checks.Result{
		"sip.udp":       long("sip.udp", "SIP over UDP 5060", "allow-sip-udp", "allow-return-traffic"),
		"stun.3478":     long("stun.3478", "STUN on UDP 3478", "allow-stun"),
		"sip.alg":       failed("sip.alg", "disable-sip-alg"),
		"sip.tls":       failed("sip.tls", "disable-tls-inspection"),
		"sip.wss":       failed("sip.wss", "disable-tls-inspection"),
		"web.8000":      failed("web.8000", "disable-tls-inspection"),
		"ntp.hardphone": long("ntp.hardphone", "NTP on UDP 123", "allow-ntp"),
		"upnp.igd":      checks.WarnResult("upnp.igd", content.T("UPnP", "UPnP on"), "disable-upnp"),
	}
}

// TestVerifyActsOnAVisibleItem: the findings open on the root causes with
// the checklist out of sight; the first "v" (or space) brings the item
// under the cursor into view, highlighted, and only then does "v" verify it.
func TestVerifyActsOnAVisibleItem(t *testing.T) {
	for _, k := range []string{"v", "space"} {
		t.Run(k, func(t *testing.T) {
			d := newDriver(t, content.En, testProfile(false), manyFaults())
			d.press("5", "enter", "enter")
			first := d.m.sh.report().Checklist[0]
			head := "> 1. [ ] " + first.Title.En
			d.mustShow("6/8 Findings", "Findings by root cause")
			d.mustNotShow(head) // the checklist starts below the screen
			var ran []string
			d.m.sh.cfg.Runner = func(ctx context.Context, plan *checks.Plan, env *checks.Env, ch chan<- checks.Event) *checks.Outcome {
				ran = plan.Checks
				return fakeRunner(nil)(ctx, plan, env, ch)
			}
			d.press(k)
			d.mustShow(head, "v verifies with: "+d.m.sh.checkName(first.Verify[0])+" [NG]")
			if ran != nil || d.m.sh.ses.Ticked[first.ID] {
				t.Fatalf("%q acted on %s while it was out of sight (ran %v, ticked %v)", k, first.ID, ran, d.m.sh.ses.Ticked[first.ID])
			}
			d.press(k)
			if k == "v" && ran == nil {
				t.Fatalf("v on the shown item %s ran nothing", first.ID)
			}
			// verified (the fake now passes) or ticked by hand: the cursor
			// stays on the item, on the screen
			if l := cursorLine(d); !strings.Contains(l, "[x] "+first.Title.En) {
				t.Fatalf("the cursor is on %q, not on the ticked %s:\n%s", l, first.ID, d.screen())
			}
		})
	}
}

// TestSelectedItemShowsItsSteps: moving down the checklist keeps the whole
// item under the cursor on the screen, its steps included.
func TestSelectedItemShowsItsSteps(t *testing.T) {
	d := newDriver(t, content.En, testProfile(false), manyFaults())
	d.press("5", "enter", "enter")
	items := d.m.sh.report().Checklist
	for i := range items {
		if i > 0 {
			d.press("down")
		} else {
			d.press("down") // into the checklist
		}
		it := items[i]
		if len(it.Steps) == 0 {
			continue
		}
		last := wrap(it.Steps[len(it.Steps)-1].En, d.m.sh.bodyWidth()-8)
		d.mustShow("> "+fmt.Sprintf("%d. [ ] ", i+1)+it.Title.En, strings.TrimSpace(last[len(last)-1]))
	}
}

// cursorLine is the line of the screen under the cursor ("> ...").
func cursorLine(d *driver) string {
	for _, l := range strings.Split(d.screen(), "\n") {
		if strings.HasPrefix(l, "> ") {
			return l
		}
	}
	return ""
}

// TestSamplesShowUnderMediaQuality: after a run, the RTT/jitter lines are
// under media.quality, whose samples they are, and under no other check.
func TestSamplesShowUnderMediaQuality(t *testing.T) {
	d := newDriver(t, content.En, testProfile(false), nil)
	d.press("5", "enter")
	d.mustShow("Done.")
	d.mustNotShow("RTT/jitter (ms)")
	for i := 0; i < 40 && !strings.Contains(cursorLine(d), "Call quality"); i++ {
		d.press("down")
	}
	d.mustShow("RTT/jitter (ms)", "RTT    |")
	d.press("down")
	d.mustNotShow("RTT/jitter (ms)")
}

// TestChecklistBeforeAnyRun: before the checks, the checklist does not say
// there is nothing to change.
func TestChecklistBeforeAnyRun(t *testing.T) {
	d := newDriver(t, content.En, testProfile(false), nil)
	d.press("6")
	d.mustShow("Checklist")
	d.mustNotShow("Nothing to change")
	d.press("5", "enter", "6")
	d.mustShow("Nothing to change")
}

// TestVerifyStillFailingShowsItRan: a verify whose checks fail again still
// says it ran, and when, so "nothing changed" is not "nothing happened".
func TestVerifyStillFailingShowsItRan(t *testing.T) {
	d := newDriver(t, content.En, testProfile(false), map[string]checks.Result{"sip.alg": failed("sip.alg", "disable-sip-alg")})
	d.press("5", "enter", "enter")
	d.mustNotShow("before NG")
	d.press("v")
	d.mustShow("> 1. [ ] Disable SIP-ALG", "SIP-ALG / SIP-NAT [NG]", "before NG → now NG 01:00:00")
}

// TestHelpScreenListsTheStepsKeys: ? opens a screen of the step's keys
// with what each does, in the user's language (it used to repeat the
// footer); Esc closes it, and the step's keys act again.
func TestHelpScreenListsTheStepsKeys(t *testing.T) {
	for _, lang := range []content.Lang{content.Ja, content.En} {
		d := newDriver(t, lang, testProfile(false), manyFaults())
		d.press("5", "enter", "enter", "?")
		k := d.m.sh.keys
		d.mustShow(d.m.sh.L("help.title", "n", "6", "step", d.m.sh.L("step.findings")))
		for _, b := range []key.Binding{k.Tick, k.Verify, k.PageDn, k.Home, k.Lang, k.Jump} {
			d.mustShow(b.Help().Key, b.Help().Desc)
		}
		id := d.m.sh.report().Checklist[0].ID
		d.press("end")
		d.mustShow(id) // the ids, for support, are here and not in the flow
		d.press("esc")
		d.mustNotShow(id)
		d.mustShow(d.m.sh.L("findings.groups"))
		if lines := strings.Count(d.screen(), "\n") + 1; lines != 24 {
			t.Errorf("the screen has %d lines, want 24", lines)
		}
	}
}

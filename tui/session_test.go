package tui

import (
	"context"
	"strings"
	"testing"

	"github.com/biztel-tools/biztel-doctor/checks"
	"github.com/biztel-tools/biztel-doctor/content"
)

// TestVerifyKeepsItemNumbers: verifying item 1 (now fixed) keeps it as
// item 1, ticked, with its before/after line; item 2 keeps its number.
func TestVerifyKeepsItemNumbers(t *testing.T) {
	faults := map[string]checks.Result{"sip.alg": failed("sip.alg", "disable-sip-alg"), "sip.tls": failed("sip.tls", "allow-sip-tls")}
	d := newDriver(t, content.En, testProfile(false), faults)
	d.press("5", "enter", "enter")
	items := d.m.sh.report().Checklist
	if len(items) < 2 {
		t.Fatalf("checklist %v", checklistIDs(d))
	}
	first, second := items[0], items[1]
	d.m.sh.cfg.Runner = fakeRunner(nil) // the first item's fault is fixed
	d.press("down", "up", "v")
	d.mustShow("1. [x] "+first.Title.En, "before NG → now OK 01:00:00", "2. [ ] "+second.Title.En)
	after := d.m.sh.report().Checklist
	if after[0].ID != first.ID || after[0].Number != 1 || after[1].ID != second.ID || after[1].Number != 2 {
		t.Errorf("numbers moved: %v", checklistIDs(d))
	}
}

// TestRerunKeyRunsTheSelectedCheck: r on step 5 re-runs the selected
// check (with what builds on it), R re-runs all.
func TestRerunKeyRunsTheSelectedCheck(t *testing.T) {
	d := newDriver(t, content.En, testProfile(false), nil)
	d.press("5", "enter")
	all := d.m.sh.plan(nil).Checks
	var ran []string
	d.m.sh.cfg.Runner = func(ctx context.Context, plan *checks.Plan, env *checks.Env, ch chan<- checks.Event) *checks.Outcome {
		ran = plan.Checks
		return fakeRunner(nil)(ctx, plan, env, ch)
	}
	d.press("r")
	sel := d.m.live.list()[0]
	if len(ran) == 0 || len(ran) >= len(all) || !strings.Contains(strings.Join(ran, ","), sel) {
		t.Fatalf("r ran %v (plan has %d), want %s and its dependents", ran, len(all), sel)
	}
	if runs := d.m.sh.ses.Runs(sel); len(runs) != 2 {
		t.Errorf("%s has %d runs, want 2 (the first and the re-run)", sel, len(runs))
	}
	d.press("R")
	if len(ran) != len(all) {
		t.Errorf("R ran %d checks, want all %d", len(ran), len(all))
	}
}

package tui

import (
	"strings"
	"testing"

	"github.com/biztel-tools/biztel-doctor/content"
)

// toNATQuestion walks the demo's full review to the nat.timer question.
func toNATQuestion(t *testing.T, d *driver) {
	t.Helper()
	d.press("3")
	for i := 0; i < 20 && !strings.Contains(d.screen(), "> "+d.m.sh.L("ways.full")); i++ {
		d.press("up")
	}
	d.press("enter")
	n, _ := d.m.sh.c.Tree().Node("nat.timer")
	q := n.Question.In(d.m.sh.lang)
	for i := 0; i < 20 && !strings.Contains(d.screen(), q); i++ {
		d.press("right")
	}
	d.mustShow(q)
}

// TestNATQuestionDoesNotWaitForALongCheckNotRun: in the demo's full review
// nat.timer is left out (a long check, run only by r on step 5), so its
// question never says it waits for it or that it still runs: it says how
// to run it here, and Enter takes a hand answer at once.
func TestNATQuestionDoesNotWaitForALongCheckNotRun(t *testing.T) {
	for _, lang := range []content.Lang{content.En, content.Ja} {
		d := demoDriver(t, "problems", lang)
		toNATQuestion(t, d)
		waiting := d.m.sh.L("tree.waiting", "check", d.m.sh.checkName("nat.timer"))
		d.mustNotShow(waiting)
		if lang == content.En {
			d.mustShow("is not run automatically", "step 5", "press r")
		}
		n := d.m.tree.path()[d.m.tree.cur]
		d.press("enter")
		d.mustNotShow(d.m.sh.L("session.tree.waiting.confirm", "check", d.m.sh.checkName("nat.timer")))
		if a, src := d.m.sh.answer(n); a == "" || src != fromHand {
			t.Fatalf("%s: Enter did not answer by hand (%q, %v)", lang, a, src)
		}
	}
}

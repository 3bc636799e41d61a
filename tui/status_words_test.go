package tui

import (
	"regexp"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

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

// TestSymptomPreviewNamesEveryCheckItRuns: the "checks to run" of a
// symptom names the checks its run needs too (symptom A listed 7 and ran
// 9: STUN's bindings feed SIP-ALG and NAT).
func TestSymptomPreviewNamesEveryCheckItRuns(t *testing.T) {
	d := demoDriver(t, "problems", content.En)
	d.press("3", "a")
	run := d.m.sh.willRun(d.m.sh.c.Symptoms()[0].Checks)
	if len(run) <= len(d.m.sh.c.Symptoms()[0].Checks)-1 {
		t.Fatalf("symptom A runs %v", run)
	}
	d.press("end")                                     // the list sits under the symptoms
	s := strings.Join(strings.Fields(d.screen()), " ") // and wraps
	for _, id := range run {
		if name := d.m.sh.checkName(id); !strings.Contains(s, name) {
			t.Errorf("the preview does not name %s (%s):\n%s", id, name, d.screen())
		}
	}
	if !strings.Contains(s, "STUN (UDP 3478)") {
		t.Errorf("the preview leaves out STUN, which the run needs:\n%s", d.screen())
	}
}

// TestWaysHelpNamesEverySymptomLetter: the ? screen of step 3 names the
// letters there are (it said A-H beside nine symptoms, A-I).
func TestWaysHelpNamesEverySymptomLetter(t *testing.T) {
	c := content.MustLoad()
	last := string(rune('A' + len(c.Symptoms()) - 1))
	for _, lang := range []content.Lang{content.Ja, content.En} {
		if h := c.Label("help.step.ways", lang); !strings.Contains(h, "A-"+last) && !strings.Contains(h, "A〜"+last) {
			t.Errorf("%s: %q does not name A to %s", lang, h, last)
		}
	}
}

// TestExportCountsFitSixtyColumns: step 8's status counts wrap whole at
// 60×20 (the error count was cut to "[..").
func TestExportCountsFitSixtyColumns(t *testing.T) {
	d := demoDriver(t, "problems", content.Ja)
	d.send(tea.WindowSizeMsg{Width: 60, Height: 20})
	d.press("3", "enter", "8")
	d.mustShow("[NG] 不合格", "[??] エラー 0")
	for _, l := range strings.Split(d.screen(), "\n") {
		if strings.HasSuffix(strings.TrimRight(l, " "), "..") {
			t.Errorf("cut line %q:\n%s", l, d.screen())
		}
	}
}

// TestSiteFormFitsSixtyByTwenty: at 60×20 step 2 shows every option whole
// and, when the form is taller than the screen, where it is; the field
// under the cursor stays in view (the options were cut to "録音一括.."
// and the end of the form went under the frame unseen).
func TestSiteFormFitsSixtyByTwenty(t *testing.T) {
	d := demoDriver(t, "problems", content.Ja)
	d.send(tea.WindowSizeMsg{Width: 60, Height: 20})
	d.press("2")
	for _, o := range content.AllOptions {
		d.mustShow(d.m.sh.L("site.opt." + o))
	}
	for range fieldSave {
		d.press("down")
	}
	d.mustShow("> "+d.m.sh.L("site.save"), "/") // the cursor's field, and the position line ("1–13 / 20")
	for _, l := range strings.Split(d.screen(), "\n") {
		if strings.HasSuffix(strings.TrimRight(l, " "), "..") {
			t.Errorf("cut line %q:\n%s", l, d.screen())
		}
	}
}

// TestExportAgainSaysNewFiles: after a save, step 8 says Enter writes a
// second pair and the first stays (it wrote one without a word).
func TestExportAgainSaysNewFiles(t *testing.T) {
	d := demoDriver(t, "problems", content.En)
	d.m.sh.cfg.OutDir = t.TempDir()
	d.press("3", "enter", "8")
	d.mustShow("Enter: save the report as Markdown and JSON")
	d.press("enter")
	d.mustShow("Saved:", "Enter: save the results as they are now to new files")
}

// TestStep7ChangesDevice: c on step 7 opens step 4's device question, on
// the full review and on every symptom (step 7 had no way to another
// device), and the answer there changes step 7's configuration.
func TestStep7ChangesDevice(t *testing.T) {
	for i := -1; i < len(content.MustLoad().Symptoms()); i++ {
		d := demoDriver(t, "problems", content.En)
		if i < 0 {
			d.press("3", "enter")
		} else {
			d.press("3", string(rune('a'+i)), "enter")
		}
		d.press("7", "c")
		if d.m.screen != screenTree {
			t.Fatalf("way %d: c left step 7 for %v", i, d.m.screen)
		}
		d.mustShow("Which router / firewall is it?")
	}
	d := demoDriver(t, "problems", content.En)
	d.press("3", "enter", "7", "c")
	for i := 0; i < 20 && !strings.Contains(d.screen(), "> ( ) YAMAHA"); i++ {
		d.press("up")
	}
	d.press("enter", "7")
	d.mustShow("YAMAHA")
	d.mustNotShow("FortiGate")
}

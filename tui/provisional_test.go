package tui

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/biztel-tools/biztel-doctor/checks"
	"github.com/biztel-tools/biztel-doctor/content"
)

// failThenBlock finishes sip.alg as a fail, then waits for cancellation as
// a long check would: its finding is made while the run goes on.
func failThenBlock(ctx context.Context, plan *checks.Plan, env *checks.Env, ch chan<- checks.Event) *checks.Outcome {
	r := failed("sip.alg", "disable-sip-alg")
	ch <- checks.Event{Kind: checks.EventStarted, ID: r.ID, At: fixedNow}
	ch <- checks.Event{Kind: checks.EventFinished, ID: r.ID, Result: &r}
	return blockingRunner(ctx, plan, env, ch)
}

// TestEachItemIsMarkedProvisionalWhileChecksRun: a finding and a checklist
// item made while the run goes on carry a provisional mark each, on step
// 6 and in an export made during the run (JSON and Markdown); the marks go
// away when the run ends.
func TestEachItemIsMarkedProvisionalWhileChecksRun(t *testing.T) {
	for _, lang := range []content.Lang{content.En, content.Ja} {
		mark := map[content.Lang]string{content.En: "(provisional)", content.Ja: "（暫定）"}[lang]
		d := newDriver(t, lang, testProfile(false), nil)
		d.wait = time.Second // the export's fsync on a loaded machine
		d.m.sh.cfg.Runner = failThenBlock
		d.press("5", "enter", "6")
		screen := d.screen()
		if n := strings.Count(screen, mark); n < 2 {
			t.Errorf("%s: %d provisional marks on step 6, want one on the finding and one on its item:\n%s", lang, n, screen)
		}
		d.press("8", "enter", "enter") // export asks first during a run, then saves
		jsonPath, md := savedPair(t, d.m.sh.cfg.OutDir)
		var doc struct {
			Checks []struct {
				ID          string
				Provisional bool
			}
			Checklist []struct {
				ID          string
				Provisional bool
			}
		}
		data, _ := os.ReadFile(jsonPath)
		if err := json.Unmarshal(data, &doc); err != nil {
			t.Fatal(err)
		}
		for _, c := range doc.Checks {
			if c.ID == "sip.alg" && !c.Provisional {
				t.Errorf("%s: sip.alg not provisional in the JSON", lang)
			}
		}
		if len(doc.Checklist) == 0 || !doc.Checklist[0].Provisional {
			t.Errorf("%s: checklist %+v, want its item provisional", lang, doc.Checklist)
		}
		if n := strings.Count(md, mark); n < 3 {
			t.Errorf("%s: %d marks in the Markdown, want the finding, the result row and the item", lang, n)
		}
		d.m.live.cancelRun()
		d.press("6")
		d.mustNotShow(mark)
		if rep := d.m.sh.report(); rep.Provisional != nil || rep.Checklist[0].Provisional {
			t.Errorf("%s: still provisional after the run ended", lang)
		}
	}
}

// savedPair is the JSON path and the Markdown text step 8 saved in dir.
func savedPair(t *testing.T, dir string) (string, string) {
	t.Helper()
	js, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	mds, _ := filepath.Glob(filepath.Join(dir, "*.md"))
	if len(js) != 1 || len(mds) != 1 {
		t.Fatalf("saved %v %v", js, mds)
	}
	md, _ := os.ReadFile(mds[0])
	return js[0], string(md)
}

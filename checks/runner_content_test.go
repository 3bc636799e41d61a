package checks

import (
	"context"
	"maps"
	"testing"
	"time"

	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/profile"
)

// TestRunnerPhrasesWithTheGivenContent: the runner's own words (a panic, a
// check that gives no status) come from Env.Content, the content the run
// was given, not from the embedded copy.
func TestRunnerPhrasesWithTheGivenContent(t *testing.T) {
	c := *content.MustLoad()
	c.UI = maps.Clone(c.UI)
	c.UI["check.runner.panicked"] = content.T("パニック: {panic}", "given content: panic {panic}")
	c.UI["check.runner.no_status"] = content.T("状態なし", "given content: no status")
	panics := Spec{ID: "panics", Timeout: time.Second, Run: func(context.Context, *Input) Result { panic("boom") }}
	empty := Spec{ID: "empty", Timeout: time.Second, Run: func(context.Context, *Input) Result { return Result{} }}
	plan, err := makePlan(&profile.Profile{Server: profile.Server{IP: "127.0.0.1"}}, DefaultOptions(), []Spec{panics, empty})
	if err != nil {
		t.Fatal(err)
	}
	out := Run(context.Background(), plan, &Env{Content: &c}, nil)
	want := map[string]string{"panics": "given content: panic boom", "empty": "given content: no status"}
	for id, en := range want {
		if r := resultByID(out, id); r.Status != Error || r.Summary.En != en {
			t.Errorf("%s: %s %q, want error %q", id, r.Status, r.Summary.En, en)
		}
	}
}

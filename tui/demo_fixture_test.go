package tui

import (
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/biztel-tools/biztel-doctor/checks"
	"github.com/biztel-tools/biztel-doctor/demo"
	"github.com/biztel-tools/biztel-doctor/profile"
)

// recordDemo re-runs both demo scenarios and rewrites the fixtures the
// golden screens replay (go test ./tui -run TestRecordDemoFixtures -record).
// The screens replay recorded results: a live run's timings differ from
// run to run, the screens must not.
var recordDemo = flag.Bool("record", false, "re-run the demo scenarios and rewrite testdata/demo_*.json")

// demoFixture is one demo scenario's site and the results of a full run, as
// the TUI shows them (ports mapped back to the page's).
type demoFixture struct {
	Profile *profile.Profile `json:"profile"`
	Results []checks.Result  `json:"results"`
}

func TestRecordDemoFixtures(t *testing.T) {
	if !*recordDemo {
		t.Skip("-record rewrites the demo fixtures")
	}
	for _, sc := range demo.Scenarios() {
		site, err := demo.StartScenario(context.Background(), sc)
		if err != nil {
			t.Fatal(err)
		}
		cfg := Config{Demo: true, DemoScenario: string(sc), Options: site.Options}
		ports := newDemoPorts(cfg)
		plan, err := checks.MakePlan(site.Profile, site.Options)
		if err != nil {
			t.Fatal(err)
		}
		ch := make(chan checks.Event, 64)
		go func() {
			for range ch {
			}
		}()
		out := checks.Run(context.Background(), plan, site.Env, ch)
		fx := demoFixture{Profile: site.Profile}
		for _, r := range out.Results {
			r = ports.result(r)
			r.Duration = r.Duration.Round(100 * time.Millisecond)
			fx.Results = append(fx.Results, r)
		}
		site.Close()
		data, err := json.MarshalIndent(fx, "", " ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join("testdata", "demo_"+string(sc)+".json"), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// loadDemoFixture reads a recorded demo scenario.
func loadDemoFixture(t *testing.T, sc string) demoFixture {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "demo_"+sc+".json"))
	if err != nil {
		t.Fatalf("%v (go test ./tui -run TestRecordDemoFixtures -record writes it)", err)
	}
	var fx demoFixture
	if err := json.Unmarshal(data, &fx); err != nil {
		t.Fatal(err)
	}
	return fx
}

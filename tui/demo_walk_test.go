package tui

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/demo"
)

// runWait bounds one command of a real run: the longest check budget plus
// the runner's margin (checks.OverallTimeout of a default plan).
const runWait = 45 * time.Second

// walkDemo walks `demo` from the first screen to the exported report:
// site, full review, every check finished, findings, router, export.
func walkDemo(t *testing.T, outDir string) *Model {
	site, err := demo.Start(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(site.Close)
	m := New(Config{Lang: content.En, NoColor: true, Profile: site.Profile, Options: site.Options, Env: site.Env,
		Demo: true, OutDir: outDir, Version: "test"})
	d := newDriverFor(t, m, runWait)
	d.press("enter")
	for range fieldOptions {
		d.press("down")
	}
	d.press("enter", "enter") // full review: the checks run to the end inside this key's messages
	d.mustShow("4/8 Questions")
	d.press("5")
	d.mustShow("Done. Enter: to the findings")
	d.mustNotShow("[  ]") // nothing pending
	demoPortsShown(t, m.sh.ports, resultsOf(m.sh))
	d.press("enter", "8", "enter")
	d.mustShow("Saved:")
	return m
}

func TestDemoWalkToExportedReport(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every check against the demo fakes")
	}
	dir := t.TempDir()
	m := walkDemo(t, dir)
	plan := m.sh.plan(nil)
	for _, id := range plan.Checks {
		r, ok := resultsOf(m.sh)[id]
		if !ok {
			t.Errorf("%s never finished", id)
			continue
		}
		if strings.Contains(r.Summary.En, "not implemented") {
			t.Errorf("%s is not implemented in this build", id)
		}
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	if len(files) != 1 {
		t.Fatalf("exported %v", files)
	}
	data, _ := os.ReadFile(files[0])
	var doc struct {
		Simulated string                        `json:"simulated"`
		Checks    []struct{ ID, Status string } `json:"checks"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Checks) != len(plan.Checks) {
		t.Errorf("report has %d checks, the plan %d", len(doc.Checks), len(plan.Checks))
	}
	if doc.Simulated == "" {
		t.Error("the demo's exported report does not say it is simulated")
	}
}

// BenchmarkDemoPeakRSS walks the demo to the exported report and reports
// the process's peak resident set (VmHWM). Goal ≤ 60 MB.
func BenchmarkDemoPeakRSS(b *testing.B) {
	for b.Loop() {
		runDemoOnce(b, b.TempDir())
	}
	b.ReportMetric(peakRSSMB(), "peak-RSS-MB")
}

// runDemoOnce is walkDemo for a benchmark (no *testing.T to fail on).
func runDemoOnce(b *testing.B, dir string) {
	site, err := demo.Start(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	defer site.Close()
	m := New(Config{Lang: content.En, NoColor: true, Profile: site.Profile, Options: site.Options, Env: site.Env, Demo: true, OutDir: dir})
	msgs := []tea.Msg{tea.WindowSizeMsg{Width: 80, Height: 24}, startChecksMsg{}}
	for len(msgs) > 0 {
		var msg tea.Msg
		msg, msgs = msgs[0], msgs[1:]
		_, cmd := m.Update(msg)
		m.View()
		msgs = append(msgs, runCmd(cmd, runWait)...)
	}
	if len(resultsOf(m.sh)) == 0 {
		b.Fatal("no results")
	}
	m.screen = screenExport
	msgs = runCmd(saveReport(dir, m.sh.report(), content.En, m.sh.c, time.Now()), runWait)
	if saved, ok := msgs[0].(reportSavedMsg); !ok || saved.err != nil {
		b.Fatalf("export: %v", msgs)
	}
}

// peakRSSMB reads VmHWM from /proc/self/status (Linux); 0 elsewhere.
func peakRSSMB() float64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmHWM:" {
			kb, _ := strconv.ParseFloat(f[1], 64)
			return kb / 1024
		}
	}
	return 0
}

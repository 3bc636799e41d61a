package main

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/biztel-tools/biztel-doctor/checks"
	"github.com/biztel-tools/biztel-doctor/serve"
)

// TestCheckInterruptedKeepsNATTimerProof: `check --only nat.timer`
// interrupted once its shortest rungs answered (a reflector on loopback, no
// NAT: every rung survives) writes nat.timer as warn "only ≥ N proven"
// with the nat-timer remedy and the CLI's words for running it to the
// end; the report is interrupted and exits 130.
func TestCheckInterruptedKeepsNATTimerProof(t *testing.T) {
	ctx, stopServe := context.WithCancel(context.Background())
	defer stopServe()
	srv, err := serve.Start(ctx, serve.Config{Listen: "127.0.0.1", Token: "t0ken"})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	oldPorts := checkPorts
	defer func() { checkPorts = oldPorts }()
	checkPorts = func() checks.Ports {
		p := checks.DefaultPorts()
		p.Reflector, p.ReflectorSIP = srv.ControlAddr().Port, srv.SIPAddr().Port
		return p
	}
	out := filepath.Join(t.TempDir(), "nat.json")
	cctx, cancel := context.WithCancel(context.Background())
	tio := &testIO{env: map[string]string{}}
	done := make(chan int)
	go func() {
		// horizon 60 s: rungs 1.875 s and 3.75 s answer at about 2.9 s and 4.8 s
		done <- run(cctx, []string{"check", "--lang", "en", "--server", "127.0.0.1", "--reflector", "127.0.0.1", "--reflector-token", "t0ken",
			"--only", "nat.timer", "--nat-timer-max", "60s", "-o", out}, tio.stdio())
	}()
	time.Sleep(4 * time.Second) // at least the shortest rung has answered
	cancel()
	data := interruptedReport(t, done, 15*time.Second, tio, out)
	var doc struct {
		Interrupted bool `json:"interrupted"`
		Checks      []struct {
			ID, Status, Summary string
			Remedies            []string
		}
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	if !doc.Interrupted {
		t.Error("report not interrupted")
	}
	for _, c := range doc.Checks {
		if c.ID != "nat.timer" {
			continue
		}
		t.Logf("%s: %s", c.Status, c.Summary)
		if c.Status != "warn" || !strings.Contains(c.Summary, "only ≥") || !strings.Contains(c.Summary, "check --long --only nat.timer") ||
			len(c.Remedies) == 0 || c.Remedies[0] != "nat-timer-3600" {
			t.Errorf("nat.timer %s %q %v, want warn only ≥ N proven, the CLI's words and the remedy", c.Status, c.Summary, c.Remedies)
		}
	}
}

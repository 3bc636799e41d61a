//go:build unix

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/biztel-tools/biztel-doctor/checks/checktest"
	"github.com/biztel-tools/biztel-doctor/report/reporttest"
	"github.com/biztel-tools/biztel-doctor/serve"
)

// TestTUISignalDuringNATTimerKeepsItsProof runs the real binary in tmux
// at 80×24 against a reflector on loopback: symptom C runs nat.timer, and
// once a rung has answered, SIGTERM ends the app. The saved report keeps
// what the ladder proved — nat.timer warn "only ≥ N proven" with the
// nat-timer-3600 remedy and the TUI's words, not error "interrupted" —
// and is interrupted, with exit status 130.
func TestTUISignalDuringNATTimerKeepsItsProof(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs it in tmux")
	}
	bin, _ := buildBinary(t)
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	srv, err := serve.Start(ctx, serve.Config{Listen: "127.0.0.1", Token: "t0ken"})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	udp := checktest.NewUDPBlackhole(t).Port()
	tcp := checktest.Port(t, checktest.Silent(t))
	dir := t.TempDir()
	override := filepath.Join(dir, "override.yaml")
	y := fmt.Sprintf("ports: {sip_udp: %[1]d, stun_primary: %[1]d, stun_secondary: %[1]d, ntp: %[1]d, dns: %[1]d, "+
		"web: %[2]d, sip_tls: %[2]d, sip_wss: %[2]d, ftps_control: %[2]d, reflector: %[3]d, reflector_sip: %[4]d}\n"+
		"ssdp_addr: 127.0.0.1:%[1]d\nresolver: 127.0.0.1:%[1]d\ndns_servers: [127.0.0.1:%[1]d]\n",
		udp, tcp, srv.ControlAddr().Port, srv.SIPAddr().Port)
	if err := os.WriteFile(override, []byte(y), 0o600); err != nil {
		t.Fatal(err)
	}
	tm := newTmux(t, dir, 80, 24, "sh", "-c", `trap true INT TERM; "$@"; echo $? > exit-status`, "sh", "env", "-i", "TERM=tmux-256color",
		"LANG=C.UTF-8", "NO_COLOR=1", "HOME="+dir, bin, "--lang", "en", "--dev-override", override,
		"--server-ip", "127.0.0.1", "--stun", "127.0.0.1", "--ntp", "127.0.0.1", "--recording", "127.0.0.1",
		"--reflector", "127.0.0.1", "--reflector-token", "t0ken")
	tm.waitFor("1/8 Start", 10*time.Second)
	pid := tm.childPID()
	tm.pressUntil("Enter", "2/8 Site")
	for range 7 { // to the options row
		tm.keys("Down")
	}
	tm.keys("Enter")
	tm.waitFor("3/8 Ways in", 2*time.Second)
	tm.keys("c", "Enter") // symptom C: calls drop; its checks include nat.timer
	tm.waitFor("4/8 Questions", 2*time.Second)
	tm.keys("5")
	// nat.timer starts after the light checks; its shortest rung (about 7 s
	// of the 3600 s ladder) answers a few seconds later
	tm.waitFor("s proven", 45*time.Second)
	sent := time.Now()
	_ = syscall.Kill(pid, syscall.SIGTERM)
	js := waitForReport(t, dir, pid)
	if st, err := os.Stat(js); err == nil {
		t.Logf("report on disk %s after SIGTERM", st.ModTime().Sub(sent).Round(time.Microsecond))
	}
	raw, err := os.ReadFile(js)
	if err != nil {
		t.Fatal(err)
	}
	if err := reporttest.ValidateJSON(raw); err != nil {
		t.Errorf("the report does not validate: %v", err)
	}
	var doc struct {
		Interrupted bool `json:"interrupted"`
		Checks      []struct {
			ID, Status, Summary string
			Remedies            []string
		}
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	if !doc.Interrupted {
		t.Error("report not interrupted")
	}
	for _, c := range doc.Checks {
		if c.ID == "nat.timer" {
			t.Logf("nat.timer %s: %s", c.Status, c.Summary)
			if c.Status != "warn" || !strings.Contains(c.Summary, "only ≥") || strings.Contains(c.Summary, "--") ||
				len(c.Remedies) == 0 || c.Remedies[0] != "nat-timer-3600" {
				t.Errorf("nat.timer %s %q %v, want warn only ≥ N proven in the TUI's words, with the remedy", c.Status, c.Summary, c.Remedies)
			}
		}
	}
	if got := exitStatusFile(t, dir); got != exitInterrupted {
		t.Errorf("exit status %d, want 130", got)
	}
}

//go:build unix

package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/biztel-tools/biztel-doctor/checks/checktest"
	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/report/reporttest"
)

// TestTUIEveryWayOutSavesTheSameReport runs the real binary in tmux at
// 80×24 against a site on loopback where every peer is silent (so checks
// are still running), starts the full review, and leaves it five ways:
// q then y, Ctrl-C then y, SIGTERM, SIGHUP (the terminal closed), and a
// recovered panic (injected through the developer override). Each time the
// saved JSON must validate and carry the real start and duration,
// "interrupted": true, every catalog check (the unfinished as error
// "interrupted"), the answers and the checklist.
func TestTUIEveryWayOutSavesTheSameReport(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs it in tmux")
	}
	bin, _ := buildBinary(t)
	udp := checktest.NewUDPBlackhole(t).Port()
	tcp := checktest.Port(t, checktest.Silent(t))
	override := func(dir, extra string) string {
		path := filepath.Join(dir, "override.yaml")
		y := fmt.Sprintf("ports: {sip_udp: %[1]d, stun_primary: %[1]d, stun_secondary: %[1]d, ntp: %[1]d, dns: %[1]d, "+
			"web: %[2]d, sip_tls: %[2]d, sip_wss: %[2]d, ftps_control: %[2]d}\n"+
			"ssdp_addr: 127.0.0.1:%[1]d\nresolver: 127.0.0.1:%[1]d\ndns_servers: [127.0.0.1:%[1]d]\n%[3]s", udp, tcp, extra)
		if err := os.WriteFile(path, []byte(y), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	ways := []struct {
		name  string
		extra string
		leave func(tm *tmux, pid int)
		code  int // exit status, -1 when the terminal is gone
		traps string
	}{
		{"q-y", "", func(tm *tmux, _ int) { tm.keys("q"); tm.waitFor("not saved yet", 2*time.Second); tm.keys("y") }, 130, ""},
		{"ctrl-c-y", "", func(tm *tmux, _ int) { tm.keys("C-c"); tm.waitFor("not saved yet", 2*time.Second); tm.keys("y") }, 130, ""},
		// a second Ctrl-C at the question saves and quits too (issue 14)
		{"ctrl-c-ctrl-c", "", func(tm *tmux, _ int) { tm.keys("C-c"); tm.waitFor("not saved yet", 2*time.Second); tm.keys("C-c") }, 130, ""},
		{"sigterm", "", func(_ *tmux, pid int) { _ = syscall.Kill(pid, syscall.SIGTERM) }, 130, ""},
		{"sighup", "", func(tm *tmux, _ int) { _ = exec.Command("tmux", "-S", tm.sock, "kill-pane", "-t", "app").Run() }, -1, ""},
		// the window closes but no SIGHUP comes: the pane's sh traps it and
		// stays, so only the dead terminal (EIO on the input) tells
		{"tty-gone-no-sighup", "", func(tm *tmux, _ int) { _ = exec.Command("tmux", "-S", tm.sock, "kill-pane", "-t", "app").Run() }, 130, " HUP"},
		{"panic", "panic_after_check: net.link\n", nil, 130, ""},
	}
	for _, w := range ways {
		t.Run(w.name, func(t *testing.T) {
			dir := t.TempDir()
			// sh records the exit status in a file: tmux 3.3a sometimes marks
			// the pane dead without ever reporting the status of its process
			tm := newTmux(t, dir, 80, 24, "sh", "-c", `trap true INT TERM`+w.traps+`; "$@"; echo $? > exit-status`, "sh", "env", "-i", "TERM=tmux-256color", "LANG=C.UTF-8", "NO_COLOR=1", "HOME="+dir,
				bin, "--lang", "en", "--dev-override", override(dir, w.extra),
				"--server-ip", "127.0.0.1", "--stun", "127.0.0.1", "--ntp", "127.0.0.1", "--recording", "127.0.0.1")
			tm.waitFor("1/8 Start", 10*time.Second)
			pid := tm.childPID()
			tm.pressUntil("Enter", "2/8 Site")
			for range 7 { // to the options row
				tm.keys("Down")
			}
			tm.keys("Enter")
			tm.waitFor("3/8 Ways in", 2*time.Second)
			tm.keys("Enter") // the full review starts
			var sent time.Time
			if w.leave != nil {
				tm.waitFor("4/8 Questions", 2*time.Second)
				time.Sleep(500 * time.Millisecond) // a few checks finish, most still wait on the silent peers
				sent = time.Now()
				w.leave(tm, pid)
			}
			js := waitForReport(t, dir, pid)
			if !sent.IsZero() {
				if st, err := os.Stat(js); err == nil {
					t.Logf("%s: report on disk %s after the signal or key", w.name, st.ModTime().Sub(sent).Round(time.Microsecond))
				}
			}
			assertWholeInterruptedReport(t, js)
			if w.code >= 0 && !t.Failed() {
				if got := exitStatusFile(t, dir); got != w.code {
					t.Errorf("exit status %d, want %d", got, w.code)
				}
				if t.Failed() {
					t.Log(tm.screen())
				}
			}
		})
	}
}

// waitForReport waits for the process to end and returns the one JSON
// report in dir.
func waitForReport(t *testing.T, dir string, pid int) string {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		st, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
		if err != nil || strings.Contains(string(st), ") Z ") {
			break // gone, or a zombie tmux has not reaped yet
		}
		if time.Now().After(deadline) {
			t.Errorf("the process still runs 20 s after: %s", st)
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	js, _ := filepath.Glob(filepath.Join(dir, "biztel-doctor-*.json"))
	md, _ := filepath.Glob(filepath.Join(dir, "biztel-doctor-*.md"))
	if len(js) != 1 || len(md) != 1 {
		t.Fatalf("saved %v and %v, want one .json and one .md", js, md)
	}
	return js[0]
}

func assertWholeInterruptedReport(t *testing.T, path string) {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := reporttest.ValidateJSON(raw); err != nil {
		t.Errorf("the report does not validate: %v", err)
	}
	var doc struct {
		StartedAt   time.Time         `json:"started_at"`
		DurationMs  int64             `json:"duration_ms"`
		Interrupted bool              `json:"interrupted"`
		Answers     map[string]string `json:"answers"`
		Checklist   []any             `json:"checklist"`
		Checks      []struct {
			ID      string `json:"id"`
			Status  string `json:"status"`
			Summary string `json:"summary"`
		} `json:"checks"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	if time.Since(doc.StartedAt) > time.Minute || doc.DurationMs <= 0 || !doc.Interrupted {
		t.Errorf("started_at %v, duration %d ms, interrupted %v: want the real start and length, interrupted", doc.StartedAt, doc.DurationMs, doc.Interrupted)
	}
	if doc.Answers == nil || doc.Checklist == nil {
		t.Errorf("answers %v / checklist %v missing", doc.Answers, doc.Checklist)
	}
	ids := map[string]bool{}
	cut := 0
	for _, c := range doc.Checks {
		ids[c.ID] = true
		if c.Status == "error" && strings.Contains(c.Summary, "interrupted") {
			cut++
		}
	}
	for _, ci := range content.MustLoad().Checks {
		if !ids[ci.ID] {
			t.Errorf("check %s missing from the report", ci.ID)
		}
	}
	if cut == 0 {
		t.Error("no check is error \"interrupted\", though the run was cut short")
	}
}

// pid is the pane's process: the binary (env execs it).
func (tm *tmux) pid() int {
	out, err := exec.Command("tmux", "-S", tm.sock, "display-message", "-p", "-t", "app", "#{pane_pid}").Output()
	if err != nil {
		tm.t.Fatalf("pane pid: %v", err)
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(string(out)))
	return pid
}

// childPID is the pid of the binary: the child of the pane's sh.
func (tm *tmux) childPID() int {
	sh := tm.pid()
	for range 100 {
		raw, _ := os.ReadFile(fmt.Sprintf("/proc/%d/task/%d/children", sh, sh))
		if f := strings.Fields(string(raw)); len(f) > 0 {
			pid, _ := strconv.Atoi(f[0])
			return pid
		}
		time.Sleep(20 * time.Millisecond)
	}
	tm.t.Fatalf("the pane's sh (pid %d) started no child", sh)
	return 0
}

// exitStatusFile is the exit status the pane's sh wrote after the binary
// ended; -1 when none came within 15 s.
func exitStatusFile(t *testing.T, dir string) int {
	t.Helper()
	for range 300 { // 15 s: a loaded machine
		raw, err := os.ReadFile(filepath.Join(dir, "exit-status"))
		if n, err2 := strconv.Atoi(strings.TrimSpace(string(raw))); err == nil && err2 == nil {
			return n
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Logf("no exit status 15 s after the process ended")
	return -1
}

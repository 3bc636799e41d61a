package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
)

func TestTUINotATerminalHintsAndExits2(t *testing.T) {
	for _, args := range [][]string{{}, {"demo"}, {"--profile", "site.yaml"}} {
		for lang, want := range map[string]string{"": "端末ではありません", "en": "not a terminal"} {
			args := args
			if lang != "" {
				args = append(slices.Clone(args), "--lang", lang)
			}
			code, tio := runCLI(t, args...)
			if code != exitUsage || !strings.Contains(tio.err.String(), want) || !strings.Contains(tio.err.String(), "biztel-doctor check") ||
				strings.Count(strings.TrimSpace(tio.err.String()), "\n") != 0 {
				t.Errorf("%v: exit %d, stderr %q; want 2 and one line naming check", args, code, tio.err.String())
			}
			assertLanguage(t, tio.err.String(), lang)
		}
	}
}

func TestTUIBadFlagsExit2(t *testing.T) {
	for _, args := range [][]string{{"--lang", "fr"}, {"demo", "--server", "192.0.2.1"}, {"--channels", "x"}} {
		tio := &testIO{env: map[string]string{}, terminal: true}
		if code := run(t.Context(), args, tio.stdio()); code != exitUsage {
			t.Errorf("%v: exit %d, want 2 (stderr %q)", args, code, tio.err.String())
		}
	}
}

// tmux drives the real binary in a real terminal of fixed size. It runs
// its own tmux server in the foreground on a socket in the test's temp dir
// (no daemon: nothing outlives the test, and no other tmux is touched).
type tmux struct {
	t    *testing.T
	sock string
}

func newTmux(t *testing.T, dir string, w, h int, command ...string) *tmux {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("tmux is required in CI (apt-get install tmux)")
		}
		t.Skip("tmux not installed: skipping the real-terminal test (apt-get install tmux)")
	}
	tm := &tmux{t: t, sock: filepath.Join(dir, "tmux.sock")}
	server := exec.Command("tmux", "-S", tm.sock, "-D", "-f", os.DevNull)
	if err := server.Start(); err != nil {
		t.Fatalf("tmux server: %v", err)
	}
	t.Cleanup(func() {
		_ = exec.Command("tmux", "-S", tm.sock, "kill-server").Run()
		_ = server.Process.Kill()
		_ = server.Wait()
	})
	for i := 0; i < 100; i++ { // the socket appears when the server listens
		if _, err := os.Stat(tm.sock); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	args := append([]string{"-S", tm.sock, "new-session", "-d", "-s", "app", "-x", strconv.Itoa(w), "-y", strconv.Itoa(h), "-c", dir,
		"-e", "LANG=C.UTF-8", "-e", "NO_COLOR=1"}, command...)
	if out, err := exec.Command("tmux", args...).CombinedOutput(); err != nil {
		t.Fatalf("tmux: %v: %s", err, out)
	}
	_ = exec.Command("tmux", "-S", tm.sock, "set-option", "-t", "app", "remain-on-exit", "on").Run()
	return tm
}

func (tm *tmux) keys(keys ...string) {
	tm.t.Helper()
	for _, k := range keys {
		if out, err := exec.Command("tmux", "-S", tm.sock, "send-keys", "-t", "app", k).CombinedOutput(); err != nil {
			tm.t.Fatalf("send-keys %s: %v: %s", k, err, out)
		}
	}
}

// pressUntil presses key until the pane shows want (see keyRetry).
func (tm *tmux) pressUntil(key, want string) {
	tm.t.Helper()
	for try := 0; try < 5; try++ {
		tm.keys(key)
		deadline := time.Now().Add(keyRetry)
		for time.Now().Before(deadline) {
			if strings.Contains(tm.screen(), want) {
				return
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	tm.t.Fatalf("pressing %s never showed %q:\n%s", key, want, tm.screen())
}

// peakRSS is VmHWM of the pane's process (the binary), from /proc.
func (tm *tmux) peakRSS() string {
	pid, err := exec.Command("tmux", "-S", tm.sock, "display-message", "-p", "-t", "app", "#{pane_pid}").Output()
	if err != nil {
		return "unknown"
	}
	status, err := os.ReadFile("/proc/" + strings.TrimSpace(string(pid)) + "/status")
	if err != nil {
		return "unknown"
	}
	for _, line := range strings.Split(string(status), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			return strings.TrimSpace(strings.TrimPrefix(line, "VmHWM:"))
		}
	}
	return "unknown"
}

func (tm *tmux) screen() string {
	out, _ := exec.Command("tmux", "-S", tm.sock, "capture-pane", "-p", "-t", "app", "-S", "-").Output()
	return string(out)
}

// waitFor polls the pane until it shows want (the app renders
// asynchronously; there is no channel to wait on in another process).
func (tm *tmux) waitFor(want string, within time.Duration) {
	tm.t.Helper()
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		if strings.Contains(tm.screen(), want) {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	tm.t.Fatalf("the terminal never showed %q:\n%s", want, tm.screen())
}

// keyRetry is how long pressUntil waits for a key's effect before it
// presses again: a key typed while the program still exchanges capability
// queries with the terminal at start-up can be taken as a reply.
const keyRetry = time.Second

// TestTmuxDemoToExport starts `biztel-doctor demo` in tmux at 80×24, walks
// it to the exported report, quits, and finds the summary in the
// scroll-back.
func TestTmuxDemoToExport(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin, dir := buildBinary(t)
	launched := time.Now()
	tm := newTmux(t, dir, 80, 24, bin, "demo", "--lang", "en")
	tm.waitFor("1/8 Start", 10*time.Second)
	t.Logf("launch to first frame (tmux, 50 ms polling): %s", time.Since(launched).Round(time.Millisecond))
	tm.pressUntil("Enter", "2/8 Site")
	for range 7 {
		tm.keys("Down")
	}
	tm.keys("Enter")
	tm.waitFor("3/8 Ways in", 2*time.Second)
	tm.keys("Enter") // full review: the checks start
	tm.waitFor("4/8 Questions", 2*time.Second)
	tm.keys("5")
	tm.waitFor("Done. Enter: to the findings", 60*time.Second)
	tm.keys("Enter")
	tm.waitFor("6/8 Findings", 2*time.Second)
	tm.keys("8", "Enter")
	tm.waitFor("Saved:", 5*time.Second)
	t.Logf("peak RSS of the demo process after a full run: %s", tm.peakRSS())
	tm.keys("q")
	// a short goodbye is left in the scroll-back: verdict, counts, the
	// exported files and the exit status, not the whole report (issue 14)
	tm.waitFor("Exit status ", 5*time.Second)
	tm.waitFor("Saved files:", time.Second)
	if out := tm.screen(); strings.Contains(out, "BIZTEL network check report") || !strings.Contains(out, "root causes ") {
		t.Fatalf("the goodbye is not the short verdict:\n%s", out)
	}
	md, _ := filepath.Glob(filepath.Join(dir, "biztel-doctor-*.md"))
	js, _ := filepath.Glob(filepath.Join(dir, "biztel-doctor-*.json"))
	if len(md) != 1 || len(js) != 1 {
		t.Fatalf("export wrote %v and %v, want one .md and one .json", md, js)
	}
}

// TestTUISignalEndsAppAndCleansUp: a signal (here the cancelled context
// that SIGTERM or SIGHUP produces) ends the running app with exit 130, and
// the demo's temporary files are removed, not left behind by a closed
// terminal window.
func TestTUISignalEndsAppAndCleansUp(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	real := tuiProgram
	t.Cleanup(func() { tuiProgram = real })
	tuiProgram = func(m tea.Model, std stdio, opts ...tea.ProgramOption) (tea.Model, error) {
		if left, _ := filepath.Glob(filepath.Join(tmp, "biztel-doctor-demo-*")); len(left) == 0 {
			t.Error("the demo made no temporary directory under TMPDIR; this test would prove nothing")
		}
		cancel() // the signal arrives while the app runs
		return real(m, std, opts...)
	}
	tio := &testIO{env: map[string]string{}, terminal: true}
	done := make(chan int, 1)
	go func() { done <- run(ctx, []string{"demo", "--lang", "en"}, tio.stdio()) }()
	select {
	case code := <-done:
		if code != exitInterrupted {
			t.Errorf("exit %d, want %d (stderr %q)", code, exitInterrupted, tio.err.String())
		}
	case <-time.After(20 * time.Second): // a deadline for the test, not a speed goal
		t.Fatal("the app kept running after its context was cancelled")
	}
	if left, _ := filepath.Glob(filepath.Join(tmp, "biztel-doctor-demo-*")); len(left) != 0 {
		t.Errorf("demo left %v behind", left)
	}
}

package main

import (
	"bufio"
	"context"
	"encoding/json"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/biztel-tools/biztel-doctor/checks"
	"github.com/biztel-tools/biztel-doctor/monitor/monitortest"
)

// refusingListener fails the test if monitor opens a socket.
type refusingListener struct{ t *testing.T }

func (l refusingListener) ListenPacket(context.Context, string, string) (net.PacketConn, error) {
	l.t.Errorf("monitor opened a socket before refusing its input")
	return nil, net.ErrClosed
}

// TestMonitorUsageErrors: lengths that make no run, a format monitor does
// not write, no target and an output folder that cannot be written exit 2
// with one line naming the flag, before anything is sent.
func TestMonitorUsageErrors(t *testing.T) {
	old := newMonitorEnv
	t.Cleanup(func() { newMonitorEnv = old })
	newMonitorEnv = func(v string) *checks.Env { return &checks.Env{Listener: refusingListener{t}} }
	site := []string{"--server", "192.0.2.1", "--reflector", "192.0.2.40", "--lang", "en"}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--duration", "0"}, "--duration 0s"},
		{[]string{"--duration", "-5m"}, "--duration -5m0s"},
		{[]string{"--window", "500ms"}, "--window 500ms"},
		{[]string{"--duration", "30s", "--window", "1m"}, "--window 1m0s"},
		{[]string{"--format", "text"}, "--format text"},
		{[]string{"--format", "csv"}, `--format "csv"`},
		{[]string{"-o", "/nonexistent-dir/x.json"}, "-o /nonexistent-dir/x.json"},
	} {
		code, tio := runCLI(t, append(append([]string{"monitor"}, site...), tc.args...)...)
		if code != exitUsage || !strings.Contains(tio.err.String(), tc.want) || strings.Count(tio.err.String(), "\n") != 1 {
			t.Errorf("%v: exit %d, stderr %q; want 2 naming %s", tc.args, code, tio.err.String(), tc.want)
		}
	}
	code, tio := runCLI(t, "monitor", "--server", "192.0.2.1", "--lang", "ja")
	if code != exitUsage || !strings.Contains(tio.err.String(), "--reflector") || !strings.Contains(tio.err.String(), "リフレクタ") {
		t.Errorf("no target: exit %d, stderr %q", code, tio.err.String())
	}
}

// TestMonitorDemoRecord: a short demo run names its default file first,
// prints a line per window, writes a record that validates against the
// schema, and (with -o x.md) a Markdown page and an SVG chart beside it.
func TestMonitorDemoRecord(t *testing.T) {
	dir := t.TempDir()
	old := monitorWorkDir
	t.Cleanup(func() { monitorWorkDir = old })
	monitorWorkDir = dir
	code, tio := runCLI(t, "monitor", "--demo", "--duration", "3s", "--window", "1s", "--lang", "en")
	if code != exitOK {
		t.Fatalf("exit %d; stdout %s stderr %s", code, tio.out.String(), tio.err.String())
	}
	first, _, _ := strings.Cut(tio.out.String(), "\n")
	files, _ := filepath.Glob(filepath.Join(dir, "biztel-doctor-monitor-*.json"))
	if len(files) != 1 || !strings.Contains(first, filepath.Base(files[0])) {
		t.Fatalf("first line %q, files %v; want the default file named at the start", first, files)
	}
	doc := readRecord(t, files[0])
	if n := len(doc["windows"].([]any)); n != 3 || strings.Count(tio.out.String(), "  loss ") != 3 {
		t.Errorf("%d windows in the file; stdout:\n%s", n, tio.out.String())
	}
	if doc["simulated"] == nil {
		t.Errorf("a demo record does not say it is simulated")
	}
	md := filepath.Join(dir, "run.md")
	if code, tio := runCLI(t, "monitor", "--demo", "--duration", "2s", "--window", "1s", "-o", md, "--lang", "ja"); code != exitOK {
		t.Fatalf("markdown: exit %d: %s", code, tio.err.String())
	}
	page, _ := os.ReadFile(md)
	svg, _ := os.ReadFile(filepath.Join(dir, "run.svg"))
	if !strings.Contains(string(page), "## 窓ごとの計測") || !strings.Contains(string(page), "run.svg") || !strings.HasPrefix(string(svg), "<svg") {
		t.Errorf("markdown page:\n%s\nsvg: %.80s", page, svg)
	}
	readRecord(t, filepath.Join(dir, "run.json"))
}

func readRecord(t *testing.T, path string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := monitortest.ValidateJSON(b); err != nil {
		t.Fatalf("%s: %v\n%s", path, err, b)
	}
	var doc map[string]any
	json.Unmarshal(b, &doc)
	return doc
}

// TestMonitorInterruptedExits130: Ctrl-C ends the run with 130 and a
// complete record marked interrupted.
func TestMonitorInterruptedExits130(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.json")
	ctx, cancel := context.WithTimeout(context.Background(), 2500*time.Millisecond)
	defer cancel()
	tio := &testIO{env: map[string]string{}}
	code := run(ctx, []string{"monitor", "--demo", "--window", "1s", "-o", path}, tio.stdio())
	if code != exitInterrupted {
		t.Fatalf("exit %d; want 130 (stderr %s)", code, tio.err.String())
	}
	if doc := readRecord(t, path); doc["interrupted"] != true || len(doc["windows"].([]any)) < 2 {
		t.Errorf("record %v", doc)
	}
}

// TestMonitorSIGKILLKeepsFinishedWindows kills the real binary mid-run:
// the file on disk is valid and holds every window the process had
// printed as finished.
func TestMonitorSIGKILLKeepsFinishedWindows(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin, dir := buildBinary(t)
	path := filepath.Join(dir, "killed.json")
	cmd := exec.Command(bin, "monitor", "--demo", "--window", "1s", "--duration", "1m", "-o", path, "--lang", "en")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	printed := 0
	sc := bufio.NewScanner(out)
	for sc.Scan() && printed < 3 {
		if strings.Contains(sc.Text(), "  loss ") {
			printed++
		}
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	doc := readRecord(t, path)
	if n := len(doc["windows"].([]any)); n < printed {
		t.Fatalf("%d windows on disk after SIGKILL; the process had printed %d", n, printed)
	}
}

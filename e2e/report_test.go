//go:build linux

package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/biztel-tools/biztel-doctor/netlab"
)

// report is the part of schema biztel-doctor.report/v1 (design.md §5) the
// scenarios read.
type report struct {
	Schema      string        `json:"schema"`
	Interrupted bool          `json:"interrupted"`
	Checks      []checkResult `json:"checks"`
	Checklist   []checkItem   `json:"checklist"`
	raw         []byte
}

type checkResult struct {
	ID       string         `json:"id"`
	Status   string         `json:"status"`
	Summary  string         `json:"summary"`
	Facts    map[string]any `json:"facts"`
	Remedies []string       `json:"remedies"`
}

type checkItem struct {
	ID     string   `json:"id"`
	Title  string   `json:"title"`
	Steps  []string `json:"steps"`
	Verify []string `json:"verify"`
}

func (r *report) check(id string) (checkResult, bool) {
	for _, c := range r.Checks {
		if c.ID == id {
			return c, true
		}
	}
	return checkResult{}, false
}

func (r *report) item(id string) (checkItem, bool) {
	for _, c := range r.Checklist {
		if c.ID == id {
			return c, true
		}
	}
	return checkItem{}, false
}

// text is everything a check says (summary, facts), for "names X" asserts.
func (c checkResult) text() string {
	b, _ := json.Marshal(c.Facts)
	return strings.ToLower(c.Summary + " " + string(b))
}

// notImplemented: the catalog stub of a check not merged into this build.
func (c checkResult) notImplemented() bool {
	return c.Status == "error" && c.Summary == "not implemented"
}

var binary string // the biztel-doctor under test

func TestMain(m *testing.M) {
	code := func() int {
		if netlab.Available() != nil {
			return m.Run() // every test skips (or fails in CI) with the reason
		}
		if b := os.Getenv("BIZTEL_DOCTOR_BIN"); b != "" {
			binary = b
			return m.Run()
		}
		dir, err := os.MkdirTemp("", "biztel-doctor-e2e-")
		if err != nil {
			fmt.Fprintln(os.Stderr, "e2e:", err)
			return 1
		}
		defer os.RemoveAll(dir)
		binary = filepath.Join(dir, "biztel-doctor")
		os.Chmod(dir, 0o755)
		build := exec.Command("go", "build", "-o", binary, ".")
		build.Dir = ".." // the module root: this package is e2e/
		if out, err := build.CombinedOutput(); err != nil {
			fmt.Fprintf(os.Stderr, "e2e: go build: %v\n%s", err, out)
			return 1
		}
		return m.Run()
	}()
	os.Exit(code)
}

// checkRunTimeout bounds one `check` run: the runner's own overall
// deadline (30 s, or the longest check plus 10 s) plus process start.
const checkRunTimeout = 3 * time.Minute

// runCheck runs `biztel-doctor check --format json` in the client
// namespace with a clean environment (only PATH, the bed's CA through
// SSL_CERT_FILE, and extra) and returns the parsed report.
func runCheck(t *testing.T, b *netlab.Bed, profile string, extraEnv []string, args ...string) *report {
	t.Helper()
	path := filepath.Join(b.Dir, "profile.yaml")
	if err := os.WriteFile(path, []byte(profile), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), checkRunTimeout)
	defer cancel()
	argv := append([]string{"-i", "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LANG=C.UTF-8", "SSL_CERT_FILE=" + b.CA.CertFile}, extraEnv...)
	argv = append(argv, binary, "check", "--profile", path, "--format", "json", "--lang", "en", "--no-color")
	argv = append(argv, args...)
	cmd := b.Client.Command(ctx, "env", argv...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	t.Logf("check %s: %v in %v", strings.Join(args, " "), err, time.Since(start).Round(time.Millisecond))
	code := cmd.ProcessState.ExitCode()
	if code != 0 && code != 1 {
		t.Fatalf("check exited %d (%v); stderr:\n%s\nstdout:\n%s", code, err, stderr.String(), stdout.String())
	}
	r := &report{raw: stdout.Bytes()}
	if err := json.Unmarshal(stdout.Bytes(), r); err != nil {
		t.Fatalf("check output is not JSON: %v\n%s\nstderr:\n%s", err, stdout.String(), stderr.String())
	}
	if r.Schema != "biztel-doctor.report/v1" {
		t.Errorf("schema %q", r.Schema)
	}
	return r
}

// statusLine is "id=status …" for logs.
func (r *report) statusLine() string {
	var b strings.Builder
	for _, c := range r.Checks {
		fmt.Fprintf(&b, "%s=%s ", c.ID, c.Status)
	}
	return b.String()
}

// stubs lists the checks answered by the catalog stub.
func (r *report) stubs() []string {
	var out []string
	for _, c := range r.Checks {
		if c.notImplemented() {
			out = append(out, c.ID)
		}
	}
	return out
}

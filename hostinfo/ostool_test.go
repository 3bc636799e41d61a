package hostinfo

import (
	"errors"
	"os/exec"
	"strings"
	"testing"
	"time"
)

func TestRunOSToolOutputAndFailure(t *testing.T) {
	echo, err := exec.LookPath("echo")
	if err != nil {
		t.Skip("no echo binary on this machine")
	}
	out, err := runOSTool(osToolTimeout, echo, "route", "to: default")
	if err != nil || out != "route to: default\n" {
		t.Fatalf("echo: %q, %v", out, err)
	}
	if _, err := runOSTool(osToolTimeout, "/nonexistent/netsh"); err == nil {
		t.Fatal("a missing tool returned no error")
	}
}

func TestRunOSToolTimesOut(t *testing.T) {
	sleep, err := exec.LookPath("sleep")
	if err != nil {
		t.Skip("no sleep binary on this machine")
	}
	start := time.Now()
	_, err = runOSTool(50*time.Millisecond, sleep, "30")
	if !errors.Is(err, errToolTimeout) {
		t.Fatalf("err = %v, want a timeout", err)
	}
	if d := time.Since(start); d > 50*time.Millisecond+osToolWaitDelay+2*time.Second {
		t.Fatalf("a hung tool held the caller %s", d)
	}
}

func TestRunOSToolKeepsStderrReason(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh on this machine")
	}
	// The test itself uses a shell to fake a tool; runOSTool never adds one.
	_, err = runOSTool(osToolTimeout, sh, "-c", "echo 'route: writing to routing socket: not in table' >&2; exit 1")
	if err == nil || !strings.Contains(err.Error(), "not in table") {
		t.Fatalf("err = %v, want the tool's stderr reason", err)
	}
}

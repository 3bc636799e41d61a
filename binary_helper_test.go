package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/biztel-tools/biztel-doctor/report/reporttest"
)

// buildBinary builds this tool into a fresh temp folder, for the tests
// that run the real binary (in tmux, or with signals); dir is that folder.
func buildBinary(t *testing.T) (bin, dir string) {
	t.Helper()
	dir = t.TempDir()
	bin = filepath.Join(dir, "biztel-doctor")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin, dir
}

// interruptedReport waits up to within for an interrupted check to return
// on done, wants exit 130, and returns its partial report at out, valid
// against the schema.
func interruptedReport(t *testing.T, done <-chan int, within time.Duration, tio *testIO, out string) []byte {
	t.Helper()
	var code int
	select {
	case code = <-done:
	case <-time.After(within):
		t.Fatal("check did not return after the interrupt")
	}
	if code != exitInterrupted {
		t.Fatalf("exit %d, want 130; stderr %s", code, tio.err.String())
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatalf("no partial report: %v", err)
	}
	if err := reporttest.ValidateJSON(data); err != nil {
		t.Fatalf("%v\n%s", err, data)
	}
	return data
}

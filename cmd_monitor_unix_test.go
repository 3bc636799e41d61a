//go:build unix

package main

import (
	"bufio"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestMonitorStoppedProcessIsAGap stops the real binary (SIGSTOP, as a
// debugger or a frozen VM would) for 3 s mid-run: the record has a gap
// event, and the time it could not run is neither an outage nor loss.
func TestMonitorStoppedProcessIsAGap(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin, dir := buildBinary(t)
	path := filepath.Join(dir, "stopped.json")
	cmd := exec.Command(bin, "monitor", "--demo", "--window", "1s", "--duration", "8s", "-o", path, "--lang", "en")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(out)
	for windows := 0; windows < 2 && sc.Scan(); {
		if strings.Contains(sc.Text(), "  loss ") {
			windows++
		}
	}
	cmd.Process.Signal(syscall.SIGSTOP)
	time.Sleep(3 * time.Second)
	cmd.Process.Signal(syscall.SIGCONT)
	for sc.Scan() {
	}
	cmd.Wait()
	doc := readRecord(t, path)
	kinds := map[string]int{}
	for _, e := range doc["events"].([]any) {
		kinds[e.(map[string]any)["kind"].(string)]++
	}
	if kinds["gap"] != 1 || kinds["outage"] != 0 || kinds["quality"] != 0 {
		t.Fatalf("events %v; want one gap and no outage or quality event", doc["events"])
	}
	if loss := doc["summary"].(map[string]any)["loss_pct"].(float64); loss != 0 {
		t.Errorf("the stop counted as loss: %v %%", loss)
	}
}

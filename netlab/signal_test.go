//go:build linux

package netlab

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// interruptDeadline bounds the child's teardown after SIGINT: a daemon's
// StopGrace plus namespace removal, which under a loaded CI machine (e2e
// creating and deleting namespaces beside it) took over 6 s once. It is a
// hang detector, not a speed goal.
const interruptDeadline = 30 * time.Second

// syncBuffer is a bytes.Buffer safe for the child's stderr copier and the
// failure message.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestInterruptTearsDown runs a bed in a child test process, interrupts
// it as Ctrl-C would, and checks the namespaces, their /etc/netns files
// and the daemon are gone.
func TestInterruptTearsDown(t *testing.T) {
	if os.Getenv("NETLAB_CHILD") == "1" {
		b := New(t, Options{})
		if err := b.StartChrony(); err != nil {
			t.Fatal(err)
		}
		os.Stdout.WriteString("BED " + b.Name + " " + itoa(b.procs[0].Cmd.Process.Pid) + "\n")
		select {} // until the signal
	}
	Require(t)
	child := exec.Command(os.Args[0], "-test.run=^TestInterruptTearsDown$", "-test.v")
	child.Env = append(os.Environ(), "NETLAB_CHILD=1")
	var childErr syncBuffer
	child.Stderr = &childErr
	out, err := child.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	defer child.Process.Kill()
	var name, pid string
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if f := strings.Fields(sc.Text()); len(f) == 3 && f[0] == "BED" {
			name, pid = f[1], f[2]
			break
		}
	}
	if name == "" {
		t.Fatal("child never reported its bed")
	}
	child.Process.Signal(syscall.SIGINT)
	done := make(chan error, 1)
	go func() { done <- child.Wait() }()
	select {
	case <-done:
	case <-time.After(interruptDeadline):
		t.Fatalf("child did not exit within %s after SIGINT; its stderr:\n%s", interruptDeadline, childErr.String())
	}
	list, _ := exec.Command("ip", "netns", "list").Output()
	if strings.Contains(string(list), name) {
		t.Errorf("namespaces of %s survived the interrupt:\n%s", name, list)
	}
	if _, err := os.Stat("/etc/netns/" + name + "-cli"); err == nil {
		t.Error("/etc/netns files survived the interrupt")
	}
	if _, err := os.Stat("/proc/" + pid); err == nil {
		st, _ := os.ReadFile("/proc/" + pid + "/comm")
		if strings.TrimSpace(string(st)) == "chronyd" {
			t.Errorf("chronyd (pid %s) survived the interrupt", pid)
		}
	}
}

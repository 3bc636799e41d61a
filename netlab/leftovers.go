//go:build linux

package netlab

import (
	"errors"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
)

// live beds of this process, for the signal handler.
var (
	liveMu sync.Mutex
	live   = map[*Bed]bool{}
	sigOne sync.Once
)

func register(b *Bed) {
	liveMu.Lock()
	live[b] = true
	liveMu.Unlock()
}

func unregister(b *Bed) {
	liveMu.Lock()
	delete(live, b)
	liveMu.Unlock()
}

// installSignalHandler tears every live bed down on SIGINT/SIGTERM/SIGHUP
// (Ctrl-C during go test) and then exits, so an interrupted run leaves no
// namespace or daemon behind. A SIGKILL cannot be caught: CleanLeftovers
// removes what it leaves at the next start.
func installSignalHandler() {
	sigOne.Do(func() {
		ch := make(chan os.Signal, 1)
		signal.Notify(ch, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
		go func() {
			s := <-ch
			liveMu.Lock()
			beds := make([]*Bed, 0, len(live))
			for b := range live {
				beds = append(beds, b)
			}
			liveMu.Unlock()
			for _, b := range beds {
				b.t = nil // the test may be gone; do not log through it
				b.Teardown()
				// t.TempDir's own cleanup will not run after os.Exit.
				os.RemoveAll(b.Dir)
				os.Remove(filepath.Dir(b.Dir)) // only when empty
			}
			os.Stderr.WriteString("netlab: " + s.String() + ": test beds removed\n")
			os.Exit(130)
		}()
	})
}

// CleanLeftovers removes beds of earlier runs whose test process is gone:
// namespaces named NamePrefix<pid>-… with a dead pid lose their processes
// (by PID, as listed by `ip netns pids`), the namespace and its /etc/netns
// files. Beds of live processes (a parallel run) are left alone.
func CleanLeftovers() error {
	out, err := exec.Command("ip", "netns", "list").Output()
	if err != nil {
		return err
	}
	var errs []error
	for _, line := range strings.Split(string(out), "\n") {
		f := strings.Fields(line)
		if len(f) == 0 || !strings.HasPrefix(f[0], NamePrefix) {
			continue
		}
		if ownerAlive(f[0]) {
			continue
		}
		removeNamespace(f[0])
	}
	// /etc/netns directories whose namespace is already gone.
	ents, _ := os.ReadDir("/etc/netns")
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), NamePrefix) && !ownerAlive(e.Name()) {
			if err := os.RemoveAll("/etc/netns/" + e.Name()); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}

// ownerAlive reports whether the process that named the bed still runs.
func ownerAlive(name string) bool {
	rest := strings.TrimPrefix(name, NamePrefix)
	pidStr, _, _ := strings.Cut(rest, "-")
	pid, err := strconv.Atoi(pidStr)
	if err != nil || pid <= 0 {
		return true // not ours to judge: leave it
	}
	err = syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// removeNamespace kills every process still inside the namespace (by PID),
// deletes it and its /etc/netns files.
func removeNamespace(name string) {
	for range 3 {
		out, _ := exec.Command("ip", "netns", "pids", name).Output()
		pids := strings.Fields(string(out))
		if len(pids) == 0 {
			break
		}
		for _, p := range pids {
			if pid, err := strconv.Atoi(p); err == nil && pid > 1 && pid != os.Getpid() {
				syscall.Kill(pid, syscall.SIGKILL)
			}
		}
		waitGone(pids)
	}
	exec.Command("ip", "netns", "del", name).Run()
	os.RemoveAll("/etc/netns/" + name)
}

// waitGone waits (bounded) for killed processes to disappear, so the
// namespace is not deleted under a dying process.
func waitGone(pids []string) {
	for range 100 {
		alive := false
		for _, p := range pids {
			if _, err := os.Stat("/proc/" + p); err == nil {
				if st, err := os.ReadFile("/proc/" + p + "/stat"); err == nil && !strings.Contains(string(st), ") Z ") {
					alive = true
				}
			}
		}
		if !alive {
			return
		}
		sleepBriefly()
	}
}

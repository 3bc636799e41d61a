//go:build linux

package netlab

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// Process timeouts.
const (
	// StartTimeout bounds the wait for a daemon's first correct protocol
	// answer; kamailio with TLS, the slowest, answers in well under a
	// second on this 2-core machine even under load.
	StartTimeout = 15 * time.Second
	// StopGrace is how long a daemon gets to exit after SIGTERM before
	// SIGKILL.
	StopGrace = 3 * time.Second
	// probeInterval spaces readiness probes.
	probeInterval = 50 * time.Millisecond
)

// Process is a daemon the bed started, in the foreground, in one of its
// namespaces.
type Process struct {
	Name    string
	Cmd     *exec.Cmd
	LogPath string
	done    chan struct{}
	err     error
}

// Start runs a daemon in the namespace, its stdout and stderr (and stdin:
// vsftpd writes its errors there) in a log file under the bed's directory.
// It gets its own process group so teardown can stop its children too.
func (b *Bed) Start(ns *Namespace, name string, args ...string) (*Process, error) {
	logPath := filepath.Join(b.Dir, filepath.Base(name)+"-"+fmt.Sprint(time.Now().UnixNano())+".log")
	f, err := os.OpenFile(logPath, os.O_CREATE|os.O_RDWR|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("netlab: %w", err)
	}
	cmd := ns.Command(context.Background(), name, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = f, f, f
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Dir = b.Dir
	if err := cmd.Start(); err != nil {
		f.Close()
		return nil, fmt.Errorf("netlab: starting %s: %w", name, err)
	}
	p := &Process{Name: filepath.Base(name), Cmd: cmd, LogPath: logPath, done: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		f.Close()
		close(p.done)
	}()
	b.mu.Lock()
	b.procs = append(b.procs, p)
	b.mu.Unlock()
	return p, nil
}

// Exited reports whether the process has ended (and how).
func (p *Process) Exited() (bool, error) {
	select {
	case <-p.done:
		return true, p.err
	default:
		return false, nil
	}
}

// Stop ends the process group by its id: SIGTERM, then SIGKILL after
// StopGrace.
func (p *Process) Stop() {
	pgid := p.Cmd.Process.Pid
	syscall.Kill(-pgid, syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(StopGrace):
		syscall.Kill(-pgid, syscall.SIGKILL)
		<-p.done
	}
	// Children that left the group (none of ours do) die with the namespace.
}

// Log returns the process's output so far.
func (p *Process) Log() string {
	b, _ := os.ReadFile(p.LogPath)
	return string(b)
}

// Tail returns the last n lines of the log.
func (p *Process) Tail(n int) string {
	lines := strings.Split(strings.TrimRight(p.Log(), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// WaitReady polls probe until it succeeds, the process exits or
// StartTimeout passes; the error carries the probe's last error and the
// log's tail.
func (p *Process) WaitReady(probe func(ctx context.Context) error) error {
	ctx, cancel := context.WithTimeout(context.Background(), StartTimeout)
	defer cancel()
	var last error
	for {
		if done, err := p.Exited(); done {
			return fmt.Errorf("netlab: %s exited (%v) before answering:\n%s", p.Name, err, p.Tail(15))
		}
		pctx, pcancel := context.WithTimeout(ctx, time.Second)
		last = probe(pctx)
		pcancel()
		if last == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("netlab: %s did not answer within %v: %v\n%s", p.Name, StartTimeout, last, p.Tail(15))
		case <-p.done:
		case <-time.After(probeInterval):
		}
	}
}

func sleepBriefly() { time.Sleep(20 * time.Millisecond) }

//go:build linux

package netlab

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"runtime"
	"strings"

	"golang.org/x/sys/unix"
)

// Namespace is one network namespace of a bed.
type Namespace struct {
	Name string // e.g. bzl-1234-0a1b-cli
	Role string // client, router, server
}

// Path is the namespace's bind mount, for setns.
func (n *Namespace) Path() string { return "/run/netns/" + n.Name }

// EtcDir holds the per-namespace resolv.conf and hosts that `ip netns exec`
// mounts over /etc.
func (n *Namespace) EtcDir() string { return "/etc/netns/" + n.Name }

// Command returns a command that runs inside the namespace (through `ip
// netns exec`, so /etc/netns/<name>/ files apply).
func (n *Namespace) Command(ctx context.Context, name string, args ...string) *exec.Cmd {
	return exec.CommandContext(ctx, "ip", append([]string{"netns", "exec", n.Name, name}, args...)...)
}

// Output runs a program inside the namespace and returns its combined
// output.
func (n *Namespace) Output(name string, args ...string) (string, error) {
	out, err := n.Command(context.Background(), name, args...).CombinedOutput()
	if err != nil {
		return string(out), fmt.Errorf("netlab: %s: %s %s: %w: %s", n.Name, name, strings.Join(args, " "), err, bytes.TrimSpace(out))
	}
	return string(out), nil
}

// Exec runs a program inside the namespace, discarding its output unless it
// fails.
func (n *Namespace) Exec(name string, args ...string) error {
	_, err := n.Output(name, args...)
	return err
}

func (n *Namespace) ip(args ...string) error {
	return run("ip", append([]string{"-n", n.Name}, args...)...)
}

// Do runs fn on a fresh OS thread moved into the namespace. Sockets fn
// creates belong to the namespace for their whole life, whichever thread
// later uses them. The thread is never handed back to the Go scheduler
// (the goroutine exits locked, so the runtime ends the thread): no other
// goroutine can ever run in the bed's namespace by accident.
func (n *Namespace) Do(fn func() error) error {
	errc := make(chan error, 1)
	go func() {
		runtime.LockOSThread() // deliberately never unlocked
		f, err := os.Open(n.Path())
		if err != nil {
			errc <- fmt.Errorf("netlab: %w", err)
			return
		}
		defer f.Close()
		if err := unix.Setns(int(f.Fd()), unix.CLONE_NEWNET); err != nil {
			errc <- fmt.Errorf("netlab: setns %s: %w", n.Name, err)
			return
		}
		errc <- fn()
	}()
	return <-errc
}

// DialContext connects from inside the namespace. Use IP literals: name
// resolution would run on other threads, outside the namespace.
func (n *Namespace) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	var c net.Conn
	err := n.Do(func() error {
		var err error
		c, err = (&net.Dialer{}).DialContext(ctx, network, addr)
		return err
	})
	return c, err
}

// ListenPacket opens a UDP socket inside the namespace.
func (n *Namespace) ListenPacket(network, addr string) (net.PacketConn, error) {
	var c net.PacketConn
	err := n.Do(func() error {
		var err error
		c, err = net.ListenPacket(network, addr)
		return err
	})
	return c, err
}

// Listen opens a TCP listener inside the namespace.
func (n *Namespace) Listen(network, addr string) (net.Listener, error) {
	var l net.Listener
	err := n.Do(func() error {
		var err error
		l, err = net.Listen(network, addr)
		return err
	})
	return l, err
}

// run runs a host command (only `ip netns …` and `ip -n …`: nothing here
// changes the host's own network).
func run(name string, args ...string) error {
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("netlab: %s %s: %w: %s", name, strings.Join(args, " "), err, bytes.TrimSpace(out))
	}
	return nil
}

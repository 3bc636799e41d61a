package checktest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"strconv"
	"sync"
)

// Serve listens on 127.0.0.1:0 and runs handle for every accepted
// connection until the test ends. It returns the listener's address.
func Serve(t TB, handle func(net.Conn)) string {
	t.Helper()
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ServeListener(t, ln, handle)
	return ln.Addr().String()
}

// ServeListener runs handle for every connection of ln until the test ends;
// open connections are closed then too.
func ServeListener(t TB, ln net.Listener, handle func(net.Conn)) {
	var (
		mu    sync.Mutex
		conns []net.Conn
		wg    sync.WaitGroup
	)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer c.Close()
				handle(c)
			}()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		<-done
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
}

// Port returns the port of a host:port address.
func Port(t TB, addr string) int {
	t.Helper()
	_, ps, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatal(err)
	}
	p, err := strconv.Atoi(ps)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// RefusedAddr returns a loopback address where nothing listens: a port that
// was bound and closed again, so a connect gets RST.
func RefusedAddr(t TB) string {
	t.Helper()
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// Resetter accepts and resets every connection at once (SO_LINGER 0), like
// an IPS that kills the session after the handshake.
func Resetter(t TB) string {
	return Serve(t, ResetConn)
}

// ResetConn closes c with an RST instead of a FIN.
func ResetConn(c net.Conn) {
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	c.Close()
}

// Silent accepts connections and never sends a byte (until the test ends).
func Silent(t TB) string {
	return Serve(t, func(c net.Conn) {
		buf := make([]byte, 4096)
		for {
			if _, err := c.Read(buf); err != nil {
				return
			}
		}
	})
}

// Garbage writes payload to every connection at once and then reads and
// drops what the client sends, like a wrong service on the port.
func Garbage(t TB, payload string) string {
	return Serve(t, func(c net.Conn) {
		_, _ = c.Write([]byte(payload))
		buf := make([]byte, 4096)
		for {
			if _, err := c.Read(buf); err != nil {
				return
			}
		}
	})
}

// BlackholeDialer is a Dialer that behaves like a firewall dropping SYNs to
// the listed addresses (host:port): the dial blocks until the context ends.
// Everything else is dialled normally (on loopback in tests).
type BlackholeDialer struct {
	// All blackholes every address.
	All bool
	// Addrs are the blackholed host:port addresses.
	Addrs map[string]bool
	next  net.Dialer
}

// BlackholeTCP returns a dialer that blackholes addrs.
func BlackholeTCP(addrs ...string) *BlackholeDialer {
	d := &BlackholeDialer{Addrs: map[string]bool{}}
	for _, a := range addrs {
		d.Addrs[a] = true
	}
	return d
}

// DialContext implements checks.Dialer.
func (d *BlackholeDialer) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	if d.All || d.Addrs[address] {
		<-ctx.Done()
		return nil, &net.OpError{Op: "dial", Net: network, Err: ctx.Err()}
	}
	return d.next.DialContext(ctx, network, address)
}

// ListenRange listens on n consecutive loopback ports and returns the
// listeners, lowest port first. It retries a few random bases, since the
// range must be free as a whole.
func ListenRange(t TB, n int) []net.Listener {
	t.Helper()
	for attempt := 0; attempt < 50; attempt++ {
		base := 20000 + rand.IntN(12000) // below Linux's ephemeral range
		var lns []net.Listener
		ok := true
		for i := 0; i < n; i++ {
			ln, err := net.Listen("tcp4", fmt.Sprintf("127.0.0.1:%d", base+i))
			if err != nil {
				ok = false
				break
			}
			lns = append(lns, ln)
		}
		if ok {
			t.Cleanup(func() {
				for _, ln := range lns {
					ln.Close()
				}
			})
			return lns
		}
		for _, ln := range lns {
			ln.Close()
		}
	}
	t.Fatalf("no %d consecutive free loopback ports", n)
	return nil
}

package checktest

import (
	"errors"
	"net"
	"sync/atomic"

	"github.com/biztel-tools/biztel-doctor/internal/neterr"
)

// ListenUDP opens a UDP socket on ip:port (port 0: any) of loopback and
// closes it when the test ends.
func ListenUDP(t TB, ip string, port int) *net.UDPConn {
	t.Helper()
	c, err := listenUDP(ip, port)
	if err != nil {
		t.Fatalf("checktest: listen udp %s:%d: %v", ip, port, err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func listenUDP(ip string, port int) (*net.UDPConn, error) {
	addr := net.ParseIP(ip)
	if addr == nil || !addr.IsLoopback() {
		return nil, errors.New("checktest: fakes listen on loopback only, not " + ip)
	}
	return net.ListenUDP("udp4", &net.UDPAddr{IP: addr, Port: port})
}

// SharedUDPPort finds one port that is free on every given loopback address
// and returns a socket bound to it on each, so several fake servers can
// stand in for several hosts behind the same logical port.
func SharedUDPPort(t TB, ips ...string) (int, []*net.UDPConn) {
	t.Helper()
	for try := 0; try < 50; try++ {
		first, err := listenUDP(ips[0], 0)
		if err != nil {
			t.Fatalf("checktest: %v", err)
		}
		port := first.LocalAddr().(*net.UDPAddr).Port
		conns := []*net.UDPConn{first}
		ok := true
		for _, ip := range ips[1:] {
			c, err := listenUDP(ip, port)
			if err != nil {
				if neterr.Is(err, neterr.AddrInUse) {
					ok = false
					break
				}
				t.Fatalf("checktest: %v", err)
			}
			conns = append(conns, c)
		}
		if ok {
			for _, c := range conns {
				t.Cleanup(func() { c.Close() })
			}
			return port, conns
		}
		for _, c := range conns {
			c.Close()
		}
	}
	t.Fatalf("checktest: no UDP port free on all of %v", ips)
	return 0, nil
}

// UDPBlackhole is a UDP port that reads and drops everything: a filtered port
// as a check sees it. Received counts the datagrams, so a test can assert
// how many packets a check sent (courtesy to production servers).
type UDPBlackhole struct {
	Addr     *net.UDPAddr
	received atomic.Int64
}

// NewUDPBlackhole starts a blackhole on 127.0.0.1:0.
func NewUDPBlackhole(t TB) *UDPBlackhole {
	return UDPBlackholeOn(t, ListenUDP(t, "127.0.0.1", 0))
}

// UDPBlackholeOn turns an open socket into a blackhole.
func UDPBlackholeOn(t TB, c *net.UDPConn) *UDPBlackhole {
	b := &UDPBlackhole{Addr: c.LocalAddr().(*net.UDPAddr)}
	go func() {
		buf := make([]byte, 65536)
		for {
			if _, _, err := c.ReadFromUDP(buf); err != nil {
				return
			}
			b.received.Add(1)
		}
	}()
	return b
}

// Port is the blackhole's port.
func (b *UDPBlackhole) Port() int { return b.Addr.Port }

// Received is how many datagrams arrived so far.
func (b *UDPBlackhole) Received() int { return int(b.received.Load()) }

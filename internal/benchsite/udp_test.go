//go:build linux

package benchsite

import (
	"fmt"
	"net"
	"testing"
)

// startUDPPeers starts the UDP side of the site. Until the UDP fakes of
// checks/checktest are merged, every UDP port, the resolver and SSDP point
// at one sink that reads and drops.
func startUDPPeers(t testing.TB, s *site, blackhole bool) {
	sink := udpSink(t)
	addr := fmt.Sprintf("127.0.0.1:%d", sink)
	o := &s.ov.Ports
	o.SIPUDP, o.STUNPrimary, o.STUNSecondary, o.NTP = port(sink), port(sink), port(sink), port(sink)
	s.ov.SSDPAddr = addr
	s.ov.Resolver = addr
	s.ov.DNSServers = []string{addr}
	s.peers["SIP_PORT"] = fmt.Sprint(sink)
	s.peers["STUN_PORT"] = fmt.Sprint(sink)
}

// udpSink reads and drops every datagram: a filtered UDP port.
func udpSink(t testing.TB) int {
	t.Helper()
	c, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	go func() {
		buf := make([]byte, 2048)
		for {
			if _, _, err := c.ReadFromUDP(buf); err != nil {
				return
			}
		}
	}()
	return c.LocalAddr().(*net.UDPAddr).Port
}

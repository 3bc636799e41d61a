//go:build linux

package benchsite

import (
	"fmt"
	"net"
	"testing"

	"github.com/biztel-tools/biztel-doctor/checks/checktest"
)

// stunIPs are the two loopback "STUN servers" (nat.mapping needs two).
var stunIPs = []string{"127.0.0.1", "127.0.0.2"}

// startUDPPeers starts the UDP side of the site, after the healthy UDP
// site of the checks' own tests (checks/udp_site_test.go): two STUN
// servers behind a fake NAT on each STUN port, SIP OPTIONS, NTP, DNS for
// the management host, and no UPnP gateway. In blackhole mode every UDP
// port reads and drops, DNS stays silent and nothing answers SSDP.
func startUDPPeers(t testing.TB, s *site, blackhole bool) {
	stunPort, stunConns := checktest.SharedUDPPort(t, stunIPs...)
	stun2Port, stun2Conns := checktest.SharedUDPPort(t, stunIPs...)
	sipConn := checktest.ListenUDP(t, "127.0.0.1", 0)
	ntpConn := checktest.ListenUDP(t, "127.0.0.1", 0)
	o := &s.ov.Ports
	o.STUNPrimary, o.STUNSecondary = port(stunPort), port(stun2Port)
	o.SIPUDP = port(sipConn.LocalAddr().(*net.UDPAddr).Port)
	o.NTP = port(ntpConn.LocalAddr().(*net.UDPAddr).Port)
	s.peers["STUN_PORT"] = fmt.Sprint(stunPort)
	s.peers["SIP_PORT"] = fmt.Sprint(o.SIPUDP.From)

	var dns *checktest.DNSServer
	if blackhole {
		for _, c := range append(append(stunConns, stun2Conns...), sipConn, ntpConn) {
			checktest.UDPBlackholeOn(t, c)
		}
		dns = checktest.NewDNS(t, checktest.DNSSilent, nil)
		s.ov.SSDPAddr = checktest.NewUDPBlackhole(t).Addr.String()
	} else {
		nat := &checktest.FakeNAT{PublicIP: net.ParseIP("203.0.113.9"), PortFor: checktest.RandomPorts(1)}
		for _, c := range append(stunConns, stun2Conns...) {
			(&checktest.STUNServer{NAT: nat}).Serve(c)
		}
		(&checktest.SIPUDPServer{}).Serve(sipConn)
		(&checktest.NTPServer{Stratum: 2}).Serve(ntpConn)
		dns = checktest.NewDNS(t, checktest.DNSAnswer, map[string][]string{mgmtHost: {"127.0.0.1"}})
		s.ov.SSDPAddr = checktest.NewIGD(t, checktest.IGDSilent, "").SSDPAddr
	}
	s.ov.Resolver = dns.Addr
	s.ov.DNSServers = []string{dns.Addr}
}

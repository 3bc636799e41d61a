package demo

import (
	"net"

	"github.com/biztel-tools/biztel-doctor/checks"

	"github.com/biztel-tools/biztel-doctor/checks/checktest"
)

// demoPublicIP is what the demo's STUN servers report as the site's public
// address (TEST-NET-3, RFC 5737: it never routes anywhere).
const demoPublicIP = "203.0.113.9"

// stunIPs are the demo's two STUN servers; nat.mapping compares answers
// from two addresses, so the second is another loopback address.
var stunIPs = []string{loopback, "127.0.0.2"}

// startUDP starts the UDP fakes: SIP on the server, two STUN servers behind
// a fake NAT, NTP, the DNS server that knows the management name, and a
// silent SSDP responder (no UPnP gateway on the demo LAN).
//
// The problems scenario's faults: SIP over UDP gets no answer, NTP gets no
// answer, and a UPnP gateway answers the search.
func (s *Site) startUDP(t *lifecycle, f faults) {
	p := &s.Options.Ports
	stunPort, stunConns := checktest.SharedUDPPort(t, stunIPs...)
	stun2Port, stun2Conns := checktest.SharedUDPPort(t, stunIPs...)
	p.STUNPrimary, p.STUNSecondary = stunPort, stun2Port
	s.Profile.STUN.Servers = stunIPs
	nat := &checktest.FakeNAT{PublicIP: net.ParseIP(demoPublicIP), PortFor: checktest.RandomPorts(1)}
	for _, c := range append(stunConns, stun2Conns...) {
		(&checktest.STUNServer{NAT: nat}).Serve(c)
	}
	p.SIPUDP = s.sipUDP(t, checktest.SIPUDPOK)
	if f.sipUDPSilent {
		good := p.SIPUDP
		p.SIPUDP = s.sipUDP(t, checktest.SIPUDPSilent)
		s.fix("allow-sip-udp", func(o *checks.Options) { o.Ports.SIPUDP = good })
	}
	p.NTP = s.ntp(t, checktest.NTPGood)
	if f.ntpSilent {
		good := p.NTP
		p.NTP = s.ntp(t, checktest.NTPSilent)
		s.fix("allow-ntp", func(o *checks.Options) { o.Ports.NTP = good })
	}
	dns := checktest.NewDNS(t, checktest.DNSAnswer, map[string][]string{MgmtHost: {loopback}})
	s.Env.DNSServers = []string{dns.Addr}
	s.Env.Resolver = dns.Resolver()
	igd := checktest.IGDSilent
	if f.upnpGateway {
		igd = checktest.IGDGood
	}
	s.Env.SSDPAddr = checktest.NewIGD(t, igd, demoPublicIP).SSDPAddr
}

// sipUDP starts a SIP-over-UDP fake in mode and returns its port.
func (s *Site) sipUDP(t *lifecycle, mode checktest.SIPUDPMode) int {
	c := checktest.ListenUDP(t, loopback, 0)
	(&checktest.SIPUDPServer{Mode: mode}).Serve(c)
	return c.LocalAddr().(*net.UDPAddr).Port
}

// ntp starts an NTP fake in mode and returns its port.
func (s *Site) ntp(t *lifecycle, mode checktest.NTPMode) int {
	c := checktest.ListenUDP(t, loopback, 0)
	(&checktest.NTPServer{Stratum: 2, Mode: mode}).Serve(c)
	return c.LocalAddr().(*net.UDPAddr).Port
}

//go:build linux

package e2e

import (
	"strings"
	"testing"

	"github.com/biztel-tools/biztel-doctor/netlab"
)

// blockRow is one outbound rule of the page removed from the router
// (scenario 2): the checks that must fail, those that must skip naming
// it, and the checklist item that must name the site's addresses.
type blockRow struct {
	name      string
	block     netlab.Block
	fail      []string
	skip      map[string]string // check → prerequisite it names
	remedy    string
	addresses []string // any of these in the checklist steps
	loose     map[string]string
}

var blockRows = []blockRow{
	{name: "udp-5060", block: netlab.Block{Transport: "udp", From: 5060, Dst: netlab.ServerIP},
		fail: []string{"sip.udp"}, remedy: "allow-sip-udp", addresses: []string{netlab.ServerIP}},
	{name: "udp-3478", block: netlab.Block{Transport: "udp", From: 3478},
		fail: []string{"stun.3478"}, remedy: "allow-stun", addresses: []string{netlab.STUNIP, "198.18.0.16/28"}},
	{name: "udp-3479", block: netlab.Block{Transport: "udp", From: 3479},
		fail: []string{"stun.3479"}, remedy: "allow-stun", addresses: []string{netlab.STUNIP, "198.18.0.16/28"}},
	{name: "tcp-8000", block: netlab.Block{Transport: "tcp", From: 8000, Dst: netlab.ServerIP},
		fail: []string{"web.8000"}, remedy: "allow-web-8000", addresses: []string{netlab.ServerIP}},
	{name: "tcp-15061", block: netlab.Block{Transport: "tcp", From: 15061, Dst: netlab.ServerIP},
		fail: []string{"sip.tls"}, remedy: "allow-sip-tls", addresses: []string{netlab.ServerIP}},
	{name: "tcp-15062", block: netlab.Block{Transport: "tcp", From: 15062, Dst: netlab.ServerIP},
		fail: []string{"sip.wss"}, remedy: "allow-sip-wss", addresses: []string{netlab.ServerIP}},
	{name: "tcp-20990", block: netlab.Block{Transport: "tcp", From: 20990, Dst: netlab.RecordingIP},
		fail: []string{"ftps.control"}, skip: map[string]string{"ftps.passive": "ftps.control"},
		remedy: "allow-ftps", addresses: []string{netlab.RecordingIP, netlab.RecordingHost}},
	{name: "tcp-20991-21000", block: netlab.Block{Transport: "tcp", From: 20991, To: 21000, Dst: netlab.RecordingIP},
		fail: []string{"ftps.passive"}, remedy: "allow-ftps", addresses: []string{netlab.RecordingIP, netlab.RecordingHost}},
	{name: "udp-123", block: netlab.Block{Transport: "udp", From: 123, Dst: netlab.ServerIP},
		fail: []string{"ntp.hardphone"}, remedy: "allow-ntp", addresses: []string{netlab.ServerIP}},
	// Part of the RTP range, towards every address: rtp.range probes the
	// reflector, which stands in for the BIZTEL server's media ports.
	{name: "udp-15000-20000", block: netlab.Block{Transport: "udp", From: 15000, To: 20000},
		fail: []string{"rtp.range"}, remedy: "allow-rtp", addresses: []string{netlab.ServerIP, netlab.ReflectorIP},
		loose: map[string]string{"media.bandwidth": "its streams may use RTP ports of the blocked part; rtp.range is the subject"}},
}

func scenarios() []scenario {
	full := mediaShort
	var out []scenario
	healthy := scenario{
		name: "1-healthy", args: full, others: "pass",
		want:      map[string]string{"nat.timer": "skip"},
		skipNames: map[string]string{"nat.timer": "--long"},
		prove: func(t *testing.T, b *netlab.Bed, s *netlab.Servers, r *report) {
			// kamailio answered the tool's OPTIONS itself.
			if !strings.Contains(b.KamailioLog(), "ua=[biztel-doctor/") {
				t.Errorf("kamailio never saw the tool's SIP OPTIONS")
			}
			if s.DNS.Queries.Load() == 0 {
				t.Errorf("the bed's DNS server got no query")
			}
		},
	}
	out = append(out, healthy)

	for _, row := range blockRows {
		sc := scenario{
			name: "2-blocked-" + row.name, args: full, others: "pass",
			router:    netlab.RouterConfig{Blocks: []netlab.Block{row.block}},
			want:      map[string]string{"nat.timer": "skip"},
			skipNames: map[string]string{"nat.timer": "--long"},
			remedies:  map[string][]string{},
			checklist: map[string][]string{row.remedy: row.addresses},
			loose:     row.loose,
		}
		for _, id := range row.fail {
			sc.want[id] = "fail"
			sc.remedies[id] = []string{row.remedy}
		}
		for id, need := range row.skip {
			sc.want[id] = "skip"
			sc.skipNames[id] = need
		}
		name := row.block.CounterName()
		sc.prove = func(t *testing.T, b *netlab.Bed, _ *netlab.Servers, _ *report) { counterMoved(t, b, name) }
		out = append(out, sc)
	}

	udpChecks := []string{"sip.udp", "stun.3478", "stun.3479", "ntp.hardphone"}
	ret := scenario{
		name: "3-udp-return-dropped", args: full, others: "pass",
		router: netlab.RouterConfig{DropUDPReturn: true},
		want: map[string]string{"nat.timer": "skip", "dns.mgmt": "fail",
			"nat.mapping": "skip",
			// The reflector's silence cannot tell "reflector down" from
			// "UDP blocked": fail or error are both honest.
			"rtp.range": "fail|error", "media.quality": "fail|error", "media.bandwidth": "fail|error"},
		skipNames: map[string]string{"nat.timer": "--long", "nat.mapping": "stun."},
		loose: map[string]string{
			"sip.alg":  "with no UDP answer it cannot compare: fail, skip or error are all honest",
			"sip.size": "the reflector's silence (no Hello) cannot tell size from reachability: error or skip are both honest",
		},
		remedies:  map[string][]string{},
		checklist: map[string][]string{"allow-return-traffic": {netlab.ServerIP, netlab.ReflectorIP, "198.18.0.16/28"}},
		prove: func(t *testing.T, b *netlab.Bed, _ *netlab.Servers, _ *report) {
			counterMoved(t, b, netlab.CounterUDPReturn)
		},
	}
	for _, id := range udpChecks {
		ret.want[id] = "fail"
		ret.remedies[id] = []string{"allow-return-traffic"}
	}
	ret.inspect = func(t *testing.T, r *report) {
		// Both causes named: the outbound rule and the return rule.
		c, _ := r.check("sip.udp")
		if !c.notImplemented() && !containsAll(c.Remedies, "allow-sip-udp", "allow-return-traffic") {
			t.Errorf("sip.udp remedies %v: want both allow-sip-udp and allow-return-traffic", c.Remedies)
		}
	}
	out = append(out, ret)

	out = append(out, scenario{
		name: "4-sip-alg", args: full, others: "pass",
		router:    netlab.RouterConfig{SIPHelper: true},
		want:      map[string]string{"nat.timer": "skip", "sip.alg": "fail"},
		skipNames: map[string]string{"nat.timer": "--long"},
		remedies:  map[string][]string{"sip.alg": {"disable-sip-alg"}},
		inspect: func(t *testing.T, r *report) {
			c, _ := r.check("sip.alg")
			if !c.notImplemented() && !strings.Contains(c.text(), "via") {
				t.Errorf("sip.alg does not name the rewritten Via: %s", c.text())
			}
		},
		prove: func(t *testing.T, b *netlab.Bed, _ *netlab.Servers, _ *report) {
			counterMoved(t, b, netlab.CounterSIPHelper)
			// The kernel ALG rewrote the tool's own Via on its way to kamailio.
			if !strings.Contains(b.KamailioLog(), "via=[SIP/2.0/UDP "+netlab.RouterWANIP) {
				t.Errorf("kamailio never saw a Via rewritten to %s", netlab.RouterWANIP)
			}
		},
	})

	// 5: the kernel FTP ALG on the FTPS control port. It cannot read the
	// PASV reply inside TLS, so it opens no expectation; a router that
	// relies on it for FTP data (passive ports only as RELATED) then blocks
	// every passive connection while the control channel works. That is
	// what the page's note on FTP ALG breaking the bulk download looks like
	// with vsftpd's explicit FTPS.
	out = append(out, scenario{
		name: "5-ftp-alg", args: full, others: "pass",
		router:    netlab.RouterConfig{FTPHelper: true},
		want:      map[string]string{"nat.timer": "skip", "ftps.control": "pass", "ftps.passive": "fail"},
		skipNames: map[string]string{"nat.timer": "--long"},
		remedies:  map[string][]string{"ftps.passive": {"allow-ftps", "disable-ftp-alg"}},
		prove: func(t *testing.T, b *netlab.Bed, _ *netlab.Servers, _ *report) {
			counterMoved(t, b, netlab.CounterFTPHelper)
			counterMoved(t, b, netlab.CounterPassive)
		},
	})

	out = append(out, scenario{
		name:   "6-short-nat-timer",
		router: netlab.RouterConfig{UDPTimeout: natTimeout},
		// The page's hour as the horizon: the check must still end in a
		// minute or two (checkRunTimeout) on a 20 s NAT, stopping every
		// longer rung as soon as a shorter one expired.
		args:      []string{"--only", "nat.timer", "--long"},
		want:      map[string]string{"nat.timer": "fail"},
		remedies:  map[string][]string{"nat.timer": {"nat-timer-3600"}},
		checklist: map[string][]string{"nat-timer-3600": {"3600"}},
		inspect:   inspectNATTimer,
		prove: func(t *testing.T, b *netlab.Bed, _ *netlab.Servers, _ *report) {
			counterMoved(t, b, netlab.CounterTimeout)
		},
	})

	// 12: a router that drops IP fragments (the rule before conntrack's
	// reassembly). Small SIP passes, the 2,200-byte OPTIONS does not:
	// sip.size fails and names the remedy; everything else (small packets,
	// TCP with its MSS) still passes. The healthy row is where it passes.
	out = append(out, scenario{
		name: "12-fragments-dropped", args: full, others: "pass",
		router:    netlab.RouterConfig{DropFragments: true},
		want:      map[string]string{"nat.timer": "skip", "sip.size": "fail"},
		skipNames: map[string]string{"nat.timer": "--long"},
		remedies:  map[string][]string{"sip.size": {"allow-ip-fragments"}},
		checklist: map[string][]string{"allow-ip-fragments": {netlab.ServerIP}},
		inspect: func(t *testing.T, r *report) {
			if f := facts(r, "sip.size"); f != nil && (f["small_answered"] != true || f["large_answered"] != false) {
				t.Errorf("sip.size: want the small OPTIONS answered and the large one not: %v", f)
			}
		},
		prove: func(t *testing.T, b *netlab.Bed, _ *netlab.Servers, _ *report) {
			counterMoved(t, b, netlab.CounterFragments)
		},
	})

	// 12b/12c: without a reflector sip.size sends one OPTIONS of each size
	// to the BIZTEL server (kamailio, which answers both), through a clean
	// router and one that drops fragments.
	sizeOnly := []string{"--only", "sip.udp,sip.size"}
	out = append(out, scenario{
		name: "12b-sip-size-server", noReflector: true, args: sizeOnly,
		want: map[string]string{"sip.udp": "pass", "sip.size": "pass"},
		inspect: func(t *testing.T, r *report) {
			if f := facts(r, "sip.size"); f != nil && f["target"] != "server" {
				t.Errorf("sip.size target %v, want the server", f["target"])
			}
		},
	})
	out = append(out, scenario{
		name: "12c-fragments-dropped-server", noReflector: true, args: sizeOnly,
		router:   netlab.RouterConfig{DropFragments: true},
		want:     map[string]string{"sip.udp": "pass", "sip.size": "fail"},
		remedies: map[string][]string{"sip.size": {"allow-ip-fragments"}},
		prove: func(t *testing.T, b *netlab.Bed, _ *netlab.Servers, _ *report) {
			counterMoved(t, b, netlab.CounterFragments)
		},
	})

	out = append(out, scenario{
		name:   "7-random-loss",
		router: netlab.RouterConfig{LossPercent: 5, LossTo: netlab.ReflectorIP},
		// 20 s is 1,000 packets: at 5 % the measured loss stays above the
		// 3 % fail line with ≈ 99.8 % probability (binomial, 2.9 σ), and
		// inside 2-9 % with more.
		args: []string{"--only", "media.quality", "--media-duration", "20s"},
		want: map[string]string{"media.quality": "fail"},
		inspect: func(t *testing.T, r *report) {
			c, _ := r.check("media.quality")
			if c.notImplemented() {
				return
			}
			loss, ok := num(c.Facts["loss_pct"])
			if !ok || loss < 2 || loss > 9 {
				t.Errorf("media.quality loss %v %%, want near 5 %%", c.Facts["loss_pct"])
			}
		},
		prove: func(t *testing.T, b *netlab.Bed, _ *netlab.Servers, _ *report) {
			counterMoved(t, b, netlab.CounterLoss)
		},
	})

	out = append(out, scenario{
		name:     "8a-symmetric-nat",
		router:   netlab.RouterConfig{RandomFully: true},
		args:     []string{"--only", "nat.mapping"},
		want:     map[string]string{"nat.mapping": "warn", "stun.3478": "pass", "stun.3479": "pass"},
		remedies: map[string][]string{"nat.mapping": {"home-router-ports"}},
		prove: func(t *testing.T, b *netlab.Bed, _ *netlab.Servers, _ *report) {
			// One local socket, two destinations, two public ports.
			pc, err := b.Client.ListenPacket("udp4", ":0")
			if err != nil {
				t.Fatal(err)
			}
			defer pc.Close()
			m1, err1 := netlab.STUNFrom(probeCtx(t), pc, netlab.STUNIP+":3478")
			m2, err2 := netlab.STUNFrom(probeCtx(t), pc, netlab.STUNIP2+":3478")
			if err1 != nil || err2 != nil || m1 == m2 {
				t.Errorf("router kept one mapping (%s, %s; %v %v): random-fully not in effect", m1, m2, err1, err2)
			}
		},
		inspect: func(t *testing.T, r *report) {
			if f := facts(r, "nat.mapping"); f != nil && f["mapping"] != "varies_by_destination" {
				t.Errorf("nat.mapping mapping = %v, want varies_by_destination", f["mapping"])
			}
		},
	})
	out = append(out, scenario{
		name:     "8b-carrier-grade-nat",
		lan:      netlab.LANCGNAT,
		args:     []string{"--only", "nat.mapping"},
		want:     map[string]string{"nat.mapping": "warn", "stun.3478": "pass", "stun.3479": "pass"},
		remedies: map[string][]string{"nat.mapping": {"avoid-cgnat"}},
		prove: func(t *testing.T, b *netlab.Bed, _ *netlab.Servers, _ *report) {
			out, _ := b.Client.Output("ip", "-4", "addr", "show", "eth0")
			if !strings.Contains(out, netlab.CGNATClientIP) {
				t.Errorf("client address is not %s:\n%s", netlab.CGNATClientIP, out)
			}
		},
		inspect: func(t *testing.T, r *report) {
			if f := facts(r, "nat.mapping"); f != nil && f["host_addr_in_cgnat_space"] != true {
				t.Errorf("nat.mapping did not see the 100.64.0.0/10 address: %v", f)
			}
		},
	})

	dnsFacts := func(t *testing.T, r *report) {
		c, _ := r.check("dns.mgmt")
		if !c.notImplemented() && !strings.Contains(c.text(), netlab.ServerIP) {
			t.Errorf("dns.mgmt facts do not note the DNS answer %s: %s", netlab.ServerIP, c.text())
		}
	}
	dnsProve := func(t *testing.T, _ *netlab.Bed, s *netlab.Servers, _ *report) {
		if s.DNS.Queries.Load() == 0 {
			t.Error("the bed's DNS server got no query")
		}
	}
	out = append(out, scenario{
		name: "9a-vpn-dns-public", vpn: true, dnsA: netlab.ServerIP,
		args:     []string{"--only", "dns.mgmt"},
		want:     map[string]string{"dns.mgmt": "fail"},
		remedies: map[string][]string{"dns.mgmt": {"vpn-dns-private"}},
		inspect:  dnsFacts, prove: dnsProve,
	})
	out = append(out, scenario{
		name: "9b-vpn-hosts-override", vpn: true, dnsA: netlab.ServerIP,
		hosts:   []string{netlab.VPNIP + " " + netlab.ServerHost},
		args:    []string{"--only", "dns.mgmt"},
		want:    map[string]string{"dns.mgmt": "pass"},
		inspect: dnsFacts,
		prove: func(t *testing.T, b *netlab.Bed, s *netlab.Servers, r *report) {
			dnsProve(t, b, s, r)
			out, err := b.Client.Output("getent", "hosts", netlab.ServerHost)
			if err != nil || !strings.Contains(out, netlab.VPNIP) {
				t.Errorf("client hosts file not in effect: %v %q", err, out)
			}
		},
	})

	tcpChecks := []string{"sip.tls", "sip.wss", "web.8000", "ftps.control"}
	px := scenario{
		name: "10-proxy-only", proxy: true, args: full, others: "pass",
		router:    netlab.RouterConfig{ProxyOnly: true},
		want:      map[string]string{"nat.timer": "skip", "net.proxy": "warn", "ftps.passive": "skip"},
		skipNames: map[string]string{"nat.timer": "--long", "ftps.passive": "ftps.control"},
		remedies:  map[string][]string{"net.proxy": {"remove-proxy"}},
		loose: map[string]string{
			"sip.alg": "its TCP half cannot get out; the UDP half passes — fail or warn are both honest",
		},
		prove: func(t *testing.T, b *netlab.Bed, _ *netlab.Servers, _ *report) {
			counterMoved(t, b, netlab.CounterTCPBlock)
		},
	}
	for _, id := range tcpChecks {
		px.want[id] = "fail"
	}
	px.inspect = func(t *testing.T, r *report) {
		for _, id := range tcpChecks {
			c, _ := r.check(id)
			if c.notImplemented() || c.Status != "fail" {
				continue
			}
			if !strings.Contains(c.text(), "proxy") && !containsAll(c.Remedies, "remove-proxy") {
				t.Errorf("%s fails without explaining the proxy: %q %v", id, c.Summary, c.Remedies)
			}
		}
	}
	out = append(out, px)

	out = append(out, scenario{
		name: "11-ipv6-only", lan: netlab.LANIPv6Only,
		args:     []string{"--only", "net.ipv4"},
		want:     map[string]string{"net.ipv4": "fail"},
		remedies: map[string][]string{"net.ipv4": {"ipv4-required"}},
		prove: func(t *testing.T, b *netlab.Bed, _ *netlab.Servers, _ *report) {
			out, _ := b.Client.Output("ip", "-4", "addr", "show", "scope", "global")
			if strings.TrimSpace(out) != "" {
				t.Errorf("IPv6-only client has IPv4 addresses:\n%s", out)
			}
		},
	})
	return out
}

func containsAll(list []string, want ...string) bool {
	for _, w := range want {
		found := false
		for _, x := range list {
			if x == w {
				found = true
			}
		}
		if !found {
			return false
		}
	}
	return true
}

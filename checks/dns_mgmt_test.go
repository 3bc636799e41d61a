package checks

import (
	"errors"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/miekg/dns"

	"github.com/biztel-tools/biztel-doctor/checks/checktest"
	"github.com/biztel-tools/biztel-doctor/probe/resolve"
	"github.com/biztel-tools/biztel-doctor/profile"
)

const mgmtHost = "s0123456789ab.u.biztel.example"

func TestDNSMgmt(t *testing.T) {
	t.Parallel()
	public := &profile.Profile{Server: profile.Server{Host: mgmtHost, IP: "203.0.113.10"}}
	vpn := &profile.Profile{Server: profile.Server{Host: mgmtHost, IP: "203.0.113.10", VPNIP: "10.0.0.10"}}
	hostOnly := &profile.Profile{Server: profile.Server{Host: mgmtHost}}
	vpnRem := []string{"vpn-dns-private", "dns-mgmt-resolve"}
	tests := []struct {
		name     string
		p        *profile.Profile
		mode     checktest.DNSMode
		answer   string // A record the fake gives
		hosts    string // hosts file content
		osAnswer []string
		want     want
	}{
		{name: "public ip", p: public, mode: checktest.DNSAnswer, answer: "203.0.113.10",
			want: want{status: Pass, facts: map[string]any{"finding": dnsOK, "expected": "203.0.113.10", "os_resolver": "203.0.113.10", "dns_answer": "203.0.113.10", "answered_by": nil}, absent: []string{"rule"}}},
		{name: "vpn private ip", p: vpn, mode: checktest.DNSAnswer, answer: "10.0.0.10",
			want: want{status: Pass, facts: map[string]any{"finding": dnsOK, "expected_from": "server.vpn_ip", "rule": vpnRuleReading().En}}},
		{name: "vpn but public answer", p: vpn, mode: checktest.DNSAnswer, answer: "203.0.113.10",
			want: want{status: Fail, remedies: vpnRem, facts: map[string]any{"finding": dnsWrongAddress, "got": "203.0.113.10", "rule": vpnRuleReading().En}}},
		{name: "wrong address", p: public, mode: checktest.DNSAnswer, answer: "198.51.100.99",
			want: want{status: Fail, remedies: []string{"dns-mgmt-resolve"}, facts: map[string]any{"finding": dnsWrongAddress}}},
		{name: "nxdomain", p: public, mode: checktest.DNSNXDomain,
			want: want{status: Fail, remedies: []string{"dns-mgmt-resolve"}, facts: map[string]any{"finding": dnsNXDomain}}},
		{name: "servfail", p: vpn, mode: checktest.DNSServFail,
			want: want{status: Fail, remedies: []string{"dns-mgmt-resolve"}, facts: map[string]any{"finding": dnsServFail}}},
		{name: "timeout", p: public, mode: checktest.DNSSilent,
			want: want{status: Fail, remedies: []string{"dns-mgmt-resolve"}, facts: map[string]any{"finding": dnsTimeout, "answered_by": ""}}},
		{name: "hosts right, dns wrong", p: vpn, mode: checktest.DNSAnswer, answer: "203.0.113.10", hosts: "10.0.0.10 " + mgmtHost + " # vpn\n",
			osAnswer: []string{"10.0.0.10"},
			want:     want{status: Pass, facts: map[string]any{"finding": dnsHostsOK, "dns_differs": true, "dns_answer": "203.0.113.10", "hosts_entry": "10.0.0.10"}}},
		{name: "hosts wrong", p: vpn, mode: checktest.DNSAnswer, answer: "10.0.0.10", hosts: "127.0.0.1 localhost\n203.0.113.10\t" + mgmtHost + "\n",
			osAnswer: []string{"203.0.113.10"},
			want:     want{status: Fail, remedies: vpnRem, facts: map[string]any{"finding": dnsHostsWrong, "hosts_entry": "203.0.113.10"}}},
		{name: "os resolver differs", p: public, mode: checktest.DNSAnswer, answer: "203.0.113.10", osAnswer: []string{},
			want: want{status: Fail, remedies: []string{"dns-mgmt-resolve"}, facts: map[string]any{"finding": dnsOSDiffers}}},
		{name: "no ip in profile", p: hostOnly, mode: checktest.DNSAnswer, answer: "203.0.113.10",
			want: want{status: Pass, facts: map[string]any{"finding": dnsOK}, absent: []string{"expected"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			records := map[string][]string{}
			if tc.answer != "" {
				records[mgmtHost] = []string{tc.answer}
			}
			srv := checktest.NewDNS(t, tc.mode, records)
			env := testEnv(t)
			env.DNSServers = []string{srv.Addr}
			env.Resolver = srv.Resolver()
			if tc.osAnswer != nil {
				env.Resolver = mapResolver{mgmtHost: tc.osAnswer}
				if len(tc.osAnswer) == 0 {
					env.Resolver = mapResolver{}
				}
			}
			if tc.hosts != "" {
				env.HostsFile = filepath.Join(t.TempDir(), "hosts")
				if err := os.WriteFile(env.HostsFile, []byte(tc.hosts), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			r := runCheck(t, "dns.mgmt", tc.p, DefaultOptions(), env, nil)
			checkResult(t, r, tc.want)
			if _, ok := r.Facts["rcode@"+srv.Addr]; tc.mode != checktest.DNSSilent && !ok {
				t.Errorf("no rcode fact for the server that answered: %v", r.Facts)
			}
		})
	}
}

func TestDNSMgmtResolvConf(t *testing.T) {
	t.Parallel()
	srv := checktest.NewDNS(t, checktest.DNSAnswer, map[string][]string{mgmtHost: {"203.0.113.10"}})
	host, port, _ := net.SplitHostPort(srv.Addr)
	env := testEnv(t)
	env.DNSServers = nil
	env.ResolvConf = filepath.Join(t.TempDir(), "resolv.conf")
	if err := os.WriteFile(env.ResolvConf, []byte("search example\nnameserver "+host+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	env.Resolver = srv.Resolver()
	opt := DefaultOptions()
	opt.Ports.DNS = atoi(t, port)
	r := runCheck(t, "dns.mgmt", &profile.Profile{Server: profile.Server{Host: mgmtHost, IP: "203.0.113.10"}}, opt, env, nil)
	checkResult(t, r, want{status: Pass, facts: map[string]any{"dns_servers": srv.Addr, "ttl_s@" + srv.Addr: 300}})
}

func atoi(t *testing.T, s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestDNSMgmtSkipsWithoutHost(t *testing.T) {
	_, skip := dnsPlan(&profile.Profile{Server: profile.Server{IP: "203.0.113.10"}}, DefaultOptions())
	if skip.IsZero() {
		t.Fatal("want a skip reason without server.host")
	}
}

func TestJudgeDNS(t *testing.T) {
	exp := netip.MustParseAddr("10.0.0.10")
	other := netip.MustParseAddr("203.0.113.10")
	notFound := &net.DNSError{IsNotFound: true, Err: "no such host"}
	tests := []struct {
		name string
		e    dnsEvidence
		want string
	}{
		{"os right", dnsEvidence{Expected: exp, OS: []netip.Addr{exp}}, dnsOK},
		{"hosts wins over dns", dnsEvidence{Expected: exp, Hosts: []netip.Addr{exp}, OS: []netip.Addr{other}}, dnsHostsOK},
		{"nodata", dnsEvidence{Expected: exp, Answers: []resolve.Answer{{Rcode: dns.RcodeSuccess}}, OSErr: notFound}, dnsNoData},
		{"refused rcode is a server failure", dnsEvidence{Expected: exp, Answers: []resolve.Answer{{Rcode: dns.RcodeRefused}}}, dnsServFail},
		{"one server right, os wrong", dnsEvidence{Expected: exp, Answers: []resolve.Answer{{Rcode: dns.RcodeSuccess, Addrs: []netip.Addr{exp}}}, OSErr: errors.New("timeout")}, dnsOSDiffers},
		{"nx beats timeout", dnsEvidence{Expected: exp, Answers: []resolve.Answer{{Rcode: -1}, {Rcode: dns.RcodeNameError}}}, dnsNXDomain},
		{"os not found, servers silent", dnsEvidence{Expected: exp, Answers: []resolve.Answer{{Rcode: -1}}, OSErr: notFound}, dnsNXDomain},
		{"all silent", dnsEvidence{Expected: exp, Answers: []resolve.Answer{{Rcode: -1}}, OSErr: errors.New("i/o timeout")}, dnsTimeout},
	}
	for _, tc := range tests {
		if got := judgeDNS(tc.e); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
	}
}

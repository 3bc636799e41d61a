package checks

import (
	"context"
	"errors"
	"net"
	"syscall"
	"testing"

	"github.com/biztel-tools/biztel-doctor/hostinfo"
	"github.com/biztel-tools/biztel-doctor/profile"
)

// unreachableDialer fails like connect(2) without a route.
type unreachableDialer struct{}

func (unreachableDialer) DialContext(context.Context, string, string) (net.Conn, error) {
	return nil, &net.OpError{Op: "dial", Net: "udp4", Err: syscall.ENETUNREACH}
}

// failingDialer fails without saying "no route" (a cancelled call, a
// sandbox refusing sockets).
type failingDialer struct{}

func (failingDialer) DialContext(context.Context, string, string) (net.Conn, error) {
	return nil, errors.New("socket: operation not permitted by policy")
}

func TestNetIPv4(t *testing.T) {
	withHost := &profile.Profile{Server: profile.Server{Host: mgmtHost, IP: "127.0.0.1"}}
	ipOnly := &profile.Profile{Server: profile.Server{IP: "127.0.0.1"}}
	hostOnly := &profile.Profile{Server: profile.Server{Host: mgmtHost}}
	tests := []struct {
		name   string
		p      *profile.Profile
		res    mapResolver
		host   fakeHost
		dialer Dialer
		want   want
	}{
		{name: "ipv4 route", p: ipOnly, host: fakeHost{iface: "eth0"},
			want: want{status: Pass, facts: map[string]any{"source_addr": "127.0.0.1", "target": "127.0.0.1", "source_in_cgnat_space": false}}},
		{name: "name resolves to ipv4 only", p: hostOnly, res: mapResolver{mgmtHost: {"127.0.0.1"}}, host: fakeHost{iface: "eth0", hasV6: true},
			want: want{status: Pass, facts: map[string]any{"host_ipv4": "127.0.0.1", "host_ipv6": ""}}},
		{name: "host would prefer ipv6", p: withHost, res: mapResolver{mgmtHost: {"2001:db8::10", "127.0.0.1"}}, host: fakeHost{iface: "eth0", hasV6: true},
			want: want{status: Warn, remedies: []string{"ipv4-required"}, facts: map[string]any{"host_ipv6": "2001:db8::10", "ipv6_default_route": true}}},
		{name: "aaaa but no v6 route", p: withHost, res: mapResolver{mgmtHost: {"2001:db8::10", "127.0.0.1"}}, host: fakeHost{iface: "eth0"},
			want: want{status: Pass, facts: map[string]any{"ipv6_default_route": false}}},
		{name: "no ipv4 route", p: ipOnly, dialer: unreachableDialer{},
			want: want{status: Fail, remedies: []string{"ipv4-required"}, facts: map[string]any{"route_error": nil}, absent: []string{"source_addr"}}},
		{name: "dial fails for another reason", p: ipOnly, dialer: failingDialer{},
			want: want{status: Error, facts: map[string]any{"route_error": nil}}},
		{name: "name does not resolve", p: hostOnly, res: mapResolver{},
			want: want{status: Error, facts: map[string]any{"lookup_error": nil}}},
		{name: "name has ipv6 only", p: hostOnly, res: mapResolver{mgmtHost: {"2001:db8::10"}},
			want: want{status: Fail, remedies: []string{"ipv4-required"}, facts: map[string]any{"reason": "IPv6 addresses only"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			env := testEnv(t)
			if tc.res != nil {
				env.Resolver = tc.res
			}
			env.Host = tc.host
			if tc.dialer != nil {
				env.Dialer = tc.dialer
			}
			checkResult(t, runCheck(t, "net.ipv4", tc.p, DefaultOptions(), env, nil), tc.want)
		})
	}
}

func TestNetLink(t *testing.T) {
	tests := []struct {
		name string
		host fakeHost
		want want
	}{
		{"wired", fakeHost{iface: "enp3s0", kind: "wired"}, want{status: Pass, facts: map[string]any{"iface": "enp3s0", "kind": "wired"}}},
		{"wireless", fakeHost{iface: "wlan0", kind: "wireless", details: map[string]string{"signal_dbm": "-71"}},
			want{status: Warn, remedies: []string{"use-wired"}, facts: map[string]any{"link_signal_dbm": "-71"}}},
		{"vpn", fakeHost{iface: "wg0", kind: "vpn"}, want{status: Warn, remedies: []string{"split-tunnel-biztel"}, facts: map[string]any{"kind": "vpn"}}},
		{"route unreadable", fakeHost{routeEr: errors.New("permission denied")}, want{status: Error, facts: map[string]any{"route_error": "permission denied"}}},
		{"no default route", fakeHost{}, want{status: Error, facts: map[string]any{"iface": ""}}},
		{"kind unknown", fakeHost{iface: "eth9", kind: "unknown", kindErr: errors.New("unrecognised")},
			want{status: Skip, facts: map[string]any{"iface": "eth9", "link_error": "unrecognised"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			env := testEnv(t)
			env.Host = tc.host
			checkResult(t, runCheck(t, "net.link", &profile.Profile{}, DefaultOptions(), env, nil), tc.want)
		})
	}
}

func TestNetProxy(t *testing.T) {
	p := &profile.Profile{Server: profile.Server{Host: mgmtHost, IP: "203.0.113.10"}}
	tests := []struct {
		name string
		env  map[string]string
		host fakeHost
		want want
	}{
		{"none", nil, fakeHost{}, want{status: Pass, absent: []string{"proxies"}}},
		{"https proxy", map[string]string{"HTTPS_PROXY": "http://user:pw@proxy.corp.example:8080"}, fakeHost{},
			want{status: Warn, remedies: []string{"remove-proxy"}, facts: map[string]any{"env_HTTPS_PROXY": "http://proxy.corp.example:8080", "proxies": "HTTPS_PROXY"}}},
		{"lower-case all_proxy", map[string]string{"all_proxy": "socks5://10.0.0.1:1080"}, fakeHost{},
			want{status: Warn, remedies: []string{"remove-proxy"}}},
		{"no_proxy bypasses the server", map[string]string{"http_proxy": "http://proxy:3128", "no_proxy": ".biztel.example,203.0.113.0/24"}, fakeHost{},
			want{status: Pass, facts: map[string]any{"bypassed_by_no_proxy": "http_proxy"}}},
		{"no_proxy for another domain", map[string]string{"HTTP_PROXY": "http://proxy:3128", "NO_PROXY": "intranet.example"}, fakeHost{},
			want{status: Warn, remedies: []string{"remove-proxy"}}},
		{"os pac", nil, fakeHost{proxies: map[string]string{"pac": "http://wpad/proxy.pac (GNOME)"}},
			want{status: Warn, remedies: []string{"remove-proxy"}, facts: map[string]any{"os_pac": "http://wpad/proxy.pac (GNOME)"}}},
		{"os unreadable", nil, fakeHost{proxyEr: errors.New("not available")},
			want{status: Pass, facts: map[string]any{"os_settings_error": "not available"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			env := testEnv(t)
			env.Getenv = func(k string) string { return tc.env[k] }
			env.Host = tc.host
			checkResult(t, runCheck(t, "net.proxy", p, DefaultOptions(), env, nil), tc.want)
		})
	}
}

// TestNetLinkBudgetCoversHostTools: net.link waits for the OS tools of
// DefaultRoute and LinkKind; its timeout must outlast them, or a slow
// system_profiler would turn a wireless finding into a timeout error.
func TestNetLinkBudgetCoversHostTools(t *testing.T) {
	if netLinkTimeout <= hostinfo.LinkBudget {
		t.Errorf("netLinkTimeout %s must exceed the host tools' worst case %s", netLinkTimeout, hostinfo.LinkBudget)
	}
	if netLinkTimeout+OverallMargin > OverallDeadline {
		t.Errorf("netLinkTimeout %s does not fit the overall deadline %s", netLinkTimeout, OverallDeadline)
	}
}

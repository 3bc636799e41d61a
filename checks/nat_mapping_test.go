package checks

import (
	"context"
	"net"
	"testing"

	"github.com/biztel-tools/biztel-doctor/checks/checktest"
	"github.com/biztel-tools/biztel-doctor/profile"
)

// cgnatListener opens real loopback sockets that claim a local address in
// 100.64.0.0/10, as a host behind a carrier-grade NAT would have.
type cgnatListener struct{}

type cgnatConn struct{ net.PacketConn }

func (c cgnatConn) LocalAddr() net.Addr {
	return &net.UDPAddr{IP: net.IPv4(100, 64, 12, 34), Port: c.PacketConn.LocalAddr().(*net.UDPAddr).Port}
}

func (cgnatListener) ListenPacket(ctx context.Context, network, _ string) (net.PacketConn, error) {
	c, err := (&net.ListenConfig{}).ListenPacket(ctx, network, "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	return cgnatConn{c}, nil
}

func TestNATMapping(t *testing.T) {
	t.Parallel()
	public := net.ParseIP("203.0.113.9")
	tests := []struct {
		name     string
		nat      *checktest.FakeNAT
		servers  int
		listener PacketListener
		host     fakeHost
		want     want
	}{
		{name: "no NAT", servers: 2,
			want: want{status: Pass, facts: map[string]any{"mapping": mappingNoNAT, "nat": false, "mape_port_set_signs": false}}},
		{name: "endpoint-independent NAT", servers: 2, nat: &checktest.FakeNAT{PublicIP: public, PortFor: checktest.RandomPorts(7)},
			want: want{status: Pass, facts: map[string]any{"mapping": mappingIndependent, "nat": true, "public_ips": "203.0.113.9", "port_preserved_sockets": 0, "sockets": 1 + natExtraSockets}}},
		{name: "port-preserving NAT", servers: 2, nat: &checktest.FakeNAT{PublicIP: public},
			want: want{status: Pass, facts: map[string]any{"mapping": mappingIndependent, "port_changed_sockets": 0, "port_preserved_sockets": 1 + natExtraSockets}}},
		{name: "MAP-E port set", servers: 2, nat: &checktest.FakeNAT{PublicIP: public, PortFor: checktest.MAPEPorts(0x5a)},
			want: want{status: Warn, remedies: []string{"ipoe-fixed-ip", "home-router-ports"}, facts: map[string]any{"mape_port_set_signs": true, "mape_psid_guess": 0x5a, "mape_shared_bits": 8}}},
		{name: "symmetric NAT", servers: 2, nat: &checktest.FakeNAT{PublicIP: public, PortFor: checktest.RandomPorts(11), PerDestination: true},
			want: want{status: Warn, remedies: []string{"home-router-ports"}, facts: map[string]any{"mapping": mappingDependent}}},
		{name: "one server: not judged", servers: 1, nat: &checktest.FakeNAT{PublicIP: public, PortFor: checktest.RandomPorts(3)},
			want: want{status: Pass, facts: map[string]any{"mapping": mappingUndetermined, "destinations": 1}}},
		{name: "host in CGNAT space", servers: 2, listener: cgnatListener{},
			want: want{status: Warn, remedies: []string{"avoid-cgnat"}, facts: map[string]any{"host_addr_in_cgnat_space": true, "host_addr": "100.64.12.34"}}},
		{name: "tunnel interface noted", servers: 2, host: fakeHost{iface: "wg0", kind: "vpn", details: map[string]string{"tunnel": "none (tun, WireGuard)"}},
			want: want{status: Pass, facts: map[string]any{"tunnel_iface": true, "default_iface": "wg0"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			modes := make([]checktest.STUNMode, tc.servers)
			p, opt, _ := stunSite(t, tc.nat, 0, modes...)
			web, err := net.Listen("tcp4", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { web.Close() })
			go func() {
				for {
					c, err := web.Accept()
					if err != nil {
						return
					}
					c.Close()
				}
			}()
			opt.Ports.Web = web.Addr().(*net.TCPAddr).Port
			env := testEnv(t)
			if tc.listener != nil {
				env.Listener = tc.listener
			}
			if tc.host.iface != "" {
				env.Host = tc.host
			}
			stun := runCheck(t, "stun.3478", p, opt, env, nil)
			if !stun.Status.OK() {
				t.Fatalf("stun.3478 %s: %v", stun.Status, stun.Facts)
			}
			r := runCheck(t, "nat.mapping", p, opt, env, map[string]Result{"stun.3478": stun})
			checkResult(t, r, tc.want)
			if _, ok := r.Facts["mss_hint"]; !ok {
				t.Errorf("no MSS reading from the TCP handshake: %v", r.Facts["mss_error"])
			}
		})
	}
}

// TestNATMappingSkipsWhenNoSTUNAnswered runs the real runner: with both STUN
// ports blackholed, nat.mapping skips naming its prerequisite.
func TestNATMappingSkipsWhenNoSTUNAnswered(t *testing.T) {
	t.Parallel()
	hole := checktest.NewUDPBlackhole(t)
	p := &profile.Profile{Server: profile.Server{IP: "127.0.0.1"}, STUN: profile.STUN{Servers: []string{"127.0.0.1"}}}
	opt := DefaultOptions()
	opt.Ports.STUNPrimary, opt.Ports.STUNSecondary = hole.Port(), hole.Port()
	opt.Only = []string{"nat.mapping"}
	plan, err := MakePlan(p, opt)
	if err != nil {
		t.Fatal(err)
	}
	out := Run(context.Background(), plan, testEnv(t), nil)
	got := map[string]Result{}
	for _, r := range out.Results {
		got[r.ID] = r
	}
	if got["stun.3478"].Status != Fail || got["stun.3479"].Status != Fail {
		t.Fatalf("stun results %s/%s, want fail/fail", got["stun.3478"].Status, got["stun.3479"].Status)
	}
	if r := got["nat.mapping"]; r.Status != Skip || r.SkippedBecause == "" {
		t.Errorf("nat.mapping = %s (because %q), want skip naming a STUN check", r.Status, r.SkippedBecause)
	}
}

package checks

import (
	"net"
	"strings"
	"testing"

	"github.com/biztel-tools/biztel-doctor/checks/checktest"
	"github.com/biztel-tools/biztel-doctor/probe/stun"
	"github.com/biztel-tools/biztel-doctor/profile"
)

// stunSite starts one fake per mode on 127.0.0.1, 127.0.0.2, … sharing one
// port (the profile's logical 3478) and returns the profile and options.
func stunSite(t *testing.T, nat *checktest.FakeNAT, drop int, modes ...checktest.STUNMode) (*profile.Profile, Options, []*checktest.STUNServer) {
	t.Helper()
	ips := make([]string, len(modes))
	for i := range modes {
		ips[i] = "127.0.0." + string(rune('1'+i))
	}
	port, conns := checktest.SharedUDPPort(t, ips...)
	p := &profile.Profile{Server: profile.Server{IP: "127.0.0.1"}}
	var servers []*checktest.STUNServer
	for i, m := range modes {
		s := &checktest.STUNServer{Mode: m, NAT: nat, DropFirst: drop}
		s.Serve(conns[i])
		servers = append(servers, s)
		p.STUN.Servers = append(p.STUN.Servers, ips[i]+":3478")
	}
	opt := DefaultOptions()
	opt.Ports.STUNPrimary = port
	opt.Ports.STUNSecondary = port
	return p, opt, servers
}

func TestSTUN(t *testing.T) {
	t.Parallel()
	nat := &checktest.FakeNAT{PublicIP: net.ParseIP("203.0.113.9"), PortFor: func(int, *net.UDPAddr) int { return 40001 }}
	tests := []struct {
		name  string
		nat   *checktest.FakeNAT
		modes []checktest.STUNMode
		drop  int
		want  want
		check func(t *testing.T, r Result, srv []*checktest.STUNServer)
	}{
		{name: "all answer", modes: []checktest.STUNMode{checktest.STUNAnswer, checktest.STUNAnswer},
			want: want{status: Pass, facts: map[string]any{FactSTUNMapped: nil, FactSTUNSilent: "", "garbage_ignored": 0, "rtt_ms": nil}}},
		{name: "behind a NAT", nat: nat, modes: []checktest.STUNMode{checktest.STUNAnswer},
			want: want{status: Pass, facts: map[string]any{FactSTUNMapped: "203.0.113.9:40001", "public_ip": "203.0.113.9"}}},
		{name: "one of two silent", modes: []checktest.STUNMode{checktest.STUNAnswer, checktest.STUNSilent},
			want: want{status: Warn, remedies: []string{"allow-stun"}, facts: map[string]any{FactSTUNMapped: nil}},
			check: func(t *testing.T, r Result, _ []*checktest.STUNServer) {
				if !strings.HasPrefix(r.Facts[FactSTUNSilent].(string), "127.0.0.2:") {
					t.Errorf("silent = %v, want 127.0.0.2", r.Facts[FactSTUNSilent])
				}
			}},
		{name: "all silent", modes: []checktest.STUNMode{checktest.STUNSilent},
			want: want{status: Fail, remedies: []string{"allow-stun", "allow-return-traffic"}, facts: map[string]any{FactSTUNAnswered: "", "requests_sent": stun.MaxSends}, absent: []string{FactSTUNMapped}},
			check: func(t *testing.T, _ Result, srv []*checktest.STUNServer) {
				if n := srv[0].Requests(); n > stun.MaxSends {
					t.Errorf("server got %d requests, at most %d allowed", n, stun.MaxSends)
				}
			}},
		{name: "garbage reply", modes: []checktest.STUNMode{checktest.STUNGarbage},
			want: want{status: Fail, remedies: []string{"allow-stun"}, absent: []string{FactSTUNMapped}},
			check: func(t *testing.T, r Result, _ []*checktest.STUNServer) {
				if r.Facts["garbage_ignored"].(int) < 1 {
					t.Errorf("garbage_ignored = %v, want ≥ 1", r.Facts["garbage_ignored"])
				}
			}},
		{name: "stray transaction then answer", modes: []checktest.STUNMode{checktest.STUNWrongTxID},
			want: want{status: Pass},
			check: func(t *testing.T, r Result, _ []*checktest.STUNServer) {
				if r.Facts["mismatched_txid_ignored"].(int) < 1 || r.Facts["garbage_ignored"].(int) < 1 {
					t.Errorf("ignored counts %v/%v, want ≥ 1 each", r.Facts["mismatched_txid_ignored"], r.Facts["garbage_ignored"])
				}
				if strings.HasPrefix(r.Facts[FactSTUNMapped].(string), "192.0.2.66") {
					t.Errorf("took the stray answer's address %v", r.Facts[FactSTUNMapped])
				}
			}},
		{name: "only stray transactions", modes: []checktest.STUNMode{checktest.STUNOnlyWrongTx},
			want: want{status: Fail, remedies: []string{"allow-stun"}}},
		{name: "first requests lost", modes: []checktest.STUNMode{checktest.STUNAnswer}, drop: 2,
			want: want{status: Pass, facts: map[string]any{"requests_sent": 3}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p, opt, srv := stunSite(t, tc.nat, tc.drop, tc.modes...)
			r := runCheck(t, "stun.3478", p, opt, testEnv(t), nil)
			checkResult(t, r, tc.want)
			if tc.check != nil {
				tc.check(t, r, srv)
			}
		})
	}
}

func TestSTUNPlan(t *testing.T) {
	opt := DefaultOptions()
	tests := []struct {
		name     string
		servers  []string
		logical  int
		wantDest []string // address:realport
		skipWord string
	}{
		{"no servers", nil, 3478, nil, "サービスご紹介資料"},
		{"entry without port probes both", []string{"198.51.100.20"}, 3479, []string{"198.51.100.20:3479"}, ""},
		{"port entries split", []string{"198.51.100.20:3478", "198.51.100.21:3479"}, 3478, []string{"198.51.100.20:3478"}, ""},
		{"nothing for this port", []string{"198.51.100.20:3478"}, 3479, nil, "3479"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := &profile.Profile{STUN: profile.STUN{Servers: tc.servers}}
			dests, skip := stunPlan(p, stunRealPort(opt, tc.logical), tc.logical)
			if tc.skipWord != "" {
				if skip.IsZero() || !strings.Contains(skip.Ja+skip.En, tc.skipWord) {
					t.Fatalf("skip = %+v, want one naming %q", skip, tc.skipWord)
				}
				return
			}
			var got []string
			for _, d := range dests {
				got = append(got, d.HostPort())
			}
			if strings.Join(got, " ") != strings.Join(tc.wantDest, " ") {
				t.Errorf("destinations %v, want %v", got, tc.wantDest)
			}
		})
	}
}

func TestSTUNUnresolvedServer(t *testing.T) {
	t.Parallel()
	p, opt, _ := stunSite(t, nil, 0, checktest.STUNAnswer)
	p.STUN.Servers = append(p.STUN.Servers, "stun.invalid:3478")
	r := runCheck(t, "stun.3478", p, opt, testEnv(t), nil)
	checkResult(t, r, want{status: Warn, remedies: []string{"allow-stun"}, facts: map[string]any{FactSTUNUnresolved: "stun.invalid"}})
}

package checks

import (
	"net"
	"testing"

	"github.com/biztel-tools/biztel-doctor/checks/checktest"
	"github.com/biztel-tools/biztel-doctor/profile"
)

func TestSIPUDP(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		mode  checktest.SIPUDPMode
		drop  int
		port  func(t *testing.T) int // nil: the fake's port
		want  want
		check func(t *testing.T, r Result, s *checktest.SIPUDPServer)
	}{
		{name: "200 OK", mode: checktest.SIPUDPOK,
			want: want{status: Pass, facts: map[string]any{FactSIPStatus: "SIP/2.0 200 OK", "status_code": 200, FactSIPReceived: "127.0.0.1", FactSIPTranslate: false, "requests_sent": 1}},
			check: func(t *testing.T, r Result, s *checktest.SIPUDPServer) {
				req := s.LastRequest()
				if ua := req.GetHeader("User-Agent"); ua == nil || ua.Value() != "biztel-doctor/test" {
					t.Errorf("User-Agent = %v", ua)
				}
				if _, ok := req.Via().Params.Get("rport"); !ok {
					t.Errorf("Via without rport: %s", req.Via())
				}
				if r.Facts[FactSIPRPort].(int) == 0 {
					t.Errorf("rport not recorded")
				}
			}},
		{name: "404 is still an answer", mode: checktest.SIPUDPNotFound,
			want: want{status: Pass, facts: map[string]any{"status_code": 404}}},
		{name: "server saw another address", mode: checktest.SIPUDPRewrite,
			want: want{status: Pass, facts: map[string]any{FactSIPReceived: "203.0.113.7", FactSIPRPort: 40123, FactSIPTranslate: true}}},
		{name: "stray response ignored", mode: checktest.SIPUDPStrayThenOK,
			want: want{status: Pass, facts: map[string]any{"stray_ignored": 1}}},
		{name: "lost requests retransmitted", mode: checktest.SIPUDPOK, drop: 1,
			want: want{status: Pass, facts: map[string]any{"requests_sent": 2, "retransmitted": true}}},
		{name: "garbage", mode: checktest.SIPUDPGarbage,
			want: want{status: Fail, remedies: []string{"allow-sip-udp", "disable-sip-alg"}, facts: map[string]any{"non_sip_reply": nil}, absent: []string{FactSIPStatus}}},
		{name: "malformed SIP", mode: checktest.SIPUDPMalformed,
			want: want{status: Fail, remedies: []string{"disable-sip-alg", "allow-sip-udp"}, facts: map[string]any{"parse_error": nil, "non_sip_reply": nil}}},
		{name: "silent", mode: checktest.SIPUDPSilent,
			want: want{status: Fail, remedies: []string{"allow-sip-udp", "allow-return-traffic"}, facts: map[string]any{"requests_sent": sipMaxSends}},
			check: func(t *testing.T, _ Result, s *checktest.SIPUDPServer) {
				if s.Requests() > sipMaxSends {
					t.Errorf("server got %d packets, at most %d allowed", s.Requests(), sipMaxSends)
				}
			}},
		{name: "closed port", mode: checktest.SIPUDPOK, port: func(t *testing.T) int {
			c := checktest.ListenUDP(t, "127.0.0.1", 0)
			c.Close() // nothing listens now: the kernel answers ICMP port unreachable
			return c.LocalAddr().(*net.UDPAddr).Port
		},
			want: want{status: Fail, remedies: []string{"allow-sip-udp"}, facts: map[string]any{"icmp_unreachable": true}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := &checktest.SIPUDPServer{Mode: tc.mode, DropFirst: tc.drop, Received: "203.0.113.7", RPort: 40123}
			s.Serve(checktest.ListenUDP(t, "127.0.0.1", 0))
			opt := DefaultOptions()
			opt.Ports.SIPUDP = s.Port()
			if tc.port != nil {
				opt.Ports.SIPUDP = tc.port(t)
			}
			p := &profile.Profile{Server: profile.Server{IP: "127.0.0.1"}}
			r := runCheck(t, "sip.udp", p, opt, testEnv(t), nil)
			checkResult(t, r, tc.want)
			if tc.check != nil {
				tc.check(t, r, s)
			}
		})
	}
}

func TestSIPUDPVPNTargetsPrivateIP(t *testing.T) {
	p := &profile.Profile{Server: profile.Server{IP: "203.0.113.10", VPNIP: "10.0.0.10"}}
	dests, skip := sipUDPPlan(p, DefaultOptions())
	if !skip.IsZero() || len(dests) != 1 || dests[0].HostPort() != "10.0.0.10:5060" {
		t.Fatalf("plan = %+v %+v, want 10.0.0.10:5060", dests, skip)
	}
}

package checks

import (
	"net"
	"testing"
	"time"

	"github.com/biztel-tools/biztel-doctor/checks/checktest"
	"github.com/biztel-tools/biztel-doctor/profile"
)

func TestNTP(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		mode    checktest.NTPMode
		skew    time.Duration
		stratum byte
		closed  bool
		want    want
	}{
		{name: "good", mode: checktest.NTPGood, want: want{status: Pass, facts: map[string]any{"stratum": 2, "requests_sent": 1}}},
		{name: "clock off", mode: checktest.NTPGood, skew: 5 * time.Second,
			want: want{status: Warn, remedies: []string{"check-clock"}, facts: map[string]any{"offset_ms": nil}}},
		{name: "kiss of death", mode: checktest.NTPKissOfDeath,
			want: want{status: Warn, remedies: []string{"allow-ntp"}, facts: map[string]any{"kiss_code": "RATE"}}},
		{name: "unsynchronised", mode: checktest.NTPGood, stratum: 16,
			want: want{status: Warn, remedies: []string{"allow-ntp"}, facts: map[string]any{"stratum": 16}}},
		{name: "garbage", mode: checktest.NTPGarbage, want: want{status: Fail, remedies: []string{"allow-ntp"}, facts: map[string]any{"error": nil}, absent: []string{"stratum"}}},
		{name: "answer to someone else", mode: checktest.NTPWrongOrigin, want: want{status: Fail, remedies: []string{"allow-ntp"}, absent: []string{"stratum"}}},
		{name: "silent", mode: checktest.NTPSilent, want: want{status: Fail, remedies: []string{"allow-ntp", "allow-return-traffic"}, facts: map[string]any{"requests_sent": ntpAttempts}}},
		{name: "closed port", closed: true, want: want{status: Fail, remedies: []string{"allow-ntp"}, facts: map[string]any{"icmp_unreachable": true}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := &checktest.NTPServer{Mode: tc.mode, Skew: tc.skew, Stratum: 2}
			if tc.stratum != 0 {
				srv.Stratum = tc.stratum
			}
			c := checktest.ListenUDP(t, "127.0.0.1", 0)
			port := c.LocalAddr().(*net.UDPAddr).Port
			if tc.closed {
				c.Close()
			} else {
				srv.Serve(c)
			}
			opt := DefaultOptions()
			opt.Ports.NTP = port
			p := &profile.Profile{Server: profile.Server{IP: "127.0.0.1"}, NTP: "127.0.0.1"}
			r := runCheck(t, "ntp.hardphone", p, opt, testEnv(t), nil)
			checkResult(t, r, tc.want)
		})
	}
}

func TestNTPPlan(t *testing.T) {
	off := false
	p := &profile.Profile{Server: profile.Server{IP: "203.0.113.10"}, Options: profile.Options{Hardphone: &off}}
	if _, skip := ntpPlan(p, DefaultOptions()); skip.IsZero() {
		t.Errorf("hardphone off: want a skip reason")
	}
	p.Options.Hardphone = nil
	dests, skip := ntpPlan(p, DefaultOptions())
	if !skip.IsZero() || len(dests) != 1 || dests[0].HostPort() != profile.DefaultNTP+":123" {
		t.Errorf("default plan = %+v %+v, want the page's %s:123", dests, skip, profile.DefaultNTP)
	}
}

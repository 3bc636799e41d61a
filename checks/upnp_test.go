package checks

import (
	"strings"
	"testing"

	"github.com/biztel-tools/biztel-doctor/checks/checktest"
	"github.com/biztel-tools/biztel-doctor/profile"
)

func TestUPnP(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		mode    checktest.IGDMode
		ext     string
		want    want
		problem string // substring of gateway_problem
	}{
		{name: "gateway with public WAN", mode: checktest.IGDGood, ext: "203.0.113.50",
			want: want{status: Warn, remedies: []string{"disable-upnp"}, facts: map[string]any{"external_ip": "203.0.113.50", "gateway_model": "IGD (simulated)", "external_ip_in_cgnat_space": false, "gateway": "127.0.0.1"}}},
		{name: "gateway behind CGNAT", mode: checktest.IGDGood, ext: "100.64.3.4",
			want: want{status: Warn, remedies: []string{"disable-upnp", "avoid-cgnat"}, facts: map[string]any{"external_ip_in_cgnat_space": true}}},
		{name: "double NAT", mode: checktest.IGDGood, ext: "192.168.100.2",
			want: want{status: Warn, remedies: []string{"disable-upnp"}, facts: map[string]any{"external_ip_private": true}}},
		{name: "no gateway", mode: checktest.IGDSilent,
			want: want{status: Pass, facts: map[string]any{"gateways": 0, "searches_sent": 2}}},
		{name: "garbage SSDP", mode: checktest.IGDGarbageSSDP,
			want: want{status: Pass, facts: map[string]any{"gateways": 0, "non_http_replies": nil}}},
		{name: "not a gateway", mode: checktest.IGDNotGateway,
			want: want{status: Pass, facts: map[string]any{"gateways": 0, "other_upnp_devices": nil}}},
		{name: "garbage description", mode: checktest.IGDGarbageXML,
			want: want{status: Warn, remedies: []string{"disable-upnp"}, absent: []string{"external_ip"}}, problem: "not valid XML"},
		{name: "huge description", mode: checktest.IGDHugeBody,
			want: want{status: Warn, remedies: []string{"disable-upnp"}, absent: []string{"external_ip"}}, problem: "more than"},
		{name: "LOCATION off the responder", mode: checktest.IGDOffLAN,
			want: want{status: Warn, remedies: []string{"disable-upnp"}, absent: []string{"external_ip", "gateway_model"}}, problem: "points away"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			igd := checktest.NewIGD(t, tc.mode, tc.ext)
			env := testEnv(t)
			env.SSDPAddr = igd.SSDPAddr
			r := runCheck(t, "upnp.igd", &profile.Profile{Server: profile.Server{IP: "203.0.113.10"}}, DefaultOptions(), env, nil)
			checkResult(t, r, tc.want)
			if tc.problem != "" {
				if p, _ := r.Facts["gateway_problem"].(string); !strings.Contains(p, tc.problem) {
					t.Errorf("gateway_problem = %q, want it to mention %q", p, tc.problem)
				}
			}
			for _, a := range igd.Actions() {
				if !strings.HasSuffix(strings.Trim(a, `"`), "#GetExternalIPAddress") {
					t.Errorf("the check called %s: only GetExternalIPAddress is allowed", a)
				}
			}
		})
	}
}

func TestUPnPPlanNeverMapsPorts(t *testing.T) {
	dests, skip := upnpPlan(nil, DefaultOptions())
	if !skip.IsZero() || len(dests) != 1 || !strings.Contains(dests[0].Purpose.En, "no port mapping") {
		t.Errorf("plan = %+v", dests)
	}
}

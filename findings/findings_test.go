package findings

import (
	"reflect"
	"testing"

	"github.com/biztel-tools/biztel-doctor/checks"
	"github.com/biztel-tools/biztel-doctor/content"
)

func res(id string, s checks.Status, remedies ...string) checks.Result {
	return checks.Result{ID: id, Status: s, Remedies: remedies}
}

func skipBecause(id, need string) checks.Result {
	return checks.Result{ID: id, Status: checks.Skip, SkippedBecause: need}
}

func TestGroupResults(t *testing.T) {
	P, F, W := checks.Pass, checks.Fail, checks.Warn
	tests := []struct {
		name    string
		results []checks.Result
		want    []Group
	}{
		{"all pass: nothing to say", []checks.Result{res("sip.udp", P), res("web.8000", P)}, nil},
		{"UDP blocked outbound, TCP works: one cause, not six reds",
			[]checks.Result{res("stun.3478", F, "allow-stun"), res("stun.3479", F, "allow-stun"), skipBecause("nat.mapping", "stun.3478"),
				res("sip.udp", F, "allow-sip-udp"), res("sip.tls", P), res("web.8000", P), res("rtp.range", F, "allow-rtp"),
				res("ntp.hardphone", F, "allow-ntp")},
			[]Group{{ID: "udp-blocked", Status: F, Checks: []string{"stun.3478", "stun.3479", "sip.udp", "rtp.range", "ntp.hardphone", "nat.mapping"},
				Remedies: []string{"allow-stun", "allow-sip-udp", "allow-rtp", "allow-ntp"}}}},
		{"everything to the server fails: unreachable, not UDP",
			[]checks.Result{res("sip.udp", F, "allow-sip-udp"), res("web.8000", F, "allow-web-8000"), res("sip.tls", F, "allow-sip-tls")},
			[]Group{{ID: "server-unreachable", Status: F, Checks: []string{"sip.udp", "web.8000", "sip.tls"},
				Remedies: []string{"allow-sip-udp", "allow-web-8000", "allow-sip-tls"}}}},
		{"TLS intercepted: the TLS checks group, UDP is fine",
			[]checks.Result{res("sip.udp", P), res("web.8000", F, "disable-tls-inspection"), res("sip.tls", F, "disable-tls-inspection"),
				res("sip.wss", W, "disable-tls-inspection")},
			[]Group{{ID: "tls-intercepted", Status: F, Checks: []string{"web.8000", "sip.tls", "sip.wss"}, Remedies: []string{"disable-tls-inspection"}}}},
		{"TLS intercepted and SIP over UDP blocked: TCP got through, so not unreachable (symptom A of the demo said so)",
			[]checks.Result{res("sip.udp", F, "allow-sip-udp"), res("web.8000", F, "disable-tls-inspection"),
				res("sip.tls", F, "disable-tls-inspection"), res("sip.wss", F, "disable-tls-inspection")},
			[]Group{{ID: "tls-intercepted", Status: F, Checks: []string{"web.8000", "sip.tls", "sip.wss"}, Remedies: []string{"disable-tls-inspection"}},
				{ID: "check:sip.udp", Status: F, Checks: []string{"sip.udp"}, Remedies: []string{"allow-sip-udp"}}}},
		{"one UDP failure alone stays its own finding",
			[]checks.Result{res("sip.udp", P), res("web.8000", P), res("ntp.hardphone", F, "allow-ntp"), res("net.link", W, "use-wired")},
			[]Group{{ID: "check:ntp.hardphone", Status: F, Checks: []string{"ntp.hardphone"}, Remedies: []string{"allow-ntp"}},
				{ID: "check:net.link", Status: W, Checks: []string{"net.link"}, Remedies: []string{"use-wired"}}}},
		{"TCP blocked, UDP works",
			[]checks.Result{res("sip.udp", P), res("web.8000", F, "allow-web-8000"), res("sip.wss", F, "allow-sip-wss")},
			[]Group{{ID: "tcp-blocked", Status: F, Checks: []string{"web.8000", "sip.wss"}, Remedies: []string{"allow-web-8000", "allow-sip-wss"}}}},
		{"STUN blocked while SIP works; SIP-ALG separately",
			[]checks.Result{res("stun.3478", F, "allow-stun"), res("stun.3479", F, "allow-stun"), res("sip.udp", P),
				res("sip.alg", F, "disable-sip-alg"), res("web.8000", P)},
			[]Group{{ID: "stun-blocked", Status: F, Checks: []string{"stun.3478", "stun.3479"}, Remedies: []string{"allow-stun"}},
				{ID: "sip-rewritten", Status: F, Checks: []string{"sip.alg"}, Remedies: []string{"disable-sip-alg"}}}},
		{"an error is never hidden",
			[]checks.Result{res("dns.mgmt", checks.Error)},
			[]Group{{ID: "check:dns.mgmt", Status: checks.Error, Checks: []string{"dns.mgmt"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := GroupResults(tt.results)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestRuleTextsExist(t *testing.T) {
	c := content.MustLoad()
	for _, id := range RuleIDs() {
		for _, k := range []string{"finding." + id + ".title", "finding." + id + ".explain"} {
			if _, ok := c.UI[k]; !ok {
				t.Errorf("ui text %q missing (add it to content/data/ui_tui.yaml)", k)
			}
		}
	}
}

func TestFromAnswersFollowsConditions(t *testing.T) {
	tree := content.MustLoad().Tree()
	vpnOff := FromAnswers(tree, map[string]string{"vpn": "no", "vpn.dns": "no"})
	vpnOn := FromAnswers(tree, map[string]string{"vpn": "yes", "vpn.dns": "no"})
	if len(vpnOff) != 0 {
		t.Errorf("VPN off: the name-resolution answer must not count (node hidden), got %+v", vpnOff)
	}
	if len(vpnOn) != 1 || vpnOn[0].Node != "vpn.dns" || vpnOn[0].Remedies[0] != "vpn-dns-private" {
		t.Errorf("VPN on: want vpn-dns-private from vpn.dns, got %+v", vpnOn)
	}
}

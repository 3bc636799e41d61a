package report

import (
	"strings"
	"testing"

	"github.com/biztel-tools/biztel-doctor/checks"
	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/profile"
)

// TestChecklistIsWrittenForTheSite: the checklist names the site's vendor
// (no other), fills the router's public IP from STUN only without a
// carrier-NAT/IPoE sign and without the VPN option, and points to step 7
// in the TUI instead of a CLI command.
func TestChecklistIsWrittenForTheSite(t *testing.T) {
	c := content.MustLoad()
	stun := checks.PassResult("stun.3478", content.T("ok", "ok")).WithFact("public_ip", "203.0.113.9")
	nat := checks.PassResult("nat.mapping", content.T("ok", "ok")).WithFact("public_ips", "203.0.113.9").WithFact("host_addr_in_cgnat_space", false)
	cgnat := checks.PassResult("nat.mapping", content.T("ok", "ok")).WithFact("public_ips", "203.0.113.9").WithFact("host_addr_in_cgnat_space", true)
	site := func(vendor, vpn string) *profile.Profile {
		return &profile.Profile{Server: profile.Server{IP: "198.51.100.10", VPNIP: vpn}, Vendor: vendor}
	}
	found := []Finding{{Remedy: "allow-sip-udp", Cause: "sip.udp"}, {Remedy: "disable-sip-alg", Cause: "sip.alg"}}
	text := func(items []Item, lang content.Lang) string {
		var b strings.Builder
		for _, it := range items {
			for _, s := range it.Steps {
				b.WriteString(s.In(lang) + "\n")
			}
		}
		return b.String()
	}
	cases := []struct {
		name    string
		p       *profile.Profile
		results []checks.Result
		tui     bool
		want    []string
		not     []string
	}{
		{"fortigate, STUN address, TUI", site("fortigate", ""), []checks.Result{stun, nat}, true,
			[]string{"203.0.113.9（STUN で確認）", "Fortinet FortiGate は応答を自動で通す", "手順 7"},
			[]string{"YAMAHA", "ports --vendor", "VPNオプション"}},
		{"yamaha, carrier NAT sign", site("yamaha", ""), []checks.Result{stun, cgnat}, false,
			[]string{"プロバイダの共有アドレスの可能性", "は戻りを自動で通さないため", "ports --vendor yamaha"},
			[]string{"（STUN で確認）", "手順 7"}},
		{"VPN option: the private IP", site("fortigate", "10.0.0.10"), []checks.Result{stun, nat}, true,
			[]string{"プライベートIPアドレス（VPNオプション）"},
			[]string{"203.0.113.9"}},
		{"nothing known: where to find it", site("", ""), nil, false,
			[]string{"〈ルータの管理画面の WAN 側アドレス", "YAMAHA のルータ等"},
			nil},
	}
	for _, tc := range cases {
		got := text(ChecklistFor(found, tc.p, c, tc.results, tc.tui), content.Ja)
		for _, w := range tc.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: checklist lacks %q:\n%s", tc.name, w, got)
			}
		}
		for _, w := range tc.not {
			if strings.Contains(got, w) {
				t.Errorf("%s: checklist says %q:\n%s", tc.name, w, got)
			}
		}
	}
}

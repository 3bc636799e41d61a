package report

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/biztel-tools/biztel-doctor/checks"
	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/profile"
)

// siteVars are the checklist's phrases for this site, in both languages:
// the router's public IP when STUN saw it and nothing suggests a carrier
// NAT or IPoE (there the STUN address is the provider's), the vendor's own
// wording for return traffic, and where its configuration is (step 7 in
// the TUI, the ports command elsewhere).
func siteVars(p *profile.Profile, c *content.Content, results []checks.Result, tui bool) (ja, en map[string]string) {
	ja, en = p.Vars("ja"), p.Vars("en")
	set := func(k string, t content.Text) { ja[k], en[k] = t.Ja, t.En }
	if ip := publicIP(results); ip != "" && !p.VPN() {
		if sharedAddress(results) {
			set("router_ip", content.Tf("ルータのグローバルIP〈ルータの管理画面の WAN 側アドレス。STUN で見えた %s はプロバイダの共有アドレスの可能性があります〉",
				"the router's global IP <the WAN address in the router's admin screen; %s, seen by STUN, may be the provider's shared address>", ip))
		} else {
			set("router_ip", content.Tf("ルータのグローバルIP %s（STUN で確認）", "the router's global IP %s (seen by STUN)", ip))
		}
	}
	if v, ok := c.Vendor(p.Vendor); ok && v.Stateful != nil {
		if *v.Stateful {
			set("return_where", content.Tf("%s は応答を自動で通すため通常は不要です。戻りを止めるポリシーがある場合だけ", "%s passes replies by itself, so this is normally not needed; only where a policy blocks replies,", v.Display))
			set("return_short", content.Tf("%s では戻りを止めるポリシーがある場合だけ", "on %s only where a policy blocks replies", v.Display))
		} else {
			set("return_where", content.Tf("%s は戻りを自動で通さないため", "%s does not pass return traffic by itself, so", v.Display))
			set("return_short", content.T(v.Display, v.Display))
		}
	}
	if tui {
		if v, ok := c.Vendor(p.Vendor); ok && p.Vendor != "generic" {
			set("vendor_ref", content.Tf("%s の設定は手順 7（機器設定）を参照。", "For the %s lines see step 7 (router config).", v.Display))
		} else {
			set("vendor_ref", content.T("機器ごとの設定は、手順 4 で機種を選ぶと手順 7（機器設定）に表示されます。", "Pick the device in step 4: its lines show in step 7 (router config)."))
		}
	} else if v, ok := c.Vendor(p.Vendor); ok {
		set("vendor_ref", content.Tf("%s の設定は `biztel-doctor ports --vendor %s` を参照。", "For the %s lines see `biztel-doctor ports --vendor %s`.", v.Display, v.Name))
	}
	return ja, en
}

// publicIP is the mapped address STUN saw (nat.mapping's first, else a
// STUN check's), "" when none answered.
func publicIP(results []checks.Result) string {
	for _, id := range []string{"nat.mapping", "stun.3478", "stun.3479"} {
		for _, r := range results {
			if r.ID != id || (r.Status != checks.Pass && r.Status != checks.Warn) {
				continue
			}
			for _, k := range []string{"public_ip", "public_ips"} {
				v := strings.TrimSpace(strings.Split(fmt.Sprint(r.Facts[k]), ",")[0])
				if a, err := netip.ParseAddr(v); err == nil && a.Is4() {
					return v
				}
			}
		}
	}
	return ""
}

// sharedAddress reports a sign that the STUN address is not the router's
// own: carrier-grade NAT or IPoE (MAP-E, DS-Lite) signs from nat.mapping,
// or its remedies.
func sharedAddress(results []checks.Result) bool {
	for _, r := range results {
		if r.ID != "nat.mapping" {
			continue
		}
		for _, rem := range r.Remedies {
			if rem == "avoid-cgnat" || rem == "ipoe-fixed-ip" {
				return true
			}
		}
		for _, k := range []string{"host_addr_in_cgnat_space", "external_ip_in_cgnat_space", "source_in_cgnat_space", "mape_port_set_signs"} {
			if b, ok := r.Facts[k].(bool); ok && b {
				return true
			}
		}
		if h := fmt.Sprint(r.Facts["mss_hint"]); strings.Contains(h, "tunnel") || strings.Contains(h, "ipoe") || strings.Contains(h, "dslite") || strings.Contains(h, "map-e") {
			return true
		}
	}
	return false
}

// ScenarioName is a demo scenario's name in lang (ui "demo.name.<id>":
// 「不具合あり」 for problems); the id itself when content has none.
func ScenarioName(c *content.Content, lang content.Lang, id string) string {
	if t, ok := c.UI["demo.name."+id]; ok {
		return t.In(lang)
	}
	return id
}

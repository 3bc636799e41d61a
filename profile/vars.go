package profile

import (
	"strconv"
	"strings"
)

// Vars returns the values that fill {placeholders} in remedies and vendor
// snippets. A value the profile does not have is shown as a marker naming
// where the real value is found, in lang ("ja" or "en"), so a checklist never
// silently carries an empty address.
func (p *Profile) Vars(lang string) map[string]string {
	missing := func(ja, en string) string {
		if lang == "en" {
			return "<" + en + ">"
		}
		return "〈" + ja + "〉"
	}
	or := func(v, ja, en string) string {
		if v != "" {
			return v
		}
		return missing(ja, en)
	}
	stunHosts := make([]string, 0, len(p.STUN.Servers))
	seen := map[string]bool{}
	for _, e := range p.STUNEntries() {
		if !seen[e.Host] {
			seen[e.Host] = true
			stunHosts = append(stunHosts, e.Host)
		}
	}
	stunDest := p.STUN.CIDR
	if stunDest == "" {
		stunDest = strings.Join(stunHosts, ", ")
	}
	serverIP := p.Server.VPNIP
	if serverIP == "" {
		serverIP = p.Server.IP
	}
	return map[string]string{
		"server_host":    or(p.Server.Host, "管理画面ホスト名: ご利用案内", "management hostname: contract papers"),
		"server_ip":      or(serverIP, "BIZTELサーバIP: ご利用案内", "BIZTEL server IP: contract papers"),
		"server_public":  or(p.Server.IP, "BIZTELサーバIP: ご利用案内", "BIZTEL server IP: contract papers"),
		"server_vpn_ip":  or(p.Server.VPNIP, "プライベートIP: ご利用案内", "private IP: contract papers"),
		"stun_servers":   or(strings.Join(stunHosts, ", "), "STUNサーバ: サービスご紹介資料", "STUN servers: service brochure"),
		"stun_dest":      or(stunDest, "STUNサーバ群: サービスご紹介資料", "STUN servers: service brochure"),
		"recording":      or(p.Recording.Addr(), "録音一括ダウンロードサーバ: ご利用案内", "recording download server: contract papers"),
		"recording_host": or(p.Recording.Host, "録音一括ダウンロードサーバ名: ご利用案内", "recording server name: contract papers"),
		"uniconnect":     or(p.UniConnect.Addr(), "uniConnectサーバ: ご利用案内", "uniConnect server: contract papers"),
		"ntp":            p.NTPServer(),
		"channels":       strconv.Itoa(p.CallCount()),
		"bandwidth_kbps": strconv.Itoa(p.CallCount() * 200),
		"reflector":      or(p.Reflector.Addr, "リフレクタ", "reflector"),
		// the checklist's site-aware phrases; report.ChecklistFor fills
		// them from the vendor and the results, these are the defaults
		"router_ip":    p.routerIP(lang, missing),
		"return_where": pick(lang, "戻りを自動で通さない機器（YAMAHA のルータ等）では", "On devices that do not pass return traffic by themselves (routers such as YAMAHA's),"),
		"return_short": pick(lang, "YAMAHA のルータ等", "routers such as YAMAHA's"),
		"vendor_ref":   pick(lang, "機器ごとの設定は `biztel-doctor ports --vendor NAME` を参照。", "For device-specific settings see `biztel-doctor ports --vendor NAME`."),
	}
}

func pick(lang, ja, en string) string {
	if lang == "en" {
		return en
	}
	return ja
}

// routerIP is the destination of the WAN → LAN rules: the private IP with
// the VPN option, else the router's global IP, which the profile does not
// hold (the checklist fills it from STUN when it can).
func (p *Profile) routerIP(lang string, missing func(ja, en string) string) string {
	if p.VPN() {
		return pick(lang, "プライベートIPアドレス（VPNオプション）", "the private IP address (VPN option)")
	}
	return pick(lang, "ルータのグローバルIP", "the router's global IP ") + missing("ルータの管理画面の WAN 側アドレス、またはプロバイダの契約書類", "the WAN address in the router's admin screen, or the provider's papers")
}

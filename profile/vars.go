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
	}
}

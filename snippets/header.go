package snippets

import (
	"net/netip"
	"slices"
	"strings"

	"github.com/biztel-tools/biztel-doctor/content"
)

// header is the comment block before the rules: device and firmware line,
// the vendor documents, the site's values, how to read placeholders, and the
// promise that nothing existing is removed or renumbered.
func (r *renderer) header(blocks []Block) []string {
	t := func(ja, en string, args ...any) string { return content.Tf(ja, en, args...).In(r.lang) }
	v := r.v
	h := []string{
		t("BIZTEL 通信要件の設定例: %s（%s）", "BIZTEL network requirements, configuration for: %s (%s)", v.Display, v.Firmware),
	}
	server := r.vars["server_ip"]
	if r.p.VPN() {
		h = append(h, t("BIZTEL サーバ: %s（VPN オプション: プライベート IP。VPN 側の経路・インターフェースに適用してください）",
			"BIZTEL server: %s (VPN option: the private IP; apply the rules on the path towards the VPN)", server))
	} else {
		h = append(h, t("BIZTEL サーバ: %s", "BIZTEL server: %s", server))
	}
	h = append(h,
		t("STUN: %s / 録音一括ダウンロード: %s / NTP: %s / uniConnect: %s",
			"STUN: %s / bulk recording download: %s / NTP: %s / uniConnect: %s",
			strings.Join(r.stun, ", "), r.optValue("recording_download", "recording"), r.vars["ntp"], r.optValue("uniconnect", "uniconnect")),
		t("オプション: %s", "Options: %s", r.optionList()),
		t("<大文字> は運用者が決める値（インターフェース名・フィルタ番号・オブジェクト名）です。置き換えてから投入してください。",
			"<UPPER_CASE> marks values the operator chooses (interface names, filter numbers, object names); replace them before use."),
		t("〈…〉はプロファイルにない値です。括弧内の資料で確認してください。",
			"<…: where> marks a value the site profile lacks; the text names where to find it."),
		t("この設定例は追加だけを行います。既存のルールの削除・置き換え・番号の振り直しはしません。",
			"These lines only add: they never flush, replace or renumber existing rules."),
	)
	switch {
	case v.Stateful == nil: // a vendor-neutral table: its own note says which devices need what
	case *v.Stateful:
		h = append(h, t("この機器は許可した通信の応答を自動で通します。WAN→LAN の行は、応答を止めるポリシーがある場合だけ使います（要件表の事例 3・4）。",
			"This device passes replies of allowed flows by itself; the WAN→LAN lines are needed only where a policy blocks replies (the page's cases 3 and 4)."))
	default:
		h = append(h, t("この機器は応答を自動で通さないため、WAN→LAN（戻り）のルールが必要です（要件表の WAN→LAN 一覧）。",
			"This device does not pass replies by itself, so the WAN→LAN (return) rules are required (the page's WAN→LAN table)."))
	}
	if names := r.hostNames(); len(names) > 0 {
		h = append(h, t("%s はホスト名です。多くの機器のルールには IP アドレスが必要なため、名前解決した IP アドレスに置き換えてください。",
			"%s is a host name; most devices need IP addresses in rules, so resolve it and use its addresses.", strings.Join(names, ", ")))
	}
	for _, b := range blocks {
		if b.Unverified {
			h = append(h, t("【未確認】の行は出典で構文を確認できなかったものです。投入前に機器のマニュアルで確認してください。",
				"[UNVERIFIED] lines could not be confirmed from a vendor document; check them against the device's manual before use."))
			break
		}
	}
	for _, n := range v.Notes {
		h = append(h, content.Fill(n.In(r.lang), r.vars))
	}
	return h
}

func (r *renderer) optValue(option, key string) string {
	if !r.opts[option] {
		return content.T("（未使用）", "(not used)").In(r.lang)
	}
	return r.vars[key]
}

func (r *renderer) optionList() string {
	var on []string
	for _, o := range content.AllOptions {
		if r.opts[o] {
			on = append(on, r.c.Label("site.opt."+o, r.lang)) // the option's name, as the TUI's form says it
		}
	}
	if r.p.VPN() {
		on = append(on, content.T("VPN オプション", "VPN option").In(r.lang))
	}
	if len(on) == 0 {
		return content.T("なし", "none").In(r.lang)
	}
	return strings.Join(on, ", ")
}

// hostNames lists the destinations given by name rather than IPv4 address
// (STUN entries, recording or uniConnect server), for the header's warning.
func (r *renderer) hostNames() []string {
	var out []string
	check := func(v string) {
		if v == "" || strings.ContainsAny(v, "<〈") { // empty or a "where to find it" marker
			return
		}
		if pfx, err := netip.ParsePrefix(v); err == nil && pfx.Addr().Is4() {
			return
		}
		if a, err := netip.ParseAddr(v); err == nil && a.Is4() {
			return
		}
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	for _, s := range r.stun {
		check(s)
	}
	if r.opts[content.OptRecordingDownload] {
		check(r.p.Recording.Addr())
	}
	if r.opts[content.OptUniConnect] {
		check(r.p.UniConnect.Addr())
	}
	return out
}

package tui

import (
	"slices"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/biztel-tools/biztel-doctor/checks"
	"github.com/biztel-tools/biztel-doctor/content"
)

// TestEveryCheckDetailKeepsToOneLanguage: the detail pane of every check
// of both recorded demo runs, in ja and en at 80 columns, has no word of
// the other language (the golden scan sees one check's detail only): fact
// labels, enumerated fact VALUES (login: 不要, kind: 有線, result: 成功 …),
// summaries, the RTT/jitter lines. Words of values quoted as received
// (verbatimFact) may show anywhere in that check's pane.
func TestEveryCheckDetailKeepsToOneLanguage(t *testing.T) {
	for _, sc := range []string{"problems", "healthy"} {
		for _, lang := range []content.Lang{content.Ja, content.En} {
			d := demoDriver(t, sc, lang)
			d.press("3")
			for !strings.Contains(d.screen(), "> "+d.m.sh.L("ways.full")) {
				d.press("down")
			}
			d.press("enter", "5")
			ids := d.m.live.list()
			if len(ids) < 20 {
				t.Fatalf("%s %s: %d checks listed", sc, lang, len(ids))
			}
			for i, id := range ids {
				r, ok := d.m.sh.result(id)
				if !ok {
					t.Errorf("%s %s: %s has no result", sc, lang, id)
					continue
				}
				quoted := quotedWords(r)
				d.m.live.cur = i
				for _, l := range d.m.live.detail(ids, 80) {
					l = ansi.Strip(l)
					bad := slices.DeleteFunc(otherLanguage(l, lang == content.Ja, false), func(w string) bool {
						return slices.ContainsFunc(quoted, func(q string) bool { return strings.Contains(q, w) })
					})
					if len(bad) > 0 {
						t.Errorf("%s %s %s: %v in %q", sc, lang, id, bad, l)
					}
				}
			}
		}
	}
}

// TestFactValuesInPeoplesWords pins the lookup: exact words, a key built
// at run time through its label pattern, a shared suffix, a placeholder,
// a list item by item, whole floats from JSON, and raw text left alone.
func TestFactValuesInPeoplesWords(t *testing.T) {
	sh := &shared{c: content.MustLoad(), lang: content.Ja}
	for _, tc := range []struct {
		key  string
		v    any
		want string
	}{
		{"login", "not needed", "不要"},
		{"kind", "wired", "有線"},
		{"data_result", "refused", "拒否された（RST）"},
		{"tcp.INVITE", "6 fields rewritten", "6 項目が書き換えられた"},
		{"mode", "sample of 16 ports", "16 ポートの抽出確認"},
		{"ranges", "10000–10015 ok, 10016 no reply", "10000–10015 応答あり、10016 応答なし"},
		{"pasv_port", float64(20991), "20991"},
		{"cert_issuer", "CN=FortiGate CA,O=Fortinet", "CN=FortiGate CA,O=Fortinet"},
		{"cert_sans", "a.example, 127.0.0.1", "a.example, 127.0.0.1"},
		{"answered", true, "はい"},
		{"host_ipv6", "", "（なし）"},
	} {
		if got := sh.factValue(tc.key, tc.v); got != tc.want {
			t.Errorf("factValue(%q, %v) = %q, want %q", tc.key, tc.v, got, tc.want)
		}
	}
	sh.lang = content.En
	if got := sh.factValue("mss_hint", "ipv4_over_ipv6"); got != "IPv4 over IPv6 (DS-Lite, MAP-E)" {
		t.Errorf("en mss_hint: %q", got)
	}
}

// verbatimFact: values the tool quotes as it received them, in the
// sender's words: certificate fields, server names and greetings, SIP
// headers, OS error text, file paths, environment variable names. They
// are evidence for support and are not translated.
func verbatimFact(k string) bool {
	for _, p := range []string{"cert_", "tls_inspection_", "tls_", "rewrite.", "software@", "rcode@", "gateway_"} {
		if strings.HasPrefix(k, p) {
			return true
		}
	}
	for _, s := range []string{"_banner", "_reply", "_status", "status_line", "_server", "server_agent", "error",
		"hosts_file", "variables_checked", "websocket_subprotocol", "wan_service"} {
		if strings.HasSuffix(k, s) {
			return true
		}
	}
	return false
}

// quotedWords are a result's verbatim values: a word of the pane that is
// part of one (a summary quoting a certificate's issuer, a long SIP header
// wrapped mid-token) is the sender's, not ours.
func quotedWords(r checks.Result) []string {
	var out []string
	for k, v := range r.Facts {
		if verbatimFact(k) {
			out = append(out, checks.FactString(v))
		}
	}
	return out
}

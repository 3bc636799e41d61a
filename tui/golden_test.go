package tui

import (
	"testing"

	"github.com/biztel-tools/biztel-doctor/checks"
	"github.com/biztel-tools/biztel-doctor/content"
)

// TestGoldenScreens pins every screen in both languages at 80×24.
// go test ./tui -run Golden -update rewrites testdata/*.golden.
func TestGoldenScreens(t *testing.T) {
	for _, lang := range []content.Lang{content.Ja, content.En} {
		p := testProfile(true)
		p.Vendor = "yamaha"
		d := newDriver(t, lang, p, map[string]checks.Result{
			"sip.alg":   failed("sip.alg", "disable-sip-alg"),
			"net.proxy": checks.WarnResult("net.proxy", content.T("環境変数 HTTPS_PROXY にプロキシがあります", "HTTPS_PROXY names a proxy"), "remove-proxy").WithFact("https_proxy", "http://192.0.2.8:3128"),
		})
		d.m.sh.cfg.OutDir = "/srv/reports"
		name := func(n string) string { return n + "_" + string(lang) }
		golden(t, name("1_start"), d.screen())
		d.press("2")
		golden(t, name("2_site"), d.screen())
		d.press("esc", "3", "down", "down")
		golden(t, name("3_ways"), d.screen())
		d.press("up", "up", "enter")
		golden(t, name("4_tree"), d.screen())
		d.press("5")
		golden(t, name("5_checks"), d.screen())
		d.press("6")
		golden(t, name("6_findings"), d.screen())
		d.press("7")
		golden(t, name("7_config"), d.screen())
		d.press("8")
		golden(t, name("8_export"), d.screen())
	}
}

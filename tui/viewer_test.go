package tui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/biztel-tools/biztel-doctor/checks"
	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/profile"
	"github.com/biztel-tools/biztel-doctor/report"
)

func press(v *Viewer, keys ...string) string {
	for _, k := range keys {
		v.Update(tea.KeyPressMsg(tea.Key{Text: k, Code: []rune(k)[0]}))
	}
	return v.View().Content
}

// The viewer shows answers as the question and answer the user saw, the
// configuration of any vendor chosen on the spot, and fits 80×24.
func TestViewerTabs(t *testing.T) {
	c := content.MustLoad()
	node, _ := c.Tree().Node("case.sip-alg")
	ans, _ := node.Answer("off")
	rep := &report.Report{Version: "1.0", SavedLang: content.Ja, Simulated: "problems",
		Profile: &profile.Profile{Server: profile.Server{IP: "203.0.113.10"}, Vendor: "yamaha"},
		Answers: map[string]string{"case.sip-alg": "off", "case.sip-alg.reason": "free text"},
		Results: []checks.Result{{ID: "sip.udp", Status: checks.Fail, Summary: content.T("応答なし", "no answer"), Remedies: []string{"allow-sip-udp"}}}}
	var asked []string
	v := NewViewer(ViewConfig{Lang: content.En, NoColor: true, Content: c, Report: rep,
		Snippet: func(vendor string, p *profile.Profile, lang content.Lang) string {
			asked = append(asked, vendor)
			return "config for " + vendor
		}})
	v.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	first := press(v)
	if !strings.Contains(first, "[simulated: problems]") || !strings.Contains(first, "no answer") {
		t.Errorf("findings:\n%s", first)
	}
	site := press(v, "4")
	if !strings.Contains(site, node.Question.En) || !strings.Contains(site, ans.Label.En) || !strings.Contains(site, "free text") {
		t.Errorf("answers not shown as question and answer:\n%s", site)
	}
	cfg := press(v, "3")
	if !strings.Contains(cfg, "config for yamaha") {
		t.Errorf("report's vendor config missing:\n%s", cfg)
	}
	cfg = press(v, "v")
	if strings.Contains(cfg, "config for yamaha") || len(asked) < 2 || asked[len(asked)-1] == "yamaha" {
		t.Errorf("v did not switch vendor (asked %v):\n%s", asked, cfg)
	}
	for _, screen := range []string{first, site, cfg, press(v, "L", "1")} {
		lines := strings.Split(screen, "\n")
		if len(lines) != 24 {
			t.Errorf("%d lines, want 24", len(lines))
		}
		for _, l := range lines {
			if lipglossWidth(l) > 80 {
				t.Errorf("line wider than 80: %q", l)
			}
		}
	}
	if ja := press(v); !strings.Contains(ja, "応答なし") || !strings.Contains(ja, "保存されたレポート") {
		t.Errorf("after L the view is not Japanese:\n%s", ja)
	}
}

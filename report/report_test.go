package report_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/biztel-tools/biztel-doctor/checks"
	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/profile"
	"github.com/biztel-tools/biztel-doctor/report"
	"github.com/biztel-tools/biztel-doctor/report/reporttest"
)

func sampleReport(t *testing.T) (*report.Report, *content.Content) {
	t.Helper()
	c, err := content.Load()
	if err != nil {
		t.Fatal(err)
	}
	yes := true
	p := &profile.Profile{
		Server:    profile.Server{Host: "s0123456789ab.u.biztel.jp", IP: "203.0.113.10"},
		STUN:      profile.STUN{Servers: []string{"198.51.100.20:3478"}},
		FTPS:      profile.FTPS{User: "rec-user", Password: "s3cret-pass"},
		Reflector: profile.Reflector{Addr: "198.51.100.40", Token: "tok-123456"},
		Options:   profile.Options{Encryption: &yes},
		Channels:  4,
	}
	fail := checks.FailResult("sip.udp", content.T("応答なし", "no reply | to OPTIONS"), "allow-sip-udp")
	fail.Facts["rtt_ms"] = 12.5
	fail.Facts["timeouts"] = 3
	fail.Facts["wait"] = 1500 * time.Millisecond
	fail.Facts["tried"] = []string{"a", "b"}
	fail.Facts["ok"] = false
	out := &checks.Outcome{
		Started:  time.Date(2026, 11, 24, 1, 2, 3, 0, time.UTC),
		Duration: 1234 * time.Millisecond,
		Results: []checks.Result{
			checks.PassResult("net.ipv4", content.T("IPv4 あり", "IPv4 path")),
			fail,
			{ID: "sip.tls", Status: checks.Fail, Summary: content.T("x", "x"), Remedies: []string{"allow-sip-udp", "allow-sip-tls"}},
			{ID: "sip.alg", Status: checks.Skip, Summary: content.T("前提", "prereq"), SkippedBecause: "sip.udp", Facts: checks.Facts{}},
		},
	}
	return report.Build(report.Input{Version: "1.2.3", Outcome: out, Profile: p, Content: c}), c
}

func TestChecklistOnePerRemedyWithSiteValues(t *testing.T) {
	rep, _ := sampleReport(t)
	if len(rep.Checklist) != 2 {
		t.Fatalf("checklist has %d items, want 2 (allow-sip-udp once, allow-sip-tls)", len(rep.Checklist))
	}
	first := rep.Checklist[0]
	if first.ID != "allow-sip-udp" || strings.Join(first.Causes, ",") != "sip.udp,sip.tls" {
		t.Errorf("first item %s caused by %v", first.ID, first.Causes)
	}
	var steps []string
	for _, s := range first.Steps {
		steps = append(steps, s.Ja, s.En)
	}
	all := strings.Join(steps, "\n")
	if !strings.Contains(all, "203.0.113.10") || strings.Contains(all, "{server_ip}") {
		t.Errorf("steps not filled with the server address:\n%s", all)
	}
	if rep.ExitCode() != 1 {
		t.Errorf("exit code %d, want 1 with a fail", rep.ExitCode())
	}
}

func TestJSONValidatesAndHasNoSecrets(t *testing.T) {
	rep, c := sampleReport(t)
	for _, lang := range []content.Lang{content.Ja, content.En} {
		var buf bytes.Buffer
		if err := rep.WriteJSON(&buf, lang, c); err != nil {
			t.Fatal(err)
		}
		if err := reporttest.ValidateJSON(buf.Bytes()); err != nil {
			t.Fatalf("%s: %v\n%s", lang, err, buf.String())
		}
		for _, secret := range []string{"s3cret-pass", "rec-user", "tok-123456"} {
			if strings.Contains(buf.String(), secret) {
				t.Errorf("%s report contains a secret %q", lang, secret)
			}
		}
		var doc struct {
			Checks []struct {
				ID    string         `json:"id"`
				Facts map[string]any `json:"facts"`
			} `json:"checks"`
			Summary map[string]int `json:"summary"`
		}
		if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
			t.Fatal(err)
		}
		f := doc.Checks[1].Facts
		if f["wait"] != 1500.0 || f["tried"] != "a, b" || f["ok"] != false {
			t.Errorf("facts not normalised: %v", f)
		}
		if doc.Summary["fail"] != 2 || doc.Summary["pass"] != 1 || doc.Summary["skip"] != 1 {
			t.Errorf("summary %v", doc.Summary)
		}
	}
}

func TestSchemaRejectsBrokenReports(t *testing.T) {
	rep, c := sampleReport(t)
	var buf bytes.Buffer
	if err := rep.WriteJSON(&buf, content.En, c); err != nil {
		t.Fatal(err)
	}
	good := buf.String()
	for name, bad := range map[string]string{
		"fail without remedy": strings.Replace(good, `"allow-sip-udp"
      ]`, `]`, 1),
		"unknown status": strings.Replace(good, `"status": "pass"`, `"status": "ok"`, 1),
		"wrong schema":   strings.Replace(good, report.Schema, "other/v2", 1),
		"secret present": strings.Replace(good, `"profile": {`, `"profile": {"ftps": {"password": "x"},`, 1),
	} {
		if bad == good {
			t.Fatalf("%s: mutation did not apply", name)
		}
		if err := reporttest.ValidateJSON([]byte(bad)); err == nil {
			t.Errorf("%s: schema accepted it", name)
		}
	}
}

func TestMarkdownIsTicketReady(t *testing.T) {
	rep, c := sampleReport(t)
	rep.Snippet = "ip filter 1 pass * 203.0.113.10 udp * 5060"
	var buf bytes.Buffer
	if err := rep.WriteMarkdown(&buf, content.Ja, c); err != nil {
		t.Fatal(err)
	}
	md := buf.String()
	for _, want := range []string{"- [ ] **", "203.0.113.10", "`sip.udp`", `no reply \| to OPTIONS`[:0] + `応答なし`, "```\nip filter 1", "| 2 | `sip.udp` | [NG] 不合格 |"} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
	buf.Reset()
	if err := rep.WriteMarkdown(&buf, content.En, c); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `no reply \| to OPTIONS`) {
		t.Error("a pipe in a summary must be escaped in the table")
	}
}

// The text report names evidence in the reader's words, with the key for
// support, as the Markdown does: it printed raw keys and Go values before.
func TestTextNamesFactsInWords(t *testing.T) {
	rep, c := sampleReport(t)
	var buf bytes.Buffer
	if err := rep.WriteText(&buf, content.Ja, c, report.TextOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"RTT（ms） [rtt_ms]: 12.5", "ok: いいえ"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("ja text lacks %q:\n%s", want, buf.String())
		}
	}
}

func TestTextMarksStatusWithoutColour(t *testing.T) {
	rep, c := sampleReport(t)
	var buf bytes.Buffer
	if err := rep.WriteText(&buf, content.En, c, report.TextOptions{}); err != nil {
		t.Fatal(err)
	}
	txt := buf.String()
	if strings.Contains(txt, "\x1b[") {
		t.Error("colour codes without Color")
	}
	for _, want := range []string{"[OK] net.ipv4", "[NG] sip.udp", "[--] sip.alg", "RTT (ms) [rtt_ms]: 12.5", "timeouts: 3", "[ ] "} {
		if !strings.Contains(txt, want) {
			t.Errorf("text lacks %q:\n%s", want, txt)
		}
	}
	buf.Reset()
	_ = rep.WriteText(&buf, content.En, c, report.TextOptions{Color: true})
	if !strings.Contains(buf.String(), "\x1b[31m") || !strings.Contains(buf.String(), "[NG]") {
		t.Error("colour must come with the symbol, never instead of it")
	}
}

func TestInterruptedExitCode(t *testing.T) {
	rep, _ := sampleReport(t)
	rep.Interrupted = true
	if rep.ExitCode() != 130 {
		t.Errorf("interrupted exit %d", rep.ExitCode())
	}
}

// The text and Markdown reports group failures by root cause as the TUI
// does: three TLS checks failing on the same interception read as one cause.
func TestReportsGroupByRootCause(t *testing.T) {
	c := content.MustLoad()
	tlsFail := func(id string) checks.Result {
		return checks.FailResult(id, content.T("傍受", "intercepted by FortiGate CA"), "disable-tls-inspection")
	}
	out := &checks.Outcome{Results: []checks.Result{
		checks.PassResult("sip.udp", content.T("ok", "ok")),
		tlsFail("sip.tls"), tlsFail("sip.wss"), tlsFail("web.8000"),
		checks.FailResult("ntp.hardphone", content.T("無応答", "no answer"), "allow-ntp"),
	}}
	rep := report.Build(report.Input{Version: "t", Outcome: out, Profile: &profile.Profile{Server: profile.Server{IP: "203.0.113.10"}}, Content: c})
	var md, txt bytes.Buffer
	if err := rep.WriteMarkdown(&md, content.En, c); err != nil {
		t.Fatal(err)
	}
	if err := rep.WriteText(&txt, content.En, c, report.TextOptions{}); err != nil {
		t.Fatal(err)
	}
	title := c.Label("finding.tls-intercepted.title", content.En)
	for name, out := range map[string]string{"markdown": md.String(), "text": txt.String()} {
		if strings.Count(out, title) != 1 {
			t.Errorf("%s: the TLS cause %q should appear once:\n%s", name, title, out)
		}
		if !strings.Contains(out, "ntp.hardphone") {
			t.Errorf("%s: the unrelated NTP failure must stay its own finding", name)
		}
	}
	if !strings.Contains(md.String(), "(`sip.tls`, `sip.wss`, `web.8000`)") {
		t.Errorf("markdown cause does not list its checks:\n%s", md.String())
	}
}

// TestSimulatedReportSaysSo: a demo's report says in every format that it
// is not a real network's, and a real run's report carries no such mark.
func TestSimulatedReportSaysSo(t *testing.T) {
	c := content.MustLoad()
	for _, scenario := range []string{"problems", ""} {
		rep, _ := sampleReport(t)
		rep.Simulated = scenario
		var txt, md, js bytes.Buffer
		if err := rep.WriteText(&txt, content.Ja, c, report.TextOptions{}); err != nil {
			t.Fatal(err)
		}
		if err := rep.WriteMarkdown(&md, content.En, c); err != nil {
			t.Fatal(err)
		}
		if err := rep.WriteJSON(&js, content.En, c); err != nil {
			t.Fatal(err)
		}
		if err := reporttest.ValidateJSON(js.Bytes()); err != nil {
			t.Errorf("simulated=%q: %v", scenario, err)
		}
		var doc map[string]any
		if err := json.Unmarshal(js.Bytes(), &doc); err != nil {
			t.Fatal(err)
		}
		marked := strings.Contains(txt.String(), "デモの結果です") && strings.Contains(md.String(), "not a diagnosis of a real network") && doc["simulated"] == scenario
		if scenario != "" && !marked {
			t.Errorf("demo report not marked as simulated:\n%s\n%s\n%s", txt.String(), md.String(), js.String())
		}
		if _, has := doc["simulated"]; scenario == "" && (has || strings.Contains(txt.String(), "デモ")) {
			t.Errorf("a real run's report is marked as a demo")
		}
	}
}

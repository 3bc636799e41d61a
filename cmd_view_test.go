package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/biztel-tools/biztel-doctor/checks"
	"github.com/biztel-tools/biztel-doctor/report/reporttest"
	"github.com/biztel-tools/biztel-doctor/tui"
)

func fixture(name string) string { return filepath.Join("report", "testdata", "diff", name+".json") }

// view must send nothing, in every output and in the TUI: no environment
// is built, and loopback listeners standing in for the report's site
// receive nothing (the same injected test as plan's).
func TestViewSendsNothing(t *testing.T) {
	udp, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer udp.Close()
	tcp, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer tcp.Close()
	uport := udp.LocalAddr().(*net.UDPAddr).Port
	tport := tcp.Addr().(*net.TCPAddr).Port
	oldPorts, oldEnv, oldProg := checkPorts, newCheckEnv, tuiProgram
	defer func() { checkPorts, newCheckEnv, tuiProgram = oldPorts, oldEnv, oldProg }()
	checkPorts = func() checks.Ports {
		p := checks.DefaultPorts()
		p.SIPUDP, p.STUNPrimary, p.STUNSecondary, p.NTP = uport, uport, uport, uport
		p.Web, p.SIPTLS, p.SIPWSS, p.FTPSControl = tport, tport, tport, tport
		return p
	}
	newCheckEnv = func(string) *checks.Env { t.Error("view built a network environment"); return checks.SystemEnv("x") }
	// the TUI runs headless: every screen, every vendor, both languages
	tuiProgram = func(m tea.Model, std stdio, opts ...tea.ProgramOption) (tea.Model, error) {
		for _, k := range []string{"1", "2", "3", "v", "v", "V", "4", "5", "L", "tab", "pgdown", "j"} {
			m, _ = m.Update(tea.KeyPressMsg(tea.Key{Text: k, Code: []rune(k)[0]}))
			_ = m.View()
		}
		return m, nil
	}
	doc := fmt.Sprintf(`{"schema":"biztel-doctor.report/v1","lang":"en",
	"profile":{"server":{"ip":"127.0.0.1","host":"localhost"},"stun":{"servers":["127.0.0.1:%d"]},"ntp":"127.0.0.1","recording":{"ip":"127.0.0.1"},"reflector":{"addr":"127.0.0.1:%d"},"vendor":"yamaha"},
	"checks":[{"id":"sip.udp","status":"fail","summary":"no answer","remedies":["allow-sip-udp"]}],
	"checklist":[{"id":"allow-sip-udp","causes":["sip.udp"]}]}`, uport, uport)
	path := writeFile(t, "r.json", doc)
	for _, args := range [][]string{
		{"view", path, "--format", "text"}, {"view", path, "--format", "markdown"}, {"view", path, "--format", "json"},
		{"view", path, "--against", path, "--format", "text"}, {"view", path}, {"view", path, "--against", path},
	} {
		tio := &testIO{env: map[string]string{}, terminal: true}
		if code := run(t.Context(), args, tio.stdio()); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, tio.err.String())
		}
	}
	_ = udp.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
	if n, _, err := udp.ReadFrom(make([]byte, 1500)); err == nil {
		t.Errorf("view sent a %d-byte UDP packet", n)
	}
	_ = tcp.(*net.TCPListener).SetDeadline(time.Now().Add(100 * time.Millisecond))
	if c, err := tcp.Accept(); err == nil {
		c.Close()
		t.Error("view opened a TCP connection")
	}
}

// A Japanese report from the bed, viewed in English: titles, summaries,
// checklist and the router configuration are English.
func TestViewRendersInViewersLanguage(t *testing.T) {
	code, tio := runCLI(t, "view", fixture("blocked-sip-udp-ja"), "--format", "text", "--lang", "en")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, tio.err.String())
	}
	out := tio.out.String()
	for _, want := range []string{"A saved report (written in Japanese", "SIP (UDP 5060)", "no answer", "Allow SIP (UDP 5060)", "nftables"} {
		if !strings.Contains(out, want) {
			t.Errorf("English view lacks %q:\n%s", want, out)
		}
	}
	for _, bad := range []string{"応答", "許可", "[in Japanese]"} {
		if strings.Contains(out, bad) {
			t.Errorf("English view shows %q:\n%s", bad, out)
		}
	}
	code, tio = runCLI(t, "view", "--lang", "ja", "--format", "markdown", fixture("fixed"))
	if code != 0 || !strings.Contains(tio.out.String(), "保存されたレポート") || !strings.Contains(tio.out.String(), "合格") {
		t.Errorf("Japanese Markdown of an English report: exit %d\n%s", code, tio.out.String())
	}
}

func TestDiffExitStatuses(t *testing.T) {
	other := otherSite(t)
	cases := []struct {
		name string
		args []string
		exit int
		out  string // in stdout (0/1) or stderr (2)
	}{
		{"fixed", []string{fixture("blocked-sip-udp"), fixture("fixed")}, 0, "Fixed (1)"},
		{"regressed", []string{fixture("fixed"), fixture("regressed-web-8000")}, 1, "Regressed (1)"},
		{"alg off", []string{fixture("alg-on"), fixture("alg-off"), "--format", "markdown"}, 0, "## Fixed (1)"},
		{"still failing", []string{"--format", "json", fixture("blocked-sip-udp"), fixture("blocked-sip-udp-ja")}, 1, `"still_failing"`},
		{"other site", []string{fixture("fixed"), other}, 2, "server.ip 198.18.0.10 / 203.0.113.99"},
		{"other site forced", []string{fixture("fixed"), other, "--force"}, 0, "different sites"},
		{"one file", []string{fixture("fixed")}, 2, "BEFORE.json AFTER.json"},
		{"missing file", []string{fixture("fixed"), "/nonexistent.json"}, 2, "cannot open /nonexistent.json"},
		{"a plan", []string{fixture("fixed"), writeFile(t, "plan.json", `{"destinations":[]}`)}, 2, "output of plan"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, tio := runCLI(t, append([]string{"diff", "--lang", "en"}, tc.args...)...)
			out := tio.out.String()
			if code == 2 {
				out = tio.err.String()
				if strings.Count(strings.TrimSpace(out), "\n") != 0 {
					t.Errorf("usage error is not one line: %q", out)
				}
			}
			if code != tc.exit || !strings.Contains(out, tc.out) {
				t.Errorf("exit %d, want %d; output lacks %q:\n%s", code, tc.exit, tc.out, out)
			}
		})
	}
}

// otherSite is the fixed report moved to another server IP.
func otherSite(t *testing.T) string {
	data, err := os.ReadFile(fixture("fixed"))
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	doc["profile"].(map[string]any)["server"].(map[string]any)["ip"] = "203.0.113.99"
	out, _ := json.Marshal(doc)
	return writeFile(t, "other.json", string(out))
}

// The viewer opens on the comparison with --against, and L switches the
// language of every tab.
func TestViewerAgainstAndLanguage(t *testing.T) {
	var seen []string
	old := tuiProgram
	defer func() { tuiProgram = old }()
	tuiProgram = func(m tea.Model, std stdio, opts ...tea.ProgramOption) (tea.Model, error) {
		seen = append(seen, m.View().Content)
		m, _ = m.Update(tea.KeyPressMsg(tea.Key{Text: "L", Code: 'L'}))
		seen = append(seen, m.View().Content)
		if v, ok := m.(*tui.Viewer); !ok || v.Lang() != "ja" {
			t.Errorf("L did not switch to Japanese")
		}
		return m, nil
	}
	tio := &testIO{env: map[string]string{}, terminal: true}
	if code := run(t.Context(), []string{"view", fixture("fixed"), "--against", fixture("blocked-sip-udp"), "--lang", "en"}, tio.stdio()); code != 0 {
		t.Fatalf("exit %d: %s", code, tio.err.String())
	}
	if len(seen) != 2 || !strings.Contains(seen[0], "[5 Before/after]") || !strings.Contains(seen[0], "Fixed (1)") {
		t.Fatalf("first screen:\n%s", seen[0])
	}
	if !strings.Contains(seen[1], "解決 (1)") || !strings.Contains(seen[1], "保存されたレポート") {
		t.Errorf("after L:\n%s", seen[1])
	}
}

// A signal (a closed terminal) ends the viewer: main's signal context
// reaches the program.
func TestViewerEndsOnSignal(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	pr, pw := io.Pipe() // input that never ends, as a terminal's
	defer pw.Close()
	tio := &testIO{env: map[string]string{}, terminal: true}
	std := tio.stdio()
	std.in = pr
	done := make(chan int, 1)
	go func() { done <- run(ctx, []string{"view", fixture("fixed")}, std) }()
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("exit %d: %s", code, tio.err.String())
		}
	case <-time.After(30 * time.Second): // a hang detector, not a timing assertion
		t.Fatal("the viewer ignored the signal")
	}
}

// A report re-exported by view (in the other language) is still a valid
// report.
func TestViewJSONValidates(t *testing.T) {
	for _, name := range []string{"blocked-sip-udp-ja", "alg-on"} {
		code, tio := runCLI(t, "view", fixture(name), "--format", "json", "--lang", "en")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, tio.err.String())
		}
		if err := reporttest.ValidateJSON(tio.out.Bytes()); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if !strings.Contains(tio.out.String(), `"lang": "en"`) {
			t.Errorf("%s: not re-rendered in English", name)
		}
	}
}

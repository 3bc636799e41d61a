package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/biztel-tools/biztel-doctor/checks"
	"github.com/biztel-tools/biztel-doctor/checks/checktest"
	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/report/reporttest"
)

type testIO struct {
	out, err bytes.Buffer
	env      map[string]string
	terminal bool
}

func (t *testIO) stdio() stdio {
	return stdio{
		in: strings.NewReader(""), out: &t.out, err: &t.err,
		getenv:      func(k string) string { return t.env[k] },
		isTerminal:  func() bool { return t.terminal },
		colorOut:    func() bool { return false },
		errTerminal: func() bool { return false },
	}
}

func runCLI(t *testing.T, args ...string) (int, *testIO) {
	t.Helper()
	tio := &testIO{env: map[string]string{}}
	code := run(context.Background(), args, tio.stdio())
	return code, tio
}

func writeFile(t *testing.T, name, data string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestUsageErrorsExit2WithOneLine(t *testing.T) {
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"unknown command", []string{"frobnicate"}, `不明なコマンド "frobnicate"`},
		{"unknown flag", []string{"check", "--server", "127.0.0.1", "--bogus"}, "-bogus"},
		{"unknown check id", []string{"plan", "--server", "192.0.2.1", "--only", "sip.nope"}, "sip.nope"},
		{"unknown skip id", []string{"plan", "--server", "192.0.2.1", "--skip", "x.y", "--lang", "en"}, "valid ids: net.ipv4"},
		{"bad format", []string{"plan", "--server", "192.0.2.1", "--format", "xml"}, `--format "xml"`},
		{"bad lang", []string{"plan", "--server", "192.0.2.1", "--lang", "fr"}, "--lang"},
		{"no server", []string{"check"}, "--profile"},
		{"bad server ip flag", []string{"plan", "--server-ip", "300.1.2.3", "--lang", "en"}, "--server-ip"},
		{"placeholder flag", []string{"plan", "--server", "XXX.XXX.XXX.XXX", "--lang", "en"}, "contract papers"},
		{"stun port", []string{"plan", "--server", "192.0.2.1", "--stun", "192.0.2.2:5000", "--lang", "en"}, "--stun"},
		{"unknown vendor", []string{"ports", "--vendor", "acme", "--lang", "en"}, "yamaha"},
		{"stray argument", []string{"plan", "--server", "192.0.2.1", "extra"}, `"extra"`},
		{"zero media duration", []string{"check", "--server", "127.0.0.1", "--media-duration", "0s"}, "--media-duration"},
		{"missing profile file", []string{"plan", "--profile", "/nonexistent/site.yaml", "--lang", "en"}, "cannot open"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, tio := runCLI(t, tc.args...)
			if code != exitUsage {
				t.Fatalf("exit %d, want 2; stderr %q", code, tio.err.String())
			}
			msg := tio.err.String()
			if strings.Count(strings.TrimSpace(msg), "\n") != 0 || !strings.Contains(msg, tc.want) {
				t.Errorf("want one line containing %q, got %q", tc.want, msg)
			}
		})
	}
}

func TestBrokenProfilesNameTheField(t *testing.T) {
	cases := []struct{ name, yaml, want string }{
		{"bad ip", "server:\n  ip: 203.0.113.300\n", "site.yaml:2: server.ip"},
		{"unknown key", "server:\n  ip: 203.0.113.10\n  hots: x\n", "site.yaml:3: server.hots"},
		{"placeholder", "server:\n  host: sXXXXXXXXXXXX.u.biztel.jp\n", "ご利用案内"},
		{"stun placeholder", "server: {ip: 203.0.113.10}\nstun:\n  cidr: \"***.***.***.***/**\"\n", "サービスご紹介資料"},
		{"port 0", "server: {ip: 203.0.113.10}\nntp: 198.51.100.1:0\n", "ntp"},
		{"wrong yaml", "server: [1, 2\n", "YAML"},
		{"wrong type", "server: {ip: 203.0.113.10}\nchannels: many\n", "channels"[:0] + "many"},
		{"empty", "", "server"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := writeFile(t, "site.yaml", tc.yaml)
			code, tio := runCLI(t, "plan", "--profile", path)
			if code != exitUsage || !strings.Contains(tio.err.String(), tc.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, tio.err.String(), tc.want)
			}
		})
	}
}

// plan must send nothing: no environment is even built, and loopback
// listeners standing in for every destination receive nothing.
func TestPlanSendsNothing(t *testing.T) {
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
	oldPorts, oldEnv := checkPorts, newCheckEnv
	defer func() { checkPorts, newCheckEnv = oldPorts, oldEnv }()
	checkPorts = func() checks.Ports {
		p := checks.DefaultPorts()
		p.SIPUDP, p.STUNPrimary, p.STUNSecondary, p.NTP = uport, uport, uport, uport
		p.Web, p.SIPTLS, p.SIPWSS, p.FTPSControl = tport, tport, tport, tport
		return p
	}
	newCheckEnv = func(string) *checks.Env { t.Error("plan built a network environment"); return checks.SystemEnv("x") }

	code, tio := runCLI(t, "plan", "--server", "127.0.0.1", "--stun", "127.0.0.1:3478", "--ntp", "127.0.0.1",
		"--recording", "127.0.0.1", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, tio.err.String())
	}
	var doc struct {
		Destinations []map[string]string `json:"destinations"`
	}
	if err := json.Unmarshal(tio.out.Bytes(), &doc); err != nil {
		t.Fatalf("plan json: %v\n%s", err, tio.out.String())
	}
	for _, d := range doc.Destinations {
		for _, k := range []string{"check", "proto", "transport", "address", "ports", "purpose"} {
			if d[k] == "" {
				t.Errorf("destination %v lacks %s", d, k)
			}
		}
	}
	_ = udp.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
	if n, _, err := udp.ReadFrom(make([]byte, 1500)); err == nil {
		t.Errorf("plan sent a %d-byte UDP packet", n)
	}
	_ = tcp.(*net.TCPListener).SetDeadline(time.Now().Add(100 * time.Millisecond))
	if c, err := tcp.Accept(); err == nil {
		c.Close()
		t.Error("plan opened a TCP connection")
	}
}

func TestPortsPrintsEveryRowInBothLanguages(t *testing.T) {
	c := content.MustLoad()
	for _, lang := range []string{"ja", "en"} {
		code, tio := runCLI(t, "ports", "--lang", lang)
		if code != 0 {
			t.Fatalf("%s: exit %d %s", lang, code, tio.err.String())
		}
		out := tio.out.String()
		for _, r := range c.Requirements {
			if !strings.Contains(out, r.Protocol) || !strings.Contains(out, content.PortList(r.Ports)) {
				t.Errorf("%s: row %s (%s %s) missing", lang, r.ID, r.Protocol, content.PortList(r.Ports))
			}
		}
		code, tio = runCLI(t, "ports", "--lang", lang, "--format", "json")
		var doc struct {
			Requirements []map[string]any `json:"requirements"`
		}
		if code != 0 || json.Unmarshal(tio.out.Bytes(), &doc) != nil || len(doc.Requirements) != len(c.Requirements) {
			t.Errorf("%s json: exit %d, %d rows, want %d", lang, code, len(doc.Requirements), len(c.Requirements))
		}
	}
}

func TestPortsFillsSiteAddresses(t *testing.T) {
	code, tio := runCLI(t, "ports", "--server", "203.0.113.10", "--vpn-ip", "10.0.0.10", "--lang", "en", "--format", "markdown")
	if code != 0 {
		t.Fatal(tio.err.String())
	}
	if len(content.MustLoad().Requirements) > 0 && !strings.Contains(tio.out.String(), "10.0.0.10") {
		t.Errorf("VPN private IP not shown:\n%s", tio.out.String())
	}
}

func TestCheckJSONValidatesAgainstSchema(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "r.json")
	code, tio := runCLI(t, "check", "--server", "127.0.0.1", "--only", "net.proxy", "-o", out)
	if code != 0 && code != 1 {
		t.Fatalf("exit %d: %s", code, tio.err.String())
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if err := reporttest.ValidateJSON(data); err != nil {
		t.Fatalf("%v\n%s", err, data)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("temp files left beside the report: %v", entries)
	}
}

func TestNotATerminal(t *testing.T) {
	code, tio := runCLI(t)
	if code != exitUsage || !strings.Contains(tio.err.String(), "check") {
		t.Errorf("exit %d, %q", code, tio.err.String())
	}
}

func TestVersion(t *testing.T) {
	code, tio := runCLI(t, "version")
	if code != 0 || !strings.HasPrefix(tio.out.String(), "biztel-doctor ") {
		t.Errorf("exit %d, %q", code, tio.out.String())
	}
}

// Ctrl-C during check: the partial report is still written (atomically),
// marked interrupted, with unfinished checks as error "interrupted", and
// the exit status is 130.
func TestCheckInterruptedWritesPartialReport(t *testing.T) {
	silent := checktest.Silent(t) // accepts and never speaks: web.8000 waits
	oldPorts := checkPorts
	defer func() { checkPorts = oldPorts }()
	checkPorts = func() checks.Ports {
		p := checks.DefaultPorts()
		p.Web = checktest.Port(t, silent)
		return p
	}
	out := filepath.Join(t.TempDir(), "partial.json")
	ctx, cancel := context.WithCancel(context.Background())
	tio := &testIO{env: map[string]string{}}
	done := make(chan int)
	go func() {
		done <- run(ctx, []string{"check", "--server", "127.0.0.1", "--only", "web.8000,net.proxy", "-o", out}, tio.stdio())
	}()
	time.Sleep(300 * time.Millisecond) // let web.8000 connect and wait
	cancel()
	data := interruptedReport(t, done, 10*time.Second, tio, out)
	var doc struct {
		Interrupted bool `json:"interrupted"`
		Checks      []struct {
			ID, Status, Summary string
		} `json:"checks"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	if !doc.Interrupted {
		t.Error(`"interrupted" is not true`)
	}
	found := false
	for _, c := range doc.Checks {
		if c.ID == "web.8000" {
			found = true
			if c.Status != "error" {
				t.Errorf("web.8000: %s %q, want error interrupted", c.Status, c.Summary)
			}
		}
	}
	if !found {
		t.Error("web.8000 missing from the partial report")
	}
}

// -o /dev/null (and any device or pipe) is written in place: the atomic
// temp-file-and-rename must never replace the device with a regular file.
func TestOutputToDeviceKeepsTheDevice(t *testing.T) {
	if _, err := os.Stat(os.DevNull); err != nil || runtime.GOOS == "windows" {
		t.Skip("no /dev/null here")
	}
	for _, cmd := range [][]string{
		{"plan", "--server", "127.0.0.1", "-o", os.DevNull},
		{"check", "--server", "127.0.0.1", "--only", "net.proxy", "-o", os.DevNull},
	} {
		if code, tio := runCLI(t, cmd...); code != 0 {
			t.Fatalf("%v: exit %d %s", cmd, code, tio.err.String())
		}
		fi, err := os.Stat(os.DevNull)
		if err != nil || fi.Mode()&os.ModeCharDevice == 0 {
			t.Fatalf("%v replaced %s: mode %v, %v", cmd, os.DevNull, fi.Mode(), err)
		}
	}
}

// TestHelpSpellsFlagsWithTwoDashes: --help lists flags as the README and
// the error lines write them (--server; one-letter -o keeps one dash).
func TestHelpSpellsFlagsWithTwoDashes(t *testing.T) {
	for _, cmd := range []string{"check", "plan", "ports", "demo"} {
		code, tio := runCLI(t, cmd, "--help")
		out := tio.out.String()
		if code != exitOK || !strings.Contains(out, "\n  --lang ja|en\n") {
			t.Errorf("%s --help: exit %d, no \"--lang ja|en\" line:\n%s", cmd, code, out)
		}
		for _, line := range strings.Split(out, "\n") {
			if strings.HasPrefix(line, "  -") && !strings.HasPrefix(line, "  --") && !strings.HasPrefix(line, "  -o ") {
				t.Errorf("%s --help: %q has one dash", cmd, line)
			}
		}
	}
}

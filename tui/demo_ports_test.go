package tui

import (
	"strings"
	"testing"

	"github.com/biztel-tools/biztel-doctor/checks"
	"github.com/biztel-tools/biztel-doctor/content"
)

// demoCfg is a demo whose fakes listen on the ports a demo run picked.
func demoCfg() Config {
	opt := checks.DefaultOptions()
	p := &opt.Ports
	p.SIPUDP, p.SIPTLS, p.Web, p.FTPSControl = 58561, 35679, 44771, 39867
	p.FTPSPassive = content.PortRange{From: 23196, To: 23198}
	p.ReflectorRTP = content.PortRange{From: 52854, To: 52869}
	return Config{Demo: true, Options: opt, Env: &checks.Env{DNSServers: []string{"127.0.0.1:47895"}, SSDPAddr: "127.0.0.1:60283"}}
}

func TestDemoPortsText(t *testing.T) {
	m := newDemoPorts(demoCfg())
	for _, c := range []struct {
		in, want string
		bare     bool
	}{
		{"no answer to SIP OPTIONS: UDP 58561 is blocked outbound", "no answer to SIP OPTIONS: UDP 5060 is blocked outbound", false},
		{"UDP 58561 の送信が塞がれている", "UDP 5060 の送信が塞がれている", false},
		{"SIP/TLS 127.0.0.1:35679: TLS is intercepted", "SIP/TLS 127.0.0.1:15061: TLS is intercepted", false},
		{"answer@127.0.0.1:47895", "answer@127.0.0.1:53", false},
		{"ssdp 127.0.0.1:60283", "ssdp 127.0.0.1:1900", false},
		{"ranges=52854–52869 ok", "ranges=10000–10015 ok", false},
		{"23196-23198", "20991-20993", false},
		{"the data connection to passive port 23196 (inside 23196-23198) opened", "the data connection to passive port 20991 (inside 20991-20993) opened", false},
		{"パッシブポート 23196（範囲 23196-23198 内）、提示ポート 23196", "パッシブポート 20991（範囲 20991-20993 内）、提示ポート 20991", false},
		// not a loopback port: a public address, a measurement, an octet
		{"public address 203.0.113.9:35679", "public address 203.0.113.9:35679", false},
		{"mss=35679 rtt 58561.5 ms", "mss=35679 rtt 58561.5 ms", false},
		{"10.58.56.1 and 58561", "10.58.56.1 and 58561", false},
		// a port fact's value counts as a port by itself
		{"23196", "20991", true},
	} {
		if got, _ := m.text(c.in, c.bare); got != c.want {
			t.Errorf("text(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestDemoPortsResult(t *testing.T) {
	m := newDemoPorts(demoCfg())
	r := checks.FailResult("ftps.passive", content.T("FTPS data 127.0.0.1:23196 への TCP 接続が拒否されました", "FTPS data 127.0.0.1:23196: refused"), "allow-ftps").
		WithFact("pasv_port", 23196).WithFact("range_refused", "23196").WithFact("mapped_ports", "23196,3007").
		WithFact("control_address", "127.0.0.1:39867").WithFact("ports_probed", 3)
	got := m.result(r)
	if !strings.Contains(got.Summary.En, "127.0.0.1:20991") || !strings.Contains(got.Summary.Ja, "127.0.0.1:20991") {
		t.Errorf("summary %v keeps the loopback port", got.Summary)
	}
	want := map[string]any{"pasv_port": 20991, "range_refused": "20991", "mapped_ports": "23196,3007",
		"control_address": "127.0.0.1:20990", "ports_probed": 3,
		demoPortsFact: "loopback 23196 shown as 20991, loopback 39867 shown as 20990"}
	for k, v := range want {
		if got.Facts[k] != v {
			t.Errorf("fact %s = %v, want %v", k, got.Facts[k], v)
		}
	}
	if r.Facts["pasv_port"] != 23196 {
		t.Error("the measured result was changed in place")
	}
	// a real site: shown as measured
	if real := newDemoPorts(Config{Options: demoCfg().Options}).result(r); real.Summary != r.Summary || len(real.Facts) != len(r.Facts) {
		t.Errorf("outside the demo the result changed: %v", real)
	}
}

// demoPortsShown fails the test when a result still shows one of the demo's
// loopback ports where a port is read.
func demoPortsShown(t *testing.T, m demoPorts, results map[string]checks.Result) {
	t.Helper()
	for id, r := range results {
		for loop := range m {
			p := itoa(loop)
			for _, s := range []string{r.Summary.En, r.Summary.Ja} {
				if strings.Contains(s, "UDP "+p) || strings.Contains(s, "TCP "+p) || strings.Contains(s, "127.0.0.1:"+p) ||
					strings.Contains(s, "port "+p) || strings.Contains(s, "ポート "+p) {
					t.Errorf("%s shows the loopback port %s: %s", id, p, s)
				}
			}
		}
	}
}

package main

import (
	"context"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"testing"

	"github.com/biztel-tools/biztel-doctor/checks"
	"github.com/biztel-tools/biztel-doctor/checks/checktest"
	"github.com/biztel-tools/biztel-doctor/report/reporttest"
)

// wiredHost is a HostInfo with one wired default route and no proxy.
type wiredHost struct{}

func (wiredHost) DefaultRoute() (string, bool, error) { return "eth0", false, nil }
func (wiredHost) LinkKind(string) (string, map[string]string, error) {
	return "wired", map[string]string{}, nil
}
func (wiredHost) ProxySettings() (map[string]string, error) { return nil, nil }

// nxResolver answers every name with NXDOMAIN, so no lookup leaves the test.
type nxResolver struct{}

func (nxResolver) LookupIPAddr(_ context.Context, host string) ([]net.IPAddr, error) {
	return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
}

// TestCheckAgainstGarbageSite runs the CLI against a site where every port
// answers junk: exit 1, a report that validates, no network check passing,
// every warn/fail with a remedy and a checklist item for it.
func TestCheckAgainstGarbageSite(t *testing.T) {
	udp := checktest.ListenUDP(t, "127.0.0.1", 0)
	go func() {
		buf := make([]byte, 65536)
		for {
			_, from, err := udp.ReadFromUDP(buf)
			if err != nil {
				return
			}
			_, _ = udp.WriteToUDP([]byte("\x00\xffnot a protocol\r\n"), from)
		}
	}()
	tcp := checktest.Garbage(t, "\x00\xffSSH-2.0-junk\r\n")
	uport, tport := udp.LocalAddr().(*net.UDPAddr).Port, checktest.Port(t, tcp)
	oldPorts, oldEnv := checkPorts, newCheckEnv
	defer func() { checkPorts, newCheckEnv = oldPorts, oldEnv }()
	checkPorts = func() checks.Ports {
		p := checks.DefaultPorts()
		p.SIPUDP, p.STUNPrimary, p.STUNSecondary, p.NTP, p.DNS = uport, uport, uport, uport, uport
		p.Web, p.SIPTLS, p.SIPWSS, p.FTPSControl = tport, tport, tport, tport
		p.FTPSPassive.From, p.FTPSPassive.To = tport, tport
		return p
	}
	newCheckEnv = func(v string) *checks.Env {
		e := checks.SystemEnv(v)
		e.Resolver = nxResolver{}
		e.DNSServers = []string{udp.LocalAddr().String()}
		e.ResolvConf, e.HostsFile = "/nonexistent", "/nonexistent"
		e.SSDPAddr = udp.LocalAddr().String()
		e.Getenv = func(string) string { return "" }
		e.Host = wiredHost{}
		return e
	}
	out := filepath.Join(t.TempDir(), "r.json")
	code, tio := runCLI(t, "check", "--server", "127.0.0.1", "--stun", "127.0.0.1", "--ntp", "127.0.0.1",
		"--recording", "127.0.0.1", "--lang", "en", "-o", out)
	if code != 1 {
		t.Fatalf("exit %d, want 1; stderr %s", code, tio.err.String())
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if err := reporttest.ValidateJSON(data); err != nil {
		t.Fatalf("%v\n%s", err, data)
	}
	var doc struct {
		Checks []struct {
			ID, Status string
			Remedies   []string
		}
		Checklist []struct{ ID string }
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	items := map[string]bool{}
	for _, it := range doc.Checklist {
		items[it.ID] = true
	}
	local := map[string]bool{"net.ipv4": true, "net.link": true, "net.proxy": true, "upnp.igd": true}
	for _, c := range doc.Checks {
		if c.Status == "pass" && !local[c.ID] {
			t.Errorf("%s passed against a garbage site", c.ID)
		}
		if c.Status == "warn" || c.Status == "fail" {
			if len(c.Remedies) == 0 {
				t.Errorf("%s: %s without a remedy", c.ID, c.Status)
			}
			for _, r := range c.Remedies {
				if !items[r] {
					t.Errorf("%s: remedy %s has no checklist item", c.ID, r)
				}
			}
		}
	}
}

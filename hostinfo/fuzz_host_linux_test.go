//go:build linux

package hostinfo

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzProcNet: /proc/net/route, /proc/net/ipv6_route and /proc/net/wireless
// as net.link and net.ipv4 read them.
func FuzzProcNet(f *testing.F) {
	route := "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n" +
		"wlan0\t00000000\t0101A8C0\t0003\t0\t0\t600\t00000000\t0\t0\t0\n"
	v6 := "00000000000000000000000000000000 00 00000000000000000000000000000000 00 fe800000000000000000000000000001 00000400 00000001 00000000 00000003 wlan0\n"
	wireless := "Inter-| sta-|   Quality        |   Discarded packets\n face | tus | link level noise |  nwid  crypt\n wlan0: 0000   54.  -56.  -256        0      0\n"
	f.Add([]byte(route), []byte(v6), []byte(wireless))
	f.Add([]byte("x\nlo 00000000 0 0001 0 0 99999999999999999999 00000000\n"), []byte("\n"), []byte("wlan0:"))
	f.Fuzz(func(t *testing.T, route, v6, wireless []byte) {
		root := t.TempDir()
		proc := filepath.Join(root, "proc", "net")
		if err := os.MkdirAll(proc, 0o700); err != nil {
			t.Fatal(err)
		}
		for name, b := range map[string][]byte{"route": route, "ipv6_route": v6, "wireless": wireless} {
			if err := os.WriteFile(filepath.Join(proc, name), b, 0o600); err != nil {
				t.Fatal(err)
			}
		}
		h := &linuxHost{proc: filepath.Join(root, "proc"), sys: filepath.Join(root, "sys")}
		iface, _, err := h.DefaultRoute()
		if err != nil {
			t.Fatal(err)
		}
		if strings.ContainsAny(iface, " \t\n") {
			t.Fatalf("interface %q", iface)
		}
		if _, _, err := h.LinkKind(iface); err == nil && iface == "" {
			t.Fatal("LinkKind accepted an empty name")
		}
		details := map[string]string{}
		h.addSignal("wlan0", details)
		for k, v := range details {
			if strings.ContainsAny(v, "\n") {
				t.Fatalf("%s = %q", k, v)
			}
		}
	})
}

// FuzzProxySettings: /etc/environment, KDE's kioslaverc and gsettings output
// as net.proxy reads them. gs holds the gsettings answers, one per line, in
// the order asked.
func FuzzProxySettings(f *testing.F) {
	f.Add([]byte("PATH=/usr/bin\nexport https_proxy=\"http://u:p@proxy:8080\"\n"), []byte("[Proxy Settings]\nProxyType=1\nhttpsProxy=http://proxy 8080\n"), "manual\nproxy.corp\n8080")
	f.Add([]byte("HTTP_PROXY='x'\n=\n"), []byte("[Proxy Settings\nProxyType=2\nProxy Config Script=http://wpad/x.pac\n"), "auto\n")
	f.Add([]byte{}, []byte("[Proxy Settings]\nProxyType=3\n"), "none")
	f.Fuzz(func(t *testing.T, env, kio []byte, gs string) {
		answers := strings.Split(gs, "\n")
		i := 0
		h := &linuxHost{
			etcEnvironment: writeFuzzFile(t, "environment", env),
			kioslaverc:     writeFuzzFile(t, "kioslaverc", kio),
			gsettings: func(string) (string, error) {
				if i >= len(answers) {
					return "", os.ErrNotExist
				}
				i++
				return answers[i-1], nil
			},
		}
		got, err := h.ProxySettings()
		if err != nil {
			t.Fatal(err)
		}
		for kind, v := range got {
			if v == "" || !strings.HasSuffix(v, ")") {
				t.Fatalf("%s = %q: no source named", kind, v)
			}
		}
	})
}

// writeFuzzFile writes one fuzz input to a file of the test's own.
func writeFuzzFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

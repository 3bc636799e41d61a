//go:build linux

package hostinfo

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

// sampleHost reads a captured procfs/sysfs tree under testdata/host.
func sampleHost(name string) *linuxHost {
	root := filepath.Join("testdata", "host", name)
	return &linuxHost{proc: filepath.Join(root, "proc"), sys: filepath.Join(root, "sys"), etcEnvironment: filepath.Join(root, "none")}
}

func TestLinuxDefaultRoute(t *testing.T) {
	tests := []struct {
		tree      string
		wantIface string
		wantV6    bool
	}{
		{"wifi", "wlp2s0", true},
		{"wired", "enp3s0", false}, // lowest metric wins; lo's reject route is no IPv6 default
		{"wireguard", "wg0", false},
		{"ipv6only", "", true},
	}
	for _, tc := range tests {
		iface, v6, err := sampleHost(tc.tree).DefaultRoute()
		if err != nil || iface != tc.wantIface || v6 != tc.wantV6 {
			t.Errorf("%s: DefaultRoute() = %q, %v, %v; want %q, %v", tc.tree, iface, v6, err, tc.wantIface, tc.wantV6)
		}
	}
	if _, _, err := sampleHost("missing").DefaultRoute(); err == nil {
		t.Error("missing procfs: want an error")
	}
}

func TestLinuxLinkKind(t *testing.T) {
	tests := []struct {
		tree, iface, want string
		details           map[string]string
	}{
		{"wifi", "wlp2s0", "wireless", map[string]string{"signal_dbm": "-56", "link_quality": "54", "driver": "iwlwifi"}},
		{"wired", "enp3s0", "wired", map[string]string{"speed_mbps": "1000", "operstate": "up"}},
		{"wired", "wlan0", "wireless", nil},
		{"wireguard", "wg0", "vpn", map[string]string{"devtype": "wireguard"}},
		{"wireguard", "tun0", "vpn", nil},
		{"wireguard", "eth0", "wired", nil},
	}
	for _, tc := range tests {
		kind, details, err := sampleHost(tc.tree).LinkKind(tc.iface)
		if err != nil || kind != tc.want {
			t.Errorf("%s/%s: kind %q (%v), want %q", tc.tree, tc.iface, kind, err, tc.want)
		}
		for k, v := range tc.details {
			if details[k] != v {
				t.Errorf("%s/%s: detail %s = %q, want %q", tc.tree, tc.iface, k, details[k], v)
			}
		}
	}
	for _, bad := range []string{"", "../../etc", "nosuch"} {
		if kind, _, err := sampleHost("wired").LinkKind(bad); err == nil || kind != "unknown" {
			t.Errorf("LinkKind(%q) = %q, %v; want unknown with an error", bad, kind, err)
		}
	}
}

func TestLinuxProxySettings(t *testing.T) {
	root := filepath.Join("testdata", "host", "proxy")
	h := &linuxHost{etcEnvironment: filepath.Join(root, "environment"), kioslaverc: filepath.Join(root, "kioslaverc")}
	got, err := h.ProxySettings()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(got["http"], "http://user:secret@proxy.corp.example:8080") || !strings.HasPrefix(got["https"], "http://proxy.corp.example:8443") {
		t.Errorf("/etc/environment proxies not read: %v", got)
	}
	if got["socks"] != "" {
		t.Errorf("socks = %q, want none", got["socks"])
	}

	h = &linuxHost{etcEnvironment: "/nonexistent", kioslaverc: filepath.Join(root, "kioslaverc")}
	got, _ = h.ProxySettings()
	if got["http"] != "http://kde-proxy.example:3128 (KDE)" {
		t.Errorf("KDE manual proxy = %q", got["http"])
	}
	h.kioslaverc = filepath.Join(root, "kioslaverc-pac")
	got, _ = h.ProxySettings()
	if got["pac"] != "http://wpad.corp.example/proxy.pac (KDE)" {
		t.Errorf("KDE PAC = %q", got["pac"])
	}

	gnome := map[string]string{
		"org.gnome.system.proxy mode":       "manual",
		"org.gnome.system.proxy.https host": "gnome-proxy.example",
		"org.gnome.system.proxy.https port": "8080",
	}
	h = &linuxHost{etcEnvironment: "/nonexistent", gsettings: func(k string) (string, error) {
		if v, ok := gnome[k]; ok {
			return v, nil
		}
		return "", nil
	}}
	got, _ = h.ProxySettings()
	if got["https"] != "gnome-proxy.example:8080 (GNOME)" || len(got) != 1 {
		t.Errorf("GNOME proxies = %v", got)
	}
	h.gsettings = func(string) (string, error) { return "", errors.New("no session bus") }
	if got, err := h.ProxySettings(); err != nil || len(got) != 0 {
		t.Errorf("without a session bus: %v, %v; want nothing and no error", got, err)
	}
}

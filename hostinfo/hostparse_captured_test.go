package hostinfo

import (
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// Tests of the Windows and macOS parsers on outputs captured on real
// machines and published (GitHub issues, blog posts, other projects' test
// data): testdata/hostinfo/captured_*. SOURCES.md names where each came
// from and what was redacted. The other fixtures in that folder were
// written from documentation; these are the check that the parsers meet
// what the tools really print.

func TestCapturedNetshWlan(t *testing.T) {
	for _, tc := range []struct {
		file, iface    string
		interfaces     int
		needsLocation  bool
		connected      bool
		signal         string // signal_percent fact; "" when it must be unknown
		dbm, band      string
		radio, channel string
		rx, tx         string
		ssid           string
	}{
		// Windows 8/10, Qualcomm Atheros, English.
		{file: "captured_netsh_wlan_en_1.txt", iface: "Wi-Fi", interfaces: 1, connected: true, signal: "100",
			radio: "802.11n", channel: "1", rx: "150", tx: "150", ssid: "ExampleNet"},
		// Windows 11 24H2 layout: "Interface type", "AP BSSID", "Band", "Rssi", QoS lines.
		{file: "captured_netsh_wlan_en_3.txt", iface: "WiFi", interfaces: 1, connected: true, signal: "100", dbm: "-59",
			band: "5 GHz", radio: "802.11ax", channel: "36", rx: "1201", tx: "1201", ssid: "ExampleNet"},
		// A disconnected USB adapter renamed "WiFi"; "Radio status" wraps onto a second line.
		{file: "captured_netsh_wlan_en_2.txt", iface: "WiFi", interfaces: 1},
		// Windows 11 24H2 without location permission: no interface block at all.
		{file: "captured_netsh_wlan_location_en_1.txt", iface: "Wi-Fi", needsLocation: true},
		// Simplified Chinese Windows: "接收速率(Mbps)" has no space before the parenthesis.
		{file: "captured_netsh_wlan_zh_1.txt", iface: "WLAN", interfaces: 1, connected: true, signal: "92",
			radio: "802.11ac", channel: "157", rx: "173.3", tx: "173.3", ssid: "ExampleNet"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			out := sample(t, tc.file)
			w := parseNetshWlan(out)
			if len(w.Interfaces) != tc.interfaces || w.NeedsLocation != tc.needsLocation {
				t.Fatalf("interfaces %d (want %d), needs location %v (want %v): %+v",
					len(w.Interfaces), tc.interfaces, w.NeedsLocation, tc.needsLocation, w)
			}
			d := netshWifiDetails(out, nil, tc.iface)
			if tc.interfaces > 0 {
				it, ok := w.find(tc.iface)
				if !ok {
					t.Fatalf("interface %q not found in %+v", tc.iface, w.Interfaces)
				}
				if it.Connected != tc.connected {
					t.Errorf("connected %v, want %v (state %q)", it.Connected, tc.connected, it.State)
				}
			}
			if tc.signal == "" {
				if d["signal"] != "unknown" || d["signal_percent"] != "" || d["signal_dbm"] != "" {
					t.Errorf("no signal shown must read unknown, not a number: %v", d)
				}
			} else if d["signal_percent"] != tc.signal || d["signal"] != "" {
				t.Errorf("signal: %v, want %s%%", d, tc.signal)
			}
			if tc.needsLocation && d["signal_note"] == "" {
				t.Errorf("location refusal without the note that says why: %v", d)
			}
			for k, want := range map[string]string{"radio": tc.radio, "channel": tc.channel,
				"rx_mbps": tc.rx, "tx_mbps": tc.tx, "ssid": tc.ssid, "signal_dbm": tc.dbm, "band": tc.band} {
				if d[k] != want {
					t.Errorf("%s = %q, want %q (all: %v)", k, d[k], want, d)
				}
			}
		})
	}
}

func TestCapturedRoutePrint(t *testing.T) {
	for _, tc := range []struct {
		file   string
		routes int
		iface  string // the winning (lowest-metric) route's interface address
		gw     string // "" for an on-link default route (full-tunnel VPN)
		metric int
	}{
		// Cisco AnyConnect full tunnel: an on-link default route, metric 2,
		// beats the LAN's 45; the VPN is the path.
		{"captured_route_print_en_1.txt", 2, "10.61.168.144", "", 2},
		{"captured_route_print_en_2.txt", 1, "192.168.0.18", "192.168.0.1", 45},
		// Windows 7 `netstat -nr` (same table) with a TAP-Windows adapter idle.
		{"captured_route_print_en_3.txt", 1, "10.0.0.40", "10.0.0.1", 10},
		{"captured_route_print_en_4.txt", 1, "192.168.1.2", "192.168.1.1", 281},
		// Japanese Windows 10/11: localised headers, "リンク上" for on-link.
		{"captured_route_print_ja_1.txt", 1, "192.168.0.103", "192.168.0.1", 35},
	} {
		t.Run(tc.file, func(t *testing.T) {
			routes := parseWindowsRoutePrint(sample(t, tc.file))
			if len(routes) != tc.routes {
				t.Fatalf("%d default routes, want %d: %+v", len(routes), tc.routes, routes)
			}
			r := routes[0]
			gw := ""
			if r.Gateway.IsValid() {
				gw = r.Gateway.String()
			}
			if r.Interface.String() != tc.iface || gw != tc.gw || r.Metric != tc.metric {
				t.Errorf("first route %+v (gateway %q), want interface %s gateway %q metric %d", r, gw, tc.iface, tc.gw, tc.metric)
			}
		})
	}
}

func TestCapturedHardwarePorts(t *testing.T) {
	for _, tc := range []struct {
		file  string
		kinds map[string]string // device → link kind
	}{
		// MacBook with iPhone USB and Bluetooth PAN tethering ports.
		{"captured_networksetup_listallhardwareports_1.txt", map[string]string{
			"en0": "wireless", "en5": "wireless", "en3": "wireless", "en1": "wired", "en2": "wired", "bridge0": "wired"}},
		// MacBook Pro 14" (2021), macOS 12.1: a USB-C Ethernet dongle whose
		// port is named after its chip, "AX88179A".
		{"captured_networksetup_listallhardwareports_2.txt", map[string]string{
			"en4": "wired", "en5": "wired", "en6": "wired", "en8": "wired", "en0": "wireless",
			"en1": "wired", "en2": "wired", "en3": "wired", "bridge0": "wired"}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			ports := parseHardwarePorts(sample(t, tc.file))
			if got, want := slices.Sorted(maps.Keys(ports)), slices.Sorted(maps.Keys(tc.kinds)); !slices.Equal(got, want) {
				t.Fatalf("devices %v, want %v", got, want)
			}
			for dev, want := range tc.kinds {
				if got := macLinkKind(dev, ports[dev]); got != want {
					t.Errorf("macLinkKind(%s, %q) = %s, want %s", dev, ports[dev], got, want)
				}
			}
		})
	}
}

func TestCapturedDarwinRouteGet(t *testing.T) {
	for _, tc := range []struct{ file, iface, gw, kind string }{
		// An older OS X (no GLOBAL flag), run as `route -n get 0.0.0.0`.
		{"captured_route_get_default_darwin_1.txt", "en3", "10.21.1.254", ""},
		{"captured_route_get_default_darwin_2.txt", "en0", "192.168.1.1", ""},
		// A TUN VPN (sing-box) holding the default route: no gateway line.
		{"captured_route_get_default_darwin_3.txt", "utun4", "", "vpn"},
	} {
		iface, gw, ok := parseDarwinRouteGet(sample(t, tc.file))
		if !ok || iface != tc.iface || gw != tc.gw {
			t.Errorf("%s: interface %q gateway %q ok %v, want %q %q", tc.file, iface, gw, ok, tc.iface, tc.gw)
		}
		if tc.kind != "" {
			if got := macLinkKind(iface, ""); got != tc.kind {
				t.Errorf("%s: %s is %s, want %s", tc.file, iface, got, tc.kind)
			}
		}
	}
}

func TestCapturedScutilProxy(t *testing.T) {
	for _, tc := range []struct {
		file string
		want map[string]string
	}{
		// macOS defaults: only the exceptions list (*.local, 169.254/16),
		// which is no proxy.
		{"captured_scutil_proxy_none_1.txt", map[string]string{}},
		// macOS 10.15.7 on a corporate VPN: PAC only.
		{"captured_scutil_proxy_pac_1.txt", map[string]string{"pac": "http://wpad.company.com/wpad.dat"}},
		// A local proxy client set as the system proxy (no trailing newline
		// in the published copy).
		{"captured_scutil_proxy_local_1.txt", map[string]string{
			"http": "localhost:9527", "https": "localhost:9527", "socks": "localhost:9527"}},
	} {
		if got := parseScutilProxy(sample(t, tc.file)); !maps.Equal(got, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.file, got, tc.want)
		}
	}
}

// Every captured fixture is named in SOURCES.md (where it came from) and
// used by a test above; a sample nobody reads proves nothing.
func TestCapturedFixturesAreSourcedAndUsed(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "hostinfo", "captured_*"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no captured fixtures: %v", err)
	}
	sources, err := os.ReadFile(filepath.Join("testdata", "hostinfo", "SOURCES.md"))
	if err != nil {
		t.Fatal(err)
	}
	self, err := os.ReadFile("hostparse_captured_test.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		name := filepath.Base(f)
		if !strings.Contains(string(sources), "`"+name+"`") {
			t.Errorf("%s has no row in SOURCES.md", name)
		}
		if !strings.Contains(string(self), `"`+name+`"`) {
			t.Errorf("%s is not read by any captured-output test", name)
		}
	}
}

// The same captured outputs through darwinHost, as net.link and net.proxy
// see them: the Mac on a USB-C dongle reads wired, the Mac behind a
// sing-box TUN reads its default route as a VPN, the PAC-only Mac has a
// proxy to report.
func TestCapturedThroughDarwinHost(t *testing.T) {
	tools := &fakeTools{out: map[string]string{
		"/sbin/route -n get default":                   sample(t, "captured_route_get_default_darwin_3.txt"),
		"/sbin/route -n get -inet6 default":            "",
		"/usr/sbin/networksetup -listallhardwareports": sample(t, "captured_networksetup_listallhardwareports_2.txt"),
		"/usr/sbin/scutil --proxy":                     sample(t, "captured_scutil_proxy_pac_1.txt"),
	}}
	h := darwinHost{run: tools.run}
	iface, _, err := h.DefaultRoute()
	if err != nil || iface != "utun4" {
		t.Fatalf("default route %q %v", iface, err)
	}
	if kind, _, err := h.LinkKind(iface); kind != "vpn" || err != nil {
		t.Errorf("%s: %s %v", iface, kind, err)
	}
	kind, d, err := h.LinkKind("en8")
	if kind != "wired" || err != nil || d["hardware_port"] != "AX88179A" || d["signal"] != "" {
		t.Errorf("en8 (USB-C Ethernet): %s %v %v", kind, d, err)
	}
	proxies, err := h.ProxySettings()
	if err != nil || len(proxies) != 1 || proxies["pac"] != "http://wpad.company.com/wpad.dat" {
		t.Errorf("proxy settings %v %v", proxies, err)
	}
}

package hostinfo

import (
	"encoding/binary"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Tests of the Windows and macOS parsers on captured sample outputs
// (testdata/hostinfo); they run on every OS.

func sample(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "hostinfo", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestParseNetshWlanEnglish(t *testing.T) {
	w := parseNetshWlan(sample(t, "netsh_wlan_en.txt"))
	if len(w.Interfaces) != 1 || w.NeedsLocation {
		t.Fatalf("got %+v", w)
	}
	it, ok := w.find("wi-fi")
	if !ok {
		t.Fatal("Wi-Fi not found by friendly name")
	}
	want := wlanInterface{Name: "Wi-Fi", Description: "Intel(R) Wi-Fi 6 AX201 160MHz", State: "connected", Connected: true,
		SSID: "OfficeNet-5G", BSSID: "00:1a:2b:3c:4d:5e", RadioType: "802.11ax", Band: "5 GHz", Channel: "36",
		ReceiveMbps: "1201", SendMbps: "960.5", SignalPercent: 92, RSSI: -45}
	if it != want {
		t.Errorf("got  %+v\nwant %+v", it, want)
	}
	d := it.details(false)
	if d["signal_percent"] != "92" || d["signal_dbm"] != "-45" || d["channel"] != "36" {
		t.Errorf("details %v", d)
	}
}

func TestParseNetshWlanJapanese(t *testing.T) {
	w := parseNetshWlan(sample(t, "netsh_wlan_ja.txt"))
	if len(w.Interfaces) != 2 {
		t.Fatalf("interfaces %d, want 2: %+v", len(w.Interfaces), w.Interfaces)
	}
	it := w.Interfaces[0]
	want := wlanInterface{Name: "Wi-Fi", Description: "Realtek RTL8852BE WiFi 6 802.11ax PCIe Adapter", State: "接続されました",
		Connected: true, SSID: "BIZ-OFFICE", BSSID: "10:66:82:01:02:03", RadioType: "802.11n", Band: "2.4 GHz",
		Channel: "6", ReceiveMbps: "144.4", SendMbps: "130", SignalPercent: 38, RSSI: -78}
	if it != want {
		t.Errorf("got  %+v\nwant %+v", it, want)
	}
	second, ok := w.find("Wi-Fi 2")
	if !ok || second.Connected || second.State != "切断されました" || second.SignalPercent != -1 {
		t.Errorf("disconnected adapter: %+v", second)
	}
	if d := second.details(false); d["signal"] != "unknown" || d["signal_percent"] != "" || d["signal_dbm"] != "" {
		t.Errorf("no signal shown must read unknown, not a number: %v", d)
	}
}

func TestParseNetshWlanWithoutDetails(t *testing.T) {
	if w := parseNetshWlan(sample(t, "netsh_wlan_none_en.txt")); len(w.Interfaces) != 0 || w.NeedsLocation {
		t.Errorf("no wireless interface: %+v", w)
	}
	w := parseNetshWlan(sample(t, "netsh_wlan_location_en.txt"))
	if len(w.Interfaces) != 0 || !w.NeedsLocation {
		t.Errorf("location permission output: %+v", w)
	}
	if _, ok := w.find("Wi-Fi"); ok {
		t.Error("found an interface in a refusal")
	}
	// Garbage never panics and never invents a signal.
	for _, junk := range []string{"", ":", "Signal : 250%", "    Signal : 40%\n", "Name:\nSignal: -3%\nRssi: 12"} {
		for _, it := range parseNetshWlan(junk).Interfaces {
			if it.SignalPercent > 100 || it.SignalPercent < -1 || it.RSSI > 0 {
				t.Errorf("%q: impossible signal %+v", junk, it)
			}
		}
	}
	if got := parseNetshWlan("    Signal : 40%\n").Interfaces; len(got) != 0 {
		t.Errorf("a signal outside an interface block was attributed: %+v", got)
	}
}

func TestParseWindowsRoutePrint(t *testing.T) {
	routes := parseWindowsRoutePrint(sample(t, "route_print_en.txt"))
	if len(routes) != 2 {
		t.Fatalf("routes %+v, want the 2 active ones (not the persistent one)", routes)
	}
	if routes[0].Interface.String() != "192.168.10.57" || routes[0].Metric != 25 || routes[0].Gateway.String() != "192.168.10.1" {
		t.Errorf("lowest metric first: %+v", routes[0])
	}
	ja := parseWindowsRoutePrint(sample(t, "route_print_ja.txt"))
	if len(ja) != 1 || ja[0].Interface.String() != "192.168.1.23" {
		t.Errorf("Japanese route print: %+v", ja)
	}
	if none := parseWindowsRoutePrint(sample(t, "route_print_none_en.txt")); len(none) != 0 {
		t.Errorf("no default route: %+v", none)
	}
	onLink := parseWindowsRoutePrint("0.0.0.0 0.0.0.0 On-link 10.0.0.5 281\n")
	if len(onLink) != 1 || onLink[0].Gateway.IsValid() {
		t.Errorf("on-link default route: %+v", onLink)
	}
}

func TestParseDarwinRouteGet(t *testing.T) {
	for _, tc := range []struct{ file, iface, gw string }{
		{"route_get_default_darwin.txt", "en0", "192.168.1.1"},
		{"route_get_default_vpn_darwin.txt", "utun4", ""},
	} {
		iface, gw, ok := parseDarwinRouteGet(sample(t, tc.file))
		if !ok || iface != tc.iface || gw != tc.gw {
			t.Errorf("%s: %q %q %v", tc.file, iface, gw, ok)
		}
	}
	if _, _, ok := parseDarwinRouteGet("route: writing to routing socket: not in table\n"); ok {
		t.Error("no default route parsed as one")
	}
}

func TestParseHardwarePortsAndKinds(t *testing.T) {
	ports := parseHardwarePorts(sample(t, "networksetup_listallhardwareports.txt"))
	want := map[string]string{"en4": "Ethernet Adapter (en4)", "bridge0": "Thunderbolt Bridge", "en0": "Wi-Fi",
		"en7": "USB 10/100/1000 LAN", "en1": "Thunderbolt 1"}
	if !maps.Equal(ports, want) {
		t.Errorf("ports %v\nwant  %v", ports, want)
	}
	for _, tc := range []struct{ dev, kind string }{
		{"en0", "wireless"}, {"en4", "wired"}, {"en7", "wired"}, {"bridge0", "wired"},
		{"utun4", "vpn"}, {"ipsec0", "vpn"}, {"ppp0", "vpn"}, {"lo0", "loopback"}, {"en9", "unknown"},
	} {
		if got := macLinkKind(tc.dev, ports[tc.dev]); got != tc.kind {
			t.Errorf("macLinkKind(%s, %q) = %s, want %s", tc.dev, ports[tc.dev], got, tc.kind)
		}
	}
	if got := macLinkKind("en5", "iPhone USB"); got != "wireless" {
		t.Errorf("iPhone tethering = %s", got)
	}
}

func TestParseAirport(t *testing.T) {
	info, ok := parseAirport(sample(t, "system_profiler_airport.txt"), "en0")
	want := airportInfo{Status: "Connected", Network: "OfficeNet-5G", PHYMode: "802.11ax", Channel: "36 (5GHz, 80MHz)",
		SignalDBm: "-67", NoiseDBm: "-92", TxRate: "432"}
	if !ok || info != want {
		t.Errorf("got  %+v\nwant %+v", info, want)
	}
	// Japanese UI, SSID hidden without location permission; the other
	// network's -81 dBm must not leak into the current one.
	ja, ok := parseAirport(sample(t, "system_profiler_airport_ja.txt"), "en0")
	if !ok || ja.SignalDBm != "-58" || ja.NoiseDBm != "-95" || ja.Channel != "149 (5GHz, 80MHz)" || ja.Status != "接続済み" {
		t.Errorf("Japanese: %+v", ja)
	}
	if d := ja.details(); d["ssid"] != "" || d["signal_dbm"] != "-58" {
		t.Errorf("redacted SSID must not be reported as a name: %v", d)
	}
	if _, ok := parseAirport(sample(t, "system_profiler_airport.txt"), "en9"); ok {
		t.Error("absent device found")
	}
	// A device with no current network: signal unknown, not a number.
	awdl, ok := parseAirport(sample(t, "system_profiler_airport.txt"), "awdl0")
	if d := awdl.details(); !ok || awdl.SignalDBm != "" || d["signal"] != "unknown" || d["signal_dbm"] != "" {
		t.Errorf("awdl0: %+v", awdl)
	}
}

func TestParseScutilProxy(t *testing.T) {
	if got := parseScutilProxy(sample(t, "scutil_proxy_none.txt")); len(got) != 0 {
		t.Errorf("no proxy: %v", got)
	}
	got := parseScutilProxy(sample(t, "scutil_proxy_corporate.txt"))
	want := map[string]string{
		"http":  "proxy.corp.example.co.jp:8080",
		"https": "10.20.30.40:8443",
		"socks": "socks.corp.example.co.jp:1080",
		"pac":   "http://wpad.corp.example.co.jp/proxy.pac",
		"wpad":  "auto-discovery enabled",
	}
	if !maps.Equal(got, want) {
		t.Errorf("got  %v\nwant %v (the __SCOPED__ en0 proxy must not replace the top level)", got, want)
	}
}

// connBlob builds a DefaultConnectionSettings / WinHttpSettings value.
func connBlob(flags uint32, proxy, bypass string) []byte {
	b := binary.LittleEndian.AppendUint32(nil, 0x46)
	b = binary.LittleEndian.AppendUint32(b, 7)
	b = binary.LittleEndian.AppendUint32(b, flags)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(proxy)))
	b = append(b, proxy...)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(bypass)))
	b = append(b, bypass...)
	return append(b, 0, 0, 0, 0) // empty auto-config URL
}

func TestWinProxySettings(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   winProxyInput
		want map[string]string
	}{
		{"nothing", winProxyInput{DefaultConnection: connBlob(proxyTypeDirect, "", "")}, map[string]string{}},
		{"server set but disabled", winProxyInput{ProxyServer: "10.0.0.1:8080"}, map[string]string{}},
		{"one proxy for all", winProxyInput{ProxyEnable: true, ProxyServer: "10.0.0.1:8080"},
			map[string]string{"http": "10.0.0.1:8080", "https": "10.0.0.1:8080"}},
		{"per protocol", winProxyInput{ProxyEnable: true, ProxyServer: "http=p1:80;https=p2:443;socks=s:1080;ftp=f:21"},
			map[string]string{"http": "p1:80", "https": "p2:443", "socks": "s:1080", "ftp": "f:21"}},
		{"pac and wpad", winProxyInput{AutoConfigURL: "http://pac.example.jp/proxy.pac",
			DefaultConnection: connBlob(proxyTypeDirect|proxyTypeAutoURL|proxyTypeAutoDetect, "", "")},
			map[string]string{"pac": "http://pac.example.jp/proxy.pac"}},
		{"wpad alone (the Windows default) is no proxy", winProxyInput{DefaultConnection: connBlob(proxyTypeDirect|proxyTypeAutoDetect, "", "")},
			map[string]string{}},
		{"winhttp", winProxyInput{WinHTTP: connBlob(proxyTypeDirect|proxyTypeProxy, "proxy.example.jp:3128", "<local>")},
			map[string]string{"winhttp": "proxy.example.jp:3128"}},
		{"winhttp direct", winProxyInput{WinHTTP: connBlob(proxyTypeDirect, "", "")}, map[string]string{}},
	} {
		if got := winProxySettings(tc.in); !maps.Equal(got, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestParseConnectionSettingsGarbled(t *testing.T) {
	cs, ok := parseConnectionSettings(connBlob(proxyTypeProxy, "p:1", "<local>"))
	if !ok || cs.Proxy != "p:1" || cs.Bypass != "<local>" || cs.Flags != proxyTypeProxy {
		t.Fatalf("round trip: %+v %v", cs, ok)
	}
	long := connBlob(proxyTypeProxy, "p:1", "")
	binary.LittleEndian.PutUint32(long[12:], 1<<31) // length past the end
	for _, b := range [][]byte{nil, {1, 2, 3}, long} {
		if _, ok := parseConnectionSettings(b); ok {
			t.Errorf("%v accepted", b)
		}
	}
}

func FuzzParseConnectionSettings(f *testing.F) {
	f.Add(connBlob(proxyTypeProxy, "p:1", "<local>"))
	f.Fuzz(func(t *testing.T, b []byte) {
		cs, ok := parseConnectionSettings(b)
		if ok && len(cs.Proxy)+len(cs.Bypass) > len(b) {
			t.Fatalf("strings longer than the blob: %+v", cs)
		}
	})
}

func TestWinAdapterKind(t *testing.T) {
	for _, tc := range []struct {
		ifType     uint32
		desc, name string
		kind       string
	}{
		{ifTypeEthernet, "Realtek USB GbE Family Controller", "Ethernet", "wired"},
		{ifTypeIEEE80211, "Intel(R) Wi-Fi 6 AX201 160MHz", "Wi-Fi", "wireless"},
		{ifTypeEthernet, "TAP-Windows Adapter V9", "OpenVPN", "vpn"},
		{ifTypeEthernet, "PANGP Virtual Ethernet Adapter Secure", "Ethernet 3", "vpn"},
		{ifTypeEthernet, "Cisco AnyConnect Secure Mobility Client Virtual Miniport Adapter", "Ethernet 2", "vpn"},
		{ifTypePropVirtual, "WireGuard Tunnel", "wg0", "vpn"},
		{ifTypePPP, "WAN Miniport (IKEv2)", "会社VPN", "vpn"},
		{ifTypeTunnel, "Microsoft Teredo Tunneling Adapter", "Teredo", "vpn"},
		{ifTypeLoopback, "Software Loopback Interface 1", "Loopback Pseudo-Interface 1", "loopback"},
		{ifTypeWWANPP, "Generic Mobile Broadband Adapter", "携帯電話", "wireless"},
		{999, "Something new", "x", "unknown"},
	} {
		if got := winAdapterKind(tc.ifType, tc.desc, tc.name); got != tc.kind {
			t.Errorf("winAdapterKind(%d, %q, %q) = %s, want %s", tc.ifType, tc.desc, tc.name, got, tc.kind)
		}
	}
}

func TestNetshWifiDetails(t *testing.T) {
	d := netshWifiDetails(sample(t, "netsh_wlan_ja.txt"), nil, "Wi-Fi")
	if d["signal_percent"] != "38" || d["signal_dbm"] != "-78" || d["ssid"] != "BIZ-OFFICE" || d["signal"] != "" {
		t.Errorf("Japanese Wi-Fi: %v", d)
	}
	d = netshWifiDetails(sample(t, "netsh_wlan_location_en.txt"), errors.New("exit status 1"), "Wi-Fi")
	if d["signal"] != "unknown" || d["signal_note"] == "" || d["signal_percent"] != "" {
		t.Errorf("location refused: %v", d)
	}
	d = netshWifiDetails("", errToolTimeout, "Wi-Fi")
	if d["signal"] != "unknown" || !strings.Contains(d["wifi_error"], "timed out") {
		t.Errorf("netsh timed out: %v", d)
	}
	if d := netshWifiDetails(sample(t, "netsh_wlan_en.txt"), nil, "Ethernet"); d["signal"] != "unknown" {
		t.Errorf("interface not in netsh: %v", d)
	}
}

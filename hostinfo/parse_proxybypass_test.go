package hostinfo

import (
	"slices"
	"testing"
)

func TestProxyBypassMatch(t *testing.T) {
	win := func(list string) ProxyBypass {
		return ProxyBypass{Source: "WinINet ProxyOverride", Format: BypassWindows, Rules: splitBypassList(list)}
	}
	mac := func(simple bool, rules ...string) ProxyBypass {
		return ProxyBypass{Source: "scutil ExceptionsList", Format: BypassMacOS, Rules: rules, Simple: simple}
	}
	gnome := func(v string) ProxyBypass {
		return ProxyBypass{Source: "GNOME ignore-hosts", Format: BypassGNOME, Rules: parseGVariantStrings(v)}
	}
	kde := func(list string, reversed bool) ProxyBypass {
		return ProxyBypass{Source: "KDE NoProxyFor", Format: BypassKDE, Rules: splitKDEList(list), Reversed: reversed}
	}
	noProxy := ProxyBypass{Source: "/etc/environment no_proxy", Format: BypassNoProxy, Rules: splitKDEList("localhost,.biztel.jp,198.51.100.0/24")}
	const host, ip = "s0123456789ab.u.biztel.jp", "203.0.113.10"
	tests := []struct {
		name     string
		b        ProxyBypass
		dest     string
		port     int
		wantRule string // "" = not bypassed
	}{
		// Windows ProxyOverride / WinHTTP bypass list
		{"windows wildcard domain", win("*.biztel.jp;203.0.113.*;<local>"), host, 8000, "*.biztel.jp"},
		{"windows wildcard address", win("*.biztel.jp;203.0.113.*;<local>"), ip, 8000, "203.0.113.*"},
		{"windows <local> is a dotless name", win("<local>"), "biztelpbx", 8000, "<local>"},
		{"windows <local> does not match a dotted name", win("<local>"), host, 8000, ""},
		{"windows <local> does not match an address", win("<local>"), ip, 8000, ""},
		{"windows bare name is that host only", win("biztel.jp"), host, 8000, ""},
		{"windows bare name equal", win("s0123456789ab.u.biztel.jp"), host, 8000, "s0123456789ab.u.biztel.jp"},
		{"windows case-insensitive", win("*.BIZTEL.JP"), host, 8000, "*.BIZTEL.JP"},
		{"windows whitespace-separated (WinHTTP)", win("intranet.example  *.biztel.jp"), host, 8000, "*.biztel.jp"},
		{"windows port limits the entry", win("*.biztel.jp:443"), host, 8000, ""},
		{"windows port equal", win("*.biztel.jp:8000"), host, 8000, "*.biztel.jp:8000"},
		{"windows https scheme", win("https://*.biztel.jp"), host, 8000, "https://*.biztel.jp"},
		{"windows http scheme is not https", win("http://*.biztel.jp"), host, 8000, ""},
		{"windows has no CIDR", win("203.0.113.0/24"), ip, 8000, ""},
		{"windows <-loopback> bypasses nothing", win("<-loopback>"), host, 8000, ""},
		{"windows '*' crosses dots", win("203.*"), ip, 8000, "203.*"},
		{"windows wildcard is anchored", win("*.biztel.jp"), "biztel.jp.evil.example", 8000, ""},

		// macOS scutil ExceptionsList (Qt's isHostExcluded)
		{"macos default list, other host", mac(false, "*.local", "169.254/16"), host, 8000, ""},
		{"macos abbreviated subnet", mac(false, "*.local", "169.254/16"), "169.254.7.1", 8000, "169.254/16"},
		{"macos subnet with host bits", mac(false, "localhost", "127.0.0.1/8"), "127.9.9.9", 8000, "127.0.0.1/8"},
		{"macos wildcard domain", mac(false, "*.local", "*.biztel.jp"), host, 8000, "*.biztel.jp"},
		{"macos bare name is exact", mac(false, "biztel.jp"), host, 8000, ""},
		{"macos subnet for the address", mac(false, "203.0.113/24"), ip, 8000, "203.0.113/24"},
		{"macos subnet does not cover the name", mac(false, "203.0.113/24"), host, 8000, ""},
		{"macos '?' is one character", mac(false, "s0123456789a?.u.biztel.jp"), host, 8000, "s0123456789a?.u.biztel.jp"},
		{"macos ExcludeSimpleHostnames", mac(true), "biztelpbx", 8000, "ExcludeSimpleHostnames"},
		{"macos ExcludeSimpleHostnames, dotted name", mac(true), host, 8000, ""},

		// GNOME ignore-hosts (GSimpleProxyResolver rules)
		{"gnome domain covers subdomains", gnome("['localhost', 'biztel.jp']"), host, 8000, "biztel.jp"},
		{"gnome *.domain covers the domain", gnome("['*.biztel.jp']"), "biztel.jp", 8000, "*.biztel.jp"},
		{"gnome .domain", gnome("['.biztel.jp']"), host, 8000, ".biztel.jp"},
		{"gnome domain needs a dot boundary", gnome("['tel.jp']"), host, 8000, ""},
		{"gnome CIDR", gnome("['localhost', '127.0.0.0/8', '203.0.113.0/24', '::1']"), ip, 8000, "203.0.113.0/24"},
		{"gnome CIDR does not cover the name", gnome("['203.0.113.0/24']"), host, 8000, ""},
		{"gnome address", gnome("['203.0.113.10']"), ip, 8000, "203.0.113.10"},
		{"gnome port other", gnome("['biztel.jp:443']"), host, 8000, ""},
		{"gnome port same", gnome("['biztel.jp:8000']"), host, 8000, "biztel.jp:8000"},
		{"gnome IPv6 range", gnome("['fe80::/10']"), "fe80::1", 8000, "fe80::/10"},
		{"gnome IPv6 with port", gnome("['[2001:db8::1]:8000']"), "2001:db8::1", 8000, "[2001:db8::1]:8000"},
		{"gnome empty list", gnome("@as []"), host, 8000, ""},

		// KDE NoProxyFor (KIO revmatch / subnets)
		{"kde suffix", kde("localhost,biztel.jp", false), host, 8000, "biztel.jp"},
		{"kde plain suffix without a dot (revmatch)", kde("biztel.jp", false), "xbiztel.jp", 8000, "biztel.jp"},
		{"kde '*' is literal", kde("*.biztel.jp", false), host, 8000, ""},
		{"kde subnet", kde("localhost,203.0.113.0/24", false), ip, 8000, "203.0.113.0/24"},
		{"kde partial subnet", kde("203.0.113", false), ip, 8000, "203.0.113"},
		{"kde host:port", kde("biztel.jp:8000", false), host, 8000, "biztel.jp:8000"},
		{"kde <local>", kde("<local>", false), "biztelpbx", 8000, "<local>"},
		{"kde reversed: unlisted host goes direct", kde("intranet.corp.example", true), host, 8000, "ReversedException=true (" + host + " not listed)"},
		{"kde reversed: listed host uses the proxy", kde("biztel.jp", true), host, 8000, ""},
		{"kde reversed with an empty list: everything direct", kde("", true), ip, 8000, "ReversedException=true (" + ip + " not listed)"},

		// no_proxy of /etc/environment (Go/curl rules)
		{"no_proxy domain", noProxy, host, 8000, ".biztel.jp"},
		{"no_proxy CIDR misses", noProxy, ip, 8000, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rule, ok := tc.b.Match(tc.dest, tc.port)
			if ok != (tc.wantRule != "") || rule != tc.wantRule {
				t.Errorf("Match(%q) = %q, %v; want %q", tc.dest, rule, ok, tc.wantRule)
			}
		})
	}
}

func TestParseQtSubnet(t *testing.T) {
	tests := []struct{ in, want string }{
		{"169.254/16", "169.254.0.0/16"},
		{"127.0.0.1/8", "127.0.0.0/8"},
		{"10.1", "10.1.0.0/16"},
		{"10.", "10.0.0.0/8"},
		{"203.0.113.5", "203.0.113.5/32"},
		{"192.168.0.0/255.255.0.0", "192.168.0.0/16"},
		{"fe80::/10", "fe80::/10"},
		{"*.local", ""},
		{"localhost", ""},
		{"1.2.3.4.5", ""},
		{"300.1/16", ""},
		{"10.0.0.0/33", ""},
		{"10.0.0.0/255.0.255.0", ""},
		{"::1", ""},
		{"", ""},
	}
	for _, tc := range tests {
		pfx, ok := parseQtSubnet(tc.in)
		got := ""
		if ok {
			got = pfx.String()
		}
		if got != tc.want {
			t.Errorf("parseQtSubnet(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestParseGVariantStrings(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"['localhost', '127.0.0.0/8', '::1']", []string{"localhost", "127.0.0.0/8", "::1"}},
		{"@as []", nil},
		{"[]", nil},
		{`["*.biztel.jp", 'it\'s']`, []string{"*.biztel.jp", "it's"}},
	}
	for _, tc := range tests {
		if got := parseGVariantStrings(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("parseGVariantStrings(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestScutilExceptions reads the exception list from written and captured
// scutil output (testdata/hostinfo/SOURCES.md).
func TestScutilExceptions(t *testing.T) {
	corp := parseScutilProxyConfig(sample(t, "scutil_proxy_corporate.txt"))
	b, ok := corp.Bypass["https"]
	if !ok || b.Format != BypassMacOS || b.Simple {
		t.Fatalf("corporate: bypass %+v, %v", b, ok)
	}
	// the __SCOPED__ en0 list ("*.local" alone) is not the system list
	if want := []string{"*.local", "169.254/16", "*.corp.example.co.jp"}; !slices.Equal(b.Rules, want) {
		t.Errorf("corporate rules %q, want %q", b.Rules, want)
	}
	if _, ok := corp.Bypass["pac"]; ok {
		t.Error("a PAC got an exception list; the PAC file decides")
	}
	if rule, ok := b.Match("pbx.corp.example.co.jp", 8000); !ok || rule != "*.corp.example.co.jp" {
		t.Errorf("corporate: %q, %v", rule, ok)
	}

	local := parseScutilProxyConfig(sample(t, "captured_scutil_proxy_local_1.txt"))
	for _, kind := range []string{"http", "https", "socks"} {
		if got := local.Bypass[kind].Rules; !slices.Equal(got, []string{"localhost", "127.0.0.1/8"}) {
			t.Errorf("captured local %s: rules %q", kind, got)
		}
	}
	if _, ok := local.Bypass["http"].Match("203.0.113.10", 8000); ok {
		t.Error("captured local: a public address matched localhost,127.0.0.1/8")
	}

	none := parseScutilProxyConfig(sample(t, "captured_scutil_proxy_none_1.txt"))
	if len(none.Proxies) != 0 || len(none.Bypass) != 0 {
		t.Errorf("captured none: %+v", none)
	}

	simple := parseScutilProxyConfig("<dictionary> {\n  ExcludeSimpleHostnames : 1\n  HTTPSEnable : 1\n  HTTPSPort : 8080\n  HTTPSProxy : proxy.example.jp\n}\n")
	if b := simple.Bypass["https"]; !b.Simple || len(b.Rules) != 0 {
		t.Errorf("ExcludeSimpleHostnames: %+v", b)
	}
}

func TestWinProxyExceptions(t *testing.T) {
	cfg := winProxyConfig(winProxyInput{ProxyEnable: true, ProxyServer: "proxy.corp.example:8080",
		ProxyOverride: "*.biztel.jp;203.0.113.*;<local>"})
	for _, kind := range []string{"http", "https"} {
		b := cfg.Bypass[kind]
		if b.Source != "WinINet ProxyOverride" || !slices.Equal(b.Rules, []string{"*.biztel.jp", "203.0.113.*", "<local>"}) {
			t.Errorf("%s: %+v", kind, b)
		}
	}
	// no ProxyOverride value: the bypass field of DefaultConnectionSettings
	cfg = winProxyConfig(winProxyInput{ProxyEnable: true, ProxyServer: "https=p2:443",
		DefaultConnection: connBlob(proxyTypeDirect|proxyTypeProxy, "https=p2:443", "*.biztel.jp;<local>")})
	if got := cfg.Bypass["https"].Rules; !slices.Equal(got, []string{"*.biztel.jp", "<local>"}) {
		t.Errorf("blob bypass: %q", got)
	}
	// WinHTTP has its own list; WinINet's does not apply to it
	cfg = winProxyConfig(winProxyInput{ProxyOverride: "*.biztel.jp",
		WinHTTP: connBlob(proxyTypeDirect|proxyTypeProxy, "proxy.example.jp:3128", "<local> 203.0.113.*")})
	if b := cfg.Bypass["winhttp"]; b.Source != "WinHTTP bypass list" || !slices.Equal(b.Rules, []string{"<local>", "203.0.113.*"}) {
		t.Errorf("winhttp: %+v", b)
	}
	if len(cfg.Bypass) != 1 {
		t.Errorf("ProxyOverride without a WinINet proxy attached somewhere: %+v", cfg.Bypass)
	}
	// "; " with spaces, as a school's deployment script writes it (a .reg
	// comment in a public repository), and Microsoft's Azure sample form
	for list, want := range map[string][]string{
		"localhost; 127.0.0.1; dc002; adam.schule.bremen.de": {"localhost", "127.0.0.1", "dc002", "adam.schule.bremen.de"},
		"*.azure.com;*.azure.net;*.microsoft.com":            {"*.azure.com", "*.azure.net", "*.microsoft.com"},
		" 192.168.* ;;": {"192.168.*"},
	} {
		if got := splitBypassList(list); !slices.Equal(got, want) {
			t.Errorf("splitBypassList(%q) = %q, want %q", list, got, want)
		}
	}
	// a disabled proxy has no list and no proxy
	cfg = winProxyConfig(winProxyInput{ProxyServer: "p:1", ProxyOverride: "<local>"})
	if len(cfg.Proxies) != 0 || len(cfg.Bypass) != 0 {
		t.Errorf("disabled: %+v", cfg)
	}
}

// FuzzProxyBypassMatch: no list text or destination makes a matcher panic,
// and a reversed list always inverts the plain one.
func FuzzProxyBypassMatch(f *testing.F) {
	f.Add("*.biztel.jp;203.0.113.*;<local>", "s0123456789ab.u.biztel.jp", 8000)
	f.Add("['[::1]:8000', 'fe80::/10', '*.', '.']", "fe80::1", 443)
	f.Add("169.254/16,127.0.0.1/8,10.,:,[,]:", "[::ffff:10.0.0.1]", 0)
	f.Add("https://:8000;http://;<", "", -1)
	f.Fuzz(func(t *testing.T, list, host string, port int) {
		for _, format := range []string{BypassWindows, BypassMacOS, BypassGNOME, BypassKDE, BypassNoProxy} {
			rules := append(splitBypassList(list), parseGVariantStrings(list)...)
			b := ProxyBypass{Format: format, Rules: rules, Simple: len(list)%2 == 0}
			_, plain := b.Match(host, port)
			b.Reversed = true
			if _, rev := b.Match(host, port); rev == plain {
				t.Errorf("%s: reversed %v equals plain %v for %q", format, rev, plain, host)
			}
		}
	})
}

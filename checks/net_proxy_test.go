package checks

import (
	"strings"
	"testing"

	"github.com/biztel-tools/biztel-doctor/hostinfo"
	"github.com/biztel-tools/biztel-doctor/profile"
)

// configHost is a fake host that also reads exception lists.
type configHost struct {
	fakeHost
	cfg hostinfo.ProxyConfig
}

func (h configHost) ProxySettings() (map[string]string, error)  { return h.cfg.Proxies, nil }
func (h configHost) ProxyConfig() (hostinfo.ProxyConfig, error) { return h.cfg, nil }

// osProxy is one OS proxy kind with an exception list on every kind given.
func osProxy(proxies map[string]string, b *hostinfo.ProxyBypass) configHost {
	cfg := hostinfo.ProxyConfig{Proxies: proxies, Bypass: map[string]hostinfo.ProxyBypass{}}
	if b != nil {
		for k := range proxies {
			if !isAutoProxy(k) {
				cfg.Bypass[k] = *b
			}
		}
	}
	return configHost{cfg: cfg}
}

func TestNetProxyOSExceptions(t *testing.T) {
	p := &profile.Profile{Server: profile.Server{Host: mgmtHost, IP: "203.0.113.10"}}
	winINet := map[string]string{"http": "proxy.corp.example:8080", "https": "proxy.corp.example:8080"}
	override := func(list string) *hostinfo.ProxyBypass {
		return &hostinfo.ProxyBypass{Source: "WinINet ProxyOverride", Format: hostinfo.BypassWindows, Rules: strings.Split(list, ";")}
	}
	// what hostinfo reads from scutil --proxy with an ExceptionsList
	macCfg := hostinfo.ProxyConfig{Proxies: map[string]string{"https": "user:pw@proxy.corp.example:8080"},
		Bypass: map[string]hostinfo.ProxyBypass{"https": {Source: "scutil ExceptionsList", Format: hostinfo.BypassMacOS,
			Rules: []string{"*.local", "169.254/16", "*.biztel.example", "203.0.113/24"}}}}
	tests := []struct {
		name    string
		env     map[string]string
		host    hostinfo.Host
		want    want
		summary []string // substrings of the English summary
		ja      []string // substrings of the Japanese summary
	}{
		{"windows override: wildcard and address", nil, osProxy(winINet, override("*.biztel.example;203.0.113.*;<local>")),
			want{status: Pass, facts: map[string]any{"bypassed_by_os_exceptions": nil, "os_https_exceptions": "WinINet ProxyOverride: *.biztel.example,203.0.113.*,<local>"}, absent: []string{"proxies"}},
			[]string{"exceptions (WinINet ProxyOverride) send the BIZTEL server direct"}, []string{"例外設定（WinINet ProxyOverride）"}},
		{"windows <local> does not cover a dotted name", nil, osProxy(winINet, override("<local>")),
			want{status: Warn, remedies: []string{"remove-proxy"}, facts: map[string]any{"through_proxy": mgmtHost + " via os http,os https; 203.0.113.10 via os http,os https"}, absent: []string{"bypassed_by_os_exceptions"}},
			[]string{"a proxy is configured (http=proxy.corp.example:8080, https=proxy.corp.example:8080)"}, nil},
		{"partial: the name is excepted, the address is not", nil, osProxy(winINet, override("*.biztel.example;<local>")),
			want{status: Warn, remedies: []string{"remove-proxy"}, facts: map[string]any{"through_proxy": "203.0.113.10 via os http,os https", "bypassed_by_os_exceptions": nil}},
			[]string{"send " + mgmtHost + " direct", "but 203.0.113.10 still goes through the proxy"}, []string{"203.0.113.10 はまだプロキシを経由します"}},
		{"macos exceptions list", nil, configHost{cfg: macCfg},
			want{status: Pass, facts: map[string]any{"os_https": "proxy.corp.example:8080", "bypassed_by_os_exceptions": nil}},
			[]string{"exceptions (scutil ExceptionsList) send"}, nil},
		{"gnome CIDR and domain", nil, osProxy(map[string]string{"https": "gnome-proxy.example:8080 (GNOME)"},
			&hostinfo.ProxyBypass{Source: "GNOME ignore-hosts", Format: hostinfo.BypassGNOME, Rules: []string{"localhost", "127.0.0.0/8", "biztel.example", "203.0.113.0/24"}}),
			want{status: Pass, facts: map[string]any{"bypassed_by_os_exceptions": "https: " + mgmtHost + " ← biztel.example (GNOME ignore-hosts); https: 203.0.113.10 ← 203.0.113.0/24 (GNOME ignore-hosts)"}},
			nil, nil},
		{"gnome CIDR alone leaves the name on the proxy", nil, osProxy(map[string]string{"https": "gnome-proxy.example:8080 (GNOME)"},
			&hostinfo.ProxyBypass{Source: "GNOME ignore-hosts", Format: hostinfo.BypassGNOME, Rules: []string{"203.0.113.0/24"}}),
			want{status: Warn, remedies: []string{"remove-proxy"}, facts: map[string]any{"through_proxy": mgmtHost + " via os https"}},
			[]string{"but " + mgmtHost + " still goes through"}, nil},
		{"kde reversed: BIZTEL is not among the proxied hosts", nil, osProxy(map[string]string{"http": "http://kde-proxy.example:3128 (KDE)"},
			&hostinfo.ProxyBypass{Source: "KDE NoProxyFor", Format: hostinfo.BypassKDE, Rules: []string{"intranet.corp.example"}, Reversed: true}),
			want{status: Pass, facts: map[string]any{"bypassed_by_os_exceptions": nil, "os_http_exceptions": "KDE NoProxyFor: intranet.corp.example (ReversedException: only these use the proxy)"}},
			nil, nil},
		{"kde reversed: BIZTEL is proxied", nil, osProxy(map[string]string{"http": "http://kde-proxy.example:3128 (KDE)"},
			&hostinfo.ProxyBypass{Source: "KDE NoProxyFor", Format: hostinfo.BypassKDE, Rules: []string{"biztel.example", "203.0.113.0/24"}, Reversed: true}),
			want{status: Warn, remedies: []string{"remove-proxy"}},
			[]string{"a proxy is configured (http=http://kde-proxy.example:3128 (KDE))"}, nil},
		{"pac: the PAC file decides", nil, osProxy(map[string]string{"pac": "http://wpad.corp.example/proxy.pac"}, nil),
			want{status: Warn, remedies: []string{"remove-proxy"}, facts: map[string]any{"os_pac": "http://wpad.corp.example/proxy.pac", "proxies": "pac=http://wpad.corp.example/proxy.pac"}},
			[]string{"the PAC file decides", `FindProxyForURL returns "DIRECT" for https://` + mgmtHost + ":8000, https://203.0.113.10:8000"}, []string{"PAC ファイル", "FindProxyForURL"}},
		{"manual proxy excepted, pac still decides", nil, osProxy(map[string]string{"https": "proxy.corp.example:8080", "pac": "http://wpad/proxy.pac"}, override("*.biztel.example;203.0.113.*")),
			want{status: Warn, remedies: []string{"remove-proxy"}, facts: map[string]any{"bypassed_by_os_exceptions": nil}},
			[]string{"the PAC file decides"}, nil},
		{"env and os both bypassed", map[string]string{"HTTPS_PROXY": "http://proxy:3128", "NO_PROXY": ".biztel.example,203.0.113.10"},
			osProxy(winINet, override("*.biztel.example;203.0.113.*")),
			want{status: Pass, facts: map[string]any{"bypassed_by_no_proxy": "HTTPS_PROXY", "bypassed_by_os_exceptions": nil}},
			[]string{"(HTTPS_PROXY, http, https)", "(NO_PROXY, WinINet ProxyOverride)"}, nil},
		{"os bypassed, env not", map[string]string{"HTTPS_PROXY": "http://user:pw@proxy:3128"},
			osProxy(winINet, override("*.biztel.example;203.0.113.*")),
			want{status: Warn, remedies: []string{"remove-proxy"}, facts: map[string]any{"through_proxy": mgmtHost + " via HTTPS_PROXY; 203.0.113.10 via HTTPS_PROXY", "env_HTTPS_PROXY": "http://proxy:3128"}},
			[]string{"a proxy is configured (HTTPS_PROXY)"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			env := testEnv(t)
			env.Getenv = func(k string) string { return tc.env[k] }
			env.Host = tc.host
			r := runCheck(t, "net.proxy", p, DefaultOptions(), env, nil)
			checkResult(t, r, tc.want)
			for _, s := range tc.summary {
				if !strings.Contains(r.Summary.En, s) {
					t.Errorf("summary %q lacks %q", r.Summary.En, s)
				}
			}
			for _, s := range tc.ja {
				if !strings.Contains(r.Summary.Ja, s) {
					t.Errorf("ja summary %q lacks %q", r.Summary.Ja, s)
				}
			}
			if strings.Contains(strings.ToLower(r.Summary.En), "remove the proxy") {
				t.Errorf("summary tells to remove the proxy: %q", r.Summary.En)
			}
			for k, v := range r.Facts {
				if s, ok := v.(string); ok && (strings.Contains(s, "pw@") || strings.Contains(s, ":pw")) {
					t.Errorf("fact %s carries a credential: %q", k, s)
				}
			}
		})
	}
}

func TestDescribeBypass(t *testing.T) {
	if got := describeBypass(hostinfo.ProxyBypass{Source: "s", Rules: []string{"a", "b"}, Simple: true}); !strings.Contains(got, "a,b") || !strings.Contains(got, "ExcludeSimpleHostnames") {
		t.Errorf("describeBypass = %q", got)
	}
}

//go:build linux

package hostinfo

import (
	"path/filepath"
	"slices"
	"testing"
)

func TestLinuxProxyExceptions(t *testing.T) {
	root := filepath.Join("testdata", "host", "proxy")

	h := &linuxHost{etcEnvironment: filepath.Join(root, "environment-noproxy")}
	cfg, err := h.ProxyConfig()
	if err != nil {
		t.Fatal(err)
	}
	b := cfg.Bypass["https"]
	if b.Format != BypassNoProxy || !slices.Equal(b.Rules, []string{"localhost", "127.0.0.1", ".biztel.example"}) {
		t.Errorf("/etc/environment no_proxy: %+v", b)
	}
	if rule, ok := b.Match("s0123456789ab.u.biztel.example", 8000); !ok || rule != ".biztel.example" {
		t.Errorf("no_proxy match = %q, %v", rule, ok)
	}

	// the plain fixture has no no_proxy: proxies without a list
	h.etcEnvironment = filepath.Join(root, "environment")
	if cfg, _ := h.ProxyConfig(); len(cfg.Bypass) != 0 || len(cfg.Proxies) != 2 {
		t.Errorf("no no_proxy: %+v", cfg)
	}

	h = &linuxHost{etcEnvironment: "/nonexistent", kioslaverc: filepath.Join(root, "kioslaverc-noproxy")}
	cfg, _ = h.ProxyConfig()
	if b := cfg.Bypass["https"]; b.Format != BypassKDE || b.Reversed || len(b.Rules) != 4 {
		t.Errorf("KDE NoProxyFor: %+v", b)
	}

	// "[Proxy Settings][$i]" (KConfig flags) with ReversedException=true
	h.kioslaverc = filepath.Join(root, "kioslaverc-reversed")
	cfg, _ = h.ProxyConfig()
	b = cfg.Bypass["http"]
	if cfg.Proxies["http"] != "http://kde-proxy.example:3128 (KDE)" || !b.Reversed || !slices.Equal(b.Rules, []string{"intranet.corp.example", "10.0.0.0/8"}) {
		t.Errorf("KDE reversed: %v %+v", cfg.Proxies, b)
	}
	if _, ok := b.Match("s0123456789ab.u.biztel.example", 8000); !ok {
		t.Error("KDE reversed: an unlisted host should go direct")
	}

	// the PAC kioslaverc has no list (NoProxyFor is for manual proxies)
	h.kioslaverc = filepath.Join(root, "kioslaverc-pac")
	if cfg, _ := h.ProxyConfig(); len(cfg.Bypass) != 0 {
		t.Errorf("KDE PAC with a list: %+v", cfg.Bypass)
	}

	gnome := map[string]string{
		"org.gnome.system.proxy mode":         "manual",
		"org.gnome.system.proxy.https host":   "gnome-proxy.example",
		"org.gnome.system.proxy.https port":   "8080",
		"org.gnome.system.proxy ignore-hosts": "['localhost', '127.0.0.0/8', '::1', '203.0.113.0/24']",
	}
	h = &linuxHost{etcEnvironment: "/nonexistent", gsettings: func(k string) (string, error) { return gnome[k], nil }}
	cfg, _ = h.ProxyConfig()
	b = cfg.Bypass["https"]
	if b.Format != BypassGNOME || len(b.Rules) != 4 {
		t.Fatalf("GNOME ignore-hosts: %+v", b)
	}
	if rule, ok := b.Match("203.0.113.10", 8000); !ok || rule != "203.0.113.0/24" {
		t.Errorf("GNOME CIDR match = %q, %v", rule, ok)
	}

	// first source wins a kind, and brings its own list: /etc/environment's
	// https proxy with its no_proxy, not GNOME's ignore-hosts
	h.etcEnvironment = filepath.Join(root, "environment-noproxy")
	cfg, _ = h.ProxyConfig()
	if cfg.Bypass["https"].Format != BypassNoProxy {
		t.Errorf("https list from %q, want the /etc/environment one", cfg.Bypass["https"].Source)
	}
}

//go:build linux

package hostinfo

import (
	"bufio"
	"context"
	"errors"
	"io/fs"
	"os/exec"
	"strings"
	"time"
)

// systemGSettings returns a reader of GNOME settings through the gsettings
// binary (fixed arguments, no shell), or nil when it is not installed.
func systemGSettings() func(key string) (string, error) {
	path, err := exec.LookPath("gsettings")
	if err != nil {
		return nil
	}
	return func(key string) (string, error) {
		schema, name, _ := strings.Cut(key, " ")
		ctx, cancel := context.WithTimeout(context.Background(), gsettingsTimeout)
		defer cancel()
		out, err := exec.CommandContext(ctx, path, "get", schema, name).Output()
		if err != nil {
			return "", err
		}
		return strings.Trim(strings.TrimSpace(string(out)), "'"), nil
	}
}

// ProxySettings gathers proxies configured outside this process's
// environment: /etc/environment, GNOME (gsettings) and KDE (kioslaverc).
// Values name their source. Unreadable sources that exist are errors;
// missing ones are not.
func (h *linuxHost) ProxySettings() (map[string]string, error) {
	cfg, err := h.ProxyConfig()
	return cfg.Proxies, err
}

var _ ProxyConfigReader = (*linuxHost)(nil)

// ProxyConfig is ProxySettings with each source's exception list: no_proxy
// in /etc/environment, GNOME ignore-hosts, KDE NoProxyFor. A kind set by
// two sources keeps the first (as ProxySettings always did) and that
// source's list.
func (h *linuxHost) ProxyConfig() (ProxyConfig, error) {
	cfg := ProxyConfig{Proxies: map[string]string{}, Bypass: map[string]ProxyBypass{}}
	var errs []error
	for _, read := range []func(add func(kind, value, source string)) (*ProxyBypass, error){
		h.etcEnvProxies, h.gnomeProxies, h.kdeProxies,
	} {
		var kinds []string
		bypass, err := read(func(kind, value, source string) {
			if value == "" {
				return
			}
			if _, dup := cfg.Proxies[kind]; !dup {
				cfg.Proxies[kind] = value + " (" + source + ")"
				kinds = append(kinds, kind)
			}
		})
		if err != nil {
			errs = append(errs, err)
		}
		if bypass == nil {
			continue
		}
		for _, kind := range kinds {
			if kind != "pac" && kind != "wpad" {
				cfg.Bypass[kind] = *bypass
			}
		}
	}
	return cfg, errors.Join(errs...)
}

// proxyEnvKinds maps proxy variable names to kinds.
var proxyEnvKinds = map[string]string{"http_proxy": "http", "https_proxy": "https", "all_proxy": "all", "ftp_proxy": "ftp"}

// etcEnvProxies reads the proxy variables of /etc/environment and its
// no_proxy (NO_PROXY), matched as Go and curl match it.
func (h *linuxHost) etcEnvProxies(add func(kind, value, source string)) (*ProxyBypass, error) {
	data, err := readLimited(h.etcEnvironment)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	var noProxy string
	sc := bufio.NewScanner(strings.NewReader(string(data)))
	for sc.Scan() {
		k, v, ok := strings.Cut(strings.TrimSpace(sc.Text()), "=")
		if !ok {
			continue
		}
		k = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(k, "export ")))
		v = strings.Trim(strings.TrimSpace(v), `"'`)
		if kind, ok := proxyEnvKinds[k]; ok {
			add(kind, v, h.etcEnvironment)
		} else if k == "no_proxy" && noProxy == "" {
			noProxy = v
		}
	}
	rules := splitKDEList(noProxy) // no_proxy is ','-separated; spaces are not part of an entry
	if len(rules) == 0 {
		return nil, nil
	}
	return &ProxyBypass{Source: h.etcEnvironment + " no_proxy", Format: BypassNoProxy, Rules: rules}, nil
}

// gnomeProxies reads org.gnome.system.proxy; in manual mode its
// ignore-hosts list ("['localhost', '127.0.0.0/8', '::1']") is the
// exception list.
func (h *linuxHost) gnomeProxies(add func(kind, value, source string)) (*ProxyBypass, error) {
	if h.gsettings == nil {
		return nil, nil
	}
	start := time.Now()
	get := func(key string) string {
		if time.Since(start) > gsettingsBudget {
			return ""
		}
		v, _ := h.gsettings(key)
		return v
	}
	mode, err := h.gsettings("org.gnome.system.proxy mode")
	if err != nil {
		return nil, nil // no session bus or no schema: GNOME is not in use here
	}
	var bypass *ProxyBypass
	switch mode {
	case "manual":
		for _, kind := range []string{"http", "https", "socks", "ftp"} {
			host := get("org.gnome.system.proxy." + kind + " host")
			port := get("org.gnome.system.proxy." + kind + " port")
			if host != "" {
				if port != "" && port != "0" {
					host += ":" + port
				}
				add(kind, host, "GNOME")
			}
		}
		if rules := parseGVariantStrings(get("org.gnome.system.proxy ignore-hosts")); len(rules) > 0 {
			bypass = &ProxyBypass{Source: "GNOME ignore-hosts", Format: BypassGNOME, Rules: rules}
		}
	case "auto":
		url := get("org.gnome.system.proxy autoconfig-url")
		if url != "" {
			add("pac", url, "GNOME")
		} else {
			add("wpad", "automatic", "GNOME")
		}
	}
	return bypass, nil
}

// kdeProxies reads [Proxy Settings] of kioslaverc. ProxyType: 0 none,
// 1 manual, 2 PAC URL, 3 WPAD, 4 environment variables. KIO applies
// NoProxyFor, and ReversedException, to manual proxies only
// (kprotocolmanager.cpp, shouldIgnoreProxyFor).
func (h *linuxHost) kdeProxies(add func(kind, value, source string)) (*ProxyBypass, error) {
	if h.kioslaverc == "" {
		return nil, nil
	}
	data, err := readLimited(h.kioslaverc)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	vals := map[string]string{}
	section := ""
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "[") {
			// "[Proxy Settings][$i]": KConfig writes flags after the name
			section, _, _ = strings.Cut(line[1:], "]")
			continue
		}
		if k, v, ok := strings.Cut(line, "="); ok && section == "Proxy Settings" {
			// "Proxy Config Script[$e]=…": a key may carry flags too
			k, _, _ = strings.Cut(strings.TrimSpace(k), "[")
			vals[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
	}
	switch vals["ProxyType"] {
	case "1":
		add("http", kdeProxyValue(vals["httpProxy"]), "KDE")
		add("https", kdeProxyValue(vals["httpsProxy"]), "KDE")
		add("socks", kdeProxyValue(vals["socksProxy"]), "KDE")
		add("ftp", kdeProxyValue(vals["ftpProxy"]), "KDE")
		rules := splitKDEList(vals["NoProxyFor"])
		// KConfig reads a bool as true/on/yes or a nonzero number.
		rev := strings.ToLower(vals["ReversedException"])
		reversed := rev == "true" || rev == "on" || rev == "yes" || (rev != "" && strings.Trim(rev, "0123456789") == "" && strings.Trim(rev, "0") != "")
		if len(rules) > 0 || reversed {
			return &ProxyBypass{Source: "KDE NoProxyFor", Format: BypassKDE, Rules: rules, Reversed: reversed}, nil
		}
	case "2":
		add("pac", vals["Proxy Config Script"], "KDE")
	case "3":
		add("wpad", "automatic", "KDE")
	}
	return nil, nil
}

// kdeProxyValue turns "http://proxy 8080" (KDE writes a space before the
// port) into "http://proxy:8080".
func kdeProxyValue(v string) string {
	if host, port, ok := strings.Cut(v, " "); ok && port != "" {
		return host + ":" + port
	}
	return v
}

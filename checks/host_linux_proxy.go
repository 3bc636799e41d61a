//go:build linux

package checks

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
	out := map[string]string{}
	var errs []error
	add := func(kind, value, source string) {
		if value == "" {
			return
		}
		if _, dup := out[kind]; !dup {
			out[kind] = value + " (" + source + ")"
		}
	}
	if err := h.etcEnvProxies(add); err != nil {
		errs = append(errs, err)
	}
	if err := h.gnomeProxies(add); err != nil {
		errs = append(errs, err)
	}
	if err := h.kdeProxies(add); err != nil {
		errs = append(errs, err)
	}
	return out, errors.Join(errs...)
}

// proxyEnvKinds maps proxy variable names to kinds.
var proxyEnvKinds = map[string]string{"http_proxy": "http", "https_proxy": "https", "all_proxy": "all", "ftp_proxy": "ftp"}

func (h *linuxHost) etcEnvProxies(add func(kind, value, source string)) error {
	data, err := readLimited(h.etcEnvironment)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	} else if err != nil {
		return err
	}
	sc := bufio.NewScanner(strings.NewReader(string(data)))
	for sc.Scan() {
		k, v, ok := strings.Cut(strings.TrimSpace(sc.Text()), "=")
		if !ok {
			continue
		}
		k = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(k, "export ")))
		if kind, ok := proxyEnvKinds[k]; ok {
			add(kind, strings.Trim(strings.TrimSpace(v), `"'`), h.etcEnvironment)
		}
	}
	return nil
}

func (h *linuxHost) gnomeProxies(add func(kind, value, source string)) error {
	if h.gsettings == nil {
		return nil
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
		return nil // no session bus or no schema: GNOME is not in use here
	}
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
	case "auto":
		url := get("org.gnome.system.proxy autoconfig-url")
		if url != "" {
			add("pac", url, "GNOME")
		} else {
			add("wpad", "automatic", "GNOME")
		}
	}
	return nil
}

// kdeProxies reads [Proxy Settings] of kioslaverc. ProxyType: 0 none,
// 1 manual, 2 PAC URL, 3 WPAD, 4 environment variables.
func (h *linuxHost) kdeProxies(add func(kind, value, source string)) error {
	if h.kioslaverc == "" {
		return nil
	}
	data, err := readLimited(h.kioslaverc)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	} else if err != nil {
		return err
	}
	vals := map[string]string{}
	section := ""
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "[") {
			section = strings.Trim(line, "[]")
			continue
		}
		if k, v, ok := strings.Cut(line, "="); ok && section == "Proxy Settings" {
			vals[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
	}
	switch vals["ProxyType"] {
	case "1":
		add("http", kdeProxyValue(vals["httpProxy"]), "KDE")
		add("https", kdeProxyValue(vals["httpsProxy"]), "KDE")
		add("socks", kdeProxyValue(vals["socksProxy"]), "KDE")
		add("ftp", kdeProxyValue(vals["ftpProxy"]), "KDE")
	case "2":
		add("pac", vals["Proxy Config Script"], "KDE")
	case "3":
		add("wpad", "automatic", "KDE")
	}
	return nil
}

// kdeProxyValue turns "http://proxy 8080" (KDE writes a space before the
// port) into "http://proxy:8080".
func kdeProxyValue(v string) string {
	if host, port, ok := strings.Cut(v, " "); ok && port != "" {
		return host + ":" + port
	}
	return v
}

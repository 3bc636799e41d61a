package checks

import "strings"

// parseScutilProxy reads macOS `scutil --proxy` (the system-wide proxy
// dictionary) into ProxySettings keys: http, https, socks, ftp, pac, wpad.
// Only enabled entries count; per-interface __SCOPED__ dictionaries and the
// exceptions list are skipped (the top level is what applications use).
// Untagged so it is tested on every OS.
func parseScutilProxy(out string) map[string]string {
	top := map[string]string{}
	depth := 0
	for _, line := range strings.Split(out, "\n") {
		t := strings.TrimSpace(line)
		switch {
		case strings.HasSuffix(t, "{"):
			depth++
			continue
		case t == "}":
			depth--
			continue
		}
		if depth != 1 {
			continue
		}
		key, value, ok := strings.Cut(t, " : ")
		if ok {
			top[strings.TrimSpace(key)] = strings.TrimSpace(value)
		}
	}
	proxies := map[string]string{}
	for _, p := range []struct{ key, prefix string }{
		{"http", "HTTP"}, {"https", "HTTPS"}, {"socks", "SOCKS"}, {"ftp", "FTP"},
	} {
		if top[p.prefix+"Enable"] != "1" || top[p.prefix+"Proxy"] == "" {
			continue
		}
		addr := top[p.prefix+"Proxy"]
		if port := top[p.prefix+"Port"]; port != "" {
			addr += ":" + port
		}
		proxies[p.key] = addr
	}
	if top["ProxyAutoConfigEnable"] == "1" {
		pac := top["ProxyAutoConfigURLString"]
		if pac == "" {
			pac = "enabled (no URL)"
		}
		proxies["pac"] = pac
	}
	if top["ProxyAutoDiscoveryEnable"] == "1" {
		proxies["wpad"] = "auto-discovery enabled"
	}
	return proxies
}

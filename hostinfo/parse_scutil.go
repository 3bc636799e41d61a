package hostinfo

import "strings"

// parseScutilProxy reads macOS `scutil --proxy` (the system-wide proxy
// dictionary) into ProxySettings keys: http, https, socks, ftp, pac, wpad.
// Only enabled entries count; per-interface __SCOPED__ dictionaries are
// skipped (the top level is what applications use). Untagged so it is
// tested on every OS.
func parseScutilProxy(out string) map[string]string {
	return parseScutilProxyConfig(out).Proxies
}

// parseScutilProxyConfig is parseScutilProxy with the exception list:
// the top-level ExceptionsList array ("ExceptionsList : <array> {" then
// "0 : *.local" lines; Apple, SCSchemaDefinitions kSCPropNetProxiesExceptionsList,
// a CFArray of CFString) and ExcludeSimpleHostnames (CFNumber 0 or 1). They
// apply to every manual proxy of the dictionary; the PAC decides for itself.
func parseScutilProxyConfig(out string) ProxyConfig {
	top, exceptions := parseScutilDict(out)
	proxies := scutilProxies(top)
	cfg := ProxyConfig{Proxies: proxies, Bypass: map[string]ProxyBypass{}}
	simple := top["ExcludeSimpleHostnames"] == "1"
	if len(exceptions) == 0 && !simple {
		return cfg
	}
	b := ProxyBypass{Source: "scutil ExceptionsList", Format: BypassMacOS, Rules: exceptions, Simple: simple}
	for kind := range proxies {
		if kind != "pac" && kind != "wpad" {
			cfg.Bypass[kind] = b
		}
	}
	return cfg
}

// parseScutilDict reads the top-level keys of scutil's dictionary dump and
// the entries of its ExceptionsList array; other nested values are skipped.
func parseScutilDict(out string) (top map[string]string, exceptions []string) {
	top = map[string]string{}
	depth := 0
	array := "" // key of the depth-1 value being read, when it is nested
	for _, line := range strings.Split(out, "\n") {
		t := strings.TrimSpace(line)
		switch {
		case strings.HasSuffix(t, "{"):
			if depth == 1 {
				array, _, _ = strings.Cut(t, " : ")
			}
			depth++
			continue
		case t == "}":
			depth--
			if depth == 1 {
				array = ""
			}
			continue
		}
		key, value, ok := strings.Cut(t, " : ")
		if !ok {
			continue
		}
		switch {
		case depth == 1:
			top[strings.TrimSpace(key)] = strings.TrimSpace(value)
		case depth == 2 && array == "ExceptionsList":
			if v := strings.TrimSpace(value); v != "" {
				exceptions = append(exceptions, v)
			}
		}
	}
	return top, exceptions
}

// scutilProxies are the enabled proxies by kind (http, https, socks, ftp
// as host:port; pac, wpad as a description).
func scutilProxies(top map[string]string) map[string]string {
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

package hostinfo

import (
	"encoding/binary"
	"strings"
)

// Parsers for the Windows proxy settings kept in the registry (read by
// host_windows.go). Untagged so they are tested on every OS.
//
// WinINet (what browsers and most softphones use), per user, under
// HKCU\Software\Microsoft\Windows\CurrentVersion\Internet Settings:
// ProxyEnable (DWORD), ProxyServer ("host:port" or
// "http=host:port;https=host:port;socks=host:port"), AutoConfigURL (PAC),
// and Connections\DefaultConnectionSettings (binary; flags say whether
// "Automatically detect settings", i.e. WPAD, is on).
// WinHTTP (services), per machine, HKLM\…\Internet Settings\Connections\
// WinHttpSettings (binary, same layout up to the bypass list).
// Layout source: Microsoft, INTERNET_PER_CONN_FLAGS and "netsh winhttp"
// documentation; the blob is a little-endian DWORD version, DWORD counter,
// DWORD flags, then length-prefixed proxy and bypass strings.

// Connection-settings flags (INTERNET_PER_CONN_FLAGS values).
const (
	proxyTypeDirect     = 0x01
	proxyTypeProxy      = 0x02
	proxyTypeAutoURL    = 0x04
	proxyTypeAutoDetect = 0x08 // WPAD; see winProxySettings
)

// parseWinProxyServer splits a WinINet ProxyServer value into
// ProxySettings keys. A bare "host:port" applies to every protocol.
func parseWinProxyServer(s string) map[string]string {
	out := map[string]string{}
	s = strings.TrimSpace(s)
	if s == "" {
		return out
	}
	if !strings.Contains(s, "=") {
		out["http"], out["https"] = s, s
		return out
	}
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == ' ' }) {
		scheme, addr, ok := strings.Cut(part, "=")
		if !ok || strings.TrimSpace(addr) == "" {
			continue
		}
		switch strings.ToLower(strings.TrimSpace(scheme)) {
		case "http":
			out["http"] = addr
		case "https":
			out["https"] = addr
		case "socks":
			out["socks"] = addr
		case "ftp":
			out["ftp"] = addr
		}
	}
	return out
}

// connectionSettings is the decoded prefix of a DefaultConnectionSettings
// or WinHttpSettings blob.
type connectionSettings struct {
	Flags  uint32
	Proxy  string
	Bypass string
}

// parseConnectionSettings decodes the blob; ok is false when it is too
// short or a length runs past its end (a garbled value is "unknown", never a
// panic).
func parseConnectionSettings(b []byte) (cs connectionSettings, ok bool) {
	const header = 12 // version, counter, flags
	if len(b) < header {
		return cs, false
	}
	cs.Flags = binary.LittleEndian.Uint32(b[8:12])
	rest := b[header:]
	var s []string
	for range 2 {
		if len(rest) < 4 {
			break
		}
		n := binary.LittleEndian.Uint32(rest[:4])
		if uint64(n) > uint64(len(rest)-4) {
			return cs, false
		}
		s = append(s, string(rest[4:4+n]))
		rest = rest[4+n:]
	}
	if len(s) > 0 {
		cs.Proxy = s[0]
	}
	if len(s) > 1 {
		cs.Bypass = s[1]
	}
	return cs, true
}

// winProxyInput is what host_windows.go read from the registry.
// Values that were absent are zero; ProxyEnable says it was 1.
type winProxyInput struct {
	ProxyEnable       bool
	ProxyServer       string
	ProxyOverride     string // HKCU …\Internet Settings\ProxyOverride
	AutoConfigURL     string
	DefaultConnection []byte // HKCU …\Connections\DefaultConnectionSettings
	WinHTTP           []byte // HKLM …\Connections\WinHttpSettings
}

// winProxySettings turns the registry values into ProxySettings keys:
// http, https, socks, ftp (WinINet manual proxy), pac, winhttp.
func winProxySettings(in winProxyInput) map[string]string {
	return winProxyConfig(in).Proxies
}

// winProxyConfig is winProxySettings with the exception lists: WinINet's
// ProxyOverride (what "Do not use proxy server for addresses beginning
// with" and "Bypass proxy server for local addresses" = "<local>" write;
// the same string is the bypass field of DefaultConnectionSettings, read
// when the value is missing) applies to the WinINet proxies, the bypass
// field of WinHttpSettings to the winhttp proxy.
func winProxyConfig(in winProxyInput) ProxyConfig {
	out := map[string]string{}
	bypass := map[string]ProxyBypass{}
	override := strings.TrimSpace(in.ProxyOverride)
	if override == "" {
		if cs, ok := parseConnectionSettings(in.DefaultConnection); ok {
			override = strings.TrimSpace(cs.Bypass)
		}
	}
	if in.ProxyEnable {
		for k, v := range parseWinProxyServer(in.ProxyServer) {
			out[k] = v
			if rules := splitBypassList(override); len(rules) > 0 {
				bypass[k] = ProxyBypass{Source: "WinINet ProxyOverride", Format: BypassWindows, Rules: rules}
			}
		}
	}
	if u := strings.TrimSpace(in.AutoConfigURL); u != "" {
		out["pac"] = u
	}
	// "Automatically detect settings" (WPAD) is on by default in Windows and
	// by itself configures no proxy: it is not listed, or net.proxy would
	// warn on nearly every Windows PC. A proxy that WPAD does find shows up
	// only by discovery on the network, which Host does not do.
	if cs, ok := parseConnectionSettings(in.WinHTTP); ok && cs.Flags&proxyTypeProxy != 0 && cs.Proxy != "" {
		out["winhttp"] = cs.Proxy
		if rules := splitBypassList(cs.Bypass); len(rules) > 0 {
			bypass["winhttp"] = ProxyBypass{Source: "WinHTTP bypass list", Format: BypassWindows, Rules: rules}
		}
	}
	return ProxyConfig{Proxies: out, Bypass: bypass}
}

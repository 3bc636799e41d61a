package hostinfo

import (
	"net/netip"
	"net/url"
	"strconv"
	"strings"

	"golang.org/x/net/http/httpproxy"
)

// Exception ("bypass") lists of the OS proxy settings, and how each reader
// matches a destination against its own list. Untagged so they are tested
// on every OS. A destination is matched as written (a name or an address
// literal, never resolved): every reader below compares the URL's host text,
// so a name in the list does not cover the server's address and vice versa.

// ProxyBypass formats: which reader's rules apply.
const (
	BypassWindows = "windows"  // WinINet ProxyOverride, WinHTTP bypass list
	BypassMacOS   = "macos"    // scutil ExceptionsList (+ ExcludeSimpleHostnames)
	BypassGNOME   = "gnome"    // gsettings org.gnome.system.proxy ignore-hosts
	BypassKDE     = "kde"      // kioslaverc NoProxyFor (+ ReversedException)
	BypassNoProxy = "no_proxy" // no_proxy in /etc/environment
)

// ProxyBypass is one OS exception list: the destinations that skip a proxy.
type ProxyBypass struct {
	Source string   // where it was read, e.g. "WinINet ProxyOverride"
	Format string   // one of the Bypass* formats
	Rules  []string // the entries as written
	// Simple: names without a dot skip the proxy (macOS
	// ExcludeSimpleHostnames; Windows and KDE write "<local>" in Rules).
	Simple bool
	// Reversed (KDE ReversedException=true): Rules name the hosts that DO
	// use the proxy; everything else goes direct.
	Reversed bool
}

// Match reports whether a connection to host (a name or an address
// literal) on port skips the proxy, and the entry that decided it.
func (b ProxyBypass) Match(host string, port int) (rule string, bypassed bool) {
	host = strings.ToLower(strings.TrimSuffix(strings.Trim(host, "[]"), "."))
	addr, err := netip.ParseAddr(host)
	isAddr := err == nil
	rule, hit := b.match(host, addr, isAddr, port)
	if b.Reversed {
		// kprotocolmanager.cpp shouldIgnoreProxyFor: useRevProxy != isMatch
		if hit {
			return "", false
		}
		return "ReversedException=true (" + host + " not listed)", true
	}
	return rule, hit
}

func (b ProxyBypass) match(host string, addr netip.Addr, isAddr bool, port int) (string, bool) {
	simple := !isAddr && !strings.Contains(host, ".")
	if b.Simple && simple {
		return "ExcludeSimpleHostnames", true
	}
	if b.Format == BypassNoProxy {
		return matchNoProxy(b.Rules, host, port)
	}
	for _, r := range b.Rules {
		var ok bool
		switch b.Format {
		case BypassWindows:
			ok = matchWindowsRule(r, host, simple, port)
		case BypassMacOS:
			ok = matchMacRule(r, host, addr, isAddr)
		case BypassGNOME:
			ok = matchGNOMERule(r, host, addr, isAddr, port)
		case BypassKDE:
			ok = matchKDERule(r, host, addr, isAddr, simple, port)
		}
		if ok {
			return r, true
		}
	}
	return "", false
}

// matchWindowsRule follows WinINet/WinHTTP: an entry is a host name or
// address pattern where '*' matches any run of characters, compared with
// the whole host, case-insensitively; a bare name is that one host
// ("*.example.com" for the subdomains). "<local>" is every name without a
// dot (Microsoft, WINHTTP_PROXY_INFO: "The proxy bypass list can also
// contain the string "<local>" to indicate that all local intranet sites
// are bypassed. Local intranet sites are considered to be all servers that
// do not contain a period in their name.",
// learn.microsoft.com/en-us/windows/win32/api/winhttp/ns-winhttp-winhttp_proxy_info).
// That a bare name is one host was measured against WinINet and WinHTTP by
// the proxy-watch crate (docs.rs/proxy-watch, parse::proxy_override) and is
// how Chromium reads the list. An optional "scheme://" limits
// an entry to that scheme (kept only for https, what the softphone speaks)
// and ":port" to that port. There is no CIDR form: "10.*" is how Windows
// writes a range.
func matchWindowsRule(rule, host string, simple bool, port int) bool {
	r := strings.ToLower(strings.TrimSpace(rule))
	if r == "<local>" {
		return simple
	}
	if strings.HasPrefix(r, "<") { // "<-loopback>" and other markers
		return false
	}
	if scheme, rest, ok := strings.Cut(r, "://"); ok {
		if scheme != "https" {
			return false
		}
		r = rest
	}
	if h, p, ok := cutPort(r); ok {
		if p != port {
			return false
		}
		r = h
	}
	return wildcardMatch(r, host, false)
}

// matchMacRule follows Qt's macOS reader (qtbase
// src/network/kernel/qnetworkproxy_mac.cpp, isHostExcluded): for an address destination an entry that parses as a
// subnet ("169.254/16", "127.0.0.1/8", "10.1" = 10.1.0.0/16) matches the
// addresses in it; otherwise the entry is a wildcard pattern ('*', '?')
// over the whole host, case-insensitive: "*.local" matches names under
// .local, "biztel.jp" only biztel.jp.
func matchMacRule(rule, host string, addr netip.Addr, isAddr bool) bool {
	r := strings.ToLower(strings.TrimSpace(rule))
	if isAddr {
		if pfx, ok := parseQtSubnet(r); ok && pfx.Contains(addr) {
			return true
		}
	}
	return wildcardMatch(r, host, true)
}

// matchGNOMERule follows GLib's GSimpleProxyResolver:ignore-hosts, which
// GNOME's org.gnome.system.proxy ignore-hosts feeds (docs.gtk.org/gio,
// property.SimpleProxyResolver.ignore-hosts.html): "example.com",
// ".example.com" and "*.example.com" each match example.com and every
// name under it; an address matches only that address; "addr/len" a range;
// a trailing ":port" ("[::1]:443" for IPv6) limits the entry to that port.
// Name entries apply only to connections by name, address entries only to
// connections by address.
func matchGNOMERule(rule, host string, addr netip.Addr, isAddr bool, port int) bool {
	r := strings.ToLower(strings.TrimSpace(rule))
	if r == "" {
		return false
	}
	if pfx, err := netip.ParsePrefix(r); err == nil {
		return isAddr && pfx.Masked().Contains(addr)
	}
	if a, err := netip.ParseAddr(r); err == nil {
		return isAddr && a == addr
	}
	if h, p, ok := cutPort(r); ok {
		if p != port {
			return false
		}
		r = strings.Trim(h, "[]")
		if a, err := netip.ParseAddr(r); err == nil {
			return isAddr && a == addr
		}
	}
	if isAddr {
		return false
	}
	r = strings.TrimPrefix(strings.TrimPrefix(r, "*"), ".")
	return r != "" && (host == r || strings.HasSuffix(host, "."+r))
}

// matchKDERule follows KIO (KDE Frameworks kio, src/core/kprotocolmanager.cpp,
// shouldIgnoreProxyFor and revmatch): NoProxyFor is split at ','; entries that parse as a Qt subnet
// ("192.168.0.0/16", "10.1", "203.0.113.5") match addresses in it; every
// other entry matches when the host ends with it (a plain suffix, no dot
// needed: "biztel.jp" matches "x.biztel.jp"), or "host:port" with the port;
// "<local>" matches names without a dot. KIO compares characters, so a '*'
// in an entry matches only a '*'. KIO also resolves a name to test it
// against subnet entries; this check does not resolve (see file comment).
func matchKDERule(rule, host string, addr netip.Addr, isAddr, simple bool, port int) bool {
	r := strings.ToLower(strings.TrimSpace(rule))
	if r == "" {
		return false
	}
	if pfx, ok := parseQtSubnet(r); ok {
		return isAddr && pfx.Contains(addr)
	}
	if r == "<local>" {
		return simple
	}
	// revmatch also accepts the entry written as a URL ("http://host").
	if _, rest, ok := strings.Cut(r, "://"); ok {
		r = rest
		if host == r {
			return true
		}
	}
	return strings.HasSuffix(host, r) || strings.HasSuffix(host+":"+strconv.Itoa(port), r)
}

// matchNoProxy asks golang.org/x/net/http/httpproxy (the rules of Go and
// curl: domain suffixes, ".domain", CIDRs, ports) one entry at a time, so
// the entry that matched can be named.
func matchNoProxy(rules []string, host string, port int) (string, bool) {
	hp := host
	if strings.Contains(hp, ":") {
		hp = "[" + hp + "]"
	}
	u := &url.URL{Scheme: "https", Host: hp + ":" + strconv.Itoa(port)}
	for _, r := range rules {
		cfg := &httpproxy.Config{HTTPSProxy: "http://proxy.invalid:3128", NoProxy: r}
		if p, err := cfg.ProxyFunc()(u); err == nil && p == nil {
			return r, true
		}
	}
	return "", false
}

// cutPort splits "host:port" (or "[v6]:port"); ok is false when there is
// no numeric port or the text is a bare IPv6 address.
func cutPort(s string) (host string, port int, ok bool) {
	i := strings.LastIndexByte(s, ':')
	if i < 0 || (strings.Count(s, ":") > 1 && !strings.HasPrefix(s, "[")) {
		return s, 0, false
	}
	p, err := strconv.Atoi(s[i+1:])
	if err != nil || p <= 0 || p > 65535 {
		return s, 0, false
	}
	return s[:i], p, true
}

// wildcardMatch matches pattern against the whole of s: '*' is any run of
// characters and, with question, '?' is one character.
func wildcardMatch(pattern, s string, question bool) bool {
	px, sx := 0, 0
	star, mark := -1, 0
	for sx < len(s) {
		switch {
		case px < len(pattern) && (pattern[px] == s[sx] || (question && pattern[px] == '?')):
			px++
			sx++
		case px < len(pattern) && pattern[px] == '*':
			star, mark = px, sx
			px++
		case star >= 0:
			mark++
			px, sx = star+1, mark
		default:
			return false
		}
	}
	for px < len(pattern) && pattern[px] == '*' {
		px++
	}
	return px == len(pattern)
}

// parseQtSubnet reads a subnet the way QHostAddress::parseSubnet does
// (KIO and Qt's macOS reader use it): "a.b.c.d/n", "a.b.c.d/255.255.0.0",
// IPv4 with trailing octets left out ("169.254/16", "10.1" = 10.1.0.0/16,
// "10." = 10.0.0.0/8, a full address = /32), or "ipv6/n".
func parseQtSubnet(s string) (netip.Prefix, bool) {
	addrPart, bitsPart, hasBits := strings.Cut(s, "/")
	if strings.Contains(addrPart, ":") {
		if !hasBits {
			return netip.Prefix{}, false
		}
		pfx, err := netip.ParsePrefix(s)
		return pfx.Masked(), err == nil
	}
	octets := strings.Split(strings.TrimSuffix(addrPart, "."), ".")
	if len(octets) == 0 || len(octets) > 4 {
		return netip.Prefix{}, false
	}
	var b [4]byte
	for i, o := range octets {
		n, err := strconv.Atoi(o)
		if err != nil || n < 0 || n > 255 || o == "" || strings.TrimLeft(o, "0123456789") != "" {
			return netip.Prefix{}, false
		}
		b[i] = byte(n)
	}
	bits := 8 * len(octets)
	if hasBits {
		if mask, err := netip.ParseAddr(bitsPart); err == nil && mask.Is4() {
			m := mask.As4()
			ones, ok := maskOnes(m)
			if !ok {
				return netip.Prefix{}, false
			}
			bits = ones
		} else if n, err := strconv.Atoi(bitsPart); err == nil && n >= 0 && n <= 32 {
			bits = n
		} else {
			return netip.Prefix{}, false
		}
	}
	return netip.PrefixFrom(netip.AddrFrom4(b), bits).Masked(), true
}

// maskOnes counts the leading ones of a contiguous netmask.
func maskOnes(m [4]byte) (int, bool) {
	v := uint32(m[0])<<24 | uint32(m[1])<<16 | uint32(m[2])<<8 | uint32(m[3])
	n := 0
	for v&0x80000000 != 0 {
		n++
		v <<= 1
	}
	return n, v == 0
}

// splitBypassList splits a Windows bypass list: entries are separated by
// ';' (what Internet Options writes into ProxyOverride) or white space
// (WINHTTP_PROXY_INFO: "one or more server names separated by semicolons
// or whitespace"); Chromium's Windows reader also splits at ','.
func splitBypassList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return r == ';' || r == ',' || r == ' ' || r == '\t' || r == '\r' || r == '\n'
	})
}

// parseGVariantStrings reads gsettings' text form of a string array,
// "['localhost', '127.0.0.0/8', '::1']" ("@as []" when empty). Strings are
// single- or double-quoted with backslash escapes.
func parseGVariantStrings(s string) []string {
	s = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s), "@as"))
	var out []string
	for i := 0; i < len(s); i++ {
		q := s[i]
		if q != '\'' && q != '"' {
			continue
		}
		var b strings.Builder
		for i++; i < len(s) && s[i] != q; i++ {
			if s[i] == '\\' && i+1 < len(s) {
				i++
			}
			b.WriteByte(s[i])
		}
		out = append(out, b.String())
	}
	return out
}

// splitKDEList splits kioslaverc NoProxyFor (KConfig list: ',' between
// entries; KIO's revmatch also skips spaces).
func splitKDEList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' })
}

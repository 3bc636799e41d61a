// Package hostinfo reads what the operating system says about this machine's
// network: the default route, the kind of link behind it (wired, Wi-Fi, VPN),
// and the proxies configured in the OS with their exception lists. It has one
// reader per OS (Linux procfs/sysfs and desktop settings, Windows APIs and
// netsh, macOS route/networksetup/scutil) and pure parsers for their outputs,
// tested on captured samples on every OS. It judges nothing: the checks do.
package hostinfo

// Host is the small per-OS interface behind net.link, net.proxy and
// net.ipv4. Each OS has an implementation behind build tags; tests fake it.
type Host interface {
	// DefaultRoute returns the interface of the IPv4 default route ("" when
	// none) and whether an IPv6 default route exists.
	DefaultRoute() (iface string, hasV6 bool, err error)
	// LinkKind classifies an interface: "wired", "wireless", "vpn",
	// "loopback", "unknown"; details (signal, driver) go into facts.
	LinkKind(iface string) (kind string, details map[string]string, err error)
	// ProxySettings returns proxies configured in the OS (not the
	// environment): keys such as "https", "http", "pac", "wpad" → value.
	ProxySettings() (map[string]string, error)
}

// ProxyConfigReader is a Host that also reads the OS proxy exception
// lists. It is a separate interface so fakes and hosts without exception
// lists still satisfy Host; net.proxy uses it when present and otherwise
// judges the proxies of ProxySettings with no exceptions.
type ProxyConfigReader interface {
	// ProxyConfig returns what ProxySettings returns, read once, together
	// with the exception list that applies to each proxy kind.
	ProxyConfig() (ProxyConfig, error)
}

// ProxyConfig is the OS proxy setup: the proxies (ProxySettings' keys and
// values) and, per key, the exception list that applies to that proxy (a
// key without an entry has no exceptions; "pac" and "wpad" never have one:
// the PAC file decides).
type ProxyConfig struct {
	Proxies map[string]string
	Bypass  map[string]ProxyBypass
}

// System returns this OS's Host.
func System() Host { return systemHost() }

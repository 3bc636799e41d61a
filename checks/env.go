package checks

import (
	"context"
	"crypto/x509"
	"io"
	"log"
	"net"
	"os"
	"time"
)

// Dialer opens connections. *net.Dialer satisfies it; tests inject one that
// records or refuses.
type Dialer interface {
	DialContext(ctx context.Context, network, address string) (net.Conn, error)
}

// PacketListener opens UDP sockets. *net.ListenConfig satisfies it.
type PacketListener interface {
	ListenPacket(ctx context.Context, network, address string) (net.PacketConn, error)
}

// Resolver is the OS resolver path (what a softphone uses). *net.Resolver
// satisfies it.
type Resolver interface {
	LookupIPAddr(ctx context.Context, host string) ([]net.IPAddr, error)
}

// Env is every edge a check touches: the network, the resolver, the clock,
// files and the OS. Production uses SystemEnv; tests and demo inject fakes so
// nothing leaves loopback.
type Env struct {
	Version  string         // tool version, for User-Agent "biztel-doctor/VERSION"
	Dialer   Dialer         // TCP (and connected UDP) dialing
	Listener PacketListener // UDP sockets for STUN, SIP, NTP, SSDP, media
	Resolver Resolver       // OS resolver path

	// DNSServers are the servers dns.mgmt queries directly (host:port); nil
	// means those in ResolvConf.
	DNSServers []string
	ResolvConf string // path of resolv.conf, default /etc/resolv.conf
	HostsFile  string // path of the hosts file, default /etc/hosts (per OS)

	// SSDPAddr is where upnp.igd sends its M-SEARCH; default the SSDP
	// multicast group 239.255.255.250:1900. Tests and demo point it at a fake.
	SSDPAddr string
	// SSDPWindow is how long upnp.igd listens for answers.
	SSDPWindow time.Duration

	RootCAs *x509.CertPool // nil: the system roots

	Getenv func(string) string // environment (proxy variables)
	Now    func() time.Time
	Log    *log.Logger // diagnostics; never secrets

	// Host is the OS-specific view of interfaces, routes and proxy settings.
	Host HostInfo
}

// HostInfo is the small per-OS interface behind net.link, net.proxy and
// net.ipv4. Each OS has an implementation behind build tags; tests fake it.
type HostInfo interface {
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

// ProxyConfigReader is a HostInfo that also reads the OS proxy exception
// lists. It is a separate interface so fakes and hosts without exception
// lists still satisfy HostInfo; net.proxy uses it when present and otherwise
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

// Default values of the edges, named so tests can see what production uses.
const (
	DefaultSSDPAddr   = "239.255.255.250:1900"
	DefaultSSDPWindow = time.Second
	DefaultResolvConf = "/etc/resolv.conf"
)

// SystemEnv is the real machine.
func SystemEnv(version string) *Env {
	return &Env{
		Version:    version,
		Dialer:     &net.Dialer{},
		Listener:   &net.ListenConfig{},
		Resolver:   net.DefaultResolver,
		ResolvConf: DefaultResolvConf,
		HostsFile:  defaultHostsFile(),
		SSDPAddr:   DefaultSSDPAddr,
		SSDPWindow: DefaultSSDPWindow,
		Getenv:     os.Getenv,
		Now:        time.Now,
		Log:        log.New(io.Discard, "", 0),
		Host:       systemHost(),
	}
}

// withDefaults fills nil edges so a partly built test Env still works.
func (e *Env) withDefaults() *Env {
	c := *e
	if c.Dialer == nil {
		c.Dialer = &net.Dialer{}
	}
	if c.Listener == nil {
		c.Listener = &net.ListenConfig{}
	}
	if c.Resolver == nil {
		c.Resolver = net.DefaultResolver
	}
	if c.ResolvConf == "" {
		c.ResolvConf = DefaultResolvConf
	}
	if c.HostsFile == "" {
		c.HostsFile = defaultHostsFile()
	}
	if c.SSDPAddr == "" {
		c.SSDPAddr = DefaultSSDPAddr
	}
	if c.SSDPWindow == 0 {
		c.SSDPWindow = DefaultSSDPWindow
	}
	if c.Getenv == nil {
		c.Getenv = os.Getenv
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Log == nil {
		c.Log = log.New(io.Discard, "", 0)
	}
	if c.Host == nil {
		c.Host = systemHost()
	}
	if c.Version == "" {
		c.Version = "dev"
	}
	return &c
}

// UserAgent is what SIP, HTTP and WebSocket requests carry.
func (e *Env) UserAgent() string { return "biztel-doctor/" + e.Version }

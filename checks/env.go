package checks

import (
	"context"
	"crypto/x509"
	"io"
	"log"
	"net"
	"os"
	"time"

	"github.com/biztel-tools/biztel-doctor/hostinfo"
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
	Host hostinfo.Host
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
		HostsFile:  hostinfo.DefaultHostsFile(),
		SSDPAddr:   DefaultSSDPAddr,
		SSDPWindow: DefaultSSDPWindow,
		Getenv:     os.Getenv,
		Now:        time.Now,
		Log:        log.New(io.Discard, "", 0),
		Host:       hostinfo.System(),
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
		c.HostsFile = hostinfo.DefaultHostsFile()
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
		c.Host = hostinfo.System()
	}
	if c.Version == "" {
		c.Version = "dev"
	}
	return &c
}

// UserAgent is what SIP, HTTP and WebSocket requests carry.
func (e *Env) UserAgent() string { return "biztel-doctor/" + e.Version }

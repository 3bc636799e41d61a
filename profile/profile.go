// Package profile is the site profile: which BIZTEL servers, STUN servers and
// options a customer site uses (design.md §3). It is read from YAML, overridden
// by flags, validated with messages that name the field, and turned into the
// values that fill remedy and snippet placeholders.
package profile

import (
	"net"
	"net/netip"
	"strconv"
	"strings"
)

// DefaultNTP is the NTP server of the page's LAN→WAN row ⑨ (210.235.12.2/32).
const DefaultNTP = "210.235.12.2"

// MaxChannels bounds the concurrent-call count; larger sites run the check per
// site section rather than one line test of that size.
const MaxChannels = 2000

// Vendors are the router/firewall families with configuration snippets
// (design.md §3).
var Vendors = []string{"yamaha", "nec-ix", "fortigate", "paloalto", "cisco-ios", "cisco-asa", "juniper-srx", "sonicwall", "pfsense", "mikrotik", "nftables", "generic"}

// Profile is one customer site. The zero value of every field means "not
// given"; defaults are applied by Resolve.
type Profile struct {
	Server     Server     `yaml:"server" json:"server"`
	STUN       STUN       `yaml:"stun,omitempty" json:"stun,omitzero"`
	Recording  Endpoint   `yaml:"recording,omitempty" json:"recording,omitzero"`
	UniConnect Endpoint   `yaml:"uniconnect,omitempty" json:"uniconnect,omitzero"`
	NTP        string     `yaml:"ntp,omitempty" json:"ntp,omitempty"`
	Reflector  Reflector  `yaml:"reflector,omitempty" json:"reflector,omitzero"`
	Vendor     string     `yaml:"vendor,omitempty" json:"vendor,omitempty"`
	Options    Options    `yaml:"options,omitempty" json:"options,omitzero"`
	Channels   int        `yaml:"channels,omitempty" json:"channels,omitempty"`
	FTPS       FTPS       `yaml:"ftps,omitempty" json:"ftps,omitzero"`
	TLS        TLSPinning `yaml:"tls,omitempty" json:"tls,omitzero"`
}

// Server is the BIZTEL server (「ご利用案内」).
type Server struct {
	Host  string `yaml:"host,omitempty" json:"host,omitempty"`     // management hostname, e.g. s0123456789ab.u.biztel.jp
	IP    string `yaml:"ip,omitempty" json:"ip,omitempty"`         // its public IPv4 address
	VPNIP string `yaml:"vpn_ip,omitempty" json:"vpn_ip,omitempty"` // private IP; present only with the VPN option, and turns it on
}

// STUN lists the STUN servers (「サービスご紹介資料」).
type STUN struct {
	Servers []string `yaml:"servers,omitempty" json:"servers,omitempty"` // ADDR or ADDR:PORT (PORT 3478 or 3479)
	CIDR    string   `yaml:"cidr,omitempty" json:"cidr,omitempty"`       // for firewall rules
}

// Endpoint is a server given by name and/or address.
type Endpoint struct {
	Host string `yaml:"host,omitempty" json:"host,omitempty"`
	IP   string `yaml:"ip,omitempty" json:"ip,omitempty"`
}

// IsZero reports whether neither name nor address is given.
func (e Endpoint) IsZero() bool { return e.Host == "" && e.IP == "" }

// Addr is the address to contact: the IP when given, else the host name.
func (e Endpoint) Addr() string {
	if e.IP != "" {
		return e.IP
	}
	return e.Host
}

// Reflector is a biztel-doctor serve instance run by the support team.
type Reflector struct {
	Addr  string `yaml:"addr,omitempty" json:"addr,omitempty"`   // HOST or HOST:PORT
	Token string `yaml:"token,omitempty" json:"token,omitempty"` // shared secret; never in reports
}

// Options are the BIZTEL service options in use. nil means "not said": Resolve
// applies the documented defaults.
type Options struct {
	Encryption        *bool `yaml:"encryption,omitempty" json:"encryption,omitempty"`
	WebRTC            *bool `yaml:"webrtc,omitempty" json:"webrtc,omitempty"`
	Hardphone         *bool `yaml:"hardphone,omitempty" json:"hardphone,omitempty"`
	RecordingDownload *bool `yaml:"recording_download,omitempty" json:"recording_download,omitempty"`
	UniConnect        *bool `yaml:"uniconnect,omitempty" json:"uniconnect,omitempty"`
}

// FTPS holds optional credentials used only to ask the recording server for
// a passive port. Never written to a report or log.
type FTPS struct {
	User     string `yaml:"user,omitempty" json:"-"`
	Password string `yaml:"password,omitempty" json:"-"`
}

// TLSPinning holds optional SHA-256 pins of the BIZTEL server's certificate
// public key (base64 or hex of the SubjectPublicKeyInfo hash).
type TLSPinning struct {
	PinSHA256 []string `yaml:"pin_sha256,omitempty" json:"pin_sha256,omitempty"`
}

// VPN reports whether the VPN option is on (a private IP is given).
func (p *Profile) VPN() bool { return p.Server.VPNIP != "" }

// ServerAddr is where SIP, RTP, HTTPS/WSS, SIP/TLS and SIP/WSS go: the private
// IP with the VPN option, else the public IP, else the management hostname.
func (p *Profile) ServerAddr() string {
	switch {
	case p.Server.VPNIP != "":
		return p.Server.VPNIP
	case p.Server.IP != "":
		return p.Server.IP
	}
	return p.Server.Host
}

// TLSName is the name the server certificate is verified against: the
// management hostname, or the address when there is none.
func (p *Profile) TLSName() string {
	if p.Server.Host != "" {
		return p.Server.Host
	}
	return p.ServerAddr()
}

// NTPServer is the configured NTP server or the page's default.
func (p *Profile) NTPServer() string {
	if p.NTP != "" {
		return p.NTP
	}
	return DefaultNTP
}

// CallCount is the number of concurrent calls (at least 1).
func (p *Profile) CallCount() int {
	if p.Channels < 1 {
		return 1
	}
	return p.Channels
}

// Option reports whether the named option (content.Opt*) is on, with the
// documented defaults: encryption, webrtc and hardphone on; recording download
// on when a recording server is given; uniConnect on when its server is given.
func (p *Profile) Option(name string) bool {
	get := func(b *bool, def bool) bool {
		if b == nil {
			return def
		}
		return *b
	}
	switch name {
	case "encryption":
		return get(p.Options.Encryption, true)
	case "webrtc":
		return get(p.Options.WebRTC, true)
	case "hardphone":
		return get(p.Options.Hardphone, true)
	case "recording_download":
		return get(p.Options.RecordingDownload, !p.Recording.IsZero())
	case "uniconnect":
		return get(p.Options.UniConnect, !p.UniConnect.IsZero())
	}
	return false
}

// OptionSet returns every option with its resolved value.
func (p *Profile) OptionSet() map[string]bool {
	out := map[string]bool{}
	for _, o := range optionNames {
		out[o] = p.Option(o)
	}
	return out
}

var optionNames = []string{"encryption", "webrtc", "hardphone", "recording_download", "uniconnect"}

// STUNEntry is one STUN server of the profile.
type STUNEntry struct {
	Host string // IP or name
	Port int    // 3478, 3479, or 0 when the entry gives none (probe both)
}

// STUNEntries parses stun.servers (validated entries never fail here).
func (p *Profile) STUNEntries() []STUNEntry {
	var out []STUNEntry
	for _, s := range p.STUN.Servers {
		h, port, err := splitHostPort(s)
		if err != nil {
			continue
		}
		out = append(out, STUNEntry{Host: h, Port: port})
	}
	return out
}

// splitHostPort accepts "host", "1.2.3.4", "host:3478", "[::1]:3478".
func splitHostPort(s string) (string, int, error) {
	s = strings.TrimSpace(s)
	if h, ps, err := net.SplitHostPort(s); err == nil {
		port, err := strconv.Atoi(ps)
		if err != nil {
			return "", 0, errBadPort
		}
		return h, port, nil
	}
	if strings.Count(s, ":") > 1 { // bare IPv6 literal
		if _, err := netip.ParseAddr(s); err == nil {
			return s, 0, nil
		}
	}
	if strings.Contains(s, ":") {
		return "", 0, errBadPort
	}
	return s, 0, nil
}

// Redacted returns a copy without secrets (FTPS credentials, reflector
// token), for reports and logs.
func (p *Profile) Redacted() *Profile {
	c := *p
	c.FTPS = FTPS{}
	c.Reflector.Token = ""
	c.STUN.Servers = append([]string(nil), p.STUN.Servers...)
	c.TLS.PinSHA256 = append([]string(nil), p.TLS.PinSHA256...)
	return &c
}

package profile

import (
	"flag"
	"net/netip"
	"strings"

	"gopkg.in/yaml.v3"
)

// Flags are the site flags shared by check, plan, ports and the TUI
// (design.md §3). They override the profile file.
type Flags struct {
	ProfilePath    string
	Server         string // IP literal sets server.ip, a name sets server.host
	ServerIP       string
	VPNIP          string
	STUN           string // comma-separated
	NTP            string
	Recording      string // IP literal sets recording.ip, a name recording.host
	Reflector      string
	ReflectorToken string
	Channels       int
	Vendor         string
}

// Register adds the site flags to fs.
func (f *Flags) Register(fs *flag.FlagSet) {
	fs.StringVar(&f.ProfilePath, "profile", "", "site profile `FILE` (YAML)")
	fs.StringVar(&f.Server, "server", "", "BIZTEL server `HOST|IP` (an IP sets server.ip, a name server.host)")
	fs.StringVar(&f.ServerIP, "server-ip", "", "BIZTEL server public `IP`")
	fs.StringVar(&f.VPNIP, "vpn-ip", "", "BIZTEL server private `IP` (VPN option; turns it on)")
	fs.StringVar(&f.STUN, "stun", "", "STUN servers `ADDR[,ADDR…]` (ADDR or ADDR:3478 / ADDR:3479)")
	fs.StringVar(&f.NTP, "ntp", "", "NTP server `ADDR` (default "+DefaultNTP+")")
	fs.StringVar(&f.Recording, "recording", "", "bulk recording download server `HOST|IP`")
	fs.StringVar(&f.Reflector, "reflector", "", "reflector (biztel-doctor serve) `ADDR`")
	fs.StringVar(&f.ReflectorToken, "reflector-token", "", "reflector shared `TOKEN`")
	fs.IntVar(&f.Channels, "channels", 0, "concurrent calls `N` (200 kbps each way per call)")
	fs.StringVar(&f.Vendor, "vendor", "", "router/firewall `NAME`: "+strings.Join(Vendors, ", "))
}

// Given reports whether any site value (other than the profile path) was set.
func (f *Flags) Given() bool {
	return f.Server != "" || f.ServerIP != "" || f.VPNIP != "" || f.STUN != "" || f.NTP != "" ||
		f.Recording != "" || f.Reflector != "" || f.ReflectorToken != "" || f.Channels != 0 || f.Vendor != ""
}

// Build loads the profile file (when given), applies the flags over it and
// validates the result. Errors are *Error naming the flag or field.
//
// The file is validated only after the flags are applied, so a profile may
// leave out what the flags give (a shared profile plus --server).
func (f *Flags) Build() (*Profile, error) {
	p := &Profile{}
	var root *yaml.Node
	if f.ProfilePath != "" {
		data, err := readFile(f.ProfilePath)
		if err != nil {
			return nil, err
		}
		if p, root, err = decode(data, f.ProfilePath); err != nil {
			return nil, err
		}
	}
	f.Apply(p)
	if err := p.Validate(); err != nil {
		pe, ok := err.(*Error)
		if !ok {
			return nil, err
		}
		if pe.Field = f.flagFor(pe.Field); !strings.HasPrefix(pe.Field, "--") {
			if f.ProfilePath != "" && root == nil && pe.Field == "server" {
				return nil, errEmpty(f.ProfilePath)
			}
			pe.File = f.ProfilePath
			if root != nil {
				pe.Line = lineOf(root, pe.Field)
			}
		}
		return nil, pe
	}
	return p, nil
}

// Apply writes the given flags over p.
func (f *Flags) Apply(p *Profile) {
	if f.Server != "" {
		if _, err := netip.ParseAddr(f.Server); err == nil {
			p.Server.IP = f.Server
		} else {
			p.Server.Host = f.Server
		}
	}
	set := func(dst *string, v string) {
		if v != "" {
			*dst = v
		}
	}
	set(&p.Server.IP, f.ServerIP)
	set(&p.Server.VPNIP, f.VPNIP)
	if f.STUN != "" {
		p.STUN.Servers = nil
		for _, s := range strings.Split(f.STUN, ",") {
			if s = strings.TrimSpace(s); s != "" {
				p.STUN.Servers = append(p.STUN.Servers, s)
			}
		}
	}
	set(&p.NTP, f.NTP)
	if f.Recording != "" {
		if _, err := netip.ParseAddr(f.Recording); err == nil {
			p.Recording = Endpoint{IP: f.Recording}
		} else {
			p.Recording = Endpoint{Host: f.Recording}
		}
	}
	set(&p.Reflector.Addr, f.Reflector)
	set(&p.Reflector.Token, f.ReflectorToken)
	if f.Channels != 0 {
		p.Channels = f.Channels
	}
	set(&p.Vendor, f.Vendor)
}

// flagFor names the flag that set a field, so a bad flag value is reported
// as the flag the user typed rather than a profile key.
func (f *Flags) flagFor(field string) string {
	switch {
	case field == "server.host" && f.Server != "":
		return "--server"
	case field == "server.ip" && f.ServerIP != "":
		return "--server-ip"
	case field == "server.ip" && f.Server != "":
		return "--server"
	case field == "server.vpn_ip" && f.VPNIP != "":
		return "--vpn-ip"
	case strings.HasPrefix(field, "stun.servers") && f.STUN != "":
		return "--stun"
	case field == "ntp" && f.NTP != "":
		return "--ntp"
	case strings.HasPrefix(field, "recording") && f.Recording != "":
		return "--recording"
	case field == "reflector.addr" && f.Reflector != "":
		return "--reflector"
	case field == "channels" && f.Channels != 0:
		return "--channels"
	case field == "vendor" && f.Vendor != "":
		return "--vendor"
	case field == "server" && f.ProfilePath == "":
		return "--server"
	}
	return field
}

// Package override points a check run at test peers: the ports the checks
// contact and the environment edges that otherwise lead off the machine
// (SSDP multicast, the system resolver, the system roots, hosts and
// resolv.conf). It exists for benchmarks and developer runs against the
// loopback fakes; the binary reads a file only when the hidden
// --dev-override FILE flag of `check` names it, never by default.
//
// The file is YAML; unknown keys are errors. Every field is optional:
//
//	ports: {sip_udp: 40001, stun_primary: 40002, rtp: 41000-41019}
//	ssdp_addr: 127.0.0.1:40010
//	dns_servers: [127.0.0.1:40011]
//	resolver: 127.0.0.1:40011   # stands in for the OS resolver
//	root_ca_file: /tmp/bench/ca.pem
//	hosts_file: /tmp/bench/hosts
//	resolv_conf: /tmp/bench/resolv.conf
//	panic_after_check: sip.udp  # the TUI panics when it finishes (tests of the way out)
package override

import (
	"bytes"
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/biztel-tools/biztel-doctor/checks"
	"github.com/biztel-tools/biztel-doctor/content"
)

// Ports are the logical ports of checks.Ports by name; nil keeps the
// page's default.
type Ports struct {
	SIPUDP        *content.PortRange `yaml:"sip_udp,omitempty"`
	RTP           *content.PortRange `yaml:"rtp,omitempty"`
	STUNPrimary   *content.PortRange `yaml:"stun_primary,omitempty"`
	STUNSecondary *content.PortRange `yaml:"stun_secondary,omitempty"`
	Web           *content.PortRange `yaml:"web,omitempty"`
	FTPSControl   *content.PortRange `yaml:"ftps_control,omitempty"`
	FTPSPassive   *content.PortRange `yaml:"ftps_passive,omitempty"`
	SIPTLS        *content.PortRange `yaml:"sip_tls,omitempty"`
	SIPWSS        *content.PortRange `yaml:"sip_wss,omitempty"`
	NTP           *content.PortRange `yaml:"ntp,omitempty"`
	DNS           *content.PortRange `yaml:"dns,omitempty"`
	Reflector     *content.PortRange `yaml:"reflector,omitempty"`
	ReflectorSIP  *content.PortRange `yaml:"reflector_sip,omitempty"`
	ReflectorRTP  *content.PortRange `yaml:"reflector_rtp,omitempty"`
}

// File is the override file.
type File struct {
	Ports        Ports    `yaml:"ports,omitempty"`
	SSDPAddr     string   `yaml:"ssdp_addr,omitempty"`
	SSDPWindowMS int      `yaml:"ssdp_window_ms,omitempty"`
	DNSServers   []string `yaml:"dns_servers,omitempty"`
	Resolver     string   `yaml:"resolver,omitempty"`
	RootCAFile   string   `yaml:"root_ca_file,omitempty"`
	HostsFile    string   `yaml:"hosts_file,omitempty"`
	ResolvConf   string   `yaml:"resolv_conf,omitempty"`
	// PanicAfterCheck makes the TUI panic when this check finishes, so a
	// test can prove a recovered panic still saves the whole report.
	PanicAfterCheck string `yaml:"panic_after_check,omitempty"`
}

// Load reads and validates an override file.
func Load(path string) (*File, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("override: %w", err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	dec.KnownFields(true)
	var f File
	if err := dec.Decode(&f); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("override: %s: %w", path, err)
	}
	if err := f.validate(); err != nil {
		return nil, fmt.Errorf("override: %s: %w", path, err)
	}
	return &f, nil
}

// Write saves f to path (the benchmark harness uses it).
func (f *File) Write(path string) error {
	raw, err := yaml.Marshal(f)
	if err != nil {
		return fmt.Errorf("override: %w", err)
	}
	return os.WriteFile(path, raw, 0o644)
}

func (f *File) validate() error {
	if err := f.ApplyPorts(&checks.Ports{}); err != nil {
		return err
	}
	for name, addr := range map[string]string{"ssdp_addr": f.SSDPAddr, "resolver": f.Resolver} {
		if addr == "" {
			continue
		}
		if _, _, err := net.SplitHostPort(addr); err != nil {
			return fmt.Errorf("%s %q: want HOST:PORT", name, addr)
		}
	}
	for i, addr := range f.DNSServers {
		if _, _, err := net.SplitHostPort(addr); err != nil {
			return fmt.Errorf("dns_servers[%d] %q: want HOST:PORT", i, addr)
		}
	}
	if f.SSDPWindowMS < 0 {
		return fmt.Errorf("ssdp_window_ms %d: must not be negative", f.SSDPWindowMS)
	}
	return nil
}

// ApplyPorts replaces the ports the file names.
func (f *File) ApplyPorts(p *checks.Ports) error {
	o := f.Ports
	var err error
	one := func(name string, r *content.PortRange, dst *int) {
		switch {
		case r == nil || err != nil:
		case r.Valid() != nil:
			err = fmt.Errorf("ports.%s: %w", name, r.Valid())
		case r.From != r.To:
			err = fmt.Errorf("ports.%s %s: one port, not a range", name, r)
		default:
			*dst = r.From
		}
	}
	span := func(name string, r *content.PortRange, dst *content.PortRange) {
		switch {
		case r == nil || err != nil:
		case r.Valid() != nil:
			err = fmt.Errorf("ports.%s: %w", name, r.Valid())
		default:
			*dst = *r
		}
	}
	one("sip_udp", o.SIPUDP, &p.SIPUDP)
	span("rtp", o.RTP, &p.RTP)
	one("stun_primary", o.STUNPrimary, &p.STUNPrimary)
	one("stun_secondary", o.STUNSecondary, &p.STUNSecondary)
	one("web", o.Web, &p.Web)
	one("ftps_control", o.FTPSControl, &p.FTPSControl)
	span("ftps_passive", o.FTPSPassive, &p.FTPSPassive)
	one("sip_tls", o.SIPTLS, &p.SIPTLS)
	one("sip_wss", o.SIPWSS, &p.SIPWSS)
	one("ntp", o.NTP, &p.NTP)
	one("dns", o.DNS, &p.DNS)
	one("reflector", o.Reflector, &p.Reflector)
	one("reflector_sip", o.ReflectorSIP, &p.ReflectorSIP)
	span("reflector_rtp", o.ReflectorRTP, &p.ReflectorRTP)
	return err
}

// resolverDialTimeout bounds one connection to the stand-in resolver; it is
// on loopback, so a slow answer is a broken fake, not a slow network.
const resolverDialTimeout = 2 * time.Second

// ApplyEnv replaces the environment edges the file names.
func (f *File) ApplyEnv(env *checks.Env) error {
	if f.SSDPAddr != "" {
		env.SSDPAddr = f.SSDPAddr
	}
	if f.SSDPWindowMS > 0 {
		env.SSDPWindow = time.Duration(f.SSDPWindowMS) * time.Millisecond
	}
	if len(f.DNSServers) > 0 {
		env.DNSServers = f.DNSServers
	}
	if f.HostsFile != "" {
		env.HostsFile = f.HostsFile
	}
	if f.ResolvConf != "" {
		env.ResolvConf = f.ResolvConf
	}
	if f.Resolver != "" {
		server := f.Resolver
		env.Resolver = &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, network, _ string) (net.Conn, error) {
			d := net.Dialer{Timeout: resolverDialTimeout}
			return d.DialContext(ctx, network, server)
		}}
	}
	if f.RootCAFile != "" {
		pem, err := os.ReadFile(f.RootCAFile)
		if err != nil {
			return fmt.Errorf("override: root_ca_file: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return fmt.Errorf("override: root_ca_file %s: no PEM certificate in it", f.RootCAFile)
		}
		env.RootCAs = pool
	}
	return nil
}

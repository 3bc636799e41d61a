//go:build linux

package netlab

import (
	"fmt"
	"strconv"
)

// Servers are the BIZTEL side of a running bed.
type Servers struct {
	DNS       *DNSServer
	Kamailio  *Process
	Reflector *Process // nil when no binary was given
}

// StartServers issues the certificates and starts every daemon in the
// server namespace, each waited for by a protocol probe: kamailio, coturn,
// chrony, vsftpd, nginx, the DNS server and — when bin is not empty —
// `bin serve` as the reflector. When only the reflector fails, the
// servers are returned with the error (errors.Is(err, ErrNoServe) for a
// binary built without serve).
func (b *Bed) StartServers(bin string) (*Servers, error) {
	server, err := b.CA.Issue("server", []string{ServerHost}, nil)
	if err != nil {
		return nil, err
	}
	rec, err := b.CA.Issue("recording", []string{RecordingHost}, []string{RecordingIP})
	if err != nil {
		return nil, err
	}
	s := &Servers{}
	if s.DNS, err = b.StartDNS(); err != nil {
		return nil, fmt.Errorf("dns: %w", err)
	}
	if s.Kamailio, err = b.StartKamailio(server); err != nil {
		return nil, fmt.Errorf("kamailio: %w", err)
	}
	if err := b.StartCoturn(); err != nil {
		return nil, fmt.Errorf("coturn: %w", err)
	}
	if err := b.StartChrony(); err != nil {
		return nil, fmt.Errorf("chrony: %w", err)
	}
	if err := b.StartVsftpd(rec); err != nil {
		return nil, fmt.Errorf("vsftpd: %w", err)
	}
	if err := b.StartNginx(server); err != nil {
		return nil, fmt.Errorf("nginx: %w", err)
	}
	if bin != "" {
		if s.Reflector, err = b.StartReflector(bin); err != nil {
			return s, fmt.Errorf("reflector: %w", err)
		}
	}
	return s, nil
}

func itoa(i int) string { return strconv.Itoa(i) }

//go:build linux

package netlab

import (
	"net"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/miekg/dns"
)

// DNSServer is the bed's authoritative server for the .test names
// (miekg/dns, in-process, its sockets inside the server namespace).
type DNSServer struct {
	mu      sync.Mutex
	records map[string][]string // fqdn → IPv4 addresses
	Queries atomic.Int64        // questions answered, to prove a lookup reached it
}

// Set replaces the A records of name.
func (d *DNSServer) Set(name string, addrs ...string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.records[dns.Fqdn(strings.ToLower(name))] = addrs
}

func (d *DNSServer) ServeDNS(w dns.ResponseWriter, r *dns.Msg) {
	d.Queries.Add(1)
	m := new(dns.Msg)
	m.SetReply(r)
	m.Authoritative = true
	if len(r.Question) != 1 {
		m.Rcode = dns.RcodeFormatError
		w.WriteMsg(m)
		return
	}
	q := r.Question[0]
	d.mu.Lock()
	addrs, ok := d.records[strings.ToLower(q.Name)]
	d.mu.Unlock()
	switch {
	case !ok:
		m.Rcode = dns.RcodeNameError
	case q.Qtype == dns.TypeA:
		for _, a := range addrs {
			m.Answer = append(m.Answer, &dns.A{Hdr: dns.RR_Header{Name: q.Name, Rrtype: dns.TypeA, Class: dns.ClassINET, Ttl: 60}, A: net.ParseIP(a).To4()})
		}
	}
	w.WriteMsg(m)
}

// StartDNS serves the management and recording hostnames on DNSIP:53 (UDP
// and TCP) with their public addresses; scenarios change them with Set.
func (b *Bed) StartDNS() (*DNSServer, error) {
	d := &DNSServer{records: map[string][]string{}}
	d.Set(ServerHost, ServerIP)
	d.Set(RecordingHost, RecordingIP)
	pc, err := b.Server.ListenPacket("udp4", DNSIP+":53")
	if err != nil {
		return nil, err
	}
	l, err := b.Server.Listen("tcp4", DNSIP+":53")
	if err != nil {
		pc.Close()
		return nil, err
	}
	udp := &dns.Server{PacketConn: pc, Handler: d}
	tcp := &dns.Server{Listener: l, Handler: d}
	go udp.ActivateAndServe()
	go tcp.ActivateAndServe()
	b.OnTeardown(func() { udp.Shutdown(); tcp.Shutdown() })
	return d, nil
}

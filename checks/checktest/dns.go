package checktest

import (
	"context"
	"net"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/miekg/dns"
)

// DNSMode is how the fake DNS server answers the names it knows.
type DNSMode int

const (
	DNSAnswer   DNSMode = iota // A records from Records
	DNSNXDomain                // NXDOMAIN for every name
	DNSServFail                // SERVFAIL for every name
	DNSSilent                  // reads and never answers (timeout)
)

// DNSServer is a miekg/dns server with its own mux on 127.0.0.1:0 (UDP).
type DNSServer struct {
	Addr string // 127.0.0.1:port
	TTL  uint32

	mu      sync.Mutex
	mode    DNSMode
	records map[string][]string // fqdn (lower case, trailing dot) → IPv4s
	aaaa    map[string][]string
	queries atomic.Int64
}

// NewDNS starts a fake DNS server answering name → ips (A records).
func NewDNS(t TB, mode DNSMode, records map[string][]string) *DNSServer {
	t.Helper()
	s := &DNSServer{TTL: 300, mode: mode, records: map[string][]string{}, aaaa: map[string][]string{}}
	for name, ips := range records {
		s.records[dns.Fqdn(strings.ToLower(name))] = ips
	}
	pc := ListenUDP(t, "127.0.0.1", 0)
	s.Addr = pc.LocalAddr().String()
	mux := dns.NewServeMux()
	mux.HandleFunc(".", s.serve)
	srv := &dns.Server{PacketConn: pc, Handler: mux}
	started := make(chan struct{})
	srv.NotifyStartedFunc = func() { close(started) }
	go func() { _ = srv.ActivateAndServe() }()
	<-started
	t.Cleanup(func() { _ = srv.Shutdown() })
	return s
}

// SetAAAA adds IPv6 records for name.
func (s *DNSServer) SetAAAA(name string, ips ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.aaaa[dns.Fqdn(strings.ToLower(name))] = ips
}

// Queries is how many queries arrived.
func (s *DNSServer) Queries() int { return int(s.queries.Load()) }

func (s *DNSServer) serve(w dns.ResponseWriter, req *dns.Msg) {
	s.queries.Add(1)
	s.mu.Lock()
	mode := s.mode
	s.mu.Unlock()
	if mode == DNSSilent || len(req.Question) != 1 {
		return
	}
	m := new(dns.Msg)
	m.SetReply(req)
	m.Authoritative = true
	q := req.Question[0]
	name := strings.ToLower(q.Name)
	s.mu.Lock()
	a, aaaa := s.records[name], s.aaaa[name]
	s.mu.Unlock()
	switch {
	case mode == DNSNXDomain:
		m.Rcode = dns.RcodeNameError
	case mode == DNSServFail:
		m.Rcode = dns.RcodeServerFailure
	case a == nil && aaaa == nil:
		m.Rcode = dns.RcodeNameError
	case q.Qtype == dns.TypeA:
		for _, ip := range a {
			m.Answer = append(m.Answer, &dns.A{Hdr: dns.RR_Header{Name: q.Name, Rrtype: dns.TypeA, Class: dns.ClassINET, Ttl: s.TTL}, A: net.ParseIP(ip).To4()})
		}
	case q.Qtype == dns.TypeAAAA:
		for _, ip := range aaaa {
			m.Answer = append(m.Answer, &dns.AAAA{Hdr: dns.RR_Header{Name: q.Name, Rrtype: dns.TypeAAAA, Class: dns.ClassINET, Ttl: s.TTL}, AAAA: net.ParseIP(ip)})
		}
	}
	_ = w.WriteMsg(m)
}

// Resolver is an OS-resolver stand-in (Go's own resolver) that sends every
// query to this fake, never to the system's servers.
func (s *DNSServer) Resolver() *net.Resolver {
	return &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, network, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, "udp", s.Addr)
	}}
}

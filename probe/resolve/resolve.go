// Package resolve looks up the management hostname the three ways a PC
// does: the hosts file, DNS servers asked directly (miekg/dns, with a retry),
// and the OS resolver path. It returns what each said; dns.mgmt judges.
package resolve

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/netip"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/miekg/dns"
)

// Direct DNS queries of dns.mgmt. A resolver on the LAN answers in
// milliseconds; 1 s per try with one retry covers a lost datagram without
// holding the run.
const (
	QueryTimeout   = time.Second
	Attempts       = 2
	MaxServers     = 3       // resolv.conf honours three nameservers (resolv.conf(5) MAXNS)
	hostsFileLimit = 1 << 20 // read at most 1 MiB of the hosts file
)

// Answer is what one DNS server said about the name.
type Answer struct {
	Server string
	Rcode  int          // dns.RcodeSuccess, dns.RcodeNameError, …; -1 when no answer
	Addrs  []netip.Addr // A records
	TTL    uint32       // smallest TTL of the A records
	RTT    time.Duration
	Err    error // timeout or socket error (Rcode -1)
}

// Query asks every server for the A records of host, in parallel.
func Query(ctx context.Context, servers []string, host string) []Answer {
	out := make([]Answer, len(servers))
	var wg sync.WaitGroup
	for i, s := range servers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = queryOne(ctx, s, host)
		}()
	}
	wg.Wait()
	return out
}

// queryOne asks one server, retrying once after a timeout.
func queryOne(ctx context.Context, server, host string) Answer {
	a := Answer{Server: server, Rcode: -1}
	c := &dns.Client{Net: "udp", Timeout: QueryTimeout, UDPSize: dns.DefaultMsgSize}
	m := new(dns.Msg)
	m.SetQuestion(dns.Fqdn(host), dns.TypeA)
	m.RecursionDesired = true
	for try := 0; try < Attempts && ctx.Err() == nil; try++ {
		resp, rtt, err := c.ExchangeContext(ctx, m, server)
		if err != nil {
			a.Err = err
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue
			}
			return a
		}
		if resp.Id != m.Id {
			a.Err = errors.New("answer to another query")
			continue
		}
		a.Err, a.RTT = nil, rtt
		a.Take(resp)
		return a
	}
	return a
}

// Take records the rcode and the A records of an answer.
func (a *Answer) Take(resp *dns.Msg) {
	a.Rcode = resp.Rcode
	for _, rr := range resp.Answer {
		if rec, ok := rr.(*dns.A); ok {
			if ip, ok := netip.AddrFromSlice(rec.A); ok {
				a.Addrs = append(a.Addrs, ip.Unmap())
				if a.TTL == 0 || rec.Hdr.Ttl < a.TTL {
					a.TTL = rec.Hdr.Ttl
				}
			}
		}
	}
}

// HostsEntries returns the IPv4 addresses the hosts file gives host.
func HostsEntries(path, host string) ([]netip.Addr, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	var out []netip.Addr
	sc := bufio.NewScanner(io.LimitReader(f, hostsFileLimit))
	// a line may be as long as the file (a long alias list or comment);
	// the default 64 KiB token limit would end the scan before our entry
	sc.Buffer(make([]byte, 0, 64<<10), hostsFileLimit)
	for sc.Scan() {
		line, _, _ := strings.Cut(sc.Text(), "#")
		fields := strings.Fields(line)
		if len(fields) < 2 {
			continue
		}
		ip, err := netip.ParseAddr(fields[0])
		if err != nil || !ip.Unmap().Is4() {
			continue
		}
		for _, name := range fields[1:] {
			if strings.TrimSuffix(strings.ToLower(name), ".") == host && !slices.Contains(out, ip.Unmap()) {
				out = append(out, ip.Unmap())
			}
		}
	}
	return out, sc.Err()
}

// Resolver is the OS resolver path; *net.Resolver satisfies it.
type Resolver interface {
	LookupIPAddr(ctx context.Context, host string) ([]net.IPAddr, error)
}

// OSLookup resolves host through the OS resolver path (IPv4 only).
func OSLookup(ctx context.Context, r Resolver, host string) ([]netip.Addr, error) {
	addrs, err := r.LookupIPAddr(ctx, host)
	if err != nil {
		return nil, err
	}
	var out []netip.Addr
	for _, a := range addrs {
		if ip, ok := netip.AddrFromSlice(a.IP); ok && ip.Unmap().Is4() {
			out = append(out, ip.Unmap())
		}
	}
	return out, nil
}

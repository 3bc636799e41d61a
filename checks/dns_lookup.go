package checks

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
	dnsQueryTimeout = time.Second
	dnsAttempts     = 2
	dnsMaxServers   = 3       // resolv.conf honours three nameservers (resolv.conf(5) MAXNS)
	hostsFileLimit  = 1 << 20 // read at most 1 MiB of the hosts file
)

// dnsAnswer is what one DNS server said about the name.
type dnsAnswer struct {
	Server string
	Rcode  int          // dns.RcodeSuccess, dns.RcodeNameError, …; -1 when no answer
	Addrs  []netip.Addr // A records
	TTL    uint32       // smallest TTL of the A records
	RTT    time.Duration
	Err    error // timeout or socket error (Rcode -1)
}

// queryDNS asks every server for the A records of host, in parallel.
func queryDNS(ctx context.Context, servers []string, host string) []dnsAnswer {
	out := make([]dnsAnswer, len(servers))
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

func queryOne(ctx context.Context, server, host string) dnsAnswer {
	a := dnsAnswer{Server: server, Rcode: -1}
	c := &dns.Client{Net: "udp", Timeout: dnsQueryTimeout, UDPSize: dns.DefaultMsgSize}
	m := new(dns.Msg)
	m.SetQuestion(dns.Fqdn(host), dns.TypeA)
	m.RecursionDesired = true
	for try := 0; try < dnsAttempts && ctx.Err() == nil; try++ {
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
		a.take(resp)
		return a
	}
	return a
}

// take records the rcode and the A records of an answer.
func (a *dnsAnswer) take(resp *dns.Msg) {
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

// dnsServers are the servers to query: Env.DNSServers, else resolv.conf's.
func dnsServers(env *Env, port string) ([]string, error) {
	if len(env.DNSServers) > 0 {
		return env.DNSServers, nil
	}
	cfg, err := dns.ClientConfigFromFile(env.ResolvConf)
	if err != nil {
		return nil, err
	}
	if port == "" {
		port = cfg.Port
	}
	var out []string
	for _, s := range cfg.Servers {
		out = append(out, net.JoinHostPort(s, port))
		if len(out) == dnsMaxServers {
			break
		}
	}
	if len(out) == 0 {
		return nil, errors.New(env.ResolvConf + ": no nameserver lines")
	}
	return out, nil
}

// hostsEntries returns the IPv4 addresses the hosts file gives host.
func hostsEntries(path, host string) ([]netip.Addr, error) {
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

// osLookup resolves host through the OS resolver path (IPv4 only).
func osLookup(ctx context.Context, r Resolver, host string) ([]netip.Addr, error) {
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

func joinAddrs(as []netip.Addr) string {
	s := make([]string, len(as))
	for i, a := range as {
		s[i] = a.String()
	}
	return strings.Join(s, ",")
}

//go:build linux

package netlab

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"sync/atomic"
	"time"
)

// proxyDialTimeout bounds the proxy's connect to a destination.
const proxyDialTimeout = 5 * time.Second

// Proxy is an HTTP CONNECT proxy in the router namespace: the only way out
// for TCP in the proxy-only scenario.
type Proxy struct {
	Addr    string
	Tunnels atomic.Int64 // CONNECTs served, to prove the client used it
}

// StartProxy serves CONNECT on RouterLANIP:ProxyPort; its outgoing
// connections are made from the router namespace.
func (b *Bed) StartProxy() (*Proxy, error) {
	l, err := b.Router.Listen("tcp4", b.routerLANAddr()+":"+itoa(ProxyPort))
	if err != nil {
		return nil, err
	}
	p := &Proxy{Addr: l.Addr().String()}
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go p.serve(b, c)
		}
	}()
	b.OnTeardown(func() { l.Close() })
	return p, nil
}

func (p *Proxy) serve(b *Bed, c net.Conn) {
	defer c.Close()
	c.SetReadDeadline(time.Now().Add(proxyDialTimeout))
	req, err := http.ReadRequest(bufio.NewReader(c))
	if err != nil {
		return
	}
	if req.Method != http.MethodConnect {
		io.WriteString(c, "HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n")
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), proxyDialTimeout)
	up, err := b.Router.DialContext(ctx, "tcp4", b.resolveInBed(ctx, req.Host))
	cancel()
	if err != nil {
		io.WriteString(c, "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
		return
	}
	defer up.Close()
	p.Tunnels.Add(1)
	c.SetReadDeadline(time.Time{})
	io.WriteString(c, "HTTP/1.1 200 Connection established\r\n\r\n")
	done := make(chan struct{}, 2)
	go func() { io.Copy(up, c); done <- struct{}{} }()
	go func() { io.Copy(c, up); done <- struct{}{} }()
	<-done
}

func (b *Bed) routerLANAddr() string {
	if b.opts.LAN == LANCGNAT {
		return CGNATRouterIP
	}
	return RouterLANIP
}

// resolveInBed turns HOST:PORT into IP:PORT with the bed's DNS server
// (asked from the router namespace); an IP literal or a failed lookup is
// returned as is (the dial then fails and the client gets 502).
func (b *Bed) resolveInBed(ctx context.Context, hostport string) string {
	host, port, err := net.SplitHostPort(hostport)
	if err != nil || net.ParseIP(host) != nil {
		return hostport
	}
	r := &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, _, _ string) (net.Conn, error) {
		return b.Router.DialContext(ctx, "udp4", DNSIP+":53")
	}}
	addrs, err := r.LookupIPAddr(ctx, host)
	for _, a := range addrs {
		if a.IP.To4() != nil {
			return net.JoinHostPort(a.IP.String(), port)
		}
	}
	return hostport
}

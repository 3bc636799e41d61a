//go:build linux

package netlab

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/pion/stun/v3"
)

// Probes: small, real protocol exchanges that tell whether a daemon of the
// bed answers correctly — a connect alone proves nothing. Each dials from a
// namespace (the server's own for readiness, the client's through the
// router for TestBedHealthy) and ends by ctx's deadline.

// retransmit is the UDP probes' resend interval (SIP timer T1 is 500 ms).
const retransmit = 300 * time.Millisecond

func deadline(ctx context.Context) time.Time {
	if d, ok := ctx.Deadline(); ok {
		return d
	}
	return time.Now().Add(2 * time.Second)
}

func sipOptions(local, target, transport string) string {
	tag := rand.Uint32()
	return fmt.Sprintf("OPTIONS sip:ping@%[2]s SIP/2.0\r\n"+
		"Via: SIP/2.0/%[3]s %[1]s;branch=z9hG4bK-netlab%[4]x;rport\r\n"+
		"Max-Forwards: 70\r\n"+
		"From: <sip:netlab@%[1]s>;tag=%[4]x\r\n"+
		"To: <sip:ping@%[2]s>\r\n"+
		"Call-ID: %[4]x@netlab\r\n"+
		"CSeq: 1 OPTIONS\r\n"+
		"Contact: <sip:netlab@%[1]s>\r\n"+
		"User-Agent: biztel-doctor-netlab\r\n"+
		"Content-Length: 0\r\n\r\n", local, target, transport, tag)
}

// SIPOptionsUDP sends OPTIONS over UDP from ns and returns the response; it
// fails unless the status is 200.
func SIPOptionsUDP(ctx context.Context, ns *Namespace, addr string) (string, error) {
	c, err := ns.DialContext(ctx, "udp4", addr)
	if err != nil {
		return "", err
	}
	defer c.Close()
	req := []byte(sipOptions(c.LocalAddr().String(), addr, "UDP"))
	buf := make([]byte, 4096)
	for {
		if _, err := c.Write(req); err != nil {
			return "", err
		}
		next := time.Now().Add(retransmit)
		if d := deadline(ctx); d.Before(next) {
			next = d
		}
		c.SetReadDeadline(next)
		n, err := c.Read(buf)
		if err == nil {
			return sipStatus(string(buf[:n]))
		}
		if ctx.Err() != nil || !isTimeout(err) {
			return "", fmt.Errorf("SIP OPTIONS to udp %s: %w", addr, err)
		}
	}
}

func sipStatus(resp string) (string, error) {
	if !strings.HasPrefix(resp, "SIP/2.0 200") {
		line, _, _ := strings.Cut(resp, "\r\n")
		return resp, fmt.Errorf("SIP answer %q, want 200", line)
	}
	return resp, nil
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// TLSDial opens TCP from ns and completes a TLS handshake verified against
// roots for name.
func TLSDial(ctx context.Context, ns *Namespace, addr, name string, roots *x509.CertPool) (*tls.Conn, error) {
	raw, err := ns.DialContext(ctx, "tcp4", addr)
	if err != nil {
		return nil, err
	}
	c := tls.Client(raw, &tls.Config{ServerName: name, RootCAs: roots})
	c.SetDeadline(deadline(ctx))
	if err := c.HandshakeContext(ctx); err != nil {
		raw.Close()
		return nil, fmt.Errorf("TLS to %s as %s: %w", addr, name, err)
	}
	return c, nil
}

// SIPOptionsTLS sends OPTIONS over TLS and returns the response.
func SIPOptionsTLS(ctx context.Context, ns *Namespace, addr, name string, roots *x509.CertPool) (string, error) {
	c, err := TLSDial(ctx, ns, addr, name, roots)
	if err != nil {
		return "", err
	}
	defer c.Close()
	if _, err := io.WriteString(c, sipOptions(c.LocalAddr().String(), addr, "TLS")); err != nil {
		return "", err
	}
	buf := make([]byte, 4096)
	n, err := c.Read(buf)
	if err != nil {
		return "", fmt.Errorf("SIP OPTIONS over TLS to %s: %w", addr, err)
	}
	return sipStatus(string(buf[:n]))
}

// WebSocketUpgrade sends an upgrade over TLS (subprotocol "" sends none)
// and returns the HTTP status code and the subprotocol the server chose.
func WebSocketUpgrade(ctx context.Context, ns *Namespace, addr, name string, roots *x509.CertPool, subprotocol string) (int, string, error) {
	c, err := TLSDial(ctx, ns, addr, name, roots)
	if err != nil {
		return 0, "", err
	}
	defer c.Close()
	req := "GET / HTTP/1.1\r\nHost: " + name + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
	if subprotocol != "" {
		req += "Sec-WebSocket-Protocol: " + subprotocol + "\r\n"
	}
	if _, err := io.WriteString(c, req+"\r\n"); err != nil {
		return 0, "", err
	}
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		return 0, "", fmt.Errorf("WebSocket upgrade at %s: %w", addr, err)
	}
	resp.Body.Close()
	return resp.StatusCode, resp.Header.Get("Sec-WebSocket-Protocol"), nil
}

// HTTPSGet fetches https://name/ at addr from ns and returns the status and
// body.
func HTTPSGet(ctx context.Context, ns *Namespace, addr, name string, roots *x509.CertPool) (int, string, error) {
	tr := &http.Transport{
		DialContext:     func(ctx context.Context, _, _ string) (net.Conn, error) { return ns.DialContext(ctx, "tcp4", addr) },
		TLSClientConfig: &tls.Config{ServerName: name, RootCAs: roots},
	}
	return getOnce(ctx, tr, "https://"+name+"/")
}

// STUNBinding sends a Binding request (pion/stun) and returns the mapped
// address the server saw.
func STUNBinding(ctx context.Context, ns *Namespace, addr string) (string, error) {
	c, err := ns.DialContext(ctx, "udp4", addr)
	if err != nil {
		return "", err
	}
	defer c.Close()
	return stunOnConn(ctx, c, addr)
}

// STUNFrom sends a Binding request from an unconnected socket (so several
// destinations share one local port).
func STUNFrom(ctx context.Context, pc net.PacketConn, addr string) (string, error) {
	ua, err := net.ResolveUDPAddr("udp4", addr)
	if err != nil {
		return "", err
	}
	return stunOnConn(ctx, &packetTo{PacketConn: pc, to: ua}, addr)
}

// packetTo makes an unconnected socket look connected to one peer.
type packetTo struct {
	net.PacketConn
	to net.Addr
}

func (p *packetTo) Write(b []byte) (int, error) { return p.WriteTo(b, p.to) }
func (p *packetTo) Read(b []byte) (int, error) {
	for {
		n, from, err := p.ReadFrom(b)
		if err != nil || from.String() == p.to.String() {
			return n, err
		}
	}
}

type udpConn interface {
	Write([]byte) (int, error)
	Read([]byte) (int, error)
	SetReadDeadline(time.Time) error
}

func stunOnConn(ctx context.Context, c udpConn, addr string) (string, error) {
	req := stun.MustBuild(stun.TransactionID, stun.BindingRequest, stun.Fingerprint)
	buf := make([]byte, 1500)
	for {
		if _, err := c.Write(req.Raw); err != nil {
			return "", err
		}
		next := time.Now().Add(retransmit)
		if d := deadline(ctx); d.Before(next) {
			next = d
		}
		c.SetReadDeadline(next)
		n, err := c.Read(buf)
		if err != nil {
			if ctx.Err() != nil || !isTimeout(err) {
				return "", fmt.Errorf("STUN binding to %s: %w", addr, err)
			}
			continue
		}
		resp := &stun.Message{Raw: append([]byte(nil), buf[:n]...)}
		if err := resp.Decode(); err != nil {
			return "", fmt.Errorf("STUN answer from %s: %w", addr, err)
		}
		if resp.TransactionID != req.TransactionID {
			continue
		}
		var xor stun.XORMappedAddress
		if err := xor.GetFrom(resp); err != nil {
			var m stun.MappedAddress
			if err2 := m.GetFrom(resp); err2 != nil {
				return "", fmt.Errorf("STUN answer from %s has no mapped address: %w", addr, err)
			}
			return m.String(), nil
		}
		return xor.String(), nil
	}
}

// NTPQuery sends an NTPv4 client request and returns the server's stratum;
// it fails on anything but a server-mode answer with a non-zero stratum.
func NTPQuery(ctx context.Context, ns *Namespace, addr string) (int, error) {
	c, err := ns.DialContext(ctx, "udp4", addr)
	if err != nil {
		return 0, err
	}
	defer c.Close()
	req := make([]byte, 48)
	req[0] = 0x23                                       // LI 0, version 4, mode 3 (client)
	binary.BigEndian.PutUint64(req[40:], rand.Uint64()) // transmit timestamp
	buf := make([]byte, 128)
	for {
		if _, err := c.Write(req); err != nil {
			return 0, err
		}
		next := time.Now().Add(retransmit)
		if d := deadline(ctx); d.Before(next) {
			next = d
		}
		c.SetReadDeadline(next)
		n, err := c.Read(buf)
		if err != nil {
			if ctx.Err() != nil || !isTimeout(err) {
				return 0, fmt.Errorf("NTP query to %s: %w", addr, err)
			}
			continue
		}
		if n < 48 || buf[0]&7 != 4 || buf[1] == 0 || string(buf[24:32]) != string(req[40:48]) {
			return 0, fmt.Errorf("NTP answer from %s is not a valid server reply (mode %d, stratum %d)", addr, buf[0]&7, buf[1])
		}
		return int(buf[1]), nil
	}
}

// FTPAuthTLS reads the FTP banner, asks AUTH TLS, completes the handshake
// verified for name and returns the banner and a reply from inside TLS.
func FTPAuthTLS(ctx context.Context, ns *Namespace, addr, name string, roots *x509.CertPool) (string, error) {
	raw, err := ns.DialContext(ctx, "tcp4", addr)
	if err != nil {
		return "", err
	}
	defer raw.Close()
	raw.SetDeadline(deadline(ctx))
	r := bufio.NewReader(raw)
	banner, err := r.ReadString('\n')
	if err != nil || !strings.HasPrefix(banner, "220") {
		return banner, fmt.Errorf("FTP banner at %s: %q %v", addr, banner, err)
	}
	io.WriteString(raw, "AUTH TLS\r\n")
	if line, err := r.ReadString('\n'); err != nil || !strings.HasPrefix(line, "234") {
		return banner, fmt.Errorf("AUTH TLS at %s: %q %v", addr, line, err)
	}
	c := tls.Client(raw, &tls.Config{ServerName: name, RootCAs: roots})
	if err := c.HandshakeContext(ctx); err != nil {
		return banner, fmt.Errorf("FTPS handshake at %s as %s: %w", addr, name, err)
	}
	io.WriteString(c, "FEAT\r\n")
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "211") {
		return banner, fmt.Errorf("FEAT over TLS at %s: %q %v", addr, line, err)
	}
	return strings.TrimSpace(banner), nil
}

// FTPPassive logs in anonymously over explicit TLS, asks PASV and opens
// the data connection; it returns the offered port.
func FTPPassive(ctx context.Context, ns *Namespace, addr, name string, roots *x509.CertPool) (int, error) {
	raw, err := ns.DialContext(ctx, "tcp4", addr)
	if err != nil {
		return 0, err
	}
	defer raw.Close()
	raw.SetDeadline(deadline(ctx))
	r := bufio.NewReader(raw)
	if _, err := r.ReadString('\n'); err != nil {
		return 0, err
	}
	io.WriteString(raw, "AUTH TLS\r\n")
	if line, err := r.ReadString('\n'); err != nil || !strings.HasPrefix(line, "234") {
		return 0, fmt.Errorf("AUTH TLS: %q %v", line, err)
	}
	c := tls.Client(raw, &tls.Config{ServerName: name, RootCAs: roots})
	tr := bufio.NewReader(c)
	var last string
	for _, cmd := range []string{"USER anonymous", "PASS netlab", "PBSZ 0", "PROT P", "PASV"} {
		io.WriteString(c, cmd+"\r\n")
		if last, err = tr.ReadString('\n'); err != nil || last[0] >= '4' {
			return 0, fmt.Errorf("%s: %q %v", cmd, last, err)
		}
	}
	var h1, h2, h3, h4, p1, p2 int
	i := strings.Index(last, "(")
	if i < 0 {
		return 0, fmt.Errorf("PASV answer %q", last)
	}
	if _, err := fmt.Sscanf(last[i:], "(%d,%d,%d,%d,%d,%d)", &h1, &h2, &h3, &h4, &p1, &p2); err != nil {
		return 0, fmt.Errorf("PASV answer %q: %w", last, err)
	}
	port := p1<<8 | p2
	data, err := ns.DialContext(ctx, "tcp4", fmt.Sprintf("%d.%d.%d.%d:%d", h1, h2, h3, h4, port))
	if err != nil {
		return port, fmt.Errorf("passive data connection to port %d: %w", port, err)
	}
	data.Close()
	return port, nil
}

// httpsViaProxy fetches https://hostport/ through the HTTP proxy at proxy
// (CONNECT), dialing the proxy from ns.
func httpsViaProxy(ctx context.Context, ns *Namespace, proxy, hostport string, roots *x509.CertPool) (int, string, error) {
	pu, _ := url.Parse("http://" + proxy)
	tr := &http.Transport{
		Proxy:           http.ProxyURL(pu),
		DialContext:     func(ctx context.Context, _, _ string) (net.Conn, error) { return ns.DialContext(ctx, "tcp4", proxy) },
		TLSClientConfig: &tls.Config{RootCAs: roots},
	}
	return getOnce(ctx, tr, "https://"+hostport+"/")
}

// getOnce sends one GET through tr and returns the status and the start of
// the body (4 KiB is plenty for a readiness probe).
func getOnce(ctx context.Context, tr *http.Transport, url string) (int, string, error) {
	defer tr.CloseIdleConnections()
	req, _ := http.NewRequestWithContext(ctx, "GET", url, nil)
	resp, err := (&http.Client{Transport: tr}).Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	return resp.StatusCode, string(body), nil
}

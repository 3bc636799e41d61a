// Package tcp runs one TCP exchange step by step (connect, TLS handshake,
// WebSocket upgrade, capped reads) and classifies how far it got and why it
// stopped, as an Attempt. It measures; the checks judge and phrase.
package tcp

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"os"
	"strconv"
	"syscall"
	"time"
)

// Dialer opens connections; *net.Dialer satisfies it.
type Dialer interface {
	DialContext(ctx context.Context, network, address string) (net.Conn, error)
}

// Stage timeouts of the TCP checks. Each stage is also bounded by the check's
// own deadline, whichever comes first.
const (
	// ConnectTimeout: Linux sends the SYN at 0 s and retransmits at 1 s
	// and 3 s; by 3 s two SYNs went unanswered, which is a filtered port, not
	// a slow path (Japan-domestic RTTs are tens of milliseconds).
	ConnectTimeout = 3 * time.Second
	// HandshakeTimeout covers one or two round trips plus certificate
	// signing on a loaded server; a handshake silent for 3 s is stalled.
	HandshakeTimeout = 3 * time.Second
	// ReplyTimeout bounds waiting for an application answer (SIP response,
	// HTTP status, FTP banner/reply) after the request was sent.
	ReplyTimeout = 3 * time.Second
)

// Class says how far a TCP exchange got and how it stopped. Every TCP
// check reports it as fact "<prefix>result".
type Class string

const (
	OK          Class = "ok"          // the exchange completed
	Resolve     Class = "resolve"     // the host name did not resolve
	Refused     Class = "refused"     // RST to the SYN: nothing listens, or a firewall rejects
	Filtered    Class = "filtered"    // no answer to the SYN: a firewall drops it
	Unreachable Class = "unreachable" // ICMP unreachable / no route
	Reset       Class = "reset"       // RST after the connection was up (IPS, ALG, inspecting firewall)
	Closed      Class = "closed"      // the peer closed (FIN) before answering
	Stalled     Class = "stalled"     // connected, then silence
	TLSFailed   Class = "tls_failed"  // TLS alert or handshake failure
	Protocol    Class = "protocol"    // the peer answered, but not in the expected protocol
)

// Attempt is the classified outcome of one TCP exchange: what stopped it,
// at which stage, and the evidence.
type Attempt struct {
	Class   Class
	Stage   string        // where it stopped: connect, tls, sip, http, websocket, banner, auth_tls …
	Detail  string        // the error or the unexpected bytes, quoted, short
	Addr    string        // host:port dialled
	Local   string        // local address of the connection ("" before connect)
	Remote  string        // remote address of the connection
	Connect time.Duration // time to establish TCP (0 when it never did)
	Waited  time.Duration // how long the failing stage waited
}

// OK reports whether the exchange completed.
func (p Attempt) OK() bool { return p.Class == OK }

// StageContext bounds one stage by d and by the check's own deadline.
func StageContext(ctx context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, d)
}

// Dial connects to addr over IPv4 (the page requires IPv4) through d.
func Dial(ctx context.Context, d Dialer, addr string) (net.Conn, Attempt) {
	p := Attempt{Addr: addr, Stage: "connect"}
	cctx, cancel := StageContext(ctx, ConnectTimeout)
	defer cancel()
	start := time.Now()
	conn, err := d.DialContext(cctx, "tcp4", addr)
	if err != nil {
		p.Waited = time.Since(start)
		p.Class, p.Detail = ClassifyDial(err)
		return nil, p
	}
	p.Connect = time.Since(start)
	p.Local, p.Remote = conn.LocalAddr().String(), conn.RemoteAddr().String()
	p.Class = OK
	return conn, p
}

// ClassifyDial names why a connect failed.
func ClassifyDial(err error) (Class, string) {
	var dnsErr *net.DNSError
	switch {
	case errors.As(err, &dnsErr):
		return Resolve, dnsErr.Error()
	case errors.Is(err, syscall.ECONNREFUSED):
		return Refused, "connection refused (RST)"
	case errors.Is(err, syscall.ECONNRESET):
		// accepted, then reset before the connect call returned (a fast
		// RST right after the handshake, as an IPS sends)
		return Reset, "connection reset by peer right after connecting"
	case errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH):
		return Unreachable, ShortErr(err)
	case IsTimeout(err):
		return Filtered, "no answer to the connection attempt"
	case errors.Is(err, context.Canceled):
		return Filtered, "no answer before the attempt was abandoned"
	}
	return Unreachable, ShortErr(err)
}

// ClassifyIO names why a read, write or handshake on an established
// connection failed.
func ClassifyIO(err error) (Class, string) {
	var rh tls.RecordHeaderError
	var alert tls.AlertError
	switch {
	case IsReadCap(err):
		return Protocol, err.Error()
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE):
		return Reset, "connection reset by peer"
	case IsTimeout(err):
		return Stalled, "no answer"
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return Closed, "connection closed by peer"
	case errors.As(err, &rh):
		return Protocol, "not TLS: first bytes " + Quote(rh.RecordHeader[:])
	case errors.As(err, &alert):
		return TLSFailed, "TLS alert: " + alert.Error()
	}
	var tlsErr *tls.CertificateVerificationError
	if errors.As(err, &tlsErr) {
		return TLSFailed, tlsErr.Error()
	}
	return TLSFailed, ShortErr(err)
}

func IsTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded) ||
		(errors.As(err, &ne) && ne.Timeout())
}

// ShortErr keeps an error message readable in a report.
func ShortErr(err error) string {
	s := err.Error()
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

// Quote shows up to 48 bytes of what a peer sent, printable.
func Quote(b []byte) string {
	if len(b) > 48 {
		b = b[:48]
	}
	return strconv.QuoteToASCII(string(b))
}

// Deadline sets conn's deadline to now+d, or the context's deadline when
// that comes first.
func Deadline(ctx context.Context, conn net.Conn, d time.Duration) time.Time {
	dl := time.Now().Add(d)
	if cd, ok := ctx.Deadline(); ok && cd.Before(dl) {
		dl = cd
	}
	_ = conn.SetDeadline(dl)
	return dl
}

// StopAt turns an I/O error at a stage into the probe's outcome.
func (p *Attempt) StopAt(stage string, err error, since time.Time) {
	p.Stage = stage
	p.Class, p.Detail = ClassifyIO(err)
	p.Waited = time.Since(since)
}

// ProtocolAt records an answer in the wrong protocol.
func (p *Attempt) ProtocolAt(stage, detail string) {
	p.Stage, p.Class, p.Detail = stage, Protocol, detail
}

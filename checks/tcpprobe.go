package checks

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"time"

	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/internal/neterr"
	"github.com/biztel-tools/biztel-doctor/profile"
)

// Stage timeouts of the TCP checks. Each stage is also bounded by the check's
// own deadline, whichever comes first.
const (
	// tcpConnectTimeout: Linux sends the SYN at 0 s and retransmits at 1 s
	// and 3 s; by 3 s two SYNs went unanswered, which is a filtered port, not
	// a slow path (Japan-domestic RTTs are tens of milliseconds).
	tcpConnectTimeout = 3 * time.Second
	// tlsHandshakeTimeout covers one or two round trips plus certificate
	// signing on a loaded server; a handshake silent for 3 s is stalled.
	tlsHandshakeTimeout = 3 * time.Second
	// tcpReplyTimeout bounds waiting for an application answer (SIP response,
	// HTTP status, FTP banner/reply) after the request was sent.
	tcpReplyTimeout = 3 * time.Second
)

// tcpNoTarget is the error summary of a check run without the destination
// its plan should have given (a runner or plan bug, not a network finding).
var tcpNoTarget = content.T("計画に宛先がありません", "the plan has no destination")

// connClass says how far a TCP exchange got and how it stopped. Every TCP
// check reports it as fact "<prefix>result".
type connClass string

const (
	connOK          connClass = "ok"          // the exchange completed
	connResolve     connClass = "resolve"     // the host name did not resolve
	connRefused     connClass = "refused"     // RST to the SYN: nothing listens, or a firewall rejects
	connFiltered    connClass = "filtered"    // no answer to the SYN: a firewall drops it
	connUnreachable connClass = "unreachable" // ICMP unreachable / no route
	connReset       connClass = "reset"       // RST after the connection was up (IPS, ALG, inspecting firewall)
	connClosed      connClass = "closed"      // the peer closed (FIN) before answering
	connStalled     connClass = "stalled"     // connected, then silence
	connTLS         connClass = "tls_failed"  // TLS alert or handshake failure
	connProtocol    connClass = "protocol"    // the peer answered, but not in the expected protocol
)

// tcpProbe is the classified outcome of one TCP exchange: what stopped it,
// at which stage, and the evidence.
type tcpProbe struct {
	Class   connClass
	Stage   string        // where it stopped: connect, tls, sip, http, websocket, banner, auth_tls …
	Detail  string        // the error or the unexpected bytes, quoted, short
	Addr    string        // host:port dialled
	Local   string        // local address of the connection ("" before connect)
	Remote  string        // remote address of the connection
	Connect time.Duration // time to establish TCP (0 when it never did)
	Waited  time.Duration // how long the failing stage waited
	Net     neterr.Class  // the OS error's class when a socket call failed
	OSError string        // that error as the OS worded it (a fact, never the summary)
}

// OK reports whether the exchange completed.
func (p tcpProbe) OK() bool { return p.Class == connOK }

// addFacts writes the probe as facts under prefix (e.g. "" or "explicit_").
func (p tcpProbe) addFacts(f Facts, prefix string) {
	f[prefix+"result"] = string(p.Class)
	if p.Addr != "" {
		f[prefix+"address"] = p.Addr
	}
	if p.Local != "" {
		f[prefix+"local_address"] = p.Local
	}
	if p.Remote != "" {
		f[prefix+"remote_address"] = p.Remote
	}
	if p.Connect > 0 {
		f[prefix+"connect_ms"] = tcpMillis(p.Connect)
	}
	if !p.OK() {
		f[prefix+"stopped_at"] = p.Stage
		if p.Detail != "" {
			f[prefix+"error"] = p.Detail
		}
		if p.Waited > 0 {
			f[prefix+"waited_ms"] = tcpMillis(p.Waited)
		}
		if p.Net != neterr.Other {
			f[prefix+"net_error"] = p.Net.String()
		}
		if p.OSError != "" {
			f[prefix+"os_error"] = p.OSError
		}
	}
}

// tcpMillis renders a duration as milliseconds with 0.1 ms resolution.
func tcpMillis(d time.Duration) float64 {
	return float64(d.Round(100*time.Microsecond)) / float64(time.Millisecond)
}

// tcpStageContext bounds one stage by d and by the check's own deadline.
func tcpStageContext(ctx context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, d)
}

// dialTCP connects to addr over IPv4 (the page requires IPv4) through the
// injected dialer.
func dialTCP(ctx context.Context, env *Env, addr string) (net.Conn, tcpProbe) {
	p := tcpProbe{Addr: addr, Stage: "connect"}
	cctx, cancel := tcpStageContext(ctx, tcpConnectTimeout)
	defer cancel()
	start := time.Now()
	conn, err := env.Dialer.DialContext(cctx, "tcp4", addr)
	if err != nil {
		p.Waited = time.Since(start)
		p.Class, p.Detail = classifyDial(err)
		p.Net = classifyNet(err)
		if p.Net.Unreachable() {
			p.OSError = tcpShortErr(err)
		}
		return nil, p
	}
	p.Connect = time.Since(start)
	p.Local, p.Remote = conn.LocalAddr().String(), conn.RemoteAddr().String()
	p.Class = connOK
	return conn, p
}

// classifyDial names why a connect failed. The OS error goes through
// neterr: syscall.E… values never match the WSA codes of Windows.
func classifyDial(err error) (connClass, string) {
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return connResolve, dnsErr.Error()
	}
	switch c := classifyNet(err); {
	case c == neterr.Refused:
		return connRefused, "connection refused (RST)"
	case c == neterr.Reset:
		// accepted, then reset before the connect call returned (a fast
		// RST right after the handshake, as an IPS sends)
		return connReset, "connection reset by peer right after connecting"
	case c.Unreachable():
		return connUnreachable, noRouteReasons[c].En
	case c == neterr.TimedOut || tcpIsTimeout(err):
		return connFiltered, "no answer to the connection attempt"
	case errors.Is(err, context.Canceled):
		return connFiltered, "no answer before the attempt was abandoned"
	}
	return connUnreachable, tcpShortErr(err)
}

// classifyIO names why a read, write or handshake on an established
// connection failed.
func classifyIO(err error) (connClass, string) {
	var rh tls.RecordHeaderError
	var alert tls.AlertError
	switch c := classifyNet(err); {
	case isReadCap(err):
		return connProtocol, err.Error()
	case c == neterr.Reset:
		return connReset, "connection reset by peer"
	case c == neterr.TimedOut || tcpIsTimeout(err):
		return connStalled, "no answer"
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return connClosed, "connection closed by peer"
	case errors.As(err, &rh):
		return connProtocol, "not TLS: first bytes " + tcpQuote(rh.RecordHeader[:])
	case errors.As(err, &alert):
		return connTLS, "TLS alert: " + alert.Error()
	}
	var tlsErr *tls.CertificateVerificationError
	if errors.As(err, &tlsErr) {
		return connTLS, tlsErr.Error()
	}
	return connTLS, tcpShortErr(err)
}

func tcpIsTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded) ||
		(errors.As(err, &ne) && ne.Timeout())
}

// tcpShortErr keeps an error message readable in a report.
func tcpShortErr(err error) string {
	s := err.Error()
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

// tcpQuote shows up to 48 bytes of what a peer sent, printable.
func tcpQuote(b []byte) string {
	if len(b) > 48 {
		b = b[:48]
	}
	return strconv.QuoteToASCII(string(b))
}

// tcpDeadline sets conn's deadline to now+d, or the context's deadline when
// that comes first.
func tcpDeadline(ctx context.Context, conn net.Conn, d time.Duration) time.Time {
	dl := time.Now().Add(d)
	if cd, ok := ctx.Deadline(); ok && cd.Before(dl) {
		dl = cd
	}
	_ = conn.SetDeadline(dl)
	return dl
}

// stopAt turns an I/O error at a stage into the probe's outcome.
func (p *tcpProbe) stopAt(stage string, err error, since time.Time) {
	p.Stage = stage
	p.Class, p.Detail = classifyIO(err)
	p.Waited = time.Since(since)
}

// protocolAt records an answer in the wrong protocol.
func (p *tcpProbe) protocolAt(stage, detail string) {
	p.Stage, p.Class, p.Detail = stage, connProtocol, detail
}

// failureText is the one-sentence summary of a failed TCP exchange to what
// (e.g. "SIP/TLS 203.0.113.10:15061").
func (p tcpProbe) failureText(what string) content.Text {
	stageJa := stageNamesJa[p.Stage]
	if stageJa == "" {
		stageJa = p.Stage
	}
	t := func(ja string, jargs []any, en string, eargs []any) content.Text {
		return content.T(fmt.Sprintf(ja, jargs...), fmt.Sprintf(en, eargs...))
	}
	waited := p.Waited.Round(time.Millisecond)
	switch p.Class {
	case connResolve:
		return content.Tf("%s: 名前解決できませんでした（%s）", "%s: the host name did not resolve (%s)", what, p.Detail)
	case connRefused:
		return content.Tf("%s への TCP 接続が拒否されました（RST）。サーバが待ち受けていないか、途中の機器が拒否しています", "%s: the TCP connection was refused (RST): nothing listens there, or a device on the path rejects it", what)
	case connFiltered:
		return content.Tf("%s への TCP 接続に %s 応答がありません（フィルタされています）", "%s: no answer to the TCP connection attempt within %s (filtered)", what, waited)
	case connUnreachable:
		if p.Net.Unreachable() {
			return noRouteText(what, p.Net)
		}
		return content.Tf("%s に到達できません（%s）", "%s is unreachable (%s)", what, p.Detail)
	case connReset:
		return t("%s: 接続後、%sの段階で接続がリセットされました（IPS・ALG・検査型ファイアウォールの兆候）", []any{what, stageJa},
			"%s: the connection was reset during %s after it was established (a sign of an IPS, ALG or inspecting firewall)", []any{what, p.Stage})
	case connClosed:
		return t("%s: %sの段階で相手が接続を閉じました", []any{what, stageJa}, "%s: the peer closed the connection during %s", []any{what, p.Stage})
	case connStalled:
		return t("%s: 接続はできましたが、%sの段階で %s 応答がありません", []any{what, stageJa, waited},
			"%s: connected, but no answer during %s within %s", []any{what, p.Stage, waited})
	case connTLS:
		return content.Tf("%s: TLS ハンドシェイクに失敗しました（%s）", "%s: the TLS handshake failed (%s)", what, p.Detail)
	case connProtocol:
		return t("%s: %sの段階で想定外の応答がありました（%s）", []any{what, stageJa, p.Detail},
			"%s: unexpected answer during %s (%s)", []any{what, p.Stage, p.Detail})
	}
	return content.Tf("%s: %s", "%s: %s", what, p.Detail)
}

// stageNamesJa names the stages in Japanese for summaries.
var stageNamesJa = map[string]string{
	"connect":   "接続",
	"tls":       "TLS ハンドシェイク",
	"sip":       "SIP 応答待ち",
	"http":      "HTTP 応答待ち",
	"websocket": "WebSocket アップグレード",
	"banner":    "FTP バナー待ち",
	"auth_tls":  "AUTH TLS",
	"pbsz":      "PBSZ",
	"prot":      "PROT P",
	"login":     "ログイン",
	"pasv":      "パッシブモード要求",
	"data":      "データ接続",
}

// tcpFailResult is the fail result of a TCP exchange that did not complete:
// the probe's summary and facts plus the remedies for it.
func tcpFailResult(id, what string, p tcpProbe, remedies ...string) Result {
	if p.Class == connUnreachable && p.Net.Unreachable() {
		remedies = []string{remedyIPv4Required} // no route: opening a port would not help
	}
	r := FailResult(id, p.failureText(what), remedies...)
	p.addFacts(r.Facts, "")
	return r
}

// tcpJoinHostPort joins a host and a port.
func tcpJoinHostPort(host string, port int) string { return net.JoinHostPort(host, strconv.Itoa(port)) }

// tcpDescribe names a destination for summaries: "SIP/TLS 203.0.113.10:15061".
func tcpDescribe(proto, addr string) string { return fmt.Sprintf("%s %s", proto, addr) }

// planServerTCP is the plan of a TCP check to the BIZTEL server (sip.tls,
// sip.wss, web.8000): one destination at p.ServerAddr() on port, or why it
// cannot run.
func planServerTCP(p *profile.Profile, proto string, port int, purpose content.Text) ([]Destination, content.Text) {
	if p.ServerAddr() == "" {
		return nil, content.T("BIZTEL サーバのアドレスがありません", "no BIZTEL server address")
	}
	return []Destination{{
		Proto: proto, Transport: "tcp", Address: p.ServerAddr(),
		Ports:   content.PortRange{From: port, To: port},
		Purpose: purpose,
	}}, content.Text{}
}

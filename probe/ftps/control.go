// Package ftps speaks the FTPS control dialogue of the recording download
// server by hand on net/textproto: explicit (220 banner, AUTH TLS, TLS;
// RFC 4217) or implicit (TLS first, then the banner), then single commands
// such as PBSZ, PROT and PASV/EPSV, whose offers it parses. jlaffaye/ftp
// does the same exchange but hides where it stopped (banner, AUTH TLS,
// handshake) and the address a PASV reply offered, which are the checks'
// evidence: every step records its stage in a tcp.Attempt. The TLS
// handshake itself is the caller's (it judges the certificate); ftps.control
// and ftps.passive judge what this package saw.
package ftps

import (
	"context"
	"errors"
	"net"
	"net/textproto"
	"strconv"
	"strings"
	"time"

	"github.com/biztel-tools/biztel-doctor/probe/tcp"
)

// FTPS modes.
const (
	Explicit = "explicit" // 220 banner, AUTH TLS, then TLS (RFC 4217)
	Implicit = "implicit" // TLS first, then the 220 banner
)

// QuitTimeout bounds the polite QUIT at the end: one write, no wait for
// the reply; the connection closes right after.
const QuitTimeout = 200 * time.Millisecond

// ReplyMaxBytes bounds one FTP reply: ReplyMaxLines lines of a generous
// 512 bytes (RFC 959 lines are short) plus room. A peer that streams an
// endless line is stopped there (tcp.ReadCapConn).
const ReplyMaxBytes = 64 << 10

// ReplyMaxLines bounds a multi-line reply (a long banner is a few dozen
// lines; a peer streaming lines forever is not FTP).
const ReplyMaxLines = 100

// Upgrade runs the TLS client handshake on conn and returns the secured
// connection, or nil after recording on a where and how it failed.
type Upgrade func(ctx context.Context, conn net.Conn, a *tcp.Attempt) net.Conn

// Session is an FTPS control connection that got as far as TLS.
type Session struct {
	Mode   string
	Conn   net.Conn // the TLS connection (reads capped per reply)
	Banner string   // the 220 banner, one line (Line)
	tp     *textproto.Conn
	stop   func() bool
}

// Detach keeps the session usable after the context it was opened with
// ends (a cancelled attempt otherwise cuts its deadline).
func (s *Session) Detach() { s.stop() }

// Close ends the session politely (QUIT) and closes it.
func (s *Session) Close() {
	_ = s.Conn.SetDeadline(time.Now().Add(QuitTimeout))
	_ = s.tp.PrintfLine("QUIT")
	s.stop()
	s.Conn.Close()
}

// Command sends one command at stage and reads its reply; on failure a
// says where it stopped.
func (s *Session) Command(ctx context.Context, stage string, a *tcp.Attempt, cmd string) (int, string, bool) {
	return command(ctx, s.Conn, s.tp, stage, a, cmd)
}

// Open opens a control connection to addr in mode up to a secured session.
// On failure it returns nil and the attempt says where it stopped.
func Open(ctx context.Context, d tcp.Dialer, addr, mode string, upgrade Upgrade) (*Session, tcp.Attempt) {
	conn, a := tcp.Dial(ctx, d, addr)
	if !a.OK() {
		return nil, a
	}
	// A cancelled attempt (the other mode already answered) must not sit in
	// a blocking read until its stage limit.
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Now()) })
	s := &Session{Mode: mode, stop: stop}
	if !s.handshake(ctx, conn, upgrade, &a) {
		stop()
		conn.Close()
		return nil, a
	}
	return s, a
}

// handshake runs the mode's dialogue: banner and AUTH TLS before TLS
// (explicit) or the banner after it (implicit).
func (s *Session) handshake(ctx context.Context, conn net.Conn, upgrade Upgrade, a *tcp.Attempt) bool {
	if s.Mode == Explicit {
		capped := tcp.NewReadCapConn(conn, ReplyMaxBytes)
		plain := textproto.NewConn(capped)
		if s.Banner = banner(ctx, capped, plain, a); s.Banner == "" {
			return false
		}
		code, msg, ok := command(ctx, capped, plain, "auth_tls", a, "AUTH TLS")
		if !ok {
			return false
		}
		if code != 234 {
			a.ProtocolAt("auth_tls", "AUTH TLS refused: "+Line(code, msg))
			return false
		}
	}
	tc := upgrade(ctx, conn, a)
	if tc == nil {
		return false
	}
	ctc := tcp.NewReadCapConn(tc, ReplyMaxBytes)
	s.Conn, s.tp = ctc, textproto.NewConn(ctc)
	if s.Mode == Implicit {
		s.Banner = banner(ctx, ctc, s.tp, a)
		return s.Banner != ""
	}
	return true
}

// banner reads the 220 greeting, as one line; "" when there was none.
func banner(ctx context.Context, conn net.Conn, tp *textproto.Conn, a *tcp.Attempt) string {
	code, msg, ok := reply(ctx, conn, tp, "banner", a)
	if !ok {
		return ""
	}
	if code != 220 {
		a.ProtocolAt("banner", Line(code, msg))
		return ""
	}
	return Line(code, msg)
}

// reply reads one (possibly multi-line, RFC 959 §4.2) reply at stage.
// 1xx preliminary replies ("120 ready in n minutes") are skipped. It parses
// by hand: textproto.ReadResponse keeps reading after a malformed first line
// such as "SSH-2.0-…", which would turn a wrong service into a stall.
func reply(ctx context.Context, conn net.Conn, tp *textproto.Conn, stage string, a *tcp.Attempt) (int, string, bool) {
	if c, ok := conn.(*tcp.ReadCapConn); ok {
		c.Reset() // each reply gets its own allowance (ReplyMaxBytes)
	}
	tcp.Deadline(ctx, conn, tcp.ReplyTimeout)
	start := time.Now()
	for range 3 {
		code, msg, err := ReadReply(tp)
		if err != nil {
			var bad errNotFTP
			if errors.As(err, &bad) {
				a.ProtocolAt(stage, "not an FTP reply: "+bad.line)
			} else {
				a.StopAt(stage, err, start)
				if a.Class == tcp.TLSFailed {
					a.Class = tcp.Protocol
				}
			}
			return 0, "", false
		}
		if code >= 200 {
			return code, msg, true
		}
	}
	a.ProtocolAt(stage, "only preliminary replies")
	return 0, "", false
}

// errNotFTP is a line that is not an FTP reply; line is quoted.
type errNotFTP struct{ line string }

func (e errNotFTP) Error() string { return "not an FTP reply: " + e.line }

// ReadReply reads one reply, its lines joined by "\n" without the code.
func ReadReply(tp *textproto.Conn) (int, string, error) {
	first, err := tp.ReadLine()
	if err != nil {
		return 0, "", err
	}
	code, cont, ok := codeLine(first)
	if !ok {
		return 0, "", errNotFTP{tcp.Quote([]byte(first))}
	}
	lines := []string{text(first)}
	for cont {
		if len(lines) >= ReplyMaxLines {
			return 0, "", errNotFTP{"reply longer than " + strconv.Itoa(ReplyMaxLines) + " lines"}
		}
		line, err := tp.ReadLine()
		if err != nil {
			return 0, "", err
		}
		if c, more, ok := codeLine(line); ok && c == code && !more {
			lines = append(lines, text(line))
			break
		}
		lines = append(lines, line)
	}
	return code, strings.Join(lines, "\n"), nil
}

// text is a reply line without its code.
func text(line string) string {
	if len(line) > 4 {
		return line[4:]
	}
	return ""
}

// codeLine parses "220 text" or "220-text".
func codeLine(line string) (code int, continued, ok bool) {
	if len(line) < 4 || (line[3] != ' ' && line[3] != '-') {
		if len(line) == 3 { // "220" alone is allowed by some servers
			line += " "
		} else {
			return 0, false, false
		}
	}
	code, err := strconv.Atoi(line[:3])
	if err != nil || code < 100 || code > 599 {
		return 0, false, false
	}
	return code, line[3] == '-', true
}

// command sends one command and reads its reply.
func command(ctx context.Context, conn net.Conn, tp *textproto.Conn, stage string, a *tcp.Attempt, cmd string) (int, string, bool) {
	tcp.Deadline(ctx, conn, tcp.ReplyTimeout)
	start := time.Now()
	if err := tp.PrintfLine("%s", cmd); err != nil {
		a.StopAt(stage, err, start)
		return 0, "", false
	}
	return reply(ctx, conn, tp, stage, a)
}

// Line renders a reply as one line, bounded.
func Line(code int, msg string) string {
	msg = strings.ReplaceAll(msg, "\n", " / ")
	if len(msg) > 160 {
		msg = msg[:160] + "…"
	}
	return strings.TrimSpace(strconv.Itoa(code) + " " + msg)
}

package checks

import (
	"context"
	"errors"
	"net"
	"net/textproto"
	"strconv"
	"strings"
	"time"

	"github.com/biztel-tools/biztel-doctor/probe/tcp"
	"github.com/biztel-tools/biztel-doctor/profile"
)

// The FTPS control dialogue, by hand on net/textproto: jlaffaye/ftp does the
// same exchange but hides where it stopped (banner, AUTH TLS, handshake) and
// the address a PASV reply offered, which are this check's evidence.

// FTPS modes.
const (
	ftpsExplicit = "explicit" // 220 banner, AUTH TLS, then TLS (RFC 4217)
	ftpsImplicit = "implicit" // TLS first, then the 220 banner
)

// ftpQuitTimeout bounds the polite QUIT at the end: one write, no wait for
// the reply; the connection closes right after.
const ftpQuitTimeout = 200 * time.Millisecond

// ftpReplyMaxBytes bounds one FTP reply: ftpReplyMaxLines lines of a
// generous 512 bytes (RFC 959 lines are short) plus room. A peer that
// streams an endless line is stopped there (tcp.ReadCapConn).
const ftpReplyMaxBytes = 64 << 10

// ftpsSession is an FTPS control connection that got as far as TLS.
type ftpsSession struct {
	Mode   string
	Conn   net.Conn // the TLS connection
	tp     *textproto.Conn
	Banner string
	Report *tlsReport
	stop   func() bool
}

// Close ends the session politely (QUIT) and closes it.
func (s *ftpsSession) Close() {
	_ = s.Conn.SetDeadline(time.Now().Add(ftpQuitTimeout))
	_ = s.tp.PrintfLine("QUIT")
	s.stop()
	s.Conn.Close()
}

// recordingTLSTarget is the recording server's name for certificate checks:
// its host name, or its address without one. Pins belong to the BIZTEL
// server and are not applied here.
func recordingTLSTarget(p *profile.Profile) tlsTarget {
	if p.Recording.Host != "" {
		return tlsTarget{Name: p.Recording.Host}
	}
	return tlsTarget{Name: p.Recording.IP, NameIsAddr: true}
}

// openFTPS opens a control connection in mode up to a secured session. On
// failure it returns nil and the probe says where it stopped; rep is set
// when a handshake completed.
func openFTPS(ctx context.Context, in *Input, addr, mode string, target tlsTarget) (*ftpsSession, tcp.Attempt) {
	conn, probe := tcp.Dial(ctx, in.Env.Dialer, addr)
	if !probe.OK() {
		return nil, probe
	}
	// A cancelled attempt (the other mode already answered) must not sit in
	// a blocking read until its stage limit.
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Now()) })
	fail := func() (*ftpsSession, tcp.Attempt) {
		stop()
		conn.Close()
		return nil, probe
	}
	s := &ftpsSession{Mode: mode, stop: stop}
	if mode == ftpsExplicit {
		capped := tcp.NewReadCapConn(conn, ftpReplyMaxBytes)
		plain := textproto.NewConn(capped)
		code, msg, ok := ftpReply(ctx, capped, plain, "banner", &probe)
		if !ok {
			return fail()
		}
		if code != 220 {
			probe.ProtocolAt("banner", ftpLine(code, msg))
			return fail()
		}
		s.Banner = ftpLine(code, msg)
		code, msg, ok = ftpCommand(ctx, capped, plain, "auth_tls", &probe, "AUTH TLS")
		if !ok {
			return fail()
		}
		if code != 234 {
			probe.ProtocolAt("auth_tls", "AUTH TLS refused: "+ftpLine(code, msg))
			return fail()
		}
	}
	tc, rep := handshakeTLS(ctx, conn, in, target, &probe)
	if tc == nil {
		return fail()
	}
	ctc := tcp.NewReadCapConn(tc, ftpReplyMaxBytes)
	s.Conn, s.Report, s.tp = ctc, rep, textproto.NewConn(ctc)
	if mode == ftpsImplicit {
		code, msg, ok := ftpReply(ctx, ctc, s.tp, "banner", &probe)
		if !ok {
			return fail()
		}
		if code != 220 {
			probe.ProtocolAt("banner", ftpLine(code, msg))
			return fail()
		}
		s.Banner = ftpLine(code, msg)
	}
	return s, probe
}

// ftpReplyMaxLines bounds a multi-line reply (a long banner is a few
// dozen lines; a peer streaming lines forever is not FTP).
const ftpReplyMaxLines = 100

// ftpReply reads one (possibly multi-line, RFC 959 §4.2) reply at stage.
// 1xx preliminary replies ("120 ready in n minutes") are skipped. It parses
// by hand: textproto.ReadResponse keeps reading after a malformed first line
// such as "SSH-2.0-…", which would turn a wrong service into a stall.
func ftpReply(ctx context.Context, conn net.Conn, tp *textproto.Conn, stage string, probe *tcp.Attempt) (int, string, bool) {
	if c, ok := conn.(*tcp.ReadCapConn); ok {
		c.Reset() // each reply gets its own allowance (ftpReplyMaxBytes)
	}
	tcp.Deadline(ctx, conn, tcp.ReplyTimeout)
	start := time.Now()
	for range 3 {
		code, msg, err := ftpReadReply(tp)
		if err != nil {
			var bad errNotFTP
			if errors.As(err, &bad) {
				probe.ProtocolAt(stage, "not an FTP reply: "+bad.line)
			} else {
				probe.StopAt(stage, err, start)
				if probe.Class == tcp.TLSFailed {
					probe.Class = tcp.Protocol
				}
			}
			return 0, "", false
		}
		if code >= 200 {
			return code, msg, true
		}
	}
	probe.ProtocolAt(stage, "only preliminary replies")
	return 0, "", false
}

// errNotFTP is a line that is not an FTP reply; line is quoted.
type errNotFTP struct{ line string }

func (e errNotFTP) Error() string { return "not an FTP reply: " + e.line }

func ftpReadReply(tp *textproto.Conn) (int, string, error) {
	first, err := tp.ReadLine()
	if err != nil {
		return 0, "", err
	}
	code, cont, ok := ftpCodeLine(first)
	if !ok {
		return 0, "", errNotFTP{tcp.Quote([]byte(first))}
	}
	lines := []string{ftpText(first)}
	for cont {
		if len(lines) >= ftpReplyMaxLines {
			return 0, "", errNotFTP{"reply longer than " + strconv.Itoa(ftpReplyMaxLines) + " lines"}
		}
		line, err := tp.ReadLine()
		if err != nil {
			return 0, "", err
		}
		if c, more, ok := ftpCodeLine(line); ok && c == code && !more {
			lines = append(lines, ftpText(line))
			break
		}
		lines = append(lines, line)
	}
	return code, strings.Join(lines, "\n"), nil
}

// ftpText is a reply line without its code.
func ftpText(line string) string {
	if len(line) > 4 {
		return line[4:]
	}
	return ""
}

// ftpCodeLine parses "220 text" or "220-text".
func ftpCodeLine(line string) (code int, continued, ok bool) {
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

// ftpCommand sends one command and reads its reply.
func ftpCommand(ctx context.Context, conn net.Conn, tp *textproto.Conn, stage string, probe *tcp.Attempt, cmd string) (int, string, bool) {
	tcp.Deadline(ctx, conn, tcp.ReplyTimeout)
	start := time.Now()
	if err := tp.PrintfLine("%s", cmd); err != nil {
		probe.StopAt(stage, err, start)
		return 0, "", false
	}
	return ftpReply(ctx, conn, tp, stage, probe)
}

// ftpLine renders a reply as one line, bounded.
func ftpLine(code int, msg string) string {
	msg = strings.ReplaceAll(msg, "\n", " / ")
	if len(msg) > 160 {
		msg = msg[:160] + "…"
	}
	return strings.TrimSpace(strconv.Itoa(code) + " " + msg)
}

// ftpsWhat names the recording server's FTPS port for summaries.
func ftpsWhat(addr string) string { return tcpDescribe("FTPS", addr) }

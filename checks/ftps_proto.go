package checks

import (
	"context"
	"net"

	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/probe/ftps"
	"github.com/biztel-tools/biztel-doctor/probe/tcp"
	"github.com/biztel-tools/biztel-doctor/profile"
)

// The FTPS checks' side of probe/ftps: the dialogue is the probe's, the
// certificate judgement (tlsprobe.go) the checks'.

// FTPS modes (ftps.control's evidence and facts use these words).
const (
	ftpsExplicit = ftps.Explicit
	ftpsImplicit = ftps.Implicit
)

// ftpsSession is an FTPS control session with the judged certificate.
type ftpsSession struct {
	*ftps.Session
	Report *tlsReport
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

// openFTPS opens a control connection in mode up to a secured session,
// judging the certificate on the way. On failure it returns nil and the
// attempt says where it stopped.
func openFTPS(ctx context.Context, in *Input, addr, mode string, target tlsTarget) (*ftpsSession, tcp.Attempt) {
	var rep *tlsReport
	upgrade := func(ctx context.Context, conn net.Conn, a *tcp.Attempt) net.Conn {
		tc, r := handshakeTLS(ctx, conn, in, target, a)
		if tc == nil {
			return nil // not a typed nil in the interface
		}
		rep = r
		return tc
	}
	s, a := ftps.Open(ctx, in.Env.Dialer, addr, mode, upgrade)
	if s == nil {
		return nil, a
	}
	return &ftpsSession{Session: s, Report: rep}, a
}

// ftpsWhat names the recording server's FTPS port for summaries.
func ftpsWhat(addr string) string { return tcpDescribe("FTPS", addr) }

// tcpFailureIn is tcpFailureText with what named in each language's words.
func tcpFailureIn(p tcp.Attempt, what content.Text) content.Text {
	return content.Text{Ja: tcpFailureText(p, what.Ja).Ja, En: tcpFailureText(p, what.En).En}
}

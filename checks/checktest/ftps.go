package checktest

import (
	"crypto/tls"
	"fmt"
	"net"
	"net/textproto"
	"strings"
	"sync/atomic"
	"time"
)

// FTPSConfig shapes a fake FTPS server (the recording download server's
// TCP 20990 and its passive ports).
type FTPSConfig struct {
	Cert     tls.Certificate
	Implicit bool // TLS first, then the banner; otherwise explicit (AUTH TLS)
	// RejectAuthTLS answers AUTH TLS with 500, like a server without TLS.
	RejectAuthTLS bool
	// ResetAfterAuthTLS resets the connection when AUTH TLS arrives, as an
	// FTP ALG or inspecting firewall that cannot follow TLS does.
	ResetAfterAuthTLS bool
	// User and Password, when set, are required before PBSZ, PROT and PASV
	// (530 otherwise), as vsftpd does. Replies echo the user name, so a
	// leak would show in the check's facts.
	User, Password string
	// Passive are the listeners whose ports PASV/EPSV offer, in turn; they
	// accept and close data connections.
	Passive []net.Listener
	// PASVHost is the address a PASV reply announces (default 127.0.0.1);
	// a different one imitates a server behind NAT or an ALG rewrite.
	PASVHost string
	// NoPASV answers PASV with 502 so the client must use EPSV.
	NoPASV bool
	// DataNeedsControl imitates vsftpd: a passive port serves only while the
	// control session that asked for it is open, and the listeners close
	// when a session ends. DataAccepted, when set, gets one value per data
	// connection: whether its control session was still open at accept.
	DataNeedsControl bool
	DataAccepted     chan<- bool
	// PASVReply, when set, is sent verbatim as the answer to PASV and EPSV
	// (a broken or hostile server's offer).
	PASVReply string
}

// ftpsSessionLimit ends a fake FTPS session that a test forgot, so no
// goroutine outlives the test by much.
const ftpsSessionLimit = 10 * time.Second

// FTPSServer starts the fake on 127.0.0.1:0 and returns its address.
func FTPSServer(t TB, cfg FTPSConfig) string {
	t.Helper()
	var controlOpen atomic.Int32
	for _, ln := range cfg.Passive {
		ServeListener(t, ln, func(c net.Conn) {
			if cfg.DataAccepted != nil {
				select {
				case cfg.DataAccepted <- controlOpen.Load() > 0:
				default:
				}
			}
		})
	}
	var next atomic.Int64
	tlsCfg := &tls.Config{Certificates: []tls.Certificate{cfg.Cert}}
	return Serve(t, func(c net.Conn) {
		controlOpen.Add(1)
		defer func() {
			if controlOpen.Add(-1) == 0 && cfg.DataNeedsControl {
				for _, ln := range cfg.Passive {
					ln.Close()
				}
			}
		}()
		_ = c.SetDeadline(time.Now().Add(ftpsSessionLimit))
		var conn net.Conn = c
		if cfg.Implicit {
			tc := tls.Server(c, tlsCfg)
			if tc.Handshake() != nil {
				return
			}
			conn = tc
		}
		tp := textproto.NewConn(conn)
		_ = tp.PrintfLine("220-checktest FTPS\r\n220 ready")
		user, loggedIn := "", cfg.User == ""
		for {
			line, err := tp.ReadLine()
			if err != nil {
				return
			}
			verb, arg, _ := strings.Cut(line, " ")
			switch strings.ToUpper(verb) {
			case "AUTH":
				switch {
				case cfg.ResetAfterAuthTLS:
					ResetConn(c)
					return
				case cfg.RejectAuthTLS || cfg.Implicit:
					_ = tp.PrintfLine("500 AUTH not understood")
					continue
				}
				_ = tp.PrintfLine("234 Proceed with negotiation.")
				tc := tls.Server(c, tlsCfg)
				if tc.Handshake() != nil {
					return
				}
				conn = tc
				tp = textproto.NewConn(tc)
			case "USER":
				user = arg
				_ = tp.PrintfLine("331 Please specify the password for %s.", user)
			case "PASS":
				if user == cfg.User && arg == cfg.Password {
					loggedIn = true
					_ = tp.PrintfLine("230 Login successful.")
				} else {
					_ = tp.PrintfLine("530 Login incorrect for %s.", user)
				}
			case "PBSZ", "PROT", "PASV", "EPSV":
				if !loggedIn {
					_ = tp.PrintfLine("530 Please login with USER and PASS.")
					continue
				}
				_ = tp.PrintfLine("%s", passiveReply(strings.ToUpper(verb), cfg, &next))
			case "QUIT":
				_ = tp.PrintfLine("221 Goodbye.")
				return
			default:
				_ = tp.PrintfLine("502 Command not implemented.")
			}
		}
	})
}

func passiveReply(verb string, cfg FTPSConfig, next *atomic.Int64) string {
	switch verb {
	case "PBSZ":
		return "200 PBSZ set to 0."
	case "PROT":
		return "200 PROT now Private."
	}
	if cfg.PASVReply != "" {
		return cfg.PASVReply
	}
	if len(cfg.Passive) == 0 || (verb == "PASV" && cfg.NoPASV) {
		return "502 Command not implemented."
	}
	ln := cfg.Passive[int(next.Add(1)-1)%len(cfg.Passive)]
	port := ln.Addr().(*net.TCPAddr).Port
	if verb == "EPSV" {
		return fmt.Sprintf("229 Entering Extended Passive Mode (|||%d|)", port)
	}
	host := cfg.PASVHost
	if host == "" {
		host = "127.0.0.1"
	}
	return fmt.Sprintf("227 Entering Passive Mode (%s,%d,%d).", strings.ReplaceAll(host, ".", ","), port/256, port%256)
}

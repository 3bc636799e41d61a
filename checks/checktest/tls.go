package checktest

import (
	"crypto/tls"
	"net"
	"time"
)

// handshakeTimeout keeps a fake from waiting forever on a client that
// never finishes the handshake.
const handshakeTimeout = 5 * time.Second

// TLSServer listens on 127.0.0.1:0, runs the TLS server handshake with cert
// and then handle on the secured connection.
func TLSServer(t TB, cert tls.Certificate, handle func(net.Conn)) string {
	cfg := &tls.Config{Certificates: []tls.Certificate{cert}}
	return Serve(t, func(c net.Conn) {
		tc := tls.Server(c, cfg)
		_ = tc.SetDeadline(time.Now().Add(handshakeTimeout))
		if err := tc.Handshake(); err != nil {
			return
		}
		_ = tc.SetDeadline(time.Time{})
		handle(tc)
	})
}

// TLSAlertAfterHello answers the ClientHello with a fatal TLS alert
// (handshake_failure), like a server with no cipher in common.
func TLSAlertAfterHello(t TB) string {
	return Serve(t, func(c net.Conn) {
		buf := make([]byte, 4096)
		if _, err := c.Read(buf); err != nil {
			return
		}
		// record: alert(21), TLS 1.2, length 2, level fatal(2), handshake_failure(40)
		_, _ = c.Write([]byte{21, 3, 3, 0, 2, 2, 40})
	})
}

// ResetAfterHello reads the ClientHello and then resets, like a firewall
// that blocks by SNI.
func ResetAfterHello(t TB) string {
	return Serve(t, func(c net.Conn) {
		buf := make([]byte, 4096)
		if _, err := c.Read(buf); err != nil {
			return
		}
		ResetConn(c)
	})
}

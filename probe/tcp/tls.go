package tcp

import (
	"context"
	"crypto/tls"
	"net"
	"time"
)

// HandshakeTLS runs a TLS client handshake on conn with cfg within
// HandshakeTimeout. On failure it returns nil and a says where and how the
// exchange stopped: a handshake that got no answer at all is Stalled, not a
// TLS failure.
func HandshakeTLS(ctx context.Context, conn net.Conn, cfg *tls.Config, a *Attempt) *tls.Conn {
	tc := tls.Client(conn, cfg)
	hctx, cancel := StageContext(ctx, HandshakeTimeout)
	defer cancel()
	start := time.Now()
	if err := tc.HandshakeContext(hctx); err != nil {
		a.StopAt("tls", err, start)
		if hctx.Err() != nil && a.Class == TLSFailed {
			a.Class, a.Detail = Stalled, "no TLS answer"
		}
		return nil
	}
	return tc
}

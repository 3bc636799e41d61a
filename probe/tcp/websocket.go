package tcp

import (
	"context"
	"errors"
	"net"
	"net/http"
	"time"

	"github.com/gorilla/websocket"
)

// WSUpgrade is what a WebSocket upgrade attempt showed.
type WSUpgrade struct {
	Conn        *websocket.Conn // the upgraded connection; nil otherwise
	HTTPStatus  int             // the server's HTTP status (101 when upgraded)
	Subprotocol string          // Sec-WebSocket-Protocol the server selected, "" none
	Server      string          // Server header of the answer
}

// UpgradeWebSocket runs a WebSocket upgrade (RFC 6455) on an established TLS
// connection to hostport (used for the Host header) offering subprotocols.
// An answer that is HTTP but not an upgrade is a result (HTTPStatus), not
// a failure of the exchange; probe records how the exchange stopped
// otherwise.
func UpgradeWebSocket(ctx context.Context, conn net.Conn, hostport, path string, subprotocols []string, ua string, probe *Attempt) (WSUpgrade, bool) {
	capped := NewReadCapConn(conn, HTTPHeaderMaxBytes)
	d := websocket.Dialer{
		// The TLS handshake already ran (and was judged); gorilla must use
		// this connection as is.
		// Reads are capped for the upgrade answer; the cap is lifted
		// after it (the caller limits messages with SetReadLimit).
		NetDialTLSContext: func(context.Context, string, string) (net.Conn, error) { return capped, nil },
		HandshakeTimeout:  ReplyTimeout,
		Subprotocols:      subprotocols,
	}
	wctx, cancel := StageContext(ctx, ReplyTimeout)
	defer cancel()
	start := time.Now()
	ws, resp, err := d.DialContext(wctx, "wss://"+hostport+path, http.Header{"User-Agent": {ua}})
	var out WSUpgrade
	if resp != nil {
		out.HTTPStatus = resp.StatusCode
		out.Server = resp.Header.Get("Server")
		if resp.Body != nil {
			resp.Body.Close()
		}
	}
	if err == nil {
		capped.left = 1 << 62 // upgraded: messages are bounded by the caller's SetReadLimit
		out.Conn = ws
		out.Subprotocol = ws.Subprotocol()
		return out, true
	}
	switch {
	case errors.Is(err, websocket.ErrBadHandshake) && resp != nil && resp.StatusCode == http.StatusSwitchingProtocols:
		probe.ProtocolAt("websocket", "101 Switching Protocols without a valid WebSocket handshake (Sec-WebSocket-Accept)")
		return out, false
	case errors.Is(err, websocket.ErrBadHandshake) && resp != nil:
		return out, true // an HTTP answer: reachable, not upgraded
	}
	probe.StopAt("websocket", err, start)
	if probe.Class == TLSFailed { // not a transport error: the answer was not HTTP
		probe.Class = Protocol
	}
	return out, false
}

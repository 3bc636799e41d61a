package checktest

import (
	"crypto/tls"
	"errors"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/gorilla/websocket"
)

// WebConfig shapes a fake HTTPS + WebSocket server (BIZTEL's TCP 8000 and
// SIP/WSS 15062 on one kind of fake).
type WebConfig struct {
	// Subprotocols the server accepts; a client offering "sip" gets it only
	// when listed. Empty: a 101 without Sec-WebSocket-Protocol.
	Subprotocols []string
	// AnswerSIP answers every SIP request message with 200 OK (RFC 7118).
	AnswerSIP bool
	// Reply, when set, is sent back for every WebSocket message instead.
	Reply string
	// RefuseUpgrade, when non-zero, answers upgrade requests with this HTTP
	// status instead of 101.
	RefuseUpgrade int
	// Server is the Server header of plain HTTPS answers.
	Server string
	// Status of plain HTTPS answers (GET /); default 200.
	Status int
}

// WebServer starts an HTTPS server with WebSocket upgrade on 127.0.0.1:0.
func WebServer(t TB, cert tls.Certificate, cfg WebConfig) string {
	t.Helper()
	up := websocket.Upgrader{Subprotocols: cfg.Subprotocols, CheckOrigin: func(*http.Request) bool { return true }}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if cfg.Server != "" {
			w.Header().Set("Server", cfg.Server)
		}
		if !websocket.IsWebSocketUpgrade(r) {
			status := cfg.Status
			if status == 0 {
				status = http.StatusOK
			}
			w.WriteHeader(status)
			_, _ = io.WriteString(w, "checktest\n")
			return
		}
		if cfg.RefuseUpgrade != 0 {
			http.Error(w, "no websocket here", cfg.RefuseUpgrade)
			return
		}
		ws, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer ws.Close()
		for {
			_, msg, err := ws.ReadMessage()
			if err != nil {
				return
			}
			switch {
			case cfg.Reply != "":
				err = ws.WriteMessage(websocket.TextMessage, []byte(cfg.Reply))
			case cfg.AnswerSIP:
				req, perr := ParseSIPRequest(msg)
				if perr != nil {
					return
				}
				err = ws.WriteMessage(websocket.TextMessage, []byte(SIPOK(req, ws.RemoteAddr())))
			}
			if err != nil {
				return
			}
		}
	})
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: h, TLSConfig: &tls.Config{Certificates: []tls.Certificate{cert}}, ReadHeaderTimeout: 5 * time.Second}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := srv.ServeTLS(ln, "", ""); err != nil && !errors.Is(err, http.ErrServerClosed) {
			t.Log(err)
		}
	}()
	t.Cleanup(func() { srv.Close(); <-done })
	return ln.Addr().String()
}

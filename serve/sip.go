package serve

import (
	"errors"
	"net"
	"net/netip"
	"time"

	"github.com/biztel-tools/biztel-doctor/serve/wire"
)

// acceptTCP serves the SIP echo over TCP: framed by Content-Length, bounded
// in size, connections, idle time and the source's packet budget.
func (s *Server) acceptTCP() {
	defer s.wg.Done()
	for {
		conn, err := s.sipTCP.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) || s.ctx.Err() != nil {
				return
			}
			continue
		}
		select {
		case s.tcpSem <- struct{}{}:
		default:
			conn.Close() // at capacity: refuse rather than queue
			continue
		}
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			defer func() { <-s.tcpSem }()
			s.serveSIPConn(conn)
		}()
	}
}

func (s *Server) serveSIPConn(conn net.Conn) {
	defer conn.Close()
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		select {
		case <-s.ctx.Done():
			conn.Close()
		case <-stop:
		}
	}()
	ap, _ := netip.ParseAddrPort(conn.RemoteAddr().String())
	src := ap.Addr().Unmap()
	buf := make([]byte, 0, wire.MaxSIPMessage)
	chunk := make([]byte, 2048)
	for {
		n, err := wire.SIPFrameLen(buf)
		if err != nil {
			return // garbage or oversized: close
		}
		if n > 0 {
			msg := buf[:n]
			if !s.t.admit(src, n, "sip-tcp", time.Now()) {
				return
			}
			if resp, ok := wire.EchoResponse(msg, s.cfg.Token); ok && len(resp) <= n {
				if _, err := conn.Write(resp); err != nil {
					return
				}
				s.t.note(src, "", len(resp))
			}
			buf = append(buf[:0], buf[n:]...)
			continue
		}
		conn.SetReadDeadline(time.Now().Add(TCPIdle))
		k, err := conn.Read(chunk)
		if err != nil {
			return
		}
		if len(buf)+k > wire.MaxSIPMessage {
			return
		}
		buf = append(buf, chunk[:k]...)
	}
}

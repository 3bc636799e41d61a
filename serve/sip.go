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
		src := remoteAddr(conn)
		if !s.takeTCPSlot(src) {
			conn.Close() // at capacity, in total or for this source: refuse rather than queue
			continue
		}
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			defer s.releaseTCPSlot(src)
			s.serveSIPConn(conn)
		}()
	}
}

// takeTCPSlot reserves one of the MaxTCPConns slots for a connection from
// src, unless src already holds MaxTCPConnsPerSource of them.
func (s *Server) takeTCPSlot(src netip.Addr) bool {
	s.tcpMu.Lock()
	defer s.tcpMu.Unlock()
	if s.tcpBy[src] >= MaxTCPConnsPerSource {
		return false
	}
	select {
	case s.tcpSem <- struct{}{}:
	default:
		return false
	}
	s.tcpBy[src]++
	return true
}

func (s *Server) releaseTCPSlot(src netip.Addr) {
	s.tcpMu.Lock()
	defer s.tcpMu.Unlock()
	<-s.tcpSem
	if s.tcpBy[src]--; s.tcpBy[src] <= 0 {
		delete(s.tcpBy, src) // the map holds only sources with open connections
	}
}

// remoteAddr is conn's peer address (unmapped), the key of per-source limits.
func remoteAddr(conn net.Conn) netip.Addr {
	ap, _ := netip.ParseAddrPort(conn.RemoteAddr().String())
	return ap.Addr().Unmap()
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
	src := remoteAddr(conn)
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

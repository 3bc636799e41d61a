//go:build !linux

package serve

// rtpLoop is Linux's epoll loop; elsewhere every RTP socket has its own
// goroutine.
type rtpLoop struct{}

func (s *Server) startRTP() {
	for _, c := range s.rtp {
		s.serveUDP(c, roleRTP)
	}
}

// stopRTP has nothing to stop: closing a socket ends its goroutine.
func (s *Server) stopRTP() {}

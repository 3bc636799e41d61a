package checktest

import (
	"net"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/emiago/sipgo/sip"
)

// SIPUDPMode is how a fake SIP UDP responder behaves.
type SIPUDPMode int

const (
	SIPUDPOK          SIPUDPMode = iota // 200 OK with received/rport as it saw the request (RFC 3581)
	SIPUDPNotFound                      // 404 Not Found (still a SIP answer)
	SIPUDPGarbage                       // bytes that are not SIP
	SIPUDPSilent                        // never answers
	SIPUDPRewrite                       // 200 OK claiming another received/rport, as behind a NAT
	SIPUDPStrayThenOK                   // first a response to another transaction, then 200 OK
	SIPUDPMalformed                     // starts like a SIP response but breaks mid-way (a mangling ALG)
)

// SIPUDPServer is a fake SIP registrar/proxy answering OPTIONS over UDP.
type SIPUDPServer struct {
	Addr      *net.UDPAddr
	Mode      SIPUDPMode
	DropFirst int // requests ignored before answering (retransmission tests)
	// DropOver, when set, ignores requests larger than this many bytes, as a
	// path that drops IP fragments does (loopback's MTU never fragments).
	DropOver int
	// Received/RPort are what SIPUDPRewrite claims to have seen.
	Received string
	RPort    int

	requests atomic.Int64
	mu       sync.Mutex
	last     *sip.Request
}

// NewSIPUDP starts a fake SIP responder on 127.0.0.1:0.
func NewSIPUDP(t TB, mode SIPUDPMode) *SIPUDPServer {
	s := &SIPUDPServer{Mode: mode, Received: "203.0.113.7", RPort: 40123}
	s.Serve(ListenUDP(t, "127.0.0.1", 0))
	return s
}

// Serve answers on c.
func (s *SIPUDPServer) Serve(c *net.UDPConn) *SIPUDPServer {
	s.Addr = c.LocalAddr().(*net.UDPAddr)
	go s.loop(c)
	return s
}

// Port is the responder's port.
func (s *SIPUDPServer) Port() int { return s.Addr.Port }

// Requests is how many datagrams arrived.
func (s *SIPUDPServer) Requests() int { return int(s.requests.Load()) }

// LastRequest is the last request parsed, nil when none.
func (s *SIPUDPServer) LastRequest() *sip.Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.last
}

func (s *SIPUDPServer) loop(c *net.UDPConn) {
	buf := make([]byte, 65536)
	for {
		n, src, err := c.ReadFromUDP(buf)
		if err != nil {
			return
		}
		seen := s.requests.Add(1)
		if s.DropOver > 0 && n > s.DropOver {
			continue
		}
		msg, err := sip.ParseMessage(append([]byte(nil), buf[:n]...))
		if err != nil {
			continue
		}
		req, ok := msg.(*sip.Request)
		if !ok {
			continue
		}
		s.mu.Lock()
		s.last = req
		s.mu.Unlock()
		if int(seen) <= s.DropFirst || s.Mode == SIPUDPSilent {
			continue
		}
		switch s.Mode {
		case SIPUDPGarbage:
			_, _ = c.WriteToUDP([]byte("\x00\x01garbage, not SIP\r\n\r\n"), src)
			continue
		case SIPUDPMalformed:
			_, _ = c.WriteToUDP([]byte("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP\r\nContent-Length: 99\r\n\r\ncut"), src)
			continue
		case SIPUDPStrayThenOK:
			stray := sip.NewResponseFromRequest(req, 200, "OK", nil)
			stray.ReplaceHeader(sip.NewHeader("Call-ID", "someone-else@192.0.2.1"))
			_, _ = c.WriteToUDP([]byte(stray.String()), src)
		}
		code, reason := 200, "OK"
		if s.Mode == SIPUDPNotFound {
			code, reason = 404, "Not Found"
		}
		resp := sip.NewResponseFromRequest(req, code, reason, nil)
		if via := resp.Via(); via != nil {
			received, rport := src.IP.String(), src.Port
			if s.Mode == SIPUDPRewrite {
				received, rport = s.Received, s.RPort
			}
			via.Params.Add("received", received)
			if _, asked := via.Params.Get("rport"); asked {
				via.Params.Add("rport", strconv.Itoa(rport))
			}
		}
		resp.AppendHeader(sip.NewHeader("Server", "checktest"))
		_, _ = c.WriteToUDP([]byte(resp.String()), src)
	}
}

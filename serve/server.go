package serve

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"sync"
	"time"

	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/serve/wire"
)

// janitorEvery is how often idle sessions, streams and rate buckets are
// swept: often enough that state stays small, rarely enough to cost nothing.
const janitorEvery = 5 * time.Second

// rtpReadBuffer is an RTP socket's read buffer: one Ethernet MTU. There are
// 10,001 of them, so it stays small; a longer datagram is truncated, and its
// echo is then shorter than the request, never longer.
const rtpReadBuffer = 1500

// socketRole says which requests a UDP socket answers.
type socketRole int

const (
	roleSIP     socketRole = iota // SIP echo and wire Hello/TimerArm
	roleControl                   // wire Hello, Echo, Stats, TimerArm
	roleRTP                       // wire Echo only
)

func (r socketRole) String() string {
	return [...]string{"sip", "control", "rtp"}[r]
}

// Server is a running reflector.
type Server struct {
	cfg     Config
	t       *tables
	sip     *net.UDPConn
	sipTCP  *net.TCPListener
	control *net.UDPConn
	rtp     []*net.UDPConn
	loop    *rtpLoop // Linux: the epoll loop serving rtp; nil elsewhere
	tcpSem  chan struct{}
	tcpMu   sync.Mutex
	tcpBy   map[netip.Addr]int // open SIP/TCP connections per source address

	armedMu sync.Mutex
	armed   map[streamKey][]chan struct{} // per source and nonce: close to disarm (timers.go)

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
	once   sync.Once
}

// Start binds every socket of cfg and serves until ctx ends or Close.
func Start(ctx context.Context, cfg Config) (*Server, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	if n := rtpSize(cfg.RTP); n > 0 {
		if err := ensureFiles(n + fileHeadroom); err != nil {
			return nil, fmt.Errorf("serve: RTP range %s needs %d sockets: %w", cfg.RTP, n, err)
		}
	}
	s := &Server{cfg: cfg, t: newTables(cfg), tcpSem: make(chan struct{}, MaxTCPConns), tcpBy: map[netip.Addr]int{}}
	s.ctx, s.cancel = context.WithCancel(ctx)
	if err := s.bind(); err != nil {
		s.closeSockets()
		s.cancel()
		return nil, err
	}
	s.serveUDP(s.sip, roleSIP)
	s.serveUDP(s.control, roleControl)
	s.startRTP()
	s.wg.Add(2)
	go s.acceptTCP()
	go s.janitor()
	go func() { <-s.ctx.Done(); s.closeSockets() }()
	return s, nil
}

// fileHeadroom is descriptors beyond the RTP range: service sockets, TCP
// connections, the binary and its logs.
const fileHeadroom = MaxTCPConns + 32

func rtpSize(r content.PortRange) int {
	if r == (content.PortRange{}) {
		return 0
	}
	return r.To - r.From + 1
}

func (s *Server) bind() error {
	ip := s.cfg.Listen
	udp := func(port int) (*net.UDPConn, error) {
		c, err := net.ListenPacket("udp", net.JoinHostPort(ip, strconv.Itoa(port)))
		if err != nil {
			return nil, err
		}
		return c.(*net.UDPConn), nil
	}
	// SIP needs the same port on UDP and TCP; with port 0 retry until a free
	// UDP port is also free on TCP.
	var err error
	for try := 0; try < 20; try++ {
		if s.sip, err = udp(s.cfg.SIPPort); err != nil {
			return fmt.Errorf("serve: SIP UDP port %d: %w", s.cfg.SIPPort, err)
		}
		port := s.sip.LocalAddr().(*net.UDPAddr).Port
		l, lerr := net.Listen("tcp", net.JoinHostPort(ip, strconv.Itoa(port)))
		if lerr == nil {
			s.sipTCP = l.(*net.TCPListener)
			break
		}
		s.sip.Close()
		s.sip = nil
		if s.cfg.SIPPort != 0 {
			return fmt.Errorf("serve: SIP TCP port %d: %w", port, lerr)
		}
		err = lerr
	}
	if s.sipTCP == nil {
		return fmt.Errorf("serve: no port free on both UDP and TCP: %w", err)
	}
	if s.control, err = udp(s.cfg.ControlPort); err != nil {
		return fmt.Errorf("serve: control port %d: %w", s.cfg.ControlPort, err)
	}
	for p := s.cfg.RTP.From; rtpSize(s.cfg.RTP) > 0 && p <= s.cfg.RTP.To; p++ {
		c, err := udp(p)
		if err != nil {
			return fmt.Errorf("serve: RTP port %d (range %s): %w", p, s.cfg.RTP, err)
		}
		s.rtp = append(s.rtp, c)
	}
	return nil
}

// closeSockets stops the RTP loop before closing anything: the loop reads
// raw descriptors, which must not outlive their sockets.
func (s *Server) closeSockets() {
	s.once.Do(func() {
		s.stopRTP()
		for _, c := range append([]*net.UDPConn{s.sip, s.control}, s.rtp...) {
			if c != nil {
				c.Close()
			}
		}
		if s.sipTCP != nil {
			s.sipTCP.Close()
		}
	})
}

// Close stops the reflector, logs the sessions still open and waits for
// its goroutines.
func (s *Server) Close() error {
	s.cancel()
	s.closeSockets()
	s.wg.Wait()
	s.t.expire(time.Now(), true)
	return nil
}

// SIPAddr is the SIP echo's UDP address.
func (s *Server) SIPAddr() *net.UDPAddr { return s.sip.LocalAddr().(*net.UDPAddr) }

// SIPTCPAddr is the SIP echo's TCP address (same port).
func (s *Server) SIPTCPAddr() *net.TCPAddr { return s.sipTCP.Addr().(*net.TCPAddr) }

// ControlAddr is the control/echo port.
func (s *Server) ControlAddr() *net.UDPAddr { return s.control.LocalAddr().(*net.UDPAddr) }

// RTP is the RTP range served (zero when none).
func (s *Server) RTP() content.PortRange { return s.cfg.RTP }

func (s *Server) janitor() {
	defer s.wg.Done()
	tick := time.NewTicker(janitorEvery)
	defer tick.Stop()
	for {
		select {
		case <-s.ctx.Done():
			return
		case now := <-tick.C:
			s.t.expire(now, false)
		}
	}
}

func (s *Server) serveUDP(c *net.UDPConn, role socketRole) {
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		size := wire.MaxDatagram
		switch role {
		case roleRTP:
			size = rtpReadBuffer
		case roleSIP:
			// whole SIP datagrams: sip.size sends 2,200 bytes (fragmented
			// on the way); a shorter buffer would cut them silently
			size = wire.MaxSIPMessage
		}
		buf := make([]byte, size)
		for {
			n, from, err := c.ReadFromUDPAddrPort(buf)
			if err != nil {
				if errors.Is(err, net.ErrClosed) || s.ctx.Err() != nil {
					return
				}
				continue // ICMP errors surface here on some systems
			}
			s.handleUDP(c, role, buf[:n], from)
		}
	}()
}

// handleUDP answers one datagram. Every reply goes through send, which
// refuses anything larger than the request.
func (s *Server) handleUDP(c *net.UDPConn, role socketRole, req []byte, from netip.AddrPort) {
	now := time.Now()
	src := from.Addr().Unmap()
	if !wire.IsWire(req) {
		if role != roleSIP {
			return
		}
		if !s.t.admit(src, len(req), "sip-udp", now) {
			return
		}
		if resp, ok := wire.EchoResponse(req, s.cfg.Token); ok {
			s.send(c, from, len(req), resp)
		}
		return
	}
	h, body, err := wire.Parse(req)
	if err != nil || !h.Type.Request() {
		return // not ours, or a reply type: never answer those (no loops)
	}
	if !s.t.admit(src, len(req), role.String()+"-"+h.Type.String(), now) {
		return
	}
	if s.cfg.Token != "" {
		if h.Flags&wire.FlagAuth == 0 {
			s.refuse(c, from, h, len(req), wire.CodeAuthRequired)
			return
		}
		if !wire.Verify(req, s.cfg.Token) {
			s.refuse(c, from, h, len(req), wire.CodeBadAuth)
			return
		}
	}
	switch {
	case h.Type == wire.TypeHello && role != roleRTP:
		s.hello(c, from, h, len(req))
	case h.Type == wire.TypeEcho && role != roleSIP:
		s.echo(c, from, h, req, body, now)
	case h.Type == wire.TypeStats && role == roleControl:
		st, _ := s.t.stats(src, h.Nonce)
		s.reply(c, from, h, wire.TypeStatsReply, wire.StatsBody{Received: st.received, Bytes: st.bytes}.Marshal(), len(req))
	case h.Type == wire.TypeTimerArm && role != roleRTP:
		s.arm(c, role, from, h, req, body)
	case h.Type == wire.TypeTimerDisarm && role != roleRTP && s.cfg.Token != "":
		s.disarm(src, h.Nonce)
	}
}

func (s *Server) hello(c *net.UDPConn, from netip.AddrPort, h wire.Header, reqLen int) {
	hr := wire.HelloReplyBody{
		Observed: from, RTPFrom: uint16(s.cfg.RTP.From), RTPTo: uint16(s.cfg.RTP.To),
		SIPPort: uint16(s.SIPAddr().Port), ControlPort: uint16(s.ControlAddr().Port),
	}
	hr.Flags |= wire.HelloLargeSIP
	if s.cfg.Token != "" {
		hr.Flags |= wire.HelloTokenRequired | wire.HelloTimers
	}
	// Say the per-source budget, so a load test sizes itself to it — when
	// the request leaves room (the reply is never larger).
	if wire.HeaderLen+wire.HelloReplyBudgetLen <= reqLen {
		hr.RatePPS = uint32(s.cfg.RatePPS)
	}
	s.reply(c, from, h, wire.TypeHelloReply, hr.Marshal(), reqLen)
}

// echo stamps the request in place and sends it back: the reply is the
// request, byte for byte the same size.
func (s *Server) echo(c *net.UDPConn, from netip.AddrPort, h wire.Header, req, body []byte, now time.Time) {
	e, _ := wire.ParseEcho(body)
	e.ServerRx = now.UnixNano()
	e.ServerCount = s.t.countEcho(from.Addr().Unmap(), h.Nonce, len(req), now)
	e.Put(body)
	req[5] = byte(wire.TypeEchoReply)
	req[6] &^= wire.FlagAuth
	clear(req[16:32])
	s.send(c, from, len(req), req)
}

// reply sends header+body to a request of reqLen bytes, or CodeTooSmall
// (header only) when it does not fit.
func (s *Server) reply(c *net.UDPConn, from netip.AddrPort, req wire.Header, t wire.Type, body []byte, reqLen int) {
	if wire.HeaderLen+len(body) > reqLen {
		s.refuse(c, from, req, reqLen, wire.CodeTooSmall)
		return
	}
	b := wire.Build(wire.Header{Type: t, Nonce: req.Nonce}, body, 0, "")
	s.send(c, from, reqLen, b)
}

func (s *Server) refuse(c *net.UDPConn, from netip.AddrPort, req wire.Header, reqLen int, code wire.Code) {
	s.t.note(from.Addr().Unmap(), "refused-"+code.String(), 0)
	b := wire.Build(wire.Header{Type: wire.TypeRefused, Code: code, Nonce: req.Nonce}, nil, 0, "")
	s.send(c, from, reqLen, b)
}

// send is the one way out of a UDP socket. The size rule lives here: a
// reply larger than its request is dropped (and never happens by design).
func (s *Server) send(c *net.UDPConn, to netip.AddrPort, reqLen int, b []byte) {
	if len(b) > reqLen {
		s.cfg.Log.Printf("BUG: reply of %d bytes to a %d-byte request from %s dropped", len(b), reqLen, to)
		return
	}
	if _, err := c.WriteToUDPAddrPort(b, to); err == nil {
		s.t.note(to.Addr().Unmap(), "", len(b))
	}
}

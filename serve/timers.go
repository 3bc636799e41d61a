package serve

import (
	"net"
	"net/netip"
	"time"

	"github.com/biztel-tools/biztel-doctor/serve/wire"
)

// arm accepts one NAT-timer probe: after DelayMs the reflector sends one
// datagram, the size of the arming request, to the request's source — from
// the port the request came in on (is the mapping still there?) or from the
// other service port (does the NAT filter by remote port?). Only signed
// requests arm; the state is one time.Timer per probe, bounded per source
// and in total, and gone when it fires.
func (s *Server) arm(c *net.UDPConn, role socketRole, from netip.AddrPort, h wire.Header, req, body []byte) {
	if s.cfg.Token == "" {
		s.refuse(c, from, h, len(req), wire.CodeNeedToken)
		return
	}
	a, ok := wire.ParseArm(body)
	delay := time.Duration(a.DelayMs) * time.Millisecond
	if !ok || (a.Mode != wire.FireSamePort && a.Mode != wire.FireOtherPort) || delay > s.cfg.MaxTimerDelay {
		s.refuse(c, from, h, len(req), wire.CodeBadRequest)
		return
	}
	src := from.Addr().Unmap()
	if !s.t.reserveTimer(src) {
		s.refuse(c, from, h, len(req), wire.CodeBusy)
		return
	}
	out := c
	if a.Mode == wire.FireOtherPort {
		out = s.control
		if role == roleControl {
			out = s.sip
		}
	}
	size := len(req)
	ack := wire.Build(wire.Header{Type: wire.TypeTimerAck, Nonce: h.Nonce}, a.Marshal(), 0, "")
	s.send(c, from, size, ack)
	fire := wire.Build(wire.Header{Type: wire.TypeTimerFire, Nonce: h.Nonce}, a.Marshal(), 0, "")
	fired := make(chan struct{})
	t := time.AfterFunc(delay, func() {
		defer close(fired)
		defer s.t.releaseTimer(src, time.Now())
		if s.ctx.Err() == nil {
			s.send(out, from, size, fire)
		}
	})
	go func() { // a closing reflector drops its armed timers
		select {
		case <-fired:
		case <-s.ctx.Done():
			if t.Stop() {
				s.t.releaseTimer(src, time.Now())
			}
		}
	}()
}

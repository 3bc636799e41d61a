package serve

import (
	"net"
	"net/netip"
	"slices"
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
	key, disarmed := streamKey{src, h.Nonce}, make(chan struct{})
	s.addArmed(key, disarmed)
	t := time.AfterFunc(delay, func() {
		defer close(fired)
		defer s.t.releaseTimer(src, time.Now())
		s.dropArmed(key, disarmed)
		if s.ctx.Err() == nil {
			s.send(out, from, size, fire)
		}
	})
	go func() { // a disarm, or a closing reflector, drops the armed timer
		select {
		case <-fired:
			return
		case <-disarmed:
		case <-s.ctx.Done():
			s.dropArmed(key, disarmed)
		}
		if t.Stop() {
			s.t.releaseTimer(src, time.Now())
		}
	}()
}

// disarm stops every timer src armed with nonce (TypeTimerDisarm): a
// probe that ended early frees its slots now, not at its delay.
func (s *Server) disarm(src netip.Addr, nonce uint64) {
	s.armedMu.Lock()
	key := streamKey{src, nonce}
	chans := s.armed[key]
	delete(s.armed, key)
	s.armedMu.Unlock()
	for _, c := range chans {
		close(c)
	}
}

func (s *Server) addArmed(key streamKey, c chan struct{}) {
	s.armedMu.Lock()
	defer s.armedMu.Unlock()
	if s.armed == nil {
		s.armed = map[streamKey][]chan struct{}{}
	}
	s.armed[key] = append(s.armed[key], c)
}

// dropArmed forgets c (its timer fired or the reflector closes), so a
// later disarm cannot close it twice.
func (s *Server) dropArmed(key streamKey, c chan struct{}) {
	s.armedMu.Lock()
	defer s.armedMu.Unlock()
	left := slices.DeleteFunc(s.armed[key], func(x chan struct{}) bool { return x == c })
	if len(left) == 0 {
		delete(s.armed, key)
		return
	}
	s.armed[key] = left
}

// ArmedTimers is how many NAT-timer probes wait to fire, all sources.
func (s *Server) ArmedTimers() int {
	s.t.mu.Lock()
	defer s.t.mu.Unlock()
	return s.t.timers
}

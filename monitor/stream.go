package monitor

import (
	"context"
	"encoding/binary"
	"errors"
	"net"
	"net/netip"
	"sync/atomic"
	"time"

	"github.com/biztel-tools/biztel-doctor/checks/stunmsg"
	"github.com/biztel-tools/biztel-doctor/serve/wire"
)

// Stream rates. The reflector gets a call (it is the customer's own test
// peer); a production STUN server gets a few small requests a second.
const (
	// ReflectorPPS is one G.711 call at 20 ms packetisation, as
	// media.quality sends: 50 packets/s of 172 bytes.
	ReflectorPPS = 50
	// STUNPPS is the fallback's courtesy rate to BIZTEL's STUN servers:
	// 5 Binding requests/s of 20 bytes (100 B/s), fast enough to time a
	// 2 s outage to ±0.2 s and to estimate loss over a 10 s window.
	STUNPPS = 5
	// mediaPayload is a G.711 RTP packet's UDP payload (12-byte RTP header
	// + 160 bytes of audio).
	mediaPayload = 172
	// maxSendLag is how late a send may be before it is skipped instead of
	// sent: a stalled process must not burst the packets it missed.
	maxSendLag = 500 * time.Millisecond
	// readPoll bounds one read so the receiver notices the end of the run.
	readPoll = 100 * time.Millisecond
)

// path is where and how the stream is sent at a given moment.
type path struct {
	method  Method
	to      net.Addr // reflector RTP port, or STUN server
	control net.Addr // reflector control port (Hello), nil on STUN
	token   string
	pps     int
}

// stream is the never-ending call-like stream of a run: one socket, one
// sender, one receiver. The path can change while it runs (reflector lost:
// STUN fallback, and back).
type stream struct {
	conn   net.PacketConn
	clock  Clock
	nonce  uint64 // echo nonce and high half of STUN transaction ids
	hello  uint64 // nonce of Hello requests
	path   atomic.Pointer[path]
	ledger *ledger
}

func newStream(conn net.PacketConn, clock Clock, p *path) *stream {
	s := &stream{conn: conn, clock: clock, nonce: randomNonce(), hello: randomNonce(), ledger: newLedger()}
	s.path.Store(p)
	return s
}

// send runs until ctx ends, sending at the path's rate on the monotonic
// clock; a send due more than maxSendLag ago is skipped (not sent, so never
// counted as lost).
func (s *stream) send(ctx context.Context) {
	next := s.clock.Mono()
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		p := s.path.Load()
		interval := time.Second / time.Duration(p.pps)
		now := s.clock.Mono()
		if now-next > maxSendLag {
			next = now // skip what was missed
		}
		if wait := next - now; wait > 0 {
			timer.Reset(wait)
			select {
			case <-timer.C:
			case <-ctx.Done():
				return
			}
		} else if ctx.Err() != nil {
			return
		}
		tx := s.clock.Mono()
		seq := s.ledger.add(tx, p.method)
		s.conn.WriteTo(s.encode(p, seq, tx), p.to)
		next += interval
	}
}

func (s *stream) encode(p *path, seq int, tx time.Duration) []byte {
	if p.method == MethodSTUN {
		var id stunmsg.TxID
		binary.BigEndian.PutUint64(id[0:], s.nonce)
		binary.BigEndian.PutUint32(id[8:], uint32(seq))
		m := stunmsg.Message{Type: stunmsg.BindingRequest, TxID: id}
		b, _ := m.Encode() // a bare header always fits
		return b
	}
	b := wire.Build(wire.Header{Type: wire.TypeEcho, Nonce: s.nonce}, make([]byte, wire.EchoLen), mediaPayload, "")
	wire.EchoBody{Seq: uint32(seq), ClientTx: int64(tx)}.Put(b[wire.HeaderLen:])
	wire.Sign(b, p.token)
	return b
}

// sendHello asks the reflector's control port how it sees this socket (the
// public mapping); the receiver takes the answer.
func (s *stream) sendHello(p *path) {
	if p.control == nil {
		return
	}
	req := wire.Build(wire.Header{Type: wire.TypeHello, Nonce: s.hello}, nil, wire.HelloSize, p.token)
	s.conn.WriteTo(req, p.control)
}

// receive runs until ctx ends, matching replies of either method (a late
// echo after a switch still counts) and Hello answers.
func (s *stream) receive(ctx context.Context) {
	buf := make([]byte, wire.MaxDatagram)
	for ctx.Err() == nil {
		s.conn.SetReadDeadline(time.Now().Add(readPoll))
		n, _, err := s.conn.ReadFrom(buf)
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			continue
		}
		s.take(buf[:n], s.clock.Mono())
	}
}

func (s *stream) take(b []byte, at time.Duration) {
	if wire.IsWire(b) {
		h, body, err := wire.Parse(b)
		if err != nil {
			return
		}
		switch {
		case h.Type == wire.TypeEchoReply && h.Nonce == s.nonce:
			if e, ok := wire.ParseEcho(body); ok {
				s.ledger.reply(int(e.Seq), at, e.ServerRx, e.ServerCount)
			}
		case h.Type == wire.TypeHelloReply && h.Nonce == s.hello:
			if hr, ok := wire.ParseHelloReply(body); ok {
				s.ledger.sawPublic(hr.Observed, MethodReflector, true, at)
			}
		}
		return
	}
	m, err := stunmsg.Parse(b)
	if err != nil || m.Type != stunmsg.BindingSuccess || binary.BigEndian.Uint64(m.TxID[0:]) != s.nonce {
		return
	}
	if s.ledger.reply(int(binary.BigEndian.Uint32(m.TxID[8:])), at, 0, 0) {
		if ap, err := m.XORMappedAddress(); err == nil {
			s.ledger.sawPublic(ap, MethodSTUN, false, at)
		} else if ap, err := m.MappedAddress(); err == nil {
			s.ledger.sawPublic(ap, MethodSTUN, false, at)
		}
	}
}

// publicString renders a mapped address ("" when unknown).
func publicString(ap netip.AddrPort) string {
	if !ap.IsValid() {
		return ""
	}
	return ap.String()
}

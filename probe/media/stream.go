// Package media measures call-like UDP streams: G.711-paced echo probes to
// the reflector (or STUN Binding requests to a STUN server without one),
// kernel receive stamps where the OS gives them, and the statistics of a
// finished stream (loss by direction, RFC 3550 jitter, RTT percentiles, the
// E-model MOS). It measures; media.quality, media.bandwidth and monitor judge.
package media

import (
	"context"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/biztel-tools/biztel-doctor/probe/reflector"
	"github.com/biztel-tools/biztel-doctor/serve/wire"
)

// Call-like stream parameters.
const (
	// PPS is one G.711 call at 20 ms packetisation: 50 packets/s.
	PPS      = 50
	Interval = time.Second / PPS
	// Payload is a G.711 RTP packet's UDP payload: 12-byte RTP header +
	// 160 bytes of audio (20 ms at 8 kHz).
	Payload = 172
	// Drain is how long replies are awaited after the last send: past
	// the RTT fail threshold (300 ms) with room; a later echo counts as lost,
	// as it would be for a jitter buffer. A stream whose every packet is
	// answered stops waiting at once: the bound is only for missing ones.
	Drain = time.Second
	// Poll bounds one read, so a receiver notices the end of sending
	// (and its context) without a packet arriving.
	Poll = 50 * time.Millisecond
)

// Stream is one stream of echo probes from conn to a reflector port
// (or, without a reflector, STUN Binding requests to a STUN server).
type Stream struct {
	Conn  net.PacketConn
	To    net.Addr
	Nonce uint64 // reflector session id (reflector.NewNonce)
	Token string // reflector token, "" none
	Size  int    // UDP payload bytes per packet
	// Encode/Decode, when set, replace the wire echo (the STUN fallback).
	Encode func(seq int) []byte
	Decode func(b []byte) (seq int, serverRx int64, ok bool)
	// OnReply, when set, sees every first reply (receiver goroutine).
	OnReply func(seq int, p Packet)

	// Packets is what Run measured, by sequence number.
	Packets []Packet
	txs     []atomic.Int64 // send time of each seq since start, +1 (0: not sent)
	rxs     []atomic.Int64 // first reply's receive time, clamped ≥ 0, +1 (0: none yet), for watchers during the run
	sent    atomic.Int64
	// DrainedEarly: every sent packet was answered before Drain ran
	// out (set by the receiver; read after Run returns).
	DrainedEarly bool
}

func (s *Stream) packet(seq int, tx time.Duration, buf []byte) []byte {
	if s.Encode != nil {
		return s.Encode(seq)
	}
	wire.EchoBody{Seq: uint32(seq), ClientTx: int64(tx)}.Put(buf[wire.HeaderLen:])
	wire.Sign(buf, s.Token)
	return buf
}

func (s *Stream) parse(b []byte) (int, int64, bool) {
	if s.Decode != nil {
		return s.Decode(b)
	}
	h, body, err := wire.Parse(b)
	if err != nil || h.Type != wire.TypeEchoReply || h.Nonce != s.Nonce {
		return 0, 0, false
	}
	e, _ := wire.ParseEcho(body)
	return int(e.Seq), e.ServerRx, true
}

// Run sends count packets on each stream, interval apart, the
// streams staggered across the interval like independent calls, and
// collects the echoes until every packet is answered or Drain after
// the last send. It returns when done or ctx ends (what arrived by then is
// kept). stop, when set, is asked after each round (one packet on every
// stream) with the number of rounds sent; true ends the sending there, so
// every stream has sent the same number of packets.
func Run(ctx context.Context, streams []*Stream, count int, interval time.Duration, stop func(rounds int) bool) {
	if len(streams) == 0 {
		return
	}
	start := time.Now()
	var wg sync.WaitGroup
	sendDone := make(chan struct{})
	for _, s := range streams {
		s.Packets = make([]Packet, count)
		s.txs = make([]atomic.Int64, count)
		s.rxs = make([]atomic.Int64, count)
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.receive(ctx, start, sendDone)
		}()
	}
	bufs := make([][]byte, len(streams))
	for k, s := range streams {
		bufs[k] = wire.Build(wire.Header{Type: wire.TypeEcho, Nonce: s.Nonce}, make([]byte, wire.EchoLen), s.Size, "")
	}
	stagger := interval / time.Duration(len(streams))
	timer := time.NewTimer(0)
	defer timer.Stop()
send:
	for i := 0; i < count; i++ {
		for k, s := range streams {
			due := start.Add(time.Duration(i)*interval + time.Duration(k)*stagger)
			if wait := time.Until(due); wait > 200*time.Microsecond {
				timer.Reset(wait)
				select {
				case <-timer.C:
				case <-ctx.Done():
					break send
				}
			}
			tx := time.Since(start)
			s.txs[i].Store(int64(tx) + 1)
			s.Conn.WriteTo(s.packet(i, tx, bufs[k]), s.To)
			s.sent.Store(int64(i + 1))
		}
		if stop != nil && i+1 < count && stop(i+1) {
			break
		}
	}
	close(sendDone)
	for _, s := range streams {
		// Wake a receiver waiting in a read whose replies are all in; one
		// that re-arms its deadline just after waits at most Poll.
		s.Conn.SetReadDeadline(time.Now())
	}
	wg.Wait()
	for _, s := range streams {
		for i := 0; i < int(s.sent.Load()); i++ {
			s.Packets[i].Sent = true
		}
	}
}

func (s *Stream) receive(ctx context.Context, start time.Time, sendDone <-chan struct{}) {
	buf := make([]byte, wire.MaxDatagram)
	stamper := newRxStamper(s.Conn)
	drainBy := time.Time{}
	answered := int64(0) // first replies to sent packets
	for {
		select {
		case <-sendDone:
			if drainBy.IsZero() {
				drainBy = time.Now().Add(Drain)
			}
		default:
		}
		// After sendDone, sent is final (stored before the close).
		if !drainBy.IsZero() && answered >= s.sent.Load() {
			s.DrainedEarly = true
			return
		}
		deadline := time.Now().Add(Poll)
		if !drainBy.IsZero() && drainBy.Before(deadline) {
			deadline = drainBy
		}
		if ctx.Err() != nil || (!drainBy.IsZero() && !time.Now().Before(drainBy)) {
			return
		}
		s.Conn.SetReadDeadline(deadline)
		n, at, err := stamper.read(s.Conn, buf)
		if err != nil {
			continue
		}
		// at is wall time (the kernel's stamp); start's wall reading makes
		// it comparable with the monotonic send times over a short stream.
		rx := at.Sub(start.Round(0))
		seq, serverRx, ok := s.parse(buf[:n])
		if !ok || seq < 0 || seq >= len(s.Packets) || s.Packets[seq].Received {
			continue // not ours, or a duplicate (a path that duplicates counts once)
		}
		tx := s.txs[seq].Load()
		if tx == 0 {
			continue // an answer to a packet not sent: forged or stale
		}
		p := Packet{Received: true, TX: time.Duration(tx - 1), RX: rx, ServerRx: serverRx}
		s.Packets[seq] = p
		s.rxs[seq].Store(max(int64(rx), 0) + 1)
		answered++
		if s.OnReply != nil {
			s.OnReply(seq, p)
		}
	}
}

// ServerCount asks the reflector's control port how many echoes of the
// stream arrived there; -1 when it does not say.
func (s *Stream) ServerCount(ctx context.Context, control net.Addr) int {
	req := wire.Build(wire.Header{Type: wire.TypeStats, Nonce: s.Nonce}, nil, 64, s.Token)
	_, body, err := reflector.Exchange(ctx, s.Conn, control, req, s.Nonce, wire.TypeStatsReply, 3, reflector.StatsWait)
	if err != nil {
		return -1
	}
	st, _ := wire.ParseStats(body)
	return int(st.Received)
}

// Sent is how many packets the stream has sent so far; safe during Run.
func (s *Stream) Sent() int64 { return s.sent.Load() }

// Live is packet seq as seen so far during Run (safe from the stop hook):
// its send time and, when echoed, its first reply's receive time, both
// since the stream's start.
func (s *Stream) Live(seq int) (tx, rx time.Duration, echoed bool) {
	t, r := s.txs[seq].Load(), s.rxs[seq].Load()
	return time.Duration(t - 1), time.Duration(r - 1), r != 0
}

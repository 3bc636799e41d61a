package checks

import (
	"context"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/biztel-tools/biztel-doctor/serve/wire"
)

// Call-like stream parameters.
const (
	// mediaPPS is one G.711 call at 20 ms packetisation: 50 packets/s.
	mediaPPS      = 50
	mediaInterval = time.Second / mediaPPS
	// mediaPayload is a G.711 RTP packet's UDP payload: 12-byte RTP header +
	// 160 bytes of audio (20 ms at 8 kHz).
	mediaPayload = 172
	// mediaDrain is how long replies are awaited after the last send: past
	// the RTT fail threshold (300 ms) with room; a later echo counts as lost,
	// as it would be for a jitter buffer. A stream whose every packet is
	// answered stops waiting at once: the bound is only for missing ones.
	mediaDrain = time.Second
	// mediaPoll bounds one read, so a receiver notices the end of sending
	// (and its context) without a packet arriving.
	mediaPoll = 50 * time.Millisecond
)

// echoStream is one stream of echo probes from conn to a reflector port
// (or, without a reflector, STUN Binding requests to a STUN server).
type echoStream struct {
	conn  net.PacketConn
	to    net.Addr
	nonce uint64
	token string
	size  int // UDP payload bytes per packet
	// encode/decode, when set, replace the wire echo (the STUN fallback).
	encode func(seq int) []byte
	decode func(b []byte) (seq int, serverRx int64, ok bool)
	// onReply, when set, sees every first reply (receiver goroutine).
	onReply func(seq int, p probe)

	probes []probe
	txs    []atomic.Int64 // send time of each seq since start, +1 (0: not sent)
	rxs    []atomic.Int64 // first reply's receive time, clamped ≥ 0, +1 (0: none yet), for watchers during the run
	sent   atomic.Int64
	// drainedEarly: every sent packet was answered before mediaDrain ran
	// out (set by the receiver; read after runStreams returns).
	drainedEarly bool
}

func (s *echoStream) packet(seq int, tx time.Duration, buf []byte) []byte {
	if s.encode != nil {
		return s.encode(seq)
	}
	wire.EchoBody{Seq: uint32(seq), ClientTx: int64(tx)}.Put(buf[wire.HeaderLen:])
	wire.Sign(buf, s.token)
	return buf
}

func (s *echoStream) parse(b []byte) (int, int64, bool) {
	if s.decode != nil {
		return s.decode(b)
	}
	h, body, err := wire.Parse(b)
	if err != nil || h.Type != wire.TypeEchoReply || h.Nonce != s.nonce {
		return 0, 0, false
	}
	e, _ := wire.ParseEcho(body)
	return int(e.Seq), e.ServerRx, true
}

// runStreams sends count packets on each stream, interval apart, the
// streams staggered across the interval like independent calls, and
// collects the echoes until every packet is answered or mediaDrain after
// the last send. It returns when done or ctx ends (what arrived by then is
// kept). stop, when set, is asked after each round (one packet on every
// stream) with the number of rounds sent; true ends the sending there, so
// every stream has sent the same number of packets.
func runStreams(ctx context.Context, streams []*echoStream, count int, interval time.Duration, stop func(rounds int) bool) {
	if len(streams) == 0 {
		return
	}
	start := time.Now()
	var wg sync.WaitGroup
	sendDone := make(chan struct{})
	for _, s := range streams {
		s.probes = make([]probe, count)
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
		bufs[k] = wire.Build(wire.Header{Type: wire.TypeEcho, Nonce: s.nonce}, make([]byte, wire.EchoLen), s.size, "")
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
			s.conn.WriteTo(s.packet(i, tx, bufs[k]), s.to)
			s.sent.Store(int64(i + 1))
		}
		if stop != nil && i+1 < count && stop(i+1) {
			break
		}
	}
	close(sendDone)
	for _, s := range streams {
		// Wake a receiver waiting in a read whose replies are all in; one
		// that re-arms its deadline just after waits at most mediaPoll.
		s.conn.SetReadDeadline(time.Now())
	}
	wg.Wait()
	for _, s := range streams {
		for i := 0; i < int(s.sent.Load()); i++ {
			s.probes[i].sent = true
		}
	}
}

func (s *echoStream) receive(ctx context.Context, start time.Time, sendDone <-chan struct{}) {
	buf := make([]byte, wire.MaxDatagram)
	stamper := newRxStamper(s.conn)
	drainBy := time.Time{}
	answered := int64(0) // first replies to sent packets
	for {
		select {
		case <-sendDone:
			if drainBy.IsZero() {
				drainBy = time.Now().Add(mediaDrain)
			}
		default:
		}
		// After sendDone, sent is final (stored before the close).
		if !drainBy.IsZero() && answered >= s.sent.Load() {
			s.drainedEarly = true
			return
		}
		deadline := time.Now().Add(mediaPoll)
		if !drainBy.IsZero() && drainBy.Before(deadline) {
			deadline = drainBy
		}
		if ctx.Err() != nil || (!drainBy.IsZero() && !time.Now().Before(drainBy)) {
			return
		}
		s.conn.SetReadDeadline(deadline)
		n, at, err := stamper.read(s.conn, buf)
		if err != nil {
			continue
		}
		// at is wall time (the kernel's stamp); start's wall reading makes
		// it comparable with the monotonic send times over a short stream.
		rx := at.Sub(start.Round(0))
		seq, serverRx, ok := s.parse(buf[:n])
		if !ok || seq < 0 || seq >= len(s.probes) || s.probes[seq].received {
			continue // not ours, or a duplicate (a path that duplicates counts once)
		}
		tx := s.txs[seq].Load()
		if tx == 0 {
			continue // an answer to a packet not sent: forged or stale
		}
		p := probe{received: true, tx: time.Duration(tx - 1), rx: rx, serverRx: serverRx}
		s.probes[seq] = p
		s.rxs[seq].Store(max(int64(rx), 0) + 1)
		answered++
		if s.onReply != nil {
			s.onReply(seq, p)
		}
	}
}

// serverCount asks the reflector's control port how many echoes of the
// stream arrived there; -1 when it does not say.
func (s *echoStream) serverCount(ctx context.Context, control net.Addr) int {
	req := wire.Build(wire.Header{Type: wire.TypeStats, Nonce: s.nonce}, nil, 64, s.token)
	_, body, err := wireExchange(ctx, s.conn, control, req, s.nonce, wire.TypeStatsReply, 3, statsWait)
	if err != nil {
		return -1
	}
	st, _ := wire.ParseStats(body)
	return int(st.Received)
}

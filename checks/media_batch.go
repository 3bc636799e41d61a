package checks

import (
	"context"
	"errors"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/biztel-tools/biztel-doctor/serve/wire"
)

// media.bandwidth's load engine. Up to 500 calls (25,000 packets/s each
// way) from one laptop: instead of a socket, a goroutine and a timer wake
// per call and packet, calls share a few sockets (each call still its own
// destination port, so its own NAT session), a single sender wakes every
// loadTick and sends what is due in one batch per socket, and one receiver
// per socket reads batches and tells the calls apart by nonce. Batches are
// sendmmsg/recvmmsg on Linux (batch_linux.go) and plain loops elsewhere.
const (
	// loadCallsPerSocket: 20 calls share a socket (1,000 packets/s): big
	// enough batches, small enough for a default receive buffer.
	loadCallsPerSocket = 20
	// loadTick is the sender's pace: every call's packets due by then go
	// out together. 2 ms of a 20 ms interval keeps a call's timing well
	// inside a jitter buffer's tolerance and the bursts small (50 packets
	// at 500 calls).
	loadTick = 2 * time.Millisecond
	// loadBatch bounds one read or write batch.
	loadBatch = 64
	// loadReadBuffer asks the kernel for room for ~2,000 echoes per socket
	// (it may grant less without privileges).
	loadReadBuffer = 1 << 20
)

var errNotUDP = errors.New("not a UDP socket")

// loadGroup is one socket and the calls it carries.
type loadGroup struct {
	conn    *net.UDPConn
	io      *batchIO
	streams []*echoStream
	byNonce map[uint64]*echoStream
}

// newLoadGroups opens one socket per loadCallsPerSocket calls and builds
// each call's stream toward dest(k).
func newLoadGroups(ctx context.Context, env *Env, calls int, dest func(k int) *net.UDPAddr, token string, size int) ([]*loadGroup, error) {
	var groups []*loadGroup
	for k := 0; k < calls; k++ {
		if k%loadCallsPerSocket == 0 {
			c, err := listenUDP(ctx, env)
			if err != nil {
				closeGroups(groups)
				return nil, err
			}
			uc, _ := c.(*net.UDPConn)
			if uc == nil {
				c.Close()
				closeGroups(groups)
				return nil, errNotUDP
			}
			uc.SetReadBuffer(loadReadBuffer)
			groups = append(groups, &loadGroup{conn: uc, io: newBatchIO(uc), byNonce: map[uint64]*echoStream{}})
		}
		g := groups[len(groups)-1]
		s := &echoStream{conn: g.conn, to: dest(k), nonce: newNonce(), token: token, size: size}
		g.streams = append(g.streams, s)
		g.byNonce[s.nonce] = s
	}
	return groups, nil
}

func closeGroups(groups []*loadGroup) {
	for _, g := range groups {
		g.conn.Close()
	}
}

// allStreams lists every call of the groups in order.
func allStreams(groups []*loadGroup) []*echoStream {
	var out []*echoStream
	for _, g := range groups {
		out = append(out, g.streams...)
	}
	return out
}

// runLoad is runStreams for many calls: count rounds, interval apart, the
// calls staggered across the interval; stop is asked after every round.
func runLoad(ctx context.Context, groups []*loadGroup, count int, interval time.Duration, stop func(rounds int) bool) {
	streams := allStreams(groups)
	if len(streams) == 0 {
		return
	}
	start := time.Now()
	for _, s := range streams {
		s.probes = make([]probe, count)
		s.txs = make([]atomic.Int64, count)
		s.rxs = make([]atomic.Int64, count)
	}
	var wg sync.WaitGroup
	sendDone := make(chan struct{})
	for _, g := range groups {
		wg.Add(1)
		go func() {
			defer wg.Done()
			g.receive(ctx, start, sendDone)
		}()
	}
	sendLoad(ctx, groups, start, count, interval, stop)
	close(sendDone)
	for _, g := range groups {
		g.conn.SetReadDeadline(time.Now()) // wake a receiver whose echoes are all in
	}
	wg.Wait()
	for _, s := range streams {
		for i := 0; i < int(s.sent.Load()); i++ {
			s.probes[i].sent = true
		}
	}
}

// sendLoad sends every packet when due, a batch per socket each loadTick.
func sendLoad(ctx context.Context, groups []*loadGroup, start time.Time, count int, interval time.Duration, stop func(int) bool) {
	n := len(allStreams(groups))
	stagger := interval / time.Duration(n)
	bufs := make([][][]byte, len(groups)) // per group, per call: one packet buffer
	for gi, g := range groups {
		for _, s := range g.streams {
			bufs[gi] = append(bufs[gi], wire.Build(wire.Header{Type: wire.TypeEcho, Nonce: s.nonce}, make([]byte, wire.EchoLen), s.size, ""))
		}
	}
	out := make([]outMsg, 0, loadCallsPerSocket)
	timer := time.NewTimer(0)
	defer timer.Stop()
	next := 0 // the next packet to send, as round*n + call
	for next < count*n {
		// every packet due by now, in order of due time
		now := time.Since(start)
		due := min(count*n, int(now/interval)*n+int((now%interval)/stagger)+1)
		for next < due {
			round, k := next/n, next%n
			gi, j := k/loadCallsPerSocket, k%loadCallsPerSocket
			g, s := groups[gi], groups[gi].streams[j]
			tx := time.Since(start)
			s.txs[round].Store(int64(tx) + 1)
			out = append(out, outMsg{b: s.packet(round, tx, bufs[gi][j]), to: s.to.(*net.UDPAddr)})
			s.sent.Store(int64(round + 1)) // written below, before any wait or stop
			next++
			// flush at a socket change, a full batch, or the end of what is due
			if next == due || (next%n)%loadCallsPerSocket == 0 || len(out) == loadBatch {
				g.io.write(out)
				out = out[:0]
			}
			if k == n-1 && next < count*n && stop != nil && stop(round+1) {
				return
			}
		}
		if next >= count*n {
			return
		}
		timer.Reset(max(loadTick, time.Until(start.Add(time.Duration(next/n)*interval+time.Duration(next%n)*stagger))))
		select {
		case <-timer.C:
		case <-ctx.Done():
			return
		}
	}
}

// receive reads this socket's echoes until every call's packets are
// answered after sendDone, or mediaDrain after it.
func (g *loadGroup) receive(ctx context.Context, start time.Time, sendDone <-chan struct{}) {
	var drainBy time.Time
	var answered, sent int64
	for {
		select {
		case <-sendDone:
			if drainBy.IsZero() {
				drainBy = time.Now().Add(mediaDrain)
				for _, s := range g.streams {
					sent += s.sent.Load() // final after sendDone
				}
			}
		default:
		}
		if !drainBy.IsZero() && answered >= sent {
			return
		}
		if ctx.Err() != nil || (!drainBy.IsZero() && !time.Now().Before(drainBy)) {
			return
		}
		deadline := time.Now().Add(mediaPoll)
		if !drainBy.IsZero() && drainBy.Before(deadline) {
			deadline = drainBy
		}
		g.conn.SetReadDeadline(deadline)
		msgs, err := g.io.read()
		if err != nil {
			continue
		}
		for _, m := range msgs {
			if g.record(m, start) {
				answered++
			}
		}
	}
}

// record takes one echo; true when it is a call's first reply to a packet
// it sent.
func (g *loadGroup) record(m inMsg, start time.Time) bool {
	h, body, err := wire.Parse(m.b)
	if err != nil || h.Type != wire.TypeEchoReply {
		return false
	}
	s := g.byNonce[h.Nonce]
	if s == nil {
		return false
	}
	e, _ := wire.ParseEcho(body)
	seq := int(e.Seq)
	if seq < 0 || seq >= len(s.probes) || s.probes[seq].received {
		return false
	}
	tx := s.txs[seq].Load()
	if tx == 0 {
		return false // an answer to a packet not sent: forged or stale
	}
	rx := m.at.Sub(start.Round(0))
	s.probes[seq] = probe{received: true, tx: time.Duration(tx - 1), rx: rx, serverRx: e.ServerRx}
	s.rxs[seq].Store(max(int64(rx), 0) + 1)
	return true
}

// serverCounts asks the reflector how many echoes of each call arrived,
// a batch of Stats requests per socket, retried for the missing ones; -1
// for a call it did not answer for.
func (g *loadGroup) serverCounts(ctx context.Context, control *net.UDPAddr) map[uint64]int {
	got := map[uint64]int{}
	for try := 0; try < 3 && len(got) < len(g.streams) && ctx.Err() == nil; try++ {
		var out []outMsg
		for _, s := range g.streams {
			if _, ok := got[s.nonce]; !ok {
				out = append(out, outMsg{b: wire.Build(wire.Header{Type: wire.TypeStats, Nonce: s.nonce}, nil, 64, s.token), to: control})
			}
		}
		g.io.write(out)
		g.conn.SetReadDeadline(deadlineOf(ctx, statsWait))
		for len(got) < len(g.streams) {
			msgs, err := g.io.read()
			if err != nil {
				break
			}
			for _, m := range msgs {
				h, body, err := wire.Parse(m.b)
				if err != nil || h.Type != wire.TypeStatsReply || g.byNonce[h.Nonce] == nil {
					continue
				}
				st, _ := wire.ParseStats(body)
				got[h.Nonce] = int(st.Received)
			}
		}
	}
	for _, s := range g.streams {
		if _, ok := got[s.nonce]; !ok {
			got[s.nonce] = -1
		}
	}
	return got
}

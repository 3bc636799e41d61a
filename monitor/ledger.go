package monitor

import (
	"net/netip"
	"sync"
	"time"
)

// packet is one packet of the media stream, by sequence number.
type packet struct {
	tx       time.Duration // monotonic send time since the run started
	rx       time.Duration // monotonic time of the first reply
	serverRx int64         // reflector receive stamp (its clock, ns); 0 when none
	count    uint32        // reflector's running count of the stream, from the reply
	received bool
	method   Method
	// excluded packets count neither as sent nor as lost: sent just before
	// a gap, or to a reflector that had stopped answering (the reflector
	// event says so, not the loss figure).
	excluded bool
	// afterGap marks the first packet sent after a gap: a run of lost
	// packets never spans a gap.
	afterGap bool
}

// ledger holds the stream's packets until their window is finished. The
// sender appends, the receiver marks replies, the run loop reads windows
// and forgets them.
type ledger struct {
	mu     sync.Mutex
	base   int // sequence number of pkts[0]
	pkts   []packet
	lastRx time.Duration // monotonic time of the latest reply; -1 before any
	gapped bool          // a gap happened since the last send
	// public is the latest mapped address seen (reflector Hello or STUN
	// reply) and publicAt when.
	public   netip.AddrPort
	publicBy Method
	helloAt  time.Duration // latest Hello reply from the reflector; -1 before any
}

func newLedger() *ledger { return &ledger{lastRx: -1, helloAt: -1} }

// add records a send and returns its sequence number.
func (l *ledger) add(tx time.Duration, m Method) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.pkts = append(l.pkts, packet{tx: tx, method: m, afterGap: l.gapped})
	l.gapped = false
	return l.base + len(l.pkts) - 1
}

// next is the sequence number the next send gets.
func (l *ledger) next() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.base + len(l.pkts)
}

// reply marks seq answered at rx; false for an unknown or repeated seq.
func (l *ledger) reply(seq int, rx time.Duration, serverRx int64, count uint32) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	i := seq - l.base
	if i < 0 || i >= len(l.pkts) || l.pkts[i].received {
		return false
	}
	p := &l.pkts[i]
	p.received, p.rx, p.serverRx, p.count = true, max(rx, p.tx), serverRx, count
	l.lastRx = max(l.lastRx, rx)
	return true
}

// sawPublic records a mapped address reported by the far end.
func (l *ledger) sawPublic(ap netip.AddrPort, by Method, hello bool, at time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.public, l.publicBy = ap, by
	if hello {
		l.helloAt = at
	}
}

func (l *ledger) publicSeen() (netip.AddrPort, Method) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.public, l.publicBy
}

// last returns the latest reply time and the latest send time (-1: none).
func (l *ledger) last() (rx, tx time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	tx = -1
	if n := len(l.pkts); n > 0 {
		tx = l.pkts[n-1].tx
	}
	return l.lastRx, tx
}

func (l *ledger) lastHello() time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.helloAt
}

// slice copies the packets [from, to).
func (l *ledger) slice(from, to int) []packet {
	l.mu.Lock()
	defer l.mu.Unlock()
	from, to = max(from-l.base, 0), min(to-l.base, len(l.pkts))
	if from >= to {
		return nil
	}
	return append([]packet(nil), l.pkts[from:to]...)
}

// exclude marks unanswered packets sent in [from, to] as not counted.
func (l *ledger) exclude(from, to time.Duration, m Method) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for i := len(l.pkts) - 1; i >= 0; i-- {
		p := &l.pkts[i]
		if p.tx < from {
			break
		}
		if p.tx <= to && !p.received && (m == "" || p.method == m) {
			p.excluded = true
		}
	}
}

// markGap makes the next send start a new run and excludes unanswered
// packets of the last grace before the gap.
func (l *ledger) markGap(at, grace time.Duration) {
	l.exclude(at-grace, at, "")
	l.mu.Lock()
	l.gapped = true
	l.mu.Unlock()
}

// forget drops packets before seq (their window is written).
func (l *ledger) forget(seq int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := min(max(seq-l.base, 0), len(l.pkts))
	l.pkts = append([]packet(nil), l.pkts[n:]...)
	l.base += n
}

// cut makes the next send start a new run of lost packets (a method
// switch: silence before it is not continued by silence after).
func (l *ledger) cut() {
	l.mu.Lock()
	l.gapped = true
	l.mu.Unlock()
}

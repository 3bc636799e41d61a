// Package stun runs STUN Binding transactions (RFC 8489) over one UDP
// socket: it retransmits until each server answers or the wait ends, and
// returns what each answer said (mapped address, error code, RTT) and the
// noise it ignored. It measures; checks/stun.go and nat_mapping.go judge.
package stun

import (
	"context"
	"net"
	"net/netip"
	"time"

	"github.com/biztel-tools/biztel-doctor/checks/stunmsg"
)

// STUN retransmission (RFC 5389 §7.2.1 style: the interval doubles after
// each send). The RFC's 500 ms initial RTO is for unknown paths on the open
// internet; a diagnostic wants an answer quickly and the servers are the
// customer's own STUN servers, so it starts at 100 ms, sends at most
// MaxSends requests per server and then listens until Wait.
const (
	FirstRTO = 100 * time.Millisecond  // first retransmission interval
	MaxSends = 5                       // sends at 0, 0.1, 0.3, 0.7, 1.5 s: a handful per server
	Wait     = 2500 * time.Millisecond // total listening time from the first send (last RTO plus a 1 s answer window)
)

// Binding is one Binding transaction to one server.
type Binding struct {
	Server string         // as the profile names it, with the real port
	To     netip.AddrPort // where the requests go
	tx     stunmsg.TxID

	Sent     int            // requests sent (first plus retransmissions)
	Answered bool           // a Binding response (success or error) with our transaction ID arrived
	Mapped   netip.AddrPort // XOR-MAPPED-ADDRESS (or MAPPED-ADDRESS); zero when not answered
	ErrCode  int            // STUN error code of a Binding error response; 0 otherwise
	RTT      time.Duration  // from the latest send before the answer (Karn: ambiguous after a retransmission)
	From     netip.AddrPort // where the answer came from
	Software string         // the server's SOFTWARE attribute, if any
	SendErr  error          // the last failed send (e.g. no route), nil when every send went out
}

// Stats counts replies that were not the answer to any of our requests.
type Stats struct {
	Garbage    int // datagrams that are not STUN, or fail their FINGERPRINT
	Mismatched int // STUN messages with a transaction ID we did not send
}

// Run sends a Binding request to every binding over one socket,
// retransmitting each until it is answered, and waits at most Wait (or
// ctx). Unrelated datagrams are counted, never taken as an answer.
func Run(ctx context.Context, conn net.PacketConn, bs []*Binding, software string) Stats {
	var st Stats
	t := newTransactions(conn, bs, software)
	packets, stop := readPackets(conn)
	defer stop()

	start := time.Now()
	t.sendPending(0) // every binding once
	rto := FirstRTO
	nextRetransmit := start.Add(rto)
	deadline := start.Add(Wait)
	for t.pending() {
		wake := deadline
		if nextRetransmit.Before(wake) {
			wake = nextRetransmit
		}
		timer := time.NewTimer(time.Until(wake))
		select {
		case <-ctx.Done():
			timer.Stop()
			return st
		case p := <-packets:
			timer.Stop()
			st.take(p.data, p.from, p.at, t.byTx, t.lastSend)
		case now := <-timer.C:
			if !now.Before(deadline) {
				return st
			}
			t.sendPending(MaxSends)
			rto *= 2
			nextRetransmit = nextRetransmit.Add(rto)
		}
	}
	return st
}

// transactions are Run's Binding transactions on one socket.
type transactions struct {
	conn     net.PacketConn
	bs       []*Binding
	byTx     map[stunmsg.TxID]*Binding
	reqs     map[*Binding][]byte
	lastSend map[*Binding]time.Time // for the RTT of the answer
}

func newTransactions(conn net.PacketConn, bs []*Binding, software string) *transactions {
	t := &transactions{conn: conn, bs: bs, byTx: map[stunmsg.TxID]*Binding{},
		reqs: map[*Binding][]byte{}, lastSend: map[*Binding]time.Time{}}
	for _, b := range bs {
		b.tx = stunmsg.NewTxID()
		t.byTx[b.tx] = b
		t.reqs[b] = stunmsg.NewBindingRequest(b.tx, software)
	}
	return t
}

// sendPending (re)sends the request of every binding not answered yet that
// has been sent fewer than limit times (0: no limit).
func (t *transactions) sendPending(limit int) {
	for _, b := range t.bs {
		if b.Answered || t.reqs[b] == nil || (limit > 0 && b.Sent >= limit) {
			continue
		}
		if _, err := t.conn.WriteTo(t.reqs[b], net.UDPAddrFromAddrPort(b.To)); err == nil {
			b.Sent++
			t.lastSend[b] = time.Now()
		} else {
			b.SendErr = err
		}
	}
}

// pending reports whether a binding still waits for its answer.
func (t *transactions) pending() bool {
	for _, b := range t.bs {
		if !b.Answered && t.reqs[b] != nil {
			return true
		}
	}
	return false
}

// packet is one datagram read, with its arrival time.
type packet struct {
	data []byte
	from net.Addr
	at   time.Time
}

// readPackets reads conn in the background until stop, which also ends a
// blocked read (through the read deadline) and waits for the reader.
func readPackets(conn net.PacketConn) (<-chan packet, func()) {
	packets := make(chan packet, 16)
	quit := make(chan struct{}) // closed on stop, so a blocked reader never outlives Run
	readDone := make(chan struct{})
	go func() {
		defer close(readDone)
		buf := make([]byte, 1500)
		for {
			n, from, err := conn.ReadFrom(buf)
			if err != nil {
				return
			}
			p := packet{data: append([]byte(nil), buf[:n]...), from: from, at: time.Now()}
			select {
			case packets <- p:
			case <-quit:
				return
			}
		}
	}()
	return packets, func() {
		close(quit)
		_ = conn.SetReadDeadline(time.Now()) // stop the reader
		<-readDone
	}
}

// take judges one datagram: the answer to a pending binding, or noise.
// Anything stunmsg.Parse rejects (not STUN, malformed, a FINGERPRINT that
// does not verify) is garbage.
func (st *Stats) take(data []byte, from net.Addr, at time.Time, byTx map[stunmsg.TxID]*Binding, lastSend map[*Binding]time.Time) {
	m, err := stunmsg.Parse(data)
	if err != nil {
		st.Garbage++
		return
	}
	b, ok := byTx[m.TxID]
	if !ok || b.Answered || (m.Type != stunmsg.BindingSuccess && m.Type != stunmsg.BindingError) {
		st.Mismatched++
		return
	}
	b.Answered = true
	b.RTT = at.Sub(lastSend[b])
	b.From = addrPort(from)
	if sw, ok := m.Software(); ok {
		b.Software = sw
	}
	if m.Type == stunmsg.BindingError {
		if code, _, err := m.ErrorCode(); err == nil {
			b.ErrCode = code
		} else {
			b.ErrCode = -1
		}
		return
	}
	mapped, err := m.XORMappedAddress()
	if err != nil {
		mapped, err = m.MappedAddress() // RFC 3489 servers
	}
	if err == nil {
		b.Mapped = netip.AddrPortFrom(mapped.Addr().Unmap(), mapped.Port())
	}
}

// addrPort is a's address and port with an IPv4-mapped address unmapped.
func addrPort(a net.Addr) netip.AddrPort {
	if a == nil {
		return netip.AddrPort{}
	}
	ap, _ := netip.ParseAddrPort(a.String())
	return netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port())
}

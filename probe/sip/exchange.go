package sip

import (
	"bytes"
	"context"
	"errors"
	"net"
	"strconv"
	"time"

	sipgo "github.com/emiago/sipgo/sip"

	"github.com/biztel-tools/biztel-doctor/internal/neterr"
	"github.com/biztel-tools/biztel-doctor/probe/sipmsg"
)

// transaction is the state of one Exchange.
type transaction struct {
	c                  net.Conn
	o                  Options
	rep                Reply
	lastSend, nextSend time.Time
	interval           time.Duration
	deadline           time.Time // when listening stops
}

// Exchange runs the transaction on a connected UDP socket: it sends o,
// retransmits after T1, 2·T1, 4·T1 until an answer (at most MaxSends
// packets), and listens until Wait after the first send, the context's
// deadline, or shortly after a provisional answer.
func Exchange(ctx context.Context, c net.Conn, o Options) Reply {
	start := time.Now()
	t := &transaction{c: c, o: o, interval: T1, deadline: start.Add(Wait)}
	if d, ok := ctx.Deadline(); ok && d.Before(t.deadline) {
		t.deadline = d
	}
	stop := context.AfterFunc(ctx, func() { _ = c.SetReadDeadline(time.Now()) })
	defer stop()
	if !t.send() {
		return t.rep
	}
	t.nextSend = start.Add(t.interval)
	buf := make([]byte, MaxDatagram)
	for {
		if t.retransmitting() && !time.Now().Before(t.nextSend) {
			if !t.send() {
				return t.rep
			}
			t.interval *= 2
			t.nextSend = t.nextSend.Add(t.interval)
		}
		_ = c.SetReadDeadline(t.wake())
		n, err := c.Read(buf)
		now := time.Now()
		var done bool
		if err != nil {
			done = t.readFailed(ctx, err, now)
		} else {
			done = t.take(buf[:n], now)
		}
		if done {
			return t.rep
		}
	}
}

// send transmits the request once; false when the socket failed.
func (t *transaction) send() bool {
	if _, err := t.c.Write(t.o.Raw); err != nil {
		t.rep.SocketError = err
		return false
	}
	t.rep.Sent++
	t.lastSend = time.Now()
	return true
}

// retransmitting: no answer yet and sends left.
func (t *transaction) retransmitting() bool {
	return t.rep.Response == nil && t.rep.Sent < MaxSends
}

// wake is when the next read gives up: the next retransmission or the end.
func (t *transaction) wake() time.Time {
	if t.retransmitting() && t.nextSend.Before(t.deadline) {
		return t.nextSend
	}
	return t.deadline
}

// readFailed handles a read error; true when the transaction is over.
func (t *transaction) readFailed(ctx context.Context, err error, now time.Time) bool {
	// ICMP port unreachable, as Unix reports it. Go turns these reports
	// off on Windows UDP sockets (SIO_UDP_CONNRESET, go.dev/issue/5834):
	// there a refusal reads as no answer.
	if neterr.Classify(err) == neterr.Refused {
		t.rep.Refused = true
		return true
	}
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() || ctx.Err() != nil {
		if ctx.Err() == nil {
			t.rep.SocketError = err
		}
		return true
	}
	return !now.Before(t.deadline)
}

// take reads one datagram; true when it is the final answer.
func (t *transaction) take(b []byte, now time.Time) bool {
	msg, perr := sipgo.ParseMessage(append([]byte(nil), b...))
	resp, isResp := msg.(*sipgo.Response)
	if perr == nil && isResp && !sipmsg.StatusValid(resp) {
		perr = errors.New("bad status line " + strconv.Quote(resp.StartLine()))
	}
	switch {
	case perr != nil:
		t.notSIP(b, perr)
		return false
	case !isResp || !t.o.Matches(resp):
		t.rep.Stray++ // a SIP request, or an answer to another transaction
		return false
	}
	t.rep.Response, t.rep.Size, t.rep.RTT = resp, len(b), now.Sub(t.lastSend)
	if resp.StatusCode >= 200 {
		return true
	}
	// provisional: stop retransmitting, give the final a moment
	if g := now.Add(FinalGrace); g.Before(t.deadline) {
		t.deadline = g
	}
	return false
}

// notSIP counts a datagram that is not a SIP response and keeps the first.
func (t *transaction) notSIP(b []byte, perr error) {
	t.rep.NonSIP++
	if t.rep.NonSIPHead == "" {
		t.rep.NonSIPHead = PrintableHead(b, 60)
		t.rep.ParseError = perr.Error()
		t.rep.Malformed = bytes.HasPrefix(b, []byte("SIP/2.0 "))
	}
}

// PrintableHead is the start of a datagram, quoted, with non-printing bytes
// escaped.
func PrintableHead(b []byte, n int) string {
	if len(b) > n {
		b = b[:n]
	}
	return strconv.QuoteToASCII(string(b))
}

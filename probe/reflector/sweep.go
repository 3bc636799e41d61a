package reflector

import (
	"context"
	"net"
	"time"

	"github.com/biztel-tools/biztel-doctor/serve/wire"
)

// Sweep probes UDP ports of the reflector's echo range: one small echo per
// port, paced, and a port counts as open only when the echo comes back from
// that same port. Ports without an answer are probed again, up to Rounds
// times, so one lost packet does not read as a closed port.
type Sweep struct {
	Conn      net.PacketConn
	IP        net.IP
	Ports     []int
	Rate      int           // packets per second
	Token     string        // reflector token, "" none
	Rounds    int           // sends per silent port at most
	RoundWait time.Duration // how long replies are awaited after a round's last send
	Size      int           // UDP payload of a probe
	Progress  func(done float64)
}

// sweepBatch is how many packets go out per pacing step.
const sweepBatch = 20

// Run probes every port and returns which answered. It ends early (with
// what it has) when ctx does.
func (s Sweep) Run(ctx context.Context) map[int]bool {
	nonce := NewNonce()
	ok := make(map[int]bool, len(s.Ports))
	replies := make(chan int, 1024)
	done := make(chan struct{})
	go s.receive(ctx, nonce, replies, done)
	defer func() {
		close(done)
		for range replies {
		}
	}()
	pkt := wire.Build(wire.Header{Type: wire.TypeEcho, Nonce: nonce}, make([]byte, wire.EchoLen), s.Size, "")
	total, sent := len(s.Ports)*s.Rounds, 0
	for round := 0; round < s.Rounds; round++ {
		todo := s.Ports[:0:0]
		for _, p := range s.Ports {
			if !ok[p] {
				todo = append(todo, p)
			}
		}
		if len(todo) == 0 {
			break
		}
		if !s.sendRound(ctx, pkt, todo, ok, replies, &sent, total) {
			return ok
		}
		drainReplies(ctx, replies, ok, time.Now().Add(s.RoundWait))
		s.Progress(float64(sent) / float64(total))
	}
	s.Progress(1)
	return ok
}

// sendRound sends one echo to each port of todo at s.Rate, collecting the
// replies between batches; false when ctx ended.
func (s Sweep) sendRound(ctx context.Context, pkt []byte, todo []int, ok map[int]bool, replies <-chan int, sent *int, total int) bool {
	step := time.Second * sweepBatch / time.Duration(s.Rate)
	next := time.Now()
	for i, p := range todo {
		wire.EchoBody{Seq: uint32(p)}.Put(pkt[wire.HeaderLen:])
		wire.Sign(pkt, s.Token)
		s.Conn.WriteTo(pkt, &net.UDPAddr{IP: s.IP, Port: p})
		*sent++
		if (i+1)%sweepBatch == 0 {
			next = next.Add(step)
			drainReplies(ctx, replies, ok, next)
			s.Progress(float64(*sent) / float64(total))
			if ctx.Err() != nil {
				return false
			}
		}
	}
	return true
}

// receive passes on the port of every echo of ours that came back from the
// port it was sent to, until done.
func (s Sweep) receive(ctx context.Context, nonce uint64, replies chan<- int, done <-chan struct{}) {
	defer close(replies)
	buf := make([]byte, wire.MaxDatagram)
	for {
		select {
		case <-done:
			return
		default:
		}
		s.Conn.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
		n, from, err := s.Conn.ReadFrom(buf)
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			continue
		}
		h, body, err := wire.Parse(buf[:n])
		if err != nil || h.Type != wire.TypeEchoReply || h.Nonce != nonce {
			continue
		}
		e, _ := wire.ParseEcho(body)
		if ua, isUDP := from.(*net.UDPAddr); isUDP && ua.Port == int(e.Seq) {
			select {
			case replies <- ua.Port:
			case <-done:
				return
			}
		}
	}
}

// drainReplies marks the ports that answer until the time given (or ctx
// ends, or the receiver stops).
func drainReplies(ctx context.Context, replies <-chan int, ok map[int]bool, until time.Time) {
	t := time.NewTimer(time.Until(until))
	defer t.Stop()
	for {
		select {
		case p, open := <-replies:
			if !open {
				return
			}
			ok[p] = true
		case <-t.C:
			return
		case <-ctx.Done():
			return
		}
	}
}

// Package reflector is the client side of the biztel-doctor reflector's
// control protocol (serve/wire): a request sent with retransmissions until
// the answer of the wanted type arrives, Hello, and random session nonces.
// The media, NAT-timer and SIP checks build their measurements on it.
package reflector

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"net"
	"time"

	"github.com/biztel-tools/biztel-doctor/serve/wire"
)

// Timeouts of the control exchanges.
const (
	// HelloRetry spaces Hello retransmissions: a lost first packet on a
	// lossy line must not fail the check, and 3 tries fit in about a second.
	HelloRetry = 400 * time.Millisecond
	HelloTries = 3
	// StatsWait bounds the closing Stats exchange of a stream.
	StatsWait = 400 * time.Millisecond
)

// NewNonce is a random session id for the wire protocol.
func NewNonce() uint64 {
	var b [8]byte
	rand.Read(b[:])
	return binary.BigEndian.Uint64(b[:])
}

// Refused is a reflector refusal (token, busy …).
type Refused struct{ Code wire.Code }

func (e Refused) Error() string { return "reflector refused: " + e.Code.String() }

// Exchange sends req to addr on c and waits for a reply of type want
// with the same nonce, retransmitting; other datagrams are ignored.
func Exchange(ctx context.Context, c net.PacketConn, addr net.Addr, req []byte, nonce uint64, want wire.Type, tries int, every time.Duration) (wire.Header, []byte, error) {
	buf := make([]byte, wire.MaxDatagram)
	for try := 0; try < tries; try++ {
		if _, err := c.WriteTo(req, addr); err != nil {
			return wire.Header{}, nil, err
		}
		deadline := time.Now().Add(every)
		if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
			deadline = d
		}
		c.SetReadDeadline(deadline)
		for {
			n, _, err := c.ReadFrom(buf)
			if err != nil {
				if ctx.Err() != nil {
					return wire.Header{}, nil, ctx.Err()
				}
				break // timeout: retransmit
			}
			h, body, err := wire.Parse(buf[:n])
			if err != nil || h.Nonce != nonce {
				continue
			}
			if h.Type == wire.TypeRefused {
				return h, nil, Refused{Code: h.Code}
			}
			if h.Type == want {
				return h, append([]byte(nil), body...), nil
			}
		}
	}
	return wire.Header{}, nil, ErrNoAnswer
}

// ErrNoAnswer: every try went unanswered.
var ErrNoAnswer = errors.New("no answer")

// Hello asks the reflector at addr how it sees us and what it serves.
func Hello(ctx context.Context, c net.PacketConn, addr net.Addr, token string) (wire.HelloReplyBody, error) {
	nonce := NewNonce()
	req := wire.Build(wire.Header{Type: wire.TypeHello, Nonce: nonce}, nil, wire.HelloSize, token)
	_, body, err := Exchange(ctx, c, addr, req, nonce, wire.TypeHelloReply, HelloTries, HelloRetry)
	if err != nil {
		return wire.HelloReplyBody{}, err
	}
	hr, _ := wire.ParseHelloReply(body)
	return hr, nil
}

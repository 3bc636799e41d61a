package media

import (
	"context"
	"encoding/binary"
	"net"
	"testing"

	"github.com/biztel-tools/biztel-doctor/checks/stunmsg"
	"github.com/biztel-tools/biztel-doctor/probe/reflector"
)

// echoPolicy says what a fake echo sends back for request seq of a stream
// of count packets: the replies (each a seq to answer, maybe another one's)
// and, for held ones, nothing now.
type echoPolicy func(seq, count int) []int

// fakeEcho answers STUN Binding requests (the fallback's wire, so the test
// needs no reflector) on loopback by policy. A reply for seq is a Binding
// response whose transaction id carries nonce and seq, as stunDecode reads
// it; forged replies use another nonce.
func fakeEcho(t *testing.T, count int, policy echoPolicy, forge bool) *net.UDPAddr {
	t.Helper()
	c, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	go func() {
		buf := make([]byte, 1500)
		for {
			n, from, err := c.ReadFromUDP(buf)
			if err != nil {
				return
			}
			if n < stunmsg.HeaderLen {
				continue
			}
			req := append([]byte(nil), buf[:stunmsg.HeaderLen]...)
			seq := int(binary.BigEndian.Uint32(req[16:]))
			reply := func(seq int, nonceXor uint64) {
				resp := append([]byte(nil), req...)
				binary.BigEndian.PutUint16(resp, uint16(stunmsg.BindingSuccess))
				binary.BigEndian.PutUint64(resp[8:], binary.BigEndian.Uint64(req[8:])^nonceXor)
				binary.BigEndian.PutUint32(resp[16:], uint32(seq))
				c.WriteToUDP(resp, from)
			}
			if forge {
				reply(seq, 1)     // another stream's nonce
				reply(count+5, 0) // a packet never sent (past the end)
				if seq < count-1 {
					reply(count-1, 0) // the last packet, before it was sent
				}
				reply(1<<31-1, 0) // far out of range
			}
			for _, s := range policy(seq, count) {
				reply(s, 0)
			}
		}
	}()
	return c.LocalAddr().(*net.UDPAddr)
}

func TestRunStreamsDrain(t *testing.T) {
	const count = 10
	all := func(seq, _ int) []int { return []int{seq} }
	cases := []struct {
		name         string
		policy       echoPolicy
		forge        bool
		wantReceived int
		wantEarly    bool // stopped waiting before Drain
	}{
		{name: "all answered", policy: all, wantReceived: count, wantEarly: true},
		{name: "last reply lost", policy: func(seq, n int) []int {
			if seq == n-1 {
				return nil
			}
			return []int{seq}
		}, wantReceived: count - 1},
		// Duplicates count once: answering seq 0 again in place of the
		// last reply must not complete the stream.
		{name: "duplicates in place of the last", policy: func(seq, n int) []int {
			if seq == n-1 {
				return []int{0, 0}
			}
			return []int{seq, seq}
		}, wantReceived: count - 1},
		// Replies to unsent packets or with another nonce are ignored,
		// even the early "reply" to the last packet.
		{name: "forged replies", policy: func(seq, n int) []int {
			if seq == n-1 {
				return nil
			}
			return []int{seq}
		}, forge: true, wantReceived: count - 1},
		{name: "forged but all answered", policy: all, forge: true, wantReceived: count, wantEarly: true},
		// A late reply (seq 0's, held until the last packet arrives) is
		// still counted within the drain, and completes the stream.
		{name: "late reply", policy: func(seq, n int) []int {
			switch seq {
			case 0:
				return nil
			case n - 1:
				return []int{n - 1, 0}
			}
			return []int{seq}
		}, wantReceived: count, wantEarly: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			to := fakeEcho(t, count, c.policy, c.forge)
			var streams []*Stream
			for range 2 {
				conn, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { conn.Close() })
				s := &Stream{Conn: conn, To: to, Nonce: reflector.NewNonce()}
				s.Encode, s.Decode = STUNEncode(s.Nonce), STUNDecode(s.Nonce)
				streams = append(streams, s)
			}
			Run(context.Background(), streams, count, Interval, nil)
			for k, s := range streams {
				st := Summarize(s.Packets, -1)
				if st.Sent != count || st.Received != c.wantReceived {
					t.Errorf("stream %d: sent %d received %d, want %d/%d", k, st.Sent, st.Received, count, c.wantReceived)
				}
				if s.DrainedEarly != c.wantEarly {
					t.Errorf("stream %d: drained early %v, want %v", k, s.DrainedEarly, c.wantEarly)
				}
			}
		})
	}
}

// TestRunStreamsStop: the stop hook ends the sending between rounds, so
// every stream sent the same number, and sees every round count once.
func TestRunStreamsStop(t *testing.T) {
	to := fakeEcho(t, 20, func(seq, _ int) []int { return []int{seq} }, false)
	var streams []*Stream
	for range 3 {
		conn, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { conn.Close() })
		s := &Stream{Conn: conn, To: to, Nonce: reflector.NewNonce()}
		s.Encode, s.Decode = STUNEncode(s.Nonce), STUNDecode(s.Nonce)
		streams = append(streams, s)
	}
	var seen []int
	Run(context.Background(), streams, 20, Interval, func(rounds int) bool {
		seen = append(seen, rounds)
		return rounds == 4
	})
	if len(seen) != 4 || seen[0] != 1 || seen[3] != 4 {
		t.Errorf("stop asked after rounds %v, want 1..4", seen)
	}
	for k, s := range streams {
		if got := s.Sent(); got != 4 {
			t.Errorf("stream %d sent %d, want 4", k, got)
		}
		if st := Summarize(s.Packets, -1); st.Sent != 4 || st.Received != 4 || !s.DrainedEarly {
			t.Errorf("stream %d: %d sent, %d received, drained early %v", k, st.Sent, st.Received, s.DrainedEarly)
		}
	}
}

package ntp

import (
	"context"
	"encoding/binary"
	"net"
	"testing"
	"time"
)

// serve answers every query on a loopback socket with reply(request);
// a nil reply stays silent.
func serve(t *testing.T, reply func(req []byte) []byte) string {
	t.Helper()
	c, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	go func() {
		buf := make([]byte, 512)
		for {
			n, src, err := c.ReadFromUDP(buf)
			if err != nil {
				return
			}
			if r := reply(buf[:n]); r != nil {
				_, _ = c.WriteToUDP(r, src)
			}
		}
	}()
	return c.LocalAddr().String()
}

// serverReply is a stratum-2 answer to req, with its poll byte set.
func serverReply(req []byte, poll byte) []byte {
	secs := uint64(time.Now().Unix()+2208988800) << 32
	r := make([]byte, 48)
	r[0], r[1], r[2], r[3] = 0x24, 2, poll, 0xec // LI 0, v4, mode 4; stratum 2
	copy(r[12:16], []byte{192, 0, 2, 123})
	binary.BigEndian.PutUint64(r[16:], secs-60<<32)
	copy(r[24:32], req[40:48]) // origin = the client's transmit time
	binary.BigEndian.PutUint64(r[32:], secs)
	binary.BigEndian.PutUint64(r[40:], secs)
	return r
}

func TestQuery(t *testing.T) {
	opt := Options{Attempts: 2, PerAttempt: 300 * time.Millisecond}
	cases := []struct {
		name    string
		reply   func([]byte) []byte
		outcome Outcome
		sent    int
	}{
		{"answered", func(q []byte) []byte { return serverReply(q, 6) }, Answered, 1},
		// beevik/ntp v1.6.0 panics on poll -128: a failed query, not a crash
		{"poll -128", func(q []byte) []byte { return serverReply(q, 0x80) }, Invalid, 1},
		{"not ntp", func([]byte) []byte { return []byte("hello, not ntp") }, Invalid, 1},
		{"silent", func([]byte) []byte { return nil }, Timeout, 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			addr := serve(t, c.reply)
			res := Query(context.Background(), &net.Dialer{}, addr, opt)
			if res.Outcome != c.outcome || res.Sent != c.sent {
				t.Fatalf("outcome %v after %d queries (err %v), want %v after %d", res.Outcome, res.Sent, res.Err, c.outcome, c.sent)
			}
			if (res.Reply != nil) != (c.outcome == Answered) || res.LocalAddr == "" {
				t.Fatalf("reply %+v, local %q", res.Reply, res.LocalAddr)
			}
			if res.Reply != nil && (res.Reply.Stratum != 2 || res.Reply.Reference != "192.0.2.123" || res.Reply.Unfit != nil) {
				t.Errorf("reply %+v", res.Reply)
			}
		})
	}
}

// A cancelled context sends nothing.
func TestQueryCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res := Query(ctx, &net.Dialer{}, "127.0.0.1:9", Options{Attempts: 2, PerAttempt: time.Second})
	if res.Sent != 0 || res.Outcome != Timeout || res.Reply != nil {
		t.Errorf("%+v", res)
	}
}

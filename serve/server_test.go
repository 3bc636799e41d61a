package serve

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"log"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/serve/wire"
)

// replyWait is how long a loopback test waits for an answer that should come.
const replyWait = 2 * time.Second

// silenceWait is how long a test listens to show that no answer comes.
const silenceWait = 200 * time.Millisecond

type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) { s.mu.Lock(); defer s.mu.Unlock(); return s.b.Write(p) }
func (s *syncBuf) String() string              { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

func start(t *testing.T, cfg Config) (*Server, *syncBuf) {
	t.Helper()
	logs := &syncBuf{}
	cfg.Listen = "127.0.0.1"
	cfg.Log = log.New(logs, "", 0)
	s, err := Start(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, logs
}

func dial(t *testing.T, addr *net.UDPAddr) *net.UDPConn {
	t.Helper()
	c, err := net.DialUDP("udp", nil, addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// exchange sends req and returns every datagram that comes back within wait.
func exchange(t *testing.T, c *net.UDPConn, req []byte, wait time.Duration) [][]byte {
	t.Helper()
	if _, err := c.Write(req); err != nil {
		t.Fatal(err)
	}
	var out [][]byte
	deadline := time.Now().Add(wait)
	for {
		c.SetReadDeadline(deadline)
		buf := make([]byte, 4096)
		n, err := c.Read(buf)
		if err != nil {
			return out
		}
		out = append(out, buf[:n])
		if wait != silenceWait {
			return out
		}
	}
}

func rtpRange(t *testing.T) content.PortRange {
	// A small range on a free block: bind-probe a few candidates.
	for base := 41000 + int(time.Now().UnixNano()%2000)*8; base < 65000; base += 97 {
		ok := true
		var held []net.PacketConn
		for p := base; p < base+4; p++ {
			c, err := net.ListenPacket("udp", net.JoinHostPort("127.0.0.1", fmtInt(p)))
			if err != nil {
				ok = false
				break
			}
			held = append(held, c)
		}
		for _, c := range held {
			c.Close()
		}
		if ok {
			return content.PortRange{From: base, To: base + 3}
		}
	}
	t.Fatal("no free port block")
	return content.PortRange{}
}

func fmtInt(i int) string { return strconv.Itoa(i) }

// TestNeverAmplifies sends every request type, at its smallest and padded,
// signed and unsigned, to every socket kind, and checks each answer is no
// larger than its request.
func TestNeverAmplifies(t *testing.T) {
	for _, token := range []string{"", "s3cret"} {
		s, _ := start(t, Config{RTP: rtpRange(t), Token: token})
		targets := map[string]*net.UDPAddr{"sip": s.SIPAddr(), "control": s.ControlAddr(),
			"rtp": {IP: net.IPv4(127, 0, 0, 1), Port: s.RTP().From}}
		echo := make([]byte, wire.EchoLen)
		arm := wire.ArmBody{ID: 1, DelayMs: 10, Mode: wire.FireSamePort}.Marshal()
		armOther := wire.ArmBody{ID: 2, DelayMs: 10, Mode: wire.FireOtherPort}.Marshal()
		type req struct {
			name string
			b    []byte
		}
		var reqs []req
		for _, sign := range []string{"", token, "wrong"} {
			for _, size := range []int{0, 40, wire.HelloSize, 172, 1200} {
				reqs = append(reqs,
					req{"hello", wire.Build(wire.Header{Type: wire.TypeHello}, nil, size, sign)},
					req{"echo", wire.Build(wire.Header{Type: wire.TypeEcho}, echo, size, sign)},
					req{"stats", wire.Build(wire.Header{Type: wire.TypeStats}, nil, size, sign)},
					req{"arm", wire.Build(wire.Header{Type: wire.TypeTimerArm}, arm, size, sign)},
					req{"arm-other", wire.Build(wire.Header{Type: wire.TypeTimerArm}, armOther, size, sign)},
					req{"reply-type", wire.Build(wire.Header{Type: wire.TypeEchoReply}, echo, size, sign)},
				)
			}
		}
		// Each wire request gets its own nonce (re-signed), each SIP request
		// its own Call-ID, so every answer is matched to its request.
		for i := range reqs {
			b := reqs[i].b
			if len(b) >= wire.HeaderLen {
				binary.BigEndian.PutUint64(b[8:16], uint64(i+1))
				if b[6]&wire.FlagAuth != 0 {
					sign := token
					if i%3 == 2 { // keep the deliberately wrong ones wrong
						sign = "wrong"
					}
					wire.Sign(b, sign)
				}
			}
		}
		sipBase := len(reqs)
		for i := 0; i < 2; i++ {
			sip := []byte("INVITE sip:x SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKx\r\nCall-ID: c" + fmtInt(sipBase+i) + "\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n")
			if i == 1 {
				sip = wire.Pad(sip, wire.EchoPadSize(len(sip)))
			}
			reqs = append(reqs, req{"sip", sip})
		}
		reqs = append(reqs, req{"sip-garbage", []byte("SIP/2.0 hello")}, req{"short", []byte("BZ")})
		answered := 0
		for tname, addr := range targets {
			c, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			for _, r := range reqs {
				c.WriteToUDP(r.b, addr)
			}
			c.SetReadDeadline(time.Now().Add(3 * silenceWait))
			for {
				buf := make([]byte, 4096)
				n, _, err := c.ReadFromUDP(buf)
				if err != nil {
					break
				}
				answered++
				got := buf[:n]
				idx := -1
				if h, _, err := wire.Parse(got); err == nil {
					idx = int(h.Nonce) - 1
				} else if m, err := wire.ParseSIP(got); err == nil {
					fmt.Sscanf(m.Get("Call-ID"), "c%d", &idx)
				}
				if idx < 0 || idx >= len(reqs) {
					t.Errorf("token=%q %s: unmatched answer %q", token, tname, got)
					continue
				}
				if n > len(reqs[idx].b) {
					t.Errorf("token=%q %s → %s: answer %d bytes > request %d", token, reqs[idx].name, tname, n, len(reqs[idx].b))
				}
			}
		}
		if answered < 20 {
			t.Errorf("token=%q: only %d answers; the test is not exercising the reflector", token, answered)
		}
	}
}

func TestTokenRequired(t *testing.T) {
	s, _ := start(t, Config{Token: "s3cret"})
	c := dial(t, s.ControlAddr())
	for sign, want := range map[string]wire.Code{"": wire.CodeAuthRequired, "bad": wire.CodeBadAuth} {
		got := exchange(t, c, wire.Build(wire.Header{Type: wire.TypeHello}, nil, wire.HelloSize, sign), replyWait)
		if len(got) != 1 {
			t.Fatalf("sign=%q: %d answers", sign, len(got))
		}
		h, _, err := wire.Parse(got[0])
		if err != nil || h.Type != wire.TypeRefused || h.Code != want {
			t.Fatalf("sign=%q: got %+v %v, want refused %v", sign, h, err, want)
		}
	}
	got := exchange(t, c, wire.Build(wire.Header{Type: wire.TypeHello}, nil, wire.HelloSize, "s3cret"), replyWait)
	h, body, err := wire.Parse(got[0])
	if err != nil || h.Type != wire.TypeHelloReply {
		t.Fatalf("signed hello: %+v %v", h, err)
	}
	hr, _ := wire.ParseHelloReply(body)
	if hr.Flags&wire.HelloTimers == 0 || int(hr.Observed.Port()) != c.LocalAddr().(*net.UDPAddr).Port {
		t.Fatalf("hello reply %+v", hr)
	}
	if hr.RatePPS != DefaultRatePPS {
		t.Fatalf("hello reply says a budget of %d pps, want the default %d", hr.RatePPS, DefaultRatePPS)
	}
}

func TestTimerNeedsToken(t *testing.T) {
	s, _ := start(t, Config{})
	c := dial(t, s.SIPAddr())
	got := exchange(t, c, wire.Build(wire.Header{Type: wire.TypeTimerArm}, wire.ArmBody{ID: 1, DelayMs: 1, Mode: 1}.Marshal(), 64, ""), replyWait)
	h, _, _ := wire.Parse(got[0])
	if h.Type != wire.TypeRefused || h.Code != wire.CodeNeedToken {
		t.Fatalf("unsigned arm on a tokenless reflector: %+v", h)
	}
}

// TestTimerFiresOnceFromEachPort: one ack now, one fire later, from the same
// or the other port, each no larger than the arm.
func TestTimerFiresOnceFromEachPort(t *testing.T) {
	s, logs := start(t, Config{Token: "k"})
	for mode, wantPort := range map[uint8]int{wire.FireSamePort: s.SIPAddr().Port, wire.FireOtherPort: s.ControlAddr().Port} {
		c, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		arm := wire.Build(wire.Header{Type: wire.TypeTimerArm, Nonce: 9}, wire.ArmBody{ID: 5, DelayMs: 150, Mode: mode}.Marshal(), 64, "k")
		c.WriteToUDP(arm, s.SIPAddr())
		var types []wire.Type
		c.SetReadDeadline(time.Now().Add(600 * time.Millisecond))
		for {
			buf := make([]byte, 256)
			n, from, err := c.ReadFromUDP(buf)
			if err != nil {
				break
			}
			h, body, _ := wire.Parse(buf[:n])
			if n > len(arm) {
				t.Errorf("mode %d: %s of %d bytes > arm %d", mode, h.Type, n, len(arm))
			}
			if h.Type == wire.TypeTimerFire {
				if a, _ := wire.ParseArm(body); a.ID != 5 || from.Port != wantPort {
					t.Errorf("mode %d: fire %+v from port %d, want from %d", mode, a, from.Port, wantPort)
				}
			}
			types = append(types, h.Type)
		}
		if len(types) != 2 || types[0] != wire.TypeTimerAck || types[1] != wire.TypeTimerFire {
			t.Errorf("mode %d: got %v, want [ack fire]", mode, types)
		}
	}
	s.Close()
	if n := strings.Count(logs.String(), "session 127.0.0.1"); n != 1 {
		t.Errorf("want one log line for the one client, got %d:\n%s", n, logs)
	}
}

func TestTimerBounds(t *testing.T) {
	s, _ := start(t, Config{Token: "k", MaxTimers: 2, MaxTimerDelay: time.Minute})
	c := dial(t, s.SIPAddr())
	codes := []wire.Code{}
	for i, d := range []uint32{60_000, 60_000, 60_000, 3_600_000} {
		arm := wire.Build(wire.Header{Type: wire.TypeTimerArm}, wire.ArmBody{ID: uint32(i), DelayMs: d, Mode: 1}.Marshal(), 64, "k")
		got := exchange(t, c, arm, replyWait)
		h, _, _ := wire.Parse(got[0])
		codes = append(codes, h.Code)
	}
	want := []wire.Code{wire.CodeOK, wire.CodeOK, wire.CodeBusy, wire.CodeBadRequest}
	for i := range want {
		if codes[i] != want[i] {
			t.Fatalf("codes %v, want %v", codes, want)
		}
	}
}

func TestEchoCountsAndStats(t *testing.T) {
	s, _ := start(t, Config{RTP: rtpRange(t)})
	c := dial(t, &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: s.RTP().To})
	var last wire.EchoBody
	for i := 1; i <= 3; i++ {
		body := make([]byte, wire.EchoLen)
		wire.EchoBody{Seq: uint32(i)}.Put(body)
		got := exchange(t, c, wire.Build(wire.Header{Type: wire.TypeEcho, Nonce: 77}, body, 172, ""), replyWait)
		if len(got) != 1 || len(got[0]) != 172 {
			t.Fatalf("echo %d: %d answers", i, len(got))
		}
		_, b, _ := wire.Parse(got[0])
		last, _ = wire.ParseEcho(b)
	}
	if last.Seq != 3 || last.ServerCount != 3 || last.ServerRx == 0 {
		t.Fatalf("last echo %+v", last)
	}
	// Stats live on the control port, keyed by source address and nonce.
	cc, _ := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	defer cc.Close()
	cc.WriteToUDP(wire.Build(wire.Header{Type: wire.TypeStats, Nonce: 77}, nil, 64, ""), s.ControlAddr())
	cc.SetReadDeadline(time.Now().Add(replyWait))
	buf := make([]byte, 128)
	n, _, err := cc.ReadFromUDP(buf)
	if err != nil {
		t.Fatal(err)
	}
	_, b, _ := wire.Parse(buf[:n])
	if st, _ := wire.ParseStats(b); st.Received != 3 || st.Bytes != 3*172 {
		t.Fatalf("stats %+v", st)
	}
}

func TestRateLimit(t *testing.T) {
	s, logs := start(t, Config{RatePPS: 1, RateBurst: 5})
	c := dial(t, s.ControlAddr())
	hello := wire.Build(wire.Header{Type: wire.TypeHello}, nil, wire.HelloSize, "")
	for i := 0; i < 20; i++ {
		c.Write(hello)
	}
	got := exchange(t, c, hello, silenceWait)
	if len(got) > 6 {
		t.Fatalf("%d answers to 21 hellos with a burst of 5", len(got))
	}
	s.Close()
	if !strings.Contains(logs.String(), "rate-limited=") {
		t.Fatalf("log does not mention rate limiting:\n%s", logs)
	}
}

func TestSIPEchoTCP(t *testing.T) {
	s, _ := start(t, Config{})
	conn, err := net.Dial("tcp", s.SIPTCPAddr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	req := []byte("REGISTER sip:x SIP/2.0\r\nVia: SIP/2.0/TCP 10.0.0.1:5060;branch=z9hG4bKx\r\nCall-ID: c2\r\nCSeq: 1 REGISTER\r\nContent-Length: 0\r\n\r\n")
	padded := wire.Pad(req, wire.EchoPadSize(len(req)))
	conn.Write(padded[:30]) // split across segments
	time.Sleep(10 * time.Millisecond)
	conn.Write(padded[30:])
	conn.SetReadDeadline(time.Now().Add(replyWait))
	buf := make([]byte, 0, 4096)
	for {
		chunk := make([]byte, 1024)
		n, err := conn.Read(chunk)
		if err != nil {
			t.Fatalf("read: %v (have %q)", err, buf)
		}
		buf = append(buf, chunk[:n]...)
		if l, _ := wire.SIPFrameLen(buf); l > 0 {
			break
		}
	}
	m, _ := wire.ParseSIP(buf)
	echo, err := wire.DecodeEcho(m)
	if err != nil || !bytes.Equal(echo, req) || len(buf) > len(padded) {
		t.Fatalf("echo %q (%v), answer %d bytes for %d", echo, err, len(buf), len(padded))
	}
}

func TestConfigErrors(t *testing.T) {
	for _, cfg := range []Config{
		{Listen: "not-an-ip"},
		{SIPPort: 70000},
		{SIPPort: 5060, ControlPort: 5060},
		{RTP: content.PortRange{From: 20000, To: 10000}},
		{SIPPort: 10001, RTP: content.PortRange{From: 10000, To: 10010}},
	} {
		if _, err := Start(context.Background(), cfg); err == nil {
			t.Errorf("Start(%+v) accepted", cfg)
		}
	}
}

func TestMainFlags(t *testing.T) {
	var out, errb bytes.Buffer
	if code := Main([]string{"--help"}, &out, &errb); code != 0 || !strings.Contains(out.String(), "PUBLIC IPv4") || !strings.Contains(out.String(), "10000-20000") {
		t.Fatalf("--help: code %d, %q", code, out.String())
	}
	errb.Reset()
	if code := Main([]string{"--rtp", "20000-10"}, &out, &errb); code != 2 || !strings.Contains(errb.String(), "--rtp") {
		t.Fatalf("bad --rtp: code %d, %q", code, errb.String())
	}
	if code := Main([]string{"--bogus"}, &out, &errb); code != 2 {
		t.Fatalf("unknown flag: code %d", code)
	}
}

// TestSIPTCPLimitPerSource: one address cannot take every SIP/TCP slot; it
// is refused past MaxTCPConnsPerSource while another address is still
// served, and gets a slot again once it closes one.
func TestSIPTCPLimitPerSource(t *testing.T) {
	s, _ := start(t, Config{})
	addr := s.SIPTCPAddr()
	dialFrom := func(src string) net.Conn {
		t.Helper()
		d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(src)}, Timeout: replyWait}
		c, err := d.Dial("tcp", addr.String())
		if err != nil {
			t.Fatalf("dial from %s: %v", src, err)
		}
		t.Cleanup(func() { c.Close() })
		return c
	}
	// served: the connection answers an echo; refused: the server closes it
	served := func(c net.Conn) bool {
		req := []byte("OPTIONS sip:x SIP/2.0\r\nVia: SIP/2.0/TCP 10.0.0.1:5060;branch=z9hG4bKy\r\nCall-ID: lim\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n")
		c.Write(wire.Pad(req, wire.EchoPadSize(len(req))))
		c.SetReadDeadline(time.Now().Add(replyWait))
		n, err := c.Read(make([]byte, 4096))
		return err == nil && n > 0
	}
	var held []net.Conn
	for i := 0; i < MaxTCPConnsPerSource; i++ {
		c := dialFrom("127.0.0.1")
		if !served(c) {
			t.Fatalf("connection %d from 127.0.0.1 refused below the per-source limit", i+1)
		}
		held = append(held, c)
	}
	if served(dialFrom("127.0.0.1")) {
		t.Fatalf("connection %d from one source was served; the limit is %d", MaxTCPConnsPerSource+1, MaxTCPConnsPerSource)
	}
	if !served(dialFrom("127.0.0.2")) {
		t.Fatal("another source was refused while the first held its share")
	}
	held[0].Close()
	deadline := time.Now().Add(replyWait)
	for !served(dialFrom("127.0.0.1")) {
		if time.Now().After(deadline) {
			t.Fatal("the source got no slot back after closing a connection")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestSIPEchoUDPLarge sends the 2,200-byte request of sip.size: the reflector
// must read it whole (its buffer was 2,048 bytes) and, mirrored, answer at
// the same size so the way back is tested too. Hello advertises this.
func TestSIPEchoUDPLarge(t *testing.T) {
	s, _ := start(t, Config{})
	c := dial(t, s.SIPAddr())
	req := []byte("OPTIONS sip:x SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKx\r\nCall-ID: big\r\nCSeq: 1 OPTIONS\r\n" +
		wire.SIPMirrorHeader + ": 1\r\nContent-Length: 0\r\n\r\n")
	for _, size := range []int{1400, 2200, 4000} {
		padded := wire.PadLines(req, size)
		if len(padded) != size {
			t.Fatalf("padded to %d, want %d", len(padded), size)
		}
		got := exchange(t, c, padded, replyWait)
		if len(got) != 1 {
			t.Fatalf("%d bytes: %d answers", size, len(got))
		}
		m, err := wire.ParseSIP(got[0])
		if err != nil {
			t.Fatal(err)
		}
		echo, err := wire.DecodeEcho(m)
		if err != nil || !bytes.Equal(echo, req) {
			t.Fatalf("%d bytes: echo %q (%v)", size, echo, err)
		}
		if len(got[0]) != size || m.Get(wire.SIPReceivedHeader) != strconv.Itoa(size) {
			t.Fatalf("%d bytes: answer of %d bytes, %s %q", size, len(got[0]), wire.SIPReceivedHeader, m.Get(wire.SIPReceivedHeader))
		}
	}
	hello := wire.Build(wire.Header{Type: wire.TypeHello, Nonce: 7}, nil, wire.HelloSize, "")
	got := exchange(t, c, hello, replyWait)
	if len(got) != 1 {
		t.Fatal("no hello reply")
	}
	_, body, _ := wire.Parse(got[0])
	if hr, _ := wire.ParseHelloReply(body); hr.Flags&wire.HelloLargeSIP == 0 {
		t.Fatalf("hello flags %#x lack HelloLargeSIP", hr.Flags)
	}
}

package wire

import (
	"bytes"
	"net/netip"
	"testing"
)

func TestBuildParseRoundTrip(t *testing.T) {
	e := EchoBody{Seq: 7, ClientTx: 123456789, ServerRx: -5, ServerCount: 3}
	body := make([]byte, EchoLen)
	e.Put(body)
	b := Build(Header{Type: TypeEcho, Nonce: 42}, body, 172, "secret")
	if len(b) != 172 {
		t.Fatalf("padded size = %d, want 172", len(b))
	}
	h, got, err := Parse(b)
	if err != nil || h.Type != TypeEcho || h.Nonce != 42 || h.Flags&FlagAuth == 0 {
		t.Fatalf("Parse = %+v, %v", h, err)
	}
	if pe, ok := ParseEcho(got); !ok || pe != e {
		t.Fatalf("echo body = %+v, want %+v", pe, e)
	}
	if !Verify(b, "secret") || Verify(b, "other") {
		t.Fatal("tag does not verify with the right token only")
	}
	b[100] ^= 1
	if Verify(b, "secret") {
		t.Fatal("tag verifies after the padding changed")
	}
}

func TestParseRejects(t *testing.T) {
	good := Build(Header{Type: TypeHello}, nil, HelloSize, "")
	cases := map[string][]byte{
		"short":   good[:HeaderLen-1],
		"magic":   append([]byte("XZDR"), good[4:]...),
		"version": func() []byte { b := bytes.Clone(good); b[4] = 9; return b }(),
		"type":    func() []byte { b := bytes.Clone(good); b[5] = 99; return b }(),
		"body":    Build(Header{Type: TypeEcho}, nil, 0, ""),
	}
	for name, b := range cases {
		if _, _, err := Parse(b); err == nil {
			t.Errorf("%s: Parse accepted %x", name, b)
		}
	}
}

func TestHelloReplyRoundTrip(t *testing.T) {
	hr := HelloReplyBody{Observed: netip.MustParseAddrPort("203.0.113.7:40000"), RTPFrom: 10000, RTPTo: 20000, SIPPort: 5060, ControlPort: 20999, Flags: HelloTimers}
	got, ok := ParseHelloReply(hr.Marshal())
	if !ok || got != hr {
		t.Fatalf("got %+v, want %+v", got, hr)
	}
	// A reflector that says its budget: four more bytes and a flag; an
	// older client reads the first 28 and ignores them.
	hr.RatePPS = 20000
	b := hr.Marshal()
	got, ok = ParseHelloReply(b)
	if len(b) != HelloReplyBudgetLen || !ok || got.RatePPS != 20000 || got.Flags&HelloBudget == 0 {
		t.Fatalf("with a budget: %d bytes, %+v", len(b), got)
	}
	if old, _ := ParseHelloReply(b[:HelloReplyLen]); old.RatePPS != 0 {
		t.Fatalf("a truncated reply read a budget: %+v", old)
	}
}

func TestSIPEchoRoundTrip(t *testing.T) {
	req := []byte("REGISTER sip:198.51.100.40 SIP/2.0\r\nVia: SIP/2.0/UDP 192.168.1.5:5060;branch=z9hG4bK1;rport\r\n" +
		"From: <sip:a@192.168.1.5>;tag=1\r\nTo: <sip:a@192.168.1.5>\r\nCall-ID: abc@192.168.1.5\r\nCSeq: 1 REGISTER\r\n" +
		"Contact: <sip:a@192.168.1.5:5060>\r\nX-BD-Auth: " + SIPAuth("tok", "abc@192.168.1.5") + "\r\nContent-Length: 0\r\n\r\n")
	padded := Pad(req, EchoPadSize(len(req)))
	if !bytes.Equal(StripPad(padded), req) {
		t.Fatalf("StripPad(Pad(x)) != x:\n%s", StripPad(padded))
	}
	resp, ok := EchoResponse(padded, "tok")
	if !ok || len(resp) > len(padded) {
		t.Fatalf("EchoResponse ok=%v len=%d > request %d", ok, len(resp), len(padded))
	}
	m, err := ParseSIP(resp)
	if err != nil || m.StatusCode() != 200 {
		t.Fatalf("response %q: %v", resp, err)
	}
	echo, err := DecodeEcho(m)
	if err != nil || !bytes.Equal(echo, req) {
		t.Fatalf("echo = %q, %v", echo, err)
	}
	// Wrong token: 403, still no larger than the request.
	resp, ok = EchoResponse(padded, "other")
	if m, _ := ParseSIP(resp); !ok || m.StatusCode() != 403 || len(resp) > len(padded) {
		t.Fatalf("wrong token: %q", resp)
	}
	// Unpadded: the echo does not fit, so 513 or nothing — never more bytes.
	resp, ok = EchoResponse(req, "tok")
	if ok && (len(resp) > len(req) || !bytes.HasPrefix(resp, []byte("SIP/2.0 513"))) {
		t.Fatalf("unpadded: %q", resp)
	}
}

func TestSIPFrameLen(t *testing.T) {
	msg := []byte("OPTIONS sip:x SIP/2.0\r\nl: 3\r\n\r\nabcNEXT")
	n, err := SIPFrameLen(msg)
	if err != nil || n != len(msg)-4 {
		t.Fatalf("n=%d err=%v", n, err)
	}
	if n, _ := SIPFrameLen(msg[:20]); n != 0 {
		t.Fatalf("partial message framed as %d", n)
	}
	if _, err := SIPFrameLen([]byte("A\r\nContent-Length: -1\r\n\r\n")); err == nil {
		t.Fatal("negative Content-Length accepted")
	}
}

// FuzzParse: hostile datagrams never panic the parsers.
func FuzzParse(f *testing.F) {
	f.Add(Build(Header{Type: TypeHello}, nil, HelloSize, "t"))
	f.Add(Build(Header{Type: TypeEcho}, make([]byte, EchoLen), 172, ""))
	f.Add(Build(Header{Type: TypeTimerArm}, ArmBody{ID: 1, DelayMs: 1000, Mode: 1}.Marshal(), 0, "t"))
	f.Add([]byte("INVITE sip:x SIP/2.0\r\nv: SIP/2.0/UDP 1.2.3.4\r\n l: 5\r\n\r\nhello"))
	f.Add([]byte("BZDR"))
	f.Fuzz(func(t *testing.T, b []byte) {
		if h, body, err := Parse(b); err == nil {
			ParseHelloReply(body)
			ParseEcho(body)
			ParseArm(body)
			ParseStats(body)
			_ = h.Type.String() + h.Code.String()
			Verify(b, "t")
		}
		if m, err := ParseSIP(b); err == nil {
			m.StatusCode()
			DecodeEcho(m)
		}
		SIPFrameLen(b)
		if resp, ok := EchoResponse(b, ""); ok && len(resp) > len(b) {
			t.Fatalf("echo answer %d bytes > request %d", len(resp), len(b))
		}
		StripPad(b)
	})
}

func TestPadLinesExact(t *testing.T) {
	raw := []byte("OPTIONS sip:x SIP/2.0\r\nCall-ID: a\r\nContent-Length: 0\r\n\r\n")
	for size := len(raw); size < 3000; size++ {
		got := PadLines(raw, size)
		short := size - len(got)
		if short < 0 || short > 9 || (short > 0 && size-len(raw) >= 10) {
			t.Fatalf("size %d: got %d bytes", size, len(got))
		}
		if !bytes.Equal(StripPad(got), raw) {
			t.Fatalf("size %d: StripPad does not restore the message", size)
		}
		for _, l := range bytes.Split(got, []byte("\r\n")) {
			if len(l) > 72 {
				t.Fatalf("size %d: line of %d bytes", size, len(l))
			}
		}
	}
}

func TestEchoMirrorNeverLarger(t *testing.T) {
	req := []byte("OPTIONS sip:x SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKx\r\nCall-ID: m\r\nCSeq: 1 OPTIONS\r\n" +
		SIPMirrorHeader + ": 1\r\nContent-Length: 0\r\n\r\n")
	for size := len(req); size < 2500; size += 7 {
		in := PadLines(req, size)
		resp, ok := EchoResponse(in, "")
		if ok && len(resp) > len(in) {
			t.Fatalf("request %d bytes: answer %d bytes", len(in), len(resp))
		}
		if size >= 1000 && (!ok || len(resp) < len(in)-9) {
			t.Fatalf("request %d bytes: answer %d bytes (ok=%v), want mirrored", len(in), len(resp), ok)
		}
	}
}

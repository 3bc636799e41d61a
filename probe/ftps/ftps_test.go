package ftps

import (
	"bufio"
	"bytes"
	"context"
	"net"
	"net/netip"
	"net/textproto"
	"strings"
	"testing"

	"github.com/biztel-tools/biztel-doctor/probe/tcp"
)

func TestParsePassiveReplies(t *testing.T) {
	t.Parallel()
	pasv := []struct {
		code      int
		msg, host string
		port      int
		ok        bool
	}{
		{227, "Entering Passive Mode (203,0,113,11,82,16).", "203.0.113.11", 21008, true},
		{227, "=203,0,113,11,82,16", "203.0.113.11", 21008, true},
		{227, "Entering Passive Mode (127,0,0,1,0,0).", "", 0, false},   // port 0
		{227, "Entering Passive Mode (999,0,0,1,82,16).", "", 0, false}, // not a byte
		{227, "Entering Passive Mode (1,2,3,4,999,999).", "", 0, false}, // port > 65535
		{227, "Entering Passive Mode (1,2,3,4,256,0).", "", 0, false},   // p1 not a byte
		{200, "Entering Passive Mode (1,2,3,4,82,16).", "", 0, false},   // wrong code
		{227, "Entering Passive Mode.", "", 0, false},
	}
	for _, c := range pasv {
		host, port, ok := ParsePASV(c.code, c.msg)
		if host != c.host || port != c.port || ok != c.ok {
			t.Errorf("ParsePASV(%d, %q) = %q, %d, %v; want %q, %d, %v", c.code, c.msg, host, port, ok, c.host, c.port, c.ok)
		}
	}
	epsv := []struct {
		code int
		msg  string
		port int
		ok   bool
	}{
		{229, "Entering Extended Passive Mode (|||20995|)", 20995, true},
		{229, "Entering Extended Passive Mode (|||0|)", 0, false},
		{229, "Entering Extended Passive Mode (|||99999|)", 0, false},
		{229, "Entering Extended Passive Mode (|1|2|3|)", 0, false},
		{200, "(|||20995|)", 0, false},
	}
	for _, c := range epsv {
		port, ok := ParseEPSV(c.code, c.msg)
		if port != c.port || ok != c.ok {
			t.Errorf("ParseEPSV(%d, %q) = %d, %v; want %d, %v", c.code, c.msg, port, ok, c.port, c.ok)
		}
	}
}

// FuzzFTPReply: the FTP reply reader (banner, AUTH TLS, PASV answers).
func FuzzFTPReply(f *testing.F) {
	f.Add([]byte("220 ready\r\n"))
	f.Add([]byte("220-a\r\n b\r\n220 c\r\n234 go\r\n"))
	f.Add([]byte("220\r\n120 wait\r\n227 Entering Passive Mode (1,2,3,4,5,6)\r\n"))
	f.Add([]byte("220-never ends\r\n"))
	f.Add([]byte("SSH-2.0-x\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		tp := textproto.NewReader(bufio.NewReader(bytes.NewReader(data)))
		for range 8 {
			code, msg, err := ReadReply(&textproto.Conn{Reader: *tp})
			if err != nil {
				return
			}
			if code < 100 || code > 599 {
				t.Fatalf("code %d accepted", code)
			}
			if l := Line(code, msg); len(l) > 200 {
				t.Fatalf("Line is %d bytes", len(l))
			}
		}
	})
}

// FuzzPassiveReply: PASV/EPSV offers; an accepted offer is a real port.
func FuzzPassiveReply(f *testing.F) {
	f.Add(227, "Entering Passive Mode (203,0,113,11,82,16).")
	f.Add(227, "(127,0,0,1,0,0)")
	f.Add(227, "(999,999,999,999,999,999)")
	f.Add(229, "Entering Extended Passive Mode (|||20995|)")
	f.Add(229, "(|||0|)")
	f.Fuzz(func(t *testing.T, code int, msg string) {
		if host, port, ok := ParsePASV(code, msg); ok {
			if a, err := netip.ParseAddr(host); err != nil || !a.Is4() || port < 1 || port > 65535 {
				t.Fatalf("PASV %q accepted as %s:%d", msg, host, port)
			}
		}
		if port, ok := ParseEPSV(code, msg); ok && (port < 1 || port > 65535) {
			t.Fatalf("EPSV %q accepted as port %d", msg, port)
		}
	})
}

// scripted serves one connection: it writes greeting, then answers each
// command line with answers[command] (or "500 ?").
func scripted(t *testing.T, greeting string, answers map[string]string) string {
	t.Helper()
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		_, _ = c.Write([]byte(greeting))
		r := bufio.NewReader(c)
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return
			}
			a, ok := answers[strings.TrimSpace(line)]
			if !ok {
				a = "500 ?\r\n"
			}
			_, _ = c.Write([]byte(a))
		}
	}()
	return ln.Addr().String()
}

// plain is an Upgrade that keeps the connection as it is (the dialogue
// around the handshake is under test, not TLS).
func plain(_ context.Context, c net.Conn, _ *tcp.Attempt) net.Conn { return c }

func TestOpen(t *testing.T) {
	cases := []struct {
		name, mode, greeting string
		answers              map[string]string
		stage                string // where it stopped; "" opened
		class                tcp.Class
	}{
		{"explicit", Explicit, "220-hello\r\n220 ready\r\n", map[string]string{"AUTH TLS": "234 go\r\n", "PASV": "227 Entering Passive Mode (127,0,0,1,82,16).\r\n"}, "", tcp.OK},
		{"implicit", Implicit, "120 soon\r\n220 ready\r\n", nil, "", tcp.OK},
		{"auth refused", Explicit, "220 ready\r\n", map[string]string{"AUTH TLS": "502 no\r\n"}, "auth_tls", tcp.Protocol},
		{"not ftp", Explicit, "SSH-2.0-OpenSSH_9\r\n", nil, "banner", tcp.Protocol},
		{"busy", Implicit, "421 too many\r\n", nil, "banner", tcp.Protocol},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			addr := scripted(t, c.greeting, c.answers)
			s, a := Open(context.Background(), &net.Dialer{}, addr, c.mode, plain)
			if a.Class != c.class || (c.stage != "" && a.Stage != c.stage) || (s == nil) != (c.stage != "") {
				t.Fatalf("session %v, attempt %+v; want stage %q class %s", s != nil, a, c.stage, c.class)
			}
			if s == nil {
				return
			}
			defer s.Close()
			if !strings.HasPrefix(s.Banner, "220 ") || s.Mode != c.mode {
				t.Errorf("banner %q mode %s", s.Banner, s.Mode)
			}
			if c.mode == Explicit {
				code, msg, ok := s.Command(context.Background(), "pasv", &a, "PASV")
				host, port, pok := ParsePASV(code, msg)
				if !ok || !pok || host != "127.0.0.1" || port != 82*256+16 {
					t.Errorf("PASV: %d %q → %s:%d %v", code, msg, host, port, pok)
				}
			}
		})
	}
}

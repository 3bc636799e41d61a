package serve

import (
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/biztel-tools/biztel-doctor/serve/wire"
)

// FuzzHandleDatagram feeds hostile datagrams to every socket role and holds
// every answer to the size rule. Loopback delivery is synchronous, so the
// answers are in the sink's queue when handleUDP returns.
func FuzzHandleDatagram(f *testing.F) {
	f.Add(wire.Build(wire.Header{Type: wire.TypeHello}, nil, wire.HelloSize, ""))
	f.Add(wire.Build(wire.Header{Type: wire.TypeEcho}, make([]byte, wire.EchoLen), 64, ""))
	f.Add(wire.Build(wire.Header{Type: wire.TypeStats}, nil, 40, ""))
	f.Add(wire.Build(wire.Header{Type: wire.TypeTimerArm}, wire.ArmBody{DelayMs: 1, Mode: 1}.Marshal(), 64, ""))
	f.Add([]byte("REGISTER sip:x SIP/2.0\r\nVia: SIP/2.0/UDP 1.2.3.4\r\nCall-ID: a\r\nCSeq: 1 REGISTER\r\nX-Pad: " +
		"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\r\nContent-Length: 0\r\n\r\n"))
	s, _ := startF(f)
	sink, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		f.Fatal(err)
	}
	defer sink.Close()
	to := sink.LocalAddr().(*net.UDPAddr).AddrPort()
	buf := make([]byte, 65536)
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) > wire.MaxDatagram {
			b = b[:wire.MaxDatagram]
		}
		for _, role := range []socketRole{roleSIP, roleControl, roleRTP} {
			c := s.control
			if role == roleSIP {
				c = s.sip
			}
			s.handleUDP(c, role, append([]byte(nil), b...), netip.AddrPortFrom(to.Addr(), to.Port()))
			for {
				sink.SetReadDeadline(time.Now().Add(time.Millisecond))
				n, _, err := sink.ReadFromUDP(buf)
				if err != nil {
					break
				}
				if n > len(b) {
					t.Fatalf("role %s: answer %d bytes to a %d-byte datagram", role, n, len(b))
				}
			}
		}
	})
}

func startF(f *testing.F) (*Server, error) {
	s, err := Start(f.Context(), Config{Listen: "127.0.0.1", RatePPS: 1 << 30, RateBurst: 1 << 30})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { s.Close() })
	return s, nil
}

package checktest

import (
	"encoding/binary"
	"net"
	"sync/atomic"
	"time"
)

// NTPMode is how a fake NTP server behaves.
type NTPMode int

const (
	NTPGood        NTPMode = iota // a stratum-2 server answer (RFC 5905 mode 4)
	NTPKissOfDeath                // stratum 0 with kiss code RATE
	NTPGarbage                    // a short datagram that is not NTP
	NTPSilent                     // never answers
	NTPWrongOrigin                // a well-formed answer to some other request
)

// NTPServer is a fake NTP server on loopback.
type NTPServer struct {
	Addr *net.UDPAddr
	Mode NTPMode
	// Skew is added to the server's clock, to test the offset threshold.
	Skew time.Duration
	// Stratum is the stratum a good answer claims (default 2).
	Stratum byte

	requests atomic.Int64
}

// NewNTP starts a fake NTP server on 127.0.0.1:0 whose clock is off by skew.
func NewNTP(t TB, mode NTPMode, skew time.Duration) *NTPServer {
	s := &NTPServer{Mode: mode, Stratum: 2, Skew: skew}
	return s.Serve(ListenUDP(t, "127.0.0.1", 0))
}

// Serve answers on c (configure the fields first).
func (s *NTPServer) Serve(c *net.UDPConn) *NTPServer {
	s.Addr = c.LocalAddr().(*net.UDPAddr)
	go s.loop(c)
	return s
}

// Port is the server's port.
func (s *NTPServer) Port() int { return s.Addr.Port }

// Requests is how many datagrams arrived.
func (s *NTPServer) Requests() int { return int(s.requests.Load()) }

// ntpEpochOffset is the seconds from 1900-01-01 to 1970-01-01.
const ntpEpochOffset = 2208988800

func ntpTime(t time.Time) uint64 {
	secs := uint64(t.Unix() + ntpEpochOffset)
	frac := uint64(t.Nanosecond()) << 32 / 1e9
	return secs<<32 | frac
}

func (s *NTPServer) loop(c *net.UDPConn) {
	buf := make([]byte, 1024)
	for {
		n, src, err := c.ReadFromUDP(buf)
		if err != nil {
			return
		}
		s.requests.Add(1)
		if n < 48 || s.Mode == NTPSilent {
			continue
		}
		if s.Mode == NTPGarbage {
			_, _ = c.WriteToUDP([]byte("hello, not ntp"), src)
			continue
		}
		now := time.Now().Add(s.Skew)
		resp := make([]byte, 48)
		resp[0] = 0<<6 | 4<<3 | 4 // LI 0, version 4, mode 4 (server)
		resp[1] = s.Stratum
		resp[2] = 6                                      // poll 2^6 s
		resp[3] = 0xec                                   // precision ~2^-20 s
		binary.BigEndian.PutUint32(resp[4:], 0x00000100) // root delay ~4 ms
		binary.BigEndian.PutUint32(resp[8:], 0x00000100) // root dispersion ~4 ms
		copy(resp[12:16], []byte{192, 0, 2, 123})        // reference id: an upstream address
		binary.BigEndian.PutUint64(resp[16:], ntpTime(now.Add(-time.Minute)))
		copy(resp[24:32], buf[40:48]) // origin = the client's transmit timestamp
		binary.BigEndian.PutUint64(resp[32:], ntpTime(now))
		binary.BigEndian.PutUint64(resp[40:], ntpTime(now))
		switch s.Mode {
		case NTPKissOfDeath:
			resp[0] = 3<<6 | 4<<3 | 4 // LI alarm
			resp[1] = 0
			copy(resp[12:16], "RATE")
		case NTPWrongOrigin:
			binary.BigEndian.PutUint64(resp[24:], 0x0123456789abcdef)
		}
		_, _ = c.WriteToUDP(resp, src)
	}
}

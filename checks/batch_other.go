//go:build !linux

package checks

import (
	"net"
	"time"

	"github.com/biztel-tools/biztel-doctor/serve/wire"
)

// batchIO is the plain loop where the OS has no sendmmsg/recvmmsg wired
// up: one system call per datagram, the same interface.
type batchIO struct {
	c   *net.UDPConn
	buf []byte
	got [1]inMsg
}

// outMsg is one datagram to send; inMsg one received, with its arrival.
type outMsg struct {
	b  []byte
	to *net.UDPAddr
}

type inMsg struct {
	b  []byte
	at time.Time
}

func newBatchIO(c *net.UDPConn) *batchIO { return &batchIO{c: c, buf: make([]byte, wire.MaxDatagram)} }

// write sends every message; one the kernel refuses is dropped.
func (io *batchIO) write(msgs []outMsg) {
	for _, m := range msgs {
		io.c.WriteToUDP(m.b, m.to)
	}
}

// read returns the next datagram (up to the socket's deadline).
func (io *batchIO) read() ([]inMsg, error) {
	n, _, err := io.c.ReadFromUDP(io.buf)
	if err != nil {
		return nil, err
	}
	io.got[0] = inMsg{b: io.buf[:n], at: time.Now()}
	return io.got[:], nil
}

//go:build linux

package checks

import (
	"net"
	"syscall"
	"time"

	"golang.org/x/net/ipv4"

	"github.com/biztel-tools/biztel-doctor/serve/wire"
)

// batchIO sends and receives many datagrams per system call (sendmmsg,
// recvmmsg through x/net/ipv4), with the kernel's receive timestamps.
type batchIO struct {
	pc    *ipv4.PacketConn
	stamp bool
	out   []ipv4.Message
	in    []ipv4.Message
	got   []inMsg
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

func newBatchIO(c *net.UDPConn) *batchIO {
	io := &batchIO{pc: ipv4.NewPacketConn(c), out: make([]ipv4.Message, loadBatch), in: make([]ipv4.Message, loadBatch)}
	if raw, err := c.SyscallConn(); err == nil {
		raw.Control(func(fd uintptr) {
			io.stamp = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_TIMESTAMPNS, 1) == nil
		})
	}
	for i := range io.in {
		io.in[i].Buffers = [][]byte{make([]byte, wire.MaxDatagram)}
		io.in[i].OOB = make([]byte, 64)
	}
	return io
}

// write sends every message; a message the kernel refuses is dropped (a
// full send buffer is loss the check then reports).
func (io *batchIO) write(msgs []outMsg) {
	for len(msgs) > 0 {
		n := min(len(msgs), len(io.out))
		for i := 0; i < n; i++ {
			io.out[i].Buffers, io.out[i].Addr = [][]byte{msgs[i].b}, msgs[i].to
		}
		sent, err := io.pc.WriteBatch(io.out[:n], 0)
		if err != nil || sent <= 0 {
			sent = 1 // skip the one refused
		}
		msgs = msgs[sent:]
	}
}

// read waits for at least one datagram (up to the socket's deadline) and
// returns those that arrived; the slices are valid until the next read.
func (io *batchIO) read() ([]inMsg, error) {
	n, err := io.pc.ReadBatch(io.in, 0)
	now := time.Now()
	if err != nil {
		return nil, err
	}
	io.got = io.got[:0]
	for _, m := range io.in[:n] {
		at := now
		if io.stamp {
			at = kernelStamp(m.OOB[:m.NN], now)
		}
		io.got = append(io.got, inMsg{b: m.Buffers[0][:m.N], at: at})
	}
	return io.got, nil
}

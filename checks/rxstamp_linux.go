//go:build linux

package checks

import (
	"encoding/binary"
	"net"
	"syscall"
	"time"
)

// rxStamper reads datagrams with the kernel's receive time (SO_TIMESTAMPNS),
// so a busy laptop's scheduling delay does not count as network delay or
// jitter. Sockets that are not *net.UDPConn, or a kernel that refuses,
// fall back to the time the read returned.
type rxStamper struct {
	uc  *net.UDPConn
	oob []byte
}

func newRxStamper(c net.PacketConn) *rxStamper {
	uc, ok := c.(*net.UDPConn)
	if !ok {
		return &rxStamper{}
	}
	raw, err := uc.SyscallConn()
	if err != nil {
		return &rxStamper{}
	}
	var serr error
	if err := raw.Control(func(fd uintptr) {
		serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_TIMESTAMPNS, 1)
	}); err != nil || serr != nil {
		return &rxStamper{}
	}
	return &rxStamper{uc: uc, oob: make([]byte, 128)}
}

// read returns the datagram's length and when it arrived.
func (r *rxStamper) read(c net.PacketConn, buf []byte) (int, time.Time, error) {
	if r.uc == nil {
		n, _, err := c.ReadFrom(buf)
		return n, time.Now(), err
	}
	n, oobn, _, _, err := r.uc.ReadMsgUDP(buf, r.oob)
	now := time.Now()
	if err != nil {
		return n, now, err
	}
	return n, kernelStamp(r.oob[:oobn], now), nil
}

// kernelStamp reads the SO_TIMESTAMPNS stamp out of a read's control
// data; now when there is none or it cannot be trusted.
func kernelStamp(oob []byte, now time.Time) time.Time {
	msgs, err := syscall.ParseSocketControlMessage(oob)
	if err != nil {
		return now
	}
	for _, m := range msgs {
		if m.Header.Level != syscall.SOL_SOCKET || m.Header.Type != syscall.SO_TIMESTAMPNS {
			continue
		}
		var sec, nsec int64
		switch len(m.Data) {
		case 16: // 64-bit struct timespec
			sec, nsec = int64(binary.NativeEndian.Uint64(m.Data)), int64(binary.NativeEndian.Uint64(m.Data[8:]))
		case 8:
			sec, nsec = int64(int32(binary.NativeEndian.Uint32(m.Data))), int64(int32(binary.NativeEndian.Uint32(m.Data[4:])))
		default:
			return now
		}
		at := time.Unix(sec, nsec)
		// A stamp from the future or far past (clock stepped) is not trusted.
		if d := now.Sub(at); d < 0 || d > time.Second {
			return now
		}
		return at
	}
	return now
}

//go:build linux

package tcp

import (
	"errors"
	"net"
	"syscall"

	"golang.org/x/sys/unix"
)

// tcpiOptTimestamps is TCPI_OPT_TIMESTAMPS of struct tcp_info (linux/tcp.h).
const tcpiOptTimestamps = 1

// MaxSeg reads TCP_MAXSEG of an established connection and whether
// timestamps were negotiated (TCP_INFO), so the caller can add them back.
func MaxSeg(c net.Conn) (int, bool, error) {
	sc, ok := c.(syscall.Conn)
	if !ok {
		return 0, false, errors.New("not a TCP socket")
	}
	raw, err := sc.SyscallConn()
	if err != nil {
		return 0, false, err
	}
	var mss int
	var ts bool
	var serr error
	err = raw.Control(func(fd uintptr) {
		mss, serr = unix.GetsockoptInt(int(fd), unix.IPPROTO_TCP, unix.TCP_MAXSEG)
		if serr != nil {
			return
		}
		if info, err := unix.GetsockoptTCPInfo(int(fd), unix.IPPROTO_TCP, unix.TCP_INFO); err == nil {
			ts = info.Options&tcpiOptTimestamps != 0
		}
	})
	if err == nil {
		err = serr
	}
	return mss, ts, err
}

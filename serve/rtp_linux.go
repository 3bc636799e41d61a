//go:build linux

package serve

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"time"

	"golang.org/x/sys/unix"
)

// rtpBatch is how many datagrams one ready RTP socket may hand over per
// wake-up before the loop moves on, so one busy port cannot starve others.
const rtpBatch = 32

// rtpEvents is how many ready sockets one epoll_wait reports.
const rtpEvents = 128

// wakeIndex marks the eventfd in the epoll set; RTP sockets carry their
// index into Server.rtp instead.
const wakeIndex = -1

// rtpLoop serves every RTP socket from one goroutine over an epoll set,
// instead of one goroutine (and stack) per port: 10,001 ports cost one
// 1500-byte buffer and one stack.
//
// fds holds the sockets' raw descriptors. They are read only while the loop
// runs, and stop closes no socket until the loop has returned, so a
// descriptor is never read after its *net.UDPConn closed (the kernel would
// reuse the number for another socket).
type rtpLoop struct {
	ep   int // epoll instance
	wake int // eventfd that stop writes to end the loop
	fds  []int
	done chan struct{}

	stopped func() // test hook: runs once the loop has returned, before any socket closes
}

// startRTP serves the RTP sockets from an epoll loop, or from one goroutine
// per socket when the kernel refuses the epoll set.
func (s *Server) startRTP() {
	if len(s.rtp) == 0 {
		return
	}
	l, err := newRTPLoop(s.rtp)
	if err != nil {
		s.cfg.Log.Printf("serve: RTP epoll unavailable (%v); one goroutine per port", err)
		for _, c := range s.rtp {
			s.serveUDP(c, roleRTP)
		}
		return
	}
	s.loop = l
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		defer close(l.done)
		if err := s.runRTP(l); err != nil {
			s.cfg.Log.Printf("serve: RTP loop stopped: %v", err)
		}
	}()
}

func newRTPLoop(conns []*net.UDPConn) (l *rtpLoop, err error) {
	l = &rtpLoop{ep: -1, wake: -1, fds: make([]int, len(conns)), done: make(chan struct{})}
	defer func() {
		if err != nil {
			l.closeFDs()
		}
	}()
	if l.ep, err = unix.EpollCreate1(unix.EPOLL_CLOEXEC); err != nil {
		return nil, fmt.Errorf("epoll_create1: %w", err)
	}
	if l.wake, err = unix.Eventfd(0, unix.EFD_CLOEXEC|unix.EFD_NONBLOCK); err != nil {
		return nil, fmt.Errorf("eventfd: %w", err)
	}
	if err = unix.EpollCtl(l.ep, unix.EPOLL_CTL_ADD, l.wake, &unix.EpollEvent{Events: unix.EPOLLIN, Fd: wakeIndex}); err != nil {
		return nil, fmt.Errorf("epoll_ctl eventfd: %w", err)
	}
	for i, c := range conns {
		rc, err := c.SyscallConn()
		if err != nil {
			return nil, err
		}
		// The Fd field is epoll's opaque user data: it carries the index.
		ev := unix.EpollEvent{Events: unix.EPOLLIN, Fd: int32(i)}
		var cerr error
		if err := rc.Control(func(fd uintptr) {
			l.fds[i] = int(fd)
			cerr = unix.EpollCtl(l.ep, unix.EPOLL_CTL_ADD, int(fd), &ev)
		}); err != nil {
			return nil, err
		}
		if cerr != nil {
			return nil, fmt.Errorf("epoll_ctl RTP port %s: %w", c.LocalAddr(), cerr)
		}
	}
	return l, nil
}

func (l *rtpLoop) closeFDs() {
	for _, fd := range []int{l.wake, l.ep} {
		if fd >= 0 {
			unix.Close(fd)
		}
	}
}

// runRTP waits for ready sockets and hands each datagram to handleUDP, the
// same path (and send rule) as every other socket. It returns when stop
// writes the eventfd.
func (s *Server) runRTP(l *rtpLoop) error {
	events := make([]unix.EpollEvent, rtpEvents)
	buf := make([]byte, rtpReadBuffer)
	for {
		n, err := unix.EpollWait(l.ep, events, -1)
		if err != nil {
			if errors.Is(err, unix.EINTR) {
				continue
			}
			return fmt.Errorf("epoll_wait: %w", err)
		}
		for _, ev := range events[:n] {
			if ev.Fd == wakeIndex {
				return nil
			}
			i := int(ev.Fd)
			for range rtpBatch {
				m, sa, err := unix.Recvfrom(l.fds[i], buf, unix.MSG_DONTWAIT)
				if err != nil {
					if errors.Is(err, unix.EINTR) {
						continue
					}
					break // EAGAIN: drained; ICMP errors (ECONNREFUSED) also surface here
				}
				from, ok := addrPort(sa)
				if !ok {
					continue
				}
				s.handleUDP(s.rtp[i], roleRTP, buf[:m], from)
			}
		}
	}
}

// addrPort is the sender as ReadFromUDPAddrPort reports it.
func addrPort(sa unix.Sockaddr) (netip.AddrPort, bool) {
	switch sa := sa.(type) {
	case *unix.SockaddrInet4:
		return netip.AddrPortFrom(netip.AddrFrom4(sa.Addr), uint16(sa.Port)), true
	case *unix.SockaddrInet6:
		ip := netip.AddrFrom16(sa.Addr)
		if sa.ZoneId != 0 { // named like net's zone cache: interface name, else the index
			zone := strconv.Itoa(int(sa.ZoneId))
			if ifi, err := net.InterfaceByIndex(int(sa.ZoneId)); err == nil {
				zone = ifi.Name
			}
			ip = ip.WithZone(zone)
		}
		return netip.AddrPortFrom(ip, uint16(sa.Port)), true
	}
	return netip.AddrPort{}, false
}

// stopRTP ends the loop and waits for it; only then may the sockets close.
// A reply stuck on a full send buffer is cut short by a past write deadline
// so the wait cannot hang.
func (s *Server) stopRTP() {
	l := s.loop
	if l == nil {
		return
	}
	past := time.Unix(1, 0)
	for _, c := range s.rtp {
		c.SetWriteDeadline(past)
	}
	one := []byte{1, 0, 0, 0, 0, 0, 0, 0}
	for {
		if _, err := unix.Write(l.wake, one); !errors.Is(err, unix.EINTR) {
			break
		}
	}
	<-l.done
	if l.stopped != nil {
		l.stopped()
	}
	l.closeFDs()
}

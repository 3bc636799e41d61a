// Package neterr classifies network errors the same way on every OS.
//
// Why: Go's syscall.E… values are the Unix errno numbers; on Windows the
// socket calls return WSA and Win32 codes that syscall.Errno.Is maps to
// none of them, so errors.Is(err, syscall.ECONNREFUSED) is never true there
// and a refused port read as "unreachable". Every check and probe asks this
// package instead, so one network reads the same on Windows, macOS and Linux.
//
// The decision is a pure function over (OS family, number) so the tables
// for all three are tested on any machine.
package neterr

import (
	"errors"
	"net"
	"os"
)

// Class is what a network error means for a diagnosis.
type Class int

const (
	Other           Class = iota // none of the below (or nil)
	Refused                      // the peer answered "no" (TCP RST to SYN, ICMP port unreachable)
	Reset                        // an established connection was reset or aborted
	NetUnreachable               // no route to the network (or the network is down)
	HostUnreachable              // no route to the host (or it is down)
	TimedOut                     // nothing answered in time (kernel or deadline)
	AddrInUse                    // the local address/port is taken
	AddrNotAvail                 // no usable local (source) address for the destination
	Permission                   // the OS or a local firewall refused the operation
	MsgTooLong                   // a datagram larger than the socket/path allows
)

var names = [...]string{"other", "refused", "reset", "network_unreachable", "host_unreachable",
	"timed_out", "address_in_use", "address_not_available", "permission_denied", "message_too_long"}

// String is the class's stable name (used in report facts).
func (c Class) String() string {
	if c < 0 || int(c) >= len(names) {
		return "other"
	}
	return names[c]
}

// Unreachable reports whether c means the host has no path to the
// destination (no route, network or host unreachable, no source address).
func (c Class) Unreachable() bool {
	return c == NetUnreachable || c == HostUnreachable || c == AddrNotAvail
}

// Classify names err's class on the running OS.
func Classify(err error) Class { return classify(native, err) }

// Is reports whether err is of one of the classes.
func Is(err error, classes ...Class) bool {
	c := Classify(err)
	for _, want := range classes {
		if c == want {
			return true
		}
	}
	return false
}

// ClassifyFor names err's class as it would be on goos ("linux",
// "windows", "darwin", "freebsd" …): the pure decision behind Classify.
func ClassifyFor(goos string, err error) Class { return classify(tableFor(goos), err) }

// Decide names the class of OS error number n on goos.
func Decide(goos string, n uintptr) Class { return tableFor(goos)[n] }

func classify(t table, err error) Class {
	if err == nil {
		return Other
	}
	if n, ok := errnoOf(err); ok {
		// the number decides alone: syscall.Errno.Timeout is true for
		// EAGAIN on Unix and for none of the WSA codes on Windows
		return t[n]
	}
	var ne net.Error
	if errors.Is(err, os.ErrDeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()) {
		return TimedOut
	}
	return Other
}

package neterr

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"runtime"
	"syscall"
	"testing"
)

// wrapped is an errno as Go's net package returns it.
func wrapped(op, call string, n uintptr) error {
	return &net.OpError{Op: op, Net: "tcp4", Err: os.NewSyscallError(call, syscall.Errno(n))}
}

func TestClassifyPerOS(t *testing.T) {
	type row struct {
		goos, name, op, call string
		n                    uintptr
		want                 Class
	}
	rows := []row{
		// Linux (amd64/arm64 numbers)
		{"linux", "ECONNREFUSED", "dial", "connect", 111, Refused},
		{"linux", "ECONNRESET", "read", "read", 104, Reset},
		{"linux", "EPIPE", "write", "write", 32, Reset},
		{"linux", "ECONNABORTED", "read", "read", 103, Reset},
		{"linux", "ENETUNREACH", "dial", "connect", 101, NetUnreachable},
		{"linux", "EHOSTUNREACH", "dial", "connect", 113, HostUnreachable},
		{"linux", "ETIMEDOUT", "dial", "connect", 110, TimedOut},
		{"linux", "EADDRINUSE", "listen", "bind", 98, AddrInUse},
		{"linux", "EADDRNOTAVAIL", "dial", "connect", 99, AddrNotAvail},
		{"linux", "EACCES", "write", "sendto", 13, Permission},
		{"linux", "EPERM", "write", "sendto", 1, Permission},
		{"linux", "EMSGSIZE", "write", "sendto", 90, MsgTooLong},
		{"linux", "EAGAIN", "read", "read", 11, Other},
		{"linux", "Darwin's ECONNREFUSED is not Linux's", "dial", "connect", 61, Other},
		// macOS / BSD
		{"darwin", "ECONNREFUSED", "dial", "connect", 61, Refused},
		{"darwin", "ECONNRESET", "read", "read", 54, Reset},
		{"darwin", "EPIPE", "write", "write", 32, Reset},
		{"darwin", "ENETUNREACH", "dial", "connect", 51, NetUnreachable},
		{"darwin", "EHOSTUNREACH", "dial", "connect", 65, HostUnreachable},
		{"darwin", "ETIMEDOUT", "dial", "connect", 60, TimedOut},
		{"darwin", "EADDRINUSE", "listen", "bind", 48, AddrInUse},
		{"darwin", "EADDRNOTAVAIL", "dial", "connect", 49, AddrNotAvail},
		{"darwin", "EACCES", "write", "sendto", 13, Permission},
		{"darwin", "EMSGSIZE", "write", "sendto", 40, MsgTooLong},
		{"darwin", "Linux's ECONNREFUSED is not Darwin's", "dial", "connect", 111, Other},
		{"freebsd", "ECONNREFUSED", "dial", "connect", 61, Refused},
		// Windows: what Wine 8.0 showed ("connectex", "winapi error #10051")
		// and the Win32 codes of overlapped completions
		{"windows", "WSAECONNREFUSED", "dial", "connectex", 10061, Refused},
		{"windows", "ERROR_CONNECTION_REFUSED", "dial", "connectex", 1225, Refused},
		{"windows", "WSAECONNRESET", "read", "wsarecv", 10054, Reset},
		{"windows", "WSAECONNABORTED", "write", "wsasend", 10053, Reset},
		{"windows", "ERROR_NETNAME_DELETED", "read", "wsarecv", 64, Reset},
		{"windows", "WSAENETUNREACH", "dial", "connect", 10051, NetUnreachable},
		{"windows", "ERROR_NETWORK_UNREACHABLE", "dial", "connectex", 1231, NetUnreachable},
		{"windows", "WSAEHOSTUNREACH", "dial", "connectex", 10065, HostUnreachable},
		{"windows", "ERROR_HOST_UNREACHABLE", "dial", "connectex", 1232, HostUnreachable},
		{"windows", "WSAETIMEDOUT", "dial", "connectex", 10060, TimedOut},
		{"windows", "ERROR_SEM_TIMEOUT", "dial", "connectex", 121, TimedOut},
		{"windows", "WSAEADDRINUSE", "listen", "bind", 10048, AddrInUse},
		{"windows", "WSAEADDRNOTAVAIL", "dial", "connect", 10049, AddrNotAvail},
		{"windows", "WSAEACCES", "listen", "bind", 10013, Permission},
		{"windows", "WSAEMSGSIZE", "read", "wsarecvfrom", 10040, MsgTooLong},
		{"windows", "ERROR_MORE_DATA", "read", "wsarecvfrom", 234, MsgTooLong},
		{"windows", "Linux's ECONNREFUSED is not Windows'", "dial", "connectex", 111, Other},
		// no table: only timeouts are known
		{"plan9", "anything", "dial", "connect", 111, Other},
	}
	for _, r := range rows {
		err := wrapped(r.op, r.call, r.n)
		if got := ClassifyFor(r.goos, err); got != r.want {
			t.Errorf("%s %s (%v): got %v, want %v", r.goos, r.name, err, got, r.want)
		}
		if got := Decide(r.goos, r.n); got != r.want {
			t.Errorf("Decide(%s, %d): got %v, want %v", r.goos, r.n, got, r.want)
		}
		// a further wrap (as the checks add context) changes nothing
		if got := ClassifyFor(r.goos, fmt.Errorf("probe: %w", err)); got != r.want {
			t.Errorf("%s %s wrapped again: got %v, want %v", r.goos, r.name, got, r.want)
		}
	}
}

func TestClassifyWithoutErrno(t *testing.T) {
	deadline := &net.OpError{Op: "read", Net: "udp4", Err: os.ErrDeadlineExceeded}
	for _, c := range []struct {
		name string
		err  error
		want Class
	}{
		{"nil", nil, Other},
		{"EOF", io.EOF, Other},
		{"read deadline", deadline, TimedOut},
		{"context deadline", context.DeadlineExceeded, TimedOut},
		{"context canceled", context.Canceled, Other},
		{"DNS not found", &net.DNSError{Err: "no such host", Name: "x", IsNotFound: true}, Other},
		{"plain error", errors.New("connection refused"), Other}, // text is never matched
	} {
		for _, goos := range []string{"linux", "darwin", "windows"} {
			if got := ClassifyFor(goos, c.err); got != c.want {
				t.Errorf("%s on %s: got %v, want %v", c.name, goos, got, c.want)
			}
		}
	}
}

// The running OS's table (from package syscall) agrees with the literal
// numbers the other OSes' tests use.
func TestNativeMatchesLiteralTable(t *testing.T) {
	var lit table
	switch {
	case runtime.GOOS == "linux" && (runtime.GOARCH == "amd64" || runtime.GOARCH == "arm64" || runtime.GOARCH == "386" || runtime.GOARCH == "arm"):
		lit = linuxNumbers
	case runtime.GOOS == "darwin" || runtime.GOOS == "freebsd":
		lit = bsdNumbers
	case runtime.GOOS == "windows":
		lit = windowsNumbers
	default:
		t.Skipf("no literal table for %s/%s", runtime.GOOS, runtime.GOARCH)
	}
	if len(native) != len(lit) {
		t.Errorf("native has %d numbers, the literal table %d", len(native), len(lit))
	}
	for n, c := range native {
		if lit[n] != c {
			t.Errorf("errno %d: native %v, literal %v", n, c, lit[n])
		}
	}
}

// Errors from real sockets on this machine (loopback only).
func TestClassifyRealErrors(t *testing.T) {
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	if _, err := net.Listen("tcp4", addr); Classify(err) != AddrInUse {
		t.Errorf("second listen on %s: %v classified %v, want address_in_use", addr, err, Classify(err))
	}
	l.Close()
	_, err = net.Dial("tcp4", addr) // nothing listens now: RST
	if err == nil {
		t.Skip("something else took the port")
	}
	if !Is(err, Refused) {
		t.Errorf("dial to closed port: %v classified %v, want refused", err, Classify(err))
	}
	var ope *net.OpError
	if !errors.As(err, &ope) {
		t.Errorf("dial error %T is not a *net.OpError; the table's wrapping is not what net returns", err)
	}
}

func TestClassNames(t *testing.T) {
	want := map[Class]string{Other: "other", Refused: "refused", Reset: "reset",
		NetUnreachable: "network_unreachable", HostUnreachable: "host_unreachable",
		TimedOut: "timed_out", AddrInUse: "address_in_use", AddrNotAvail: "address_not_available",
		Permission: "permission_denied", MsgTooLong: "message_too_long", Class(99): "other"}
	for c, s := range want {
		if c.String() != s {
			t.Errorf("%d: %q, want %q", int(c), c.String(), s)
		}
	}
	for c := Other; c <= MsgTooLong; c++ {
		if c.Unreachable() != (c == NetUnreachable || c == HostUnreachable || c == AddrNotAvail) {
			t.Errorf("%v.Unreachable() = %v", c, c.Unreachable())
		}
	}
}

package tcp

import (
	"net"
	"os"
	"syscall"
	"testing"

	"github.com/biztel-tools/biztel-doctor/internal/neterr"
)

// A refused port and a missing route classify the same whichever OS
// numbered the error (issue 15: under Wine, WSAECONNREFUSED read as
// "unreachable (… connectex: Connection refused.)").
func TestClassifyDialSameOnEveryOS(t *testing.T) {
	numbers := map[string][3]uintptr{ // refused, network unreachable, host unreachable
		"linux": {111, 101, 113}, "darwin": {61, 51, 65}, "windows": {10061, 10051, 10065},
	}
	want := [3]struct {
		class  Class
		detail string
		net    neterr.Class
	}{
		{Refused, "connection refused (RST)", neterr.Refused},
		{Unreachable, "network unreachable", neterr.NetUnreachable},
		{Unreachable, "host unreachable", neterr.HostUnreachable},
	}
	for goos, ns := range numbers {
		call := "connect"
		if goos == "windows" {
			call = "connectex"
		}
		for i, n := range ns {
			err := &net.OpError{Op: "dial", Net: "tcp4", Err: os.NewSyscallError(call, syscall.Errno(n))}
			c := neterr.ClassifyFor(goos, err)
			class, detail := classifyDial(c, err)
			if class != want[i].class || detail != want[i].detail || c != want[i].net {
				t.Errorf("%s errno %d: %s %q (%v), want %s %q (%v)", goos, n, class, detail, c, want[i].class, want[i].detail, want[i].net)
			}
		}
	}
}

package checks

import (
	"context"
	"net"
	"os"
	"runtime"
	"strings"
	"syscall"
	"testing"

	"github.com/biztel-tools/biztel-doctor/internal/neterr"
	"github.com/biztel-tools/biztel-doctor/profile"
)

var tcpChecks = map[string]bool{"sip.tls": true, "sip.wss": true, "web.8000": true, "ftps.control": true}

// nativeNumbers are the running OS's own numbers.
var nativeNumbers = map[neterr.Class]uintptr{neterr.Refused: uintptr(syscall.ECONNREFUSED),
	neterr.NetUnreachable: uintptr(syscall.ENETUNREACH), neterr.HostUnreachable: uintptr(syscall.EHOSTUNREACH)}

// failDialer fails every dial with err, as Go's net package would.
type failDialer struct{ err func(network string) error }

func (d failDialer) DialContext(_ context.Context, network, _ string) (net.Conn, error) {
	return nil, d.err(network)
}

// osErrno is one OS's number for a condition, wrapped as net returns it.
func osErrno(goos string, n uintptr) func(network string) error {
	call := "connect"
	if goos == "windows" {
		call = "connectex"
	}
	return func(network string) error {
		return &net.OpError{Op: "dial", Net: network, Err: os.NewSyscallError(call, syscall.Errno(n))}
	}
}

// Each check's summary for a refused TCP port and for a missing route is
// the same text whichever OS numbered the error (issue 15): on the old
// code a Windows WSAECONNREFUSED read as "unreachable (… winapi error …)".
func TestSameFindingOnEveryOS(t *testing.T) {
	numbers := map[string]map[neterr.Class]uintptr{
		"linux":   {neterr.Refused: 111, neterr.NetUnreachable: 101, neterr.HostUnreachable: 113},
		"darwin":  {neterr.Refused: 61, neterr.NetUnreachable: 51, neterr.HostUnreachable: 65},
		"windows": {neterr.Refused: 10061, neterr.NetUnreachable: 10051, neterr.HostUnreachable: 10065},
	}
	orig := classifyNet
	t.Cleanup(func() { classifyNet = orig })
	p := &profile.Profile{Server: profile.Server{IP: "203.0.113.10"}, Recording: profile.Endpoint{IP: "203.0.113.11"}}
	type want struct {
		status, result string
		remedies       []string
	}
	cases := []struct {
		ids   []string
		class neterr.Class
		want  func(id string) want
	}{
		{[]string{"sip.tls", "sip.wss", "web.8000"}, neterr.Refused, func(id string) want {
			return want{"fail", "refused", nil}
		}},
		{[]string{"sip.tls", "sip.wss", "web.8000", "ftps.control", "sip.udp", "ntp.hardphone"}, neterr.NetUnreachable, func(string) want {
			return want{"fail", "", []string{remedyIPv4Required}}
		}},
		{[]string{"web.8000", "sip.udp"}, neterr.HostUnreachable, func(string) want {
			return want{"fail", "", []string{remedyIPv4Required}}
		}},
	}
	for _, c := range cases {
		for _, id := range c.ids {
			var first Result
			oses := []string{"linux", "darwin", "windows"}
			if tcpChecks[id] {
				// probe/tcp classifies with the running OS's numbers; its own
				// test (TestClassifyDialSameOnEveryOS) swaps in the others
				oses = []string{runtime.GOOS}
			}
			for _, goos := range oses {
				classifyNet = func(err error) neterr.Class { return neterr.ClassifyFor(goos, err) }
				env := testEnv(t)
				n := numbers[goos][c.class]
				if goos == runtime.GOOS {
					n = nativeNumbers[c.class]
				}
				env.Dialer = failDialer{osErrno(goos, n)}
				opt := DefaultOptions()
				r := runCheck(t, id, p, opt, env, nil)
				w := c.want(id)
				if string(r.Status) != w.status || (w.result != "" && r.Facts["result"] != w.result) ||
					(w.remedies != nil && strings.Join(r.Remedies, ",") != strings.Join(w.remedies, ",")) {
					t.Errorf("%s, %v on %s: %s %q result=%v %v, want %+v", id, c.class, goos, r.Status, r.Summary.En, r.Facts["result"], r.Remedies, w)
				}
				if goos == oses[0] {
					first = r
					continue
				}
				if r.Summary != first.Summary || strings.Join(r.Remedies, ",") != strings.Join(first.Remedies, ",") {
					t.Errorf("%s, %v: %s says %q %v, Linux %q %v", id, c.class, goos, r.Summary.En, r.Remedies, first.Summary.En, first.Remedies)
				}
				if strings.Contains(r.Summary.En, "winapi") || strings.Contains(r.Summary.En, "connectex") || strings.Contains(r.Summary.En, "network is unreachable") {
					t.Errorf("%s on %s: the OS's wording reached the summary: %q", id, goos, r.Summary.En)
				}
			}
		}
	}
}

package hostinfo

import (
	"errors"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/biztel-tools/biztel-doctor/internal/neterr"
)

func winClassify(err error) neterr.Class { return neterr.ClassifyFor("windows", err) }

// DefaultRoute's decision on Windows, with Windows' own numbers.
func TestDecideWindowsRoute(t *testing.T) {
	notFound, netUnreach := syscall.Errno(winErrorNotFound), syscall.Errno(1231) // ERROR_NETWORK_UNREACHABLE
	refused := syscall.Errno(50)                                                 // ERROR_NOT_SUPPORTED, as Wine answers the IPv6 lookup
	apiFailed := syscall.Errno(87)                                               // ERROR_INVALID_PARAMETER
	fallbackUsed := false
	fallback := func(iface string, err error) func() (string, error) {
		return func() (string, error) { fallbackUsed = true; return iface, err }
	}
	cases := []struct {
		name         string
		v4If         string
		v4Err, v6Err error
		fbIf         string
		fbErr        error
		wantIf       string
		wantV6       bool
		wantV6Known  bool
		wantErr      bool
		wantFallback bool
	}{
		{"both routes", "Ethernet", nil, nil, "", nil, "Ethernet", true, true, false, false},
		{"IPv4 only (ERROR_NOT_FOUND for IPv6)", "Ethernet", nil, notFound, "", nil, "Ethernet", false, true, false, false},
		{"IPv4 only (network unreachable for IPv6)", "Wi-Fi", nil, netUnreach, "", nil, "Wi-Fi", false, true, false, false},
		{"IPv6 lookup refused: unknown, not false", "Ethernet", nil, refused, "", nil, "Ethernet", false, false, false, false},
		{"no IPv4 route: no fallback", "", notFound, nil, "", nil, "", true, true, false, false},
		{"IPv4 call failed: route.exe decides", "", apiFailed, notFound, "Ethernet 2", nil, "Ethernet 2", false, true, false, true},
		{"IPv4 call and route.exe failed", "", apiFailed, nil, "", errors.New("route.exe: timed out"), "", false, true, true, true},
	}
	for _, c := range cases {
		fallbackUsed = false
		iface, v6, err := decideWindowsRoute(c.v4If, c.v4Err, c.v6Err, winClassify, fallback(c.fbIf, c.fbErr))
		if fallbackUsed != c.wantFallback {
			t.Errorf("%s: route.exe used %v, want %v", c.name, fallbackUsed, c.wantFallback)
		}
		var unknown *IPv6RouteUnknown
		v6Known := !errors.As(err, &unknown)
		if v6Known && (err != nil) != c.wantErr {
			t.Errorf("%s: error %v, want error %v", c.name, err, c.wantErr)
			continue
		}
		if c.wantErr {
			continue
		}
		if iface != c.wantIf {
			t.Errorf("%s: iface %q, want %q", c.name, iface, c.wantIf)
		}
		if v6Known != c.wantV6Known || (v6Known && v6 != c.wantV6) {
			t.Errorf("%s: IPv6 route %v (known %v, %v), want %v (known %v)", c.name, v6, v6Known, err, c.wantV6, c.wantV6Known)
		}
	}
}

// The route.exe fallback with an injected runner on captured output.
func TestRoutePrintFallback(t *testing.T) {
	out, err := os.ReadFile("testdata/hostinfo/route_print_en.txt")
	if err != nil {
		t.Fatal(err)
	}
	var ran []string
	run := func(_ time.Duration, path string, args ...string) (string, error) {
		ran = append([]string{path}, args...)
		return string(out), nil
	}
	want := parseWindowsRoutePrint(string(out))[0].Interface.String()
	iface, err := routePrintIface(run, `C:\Windows\System32\route.exe`, func(ip string) (string, error) {
		if ip != want {
			t.Errorf("asked for the interface of %s, want %s (lowest metric)", ip, want)
		}
		return "Ethernet", nil
	})
	if iface != "Ethernet" || err != nil || len(ran) != 3 || ran[1] != "print" || ran[2] != "-4" {
		t.Errorf("got %q %v after running %v", iface, err, ran)
	}
	none := func(time.Duration, string, ...string) (string, error) { return "IPv4 Route Table\n", nil }
	if iface, err := routePrintIface(none, "route.exe", nil); iface != "" || err != nil {
		t.Errorf("no default route: %q %v", iface, err)
	}
	failing := func(time.Duration, string, ...string) (string, error) { return "", errToolTimeout }
	if _, err := routePrintIface(failing, "route.exe", nil); !errors.Is(err, errToolTimeout) {
		t.Errorf("route.exe timing out: %v", err)
	}
}

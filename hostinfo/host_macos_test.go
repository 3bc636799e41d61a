package hostinfo

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeTools answers tool calls from canned outputs keyed by "path args…";
// a missing key is a failing tool. DefaultRoute calls it from two
// goroutines, hence the lock.
type fakeTools struct {
	out   map[string]string
	err   map[string]error
	mu    sync.Mutex
	calls []string
}

func (f *fakeTools) run(_ time.Duration, path string, args ...string) (string, error) {
	key := strings.TrimSpace(path + " " + strings.Join(args, " "))
	f.mu.Lock()
	f.calls = append(f.calls, key)
	f.mu.Unlock()
	if err, ok := f.err[key]; ok {
		return f.out[key], err
	}
	if out, ok := f.out[key]; ok {
		return out, nil
	}
	return "", fmt.Errorf("%s: %w", path, errors.New("exit status 1"))
}

func TestDarwinHostDefaultRoute(t *testing.T) {
	tools := &fakeTools{out: map[string]string{
		"/sbin/route -n get default":        sample(t, "route_get_default_darwin.txt"),
		"/sbin/route -n get -inet6 default": "   route to: default\n  interface: en0\n",
	}}
	iface, v6, err := darwinHost{run: tools.run}.DefaultRoute()
	if iface != "en0" || !v6 || err != nil {
		t.Errorf("got %q %v %v", iface, v6, err)
	}

	// No default route: route says "not in table" and exits 1; that is an answer.
	none := &fakeTools{err: map[string]error{
		"/sbin/route -n get default":        errors.New("/sbin/route: exit status 1: route: writing to routing socket: not in table"),
		"/sbin/route -n get -inet6 default": errors.New("/sbin/route: exit status 1: route: writing to routing socket: not in table"),
	}}
	iface, v6, err = darwinHost{run: none.run}.DefaultRoute()
	if iface != "" || v6 || err != nil {
		t.Errorf("no default route: %q %v %v", iface, v6, err)
	}

	// A tool that hangs or breaks is an error, not "no route".
	broken := &fakeTools{err: map[string]error{"/sbin/route -n get default": errToolTimeout}}
	if _, _, err := (darwinHost{run: broken.run}).DefaultRoute(); err == nil {
		t.Error("a timed-out route tool read as no default route")
	}
}

func TestDarwinHostLinkKind(t *testing.T) {
	tools := &fakeTools{out: map[string]string{
		"/usr/sbin/networksetup -listallhardwareports": sample(t, "networksetup_listallhardwareports.txt"),
		"/usr/sbin/system_profiler SPAirPortDataType":  sample(t, "system_profiler_airport.txt"),
	}}
	h := darwinHost{run: tools.run}
	kind, d, err := h.LinkKind("en0")
	if kind != "wireless" || err != nil || d["signal_dbm"] != "-67" || d["hardware_port"] != "Wi-Fi" || d["ssid"] != "OfficeNet-5G" {
		t.Errorf("en0: %s %v %v", kind, d, err)
	}
	kind, d, _ = h.LinkKind("en7")
	if kind != "wired" || d["hardware_port"] != "USB 10/100/1000 LAN" || d["signal_dbm"] != "" {
		t.Errorf("en7: %s %v", kind, d)
	}
	// Tunnels are known by name: no tool is run.
	before := len(tools.calls)
	if kind, _, _ := h.LinkKind("utun3"); kind != "vpn" || len(tools.calls) != before {
		t.Errorf("utun3: %s, calls %v", kind, tools.calls)
	}

	// system_profiler timing out: still wireless, signal unknown.
	slow := &fakeTools{out: map[string]string{
		"/usr/sbin/networksetup -listallhardwareports": sample(t, "networksetup_listallhardwareports.txt"),
	}, err: map[string]error{"/usr/sbin/system_profiler SPAirPortDataType": errToolTimeout}}
	kind, d, err = darwinHost{run: slow.run}.LinkKind("en0")
	if kind != "wireless" || err != nil || d["signal"] != "unknown" || d["signal_dbm"] != "" || d["wifi_error"] == "" {
		t.Errorf("slow profiler: %s %v %v", kind, d, err)
	}

	// networksetup failing: unknown with an error, never a guess.
	if kind, _, err := (darwinHost{run: (&fakeTools{}).run}).LinkKind("en0"); kind != "unknown" || err == nil {
		t.Errorf("no networksetup: %s %v", kind, err)
	}
}

func TestDarwinHostProxySettings(t *testing.T) {
	tools := &fakeTools{out: map[string]string{"/usr/sbin/scutil --proxy": sample(t, "scutil_proxy_corporate.txt")}}
	got, err := darwinHost{run: tools.run}.ProxySettings()
	if err != nil || got["https"] != "10.20.30.40:8443" || got["pac"] == "" {
		t.Errorf("got %v %v", got, err)
	}
	if _, err := (darwinHost{run: (&fakeTools{}).run}).ProxySettings(); err == nil {
		t.Error("a failing scutil gave no error")
	}
}

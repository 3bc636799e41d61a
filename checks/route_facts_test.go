package checks

import (
	"errors"
	"testing"

	"github.com/biztel-tools/biztel-doctor/hostinfo"
	"github.com/biztel-tools/biztel-doctor/profile"
)

// v6Host answers DefaultRoute with the IPv6 half unknown.
type v6Host struct{ fakeHost }

func (v6Host) DefaultRoute() (string, bool, error) {
	return "Ethernet", false, &hostinfo.IPv6RouteUnknown{Err: errors.New("winapi error #50")}
}

// net.link and net.ipv4 leave ipv6_default_route out when it was not
// measured, and say why.
func TestIPv6RouteUnknownIsNotFalse(t *testing.T) {
	env := testEnv(t)
	env.Host = v6Host{fakeHost{iface: "Ethernet", kind: "wired"}}
	r := runCheck(t, "net.link", &profile.Profile{}, DefaultOptions(), env, nil)
	if _, ok := r.Facts["ipv6_default_route"]; ok || r.Facts["ipv6_route_error"] != "winapi error #50" || r.Status != Pass {
		t.Errorf("net.link: %s %v", r.Status, r.Facts)
	}
}

package hostinfo

import (
	"net/netip"
	"strconv"
	"strings"
)

// Parsers for the route tools of macOS (`route -n get default`) and Windows
// (`route print -4`, the fallback when GetBestInterfaceEx fails).
// Untagged so they are tested on every OS against testdata/hostinfo.

// parseDarwinRouteGet returns the interface and gateway of `route -n get
// default`; ok is false when the output names no interface (no default
// route: route prints "not in table" and exits 1).
func parseDarwinRouteGet(out string) (iface, gateway string, ok bool) {
	for _, line := range strings.Split(out, "\n") {
		key, value, found := strings.Cut(strings.TrimSpace(line), ":")
		if !found {
			continue
		}
		switch strings.TrimSpace(key) {
		case "interface":
			iface = strings.TrimSpace(value)
		case "gateway":
			gateway = strings.TrimSpace(value)
		}
	}
	return iface, gateway, iface != ""
}

// windowsDefaultRoute is one 0.0.0.0/0 row of `route print`.
type windowsDefaultRoute struct {
	Gateway   netip.Addr // invalid for on-link
	Interface netip.Addr // the local address of the interface
	Metric    int
}

// parseWindowsRoutePrint returns the active IPv4 default routes, lowest
// metric first. The table's headers are localised, its rows are not: a row
// is "0.0.0.0 0.0.0.0 GATEWAY INTERFACE METRIC". Persistent routes (four
// columns, "Default" metric) are not active and are left out.
func parseWindowsRoutePrint(out string) []windowsDefaultRoute {
	var routes []windowsDefaultRoute
	for _, line := range strings.Split(strings.ReplaceAll(out, "\r\n", "\n"), "\n") {
		f := strings.Fields(line)
		if len(f) != 5 || f[0] != "0.0.0.0" || f[1] != "0.0.0.0" {
			continue
		}
		ifAddr, err := netip.ParseAddr(f[3])
		if err != nil || !ifAddr.Is4() {
			continue
		}
		metric, err := strconv.Atoi(f[4])
		if err != nil {
			continue
		}
		gw, _ := netip.ParseAddr(f[2]) // "On-link" / "リンク上" → invalid
		routes = append(routes, windowsDefaultRoute{Gateway: gw, Interface: ifAddr, Metric: metric})
	}
	for i := 1; i < len(routes); i++ { // few rows: insertion sort, stable
		for j := i; j > 0 && routes[j].Metric < routes[j-1].Metric; j-- {
			routes[j], routes[j-1] = routes[j-1], routes[j]
		}
	}
	return routes
}

package hostinfo

import (
	"errors"
	"fmt"
	"syscall"

	"github.com/biztel-tools/biztel-doctor/internal/neterr"
)

// IPv6RouteUnknown is DefaultRoute's error when the IPv4 route was read but
// the IPv6 lookup itself failed (Wine, for one, refuses it): whether an IPv6
// default route exists was not measured (a check must not report false),
// and iface is valid.
type IPv6RouteUnknown struct{ Err error }

func (e *IPv6RouteUnknown) Error() string { return "IPv6 route lookup: " + e.Err.Error() }
func (e *IPv6RouteUnknown) Unwrap() error { return e.Err }

// winErrorNotFound is ERROR_NOT_FOUND (1168), GetBestInterfaceEx's answer
// when no route matches.
const winErrorNotFound = 1168

// noRouteAnswer: the lookup answered "no route" (rather than failing).
func noRouteAnswer(err error, classify func(error) neterr.Class) bool {
	var n syscall.Errno
	return classify(err).Unreachable() || errors.As(err, &n) && uintptr(n) == winErrorNotFound
}

// decideWindowsRoute is DefaultRoute on Windows from the IP Helper answers
// (GetBestInterfaceEx for an IPv4 and an IPv6 documentation address), pure
// so it is tested on any OS with Windows' numbers. fallback (route.exe)
// runs only when the IPv4 call itself failed, not when it found no route.
func decideWindowsRoute(v4Iface string, v4Err, v6Err error, classify func(error) neterr.Class, fallback func() (string, error)) (string, bool, error) {
	iface := v4Iface
	switch {
	case v4Err == nil:
	case noRouteAnswer(v4Err, classify):
		iface = ""
	default:
		var ferr error
		if iface, ferr = fallback(); ferr != nil {
			return "", false, fmt.Errorf("host: default route: %w (GetBestInterfaceEx: %v)", ferr, v4Err)
		}
	}
	switch {
	case v6Err == nil:
		return iface, true, nil
	case noRouteAnswer(v6Err, classify):
		return iface, false, nil
	}
	return iface, false, &IPv6RouteUnknown{v6Err}
}

// routePrintIface is the route.exe fallback: the interface of the active
// IPv4 default route with the lowest metric ("" when none).
func routePrintIface(run toolRunner, routeExe string, withAddr func(ip string) (string, error)) (string, error) {
	out, err := run(osToolTimeout, routeExe, "print", "-4")
	if err != nil {
		return "", err
	}
	routes := parseWindowsRoutePrint(out)
	if len(routes) == 0 {
		return "", nil
	}
	return withAddr(routes[0].Interface.String())
}

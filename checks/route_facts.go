package checks

import (
	"errors"

	"github.com/biztel-tools/biztel-doctor/hostinfo"
)

// routeFacts records DefaultRoute's answer: ipv6_default_route only when it
// was measured (an absent fact means not measured), ipv6_route_error when
// the IPv6 lookup failed. It returns err unless only the IPv6 half is
// unknown.
func routeFacts(f Facts, hasV6 bool, err error) error {
	var v6 *hostinfo.IPv6RouteUnknown
	if errors.As(err, &v6) {
		f["ipv6_route_error"] = v6.Err.Error()
		return nil
	}
	if err == nil {
		f["ipv6_default_route"] = hasV6
	}
	return err
}

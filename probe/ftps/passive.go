package ftps

import (
	"fmt"
	"strconv"

	"github.com/biztel-tools/biztel-doctor/internal/lazyregexp"
)

var (
	pasvRE = lazyregexp.New(`(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3})`)
	epsvRE = lazyregexp.New(`\|\|\|(\d{1,5})\|`)
)

// ParsePASV reads "227 Entering Passive Mode (h1,h2,h3,h4,p1,p2)" (RFC 959
// §4.1.2). ok is false unless every number is a byte and the port is 1-65535:
// a reply offering port 0 or "999,999" offers nothing to connect to.
func ParsePASV(code int, msg string) (host string, port int, ok bool) {
	m := pasvRE().FindStringSubmatch(msg)
	if code != 227 || m == nil {
		return "", 0, false
	}
	n := make([]int, 6)
	for i := range n {
		v, err := strconv.Atoi(m[i+1])
		if err != nil || v > 255 {
			return "", 0, false
		}
		n[i] = v
	}
	port = n[4]*256 + n[5]
	if port == 0 {
		return "", 0, false
	}
	return fmt.Sprintf("%d.%d.%d.%d", n[0], n[1], n[2], n[3]), port, true
}

// ParseEPSV reads "229 Entering Extended Passive Mode (|||port|)" (RFC 2428
// §3); the port must be 1-65535.
func ParseEPSV(code int, msg string) (int, bool) {
	m := epsvRE().FindStringSubmatch(msg)
	if code != 229 || m == nil {
		return 0, false
	}
	port, err := strconv.Atoi(m[1])
	if err != nil || port < 1 || port > 65535 {
		return 0, false
	}
	return port, true
}

package tui

import (
	"net"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/biztel-tools/biztel-doctor/checks"
	"github.com/biztel-tools/biztel-doctor/content"
)

// demoPorts maps the loopback ports the demo's fakes listen on to the
// ports of a real BIZTEL site (checks.DefaultPorts), so a demo shows
// "UDP 5060" where a customer's run would, not a free port such as
// "UDP 49167". The fact demoPortsFact keeps the port really dialled. Nil
// outside the demo: a real site's results are shown as measured.
type demoPorts map[int]int

// demoPortsFact is the fact a demo result gets when its ports were shown
// as the real site's: which loopback port stood in for which.
const demoPortsFact = "demo_loopback_ports"

// ssdpPort is the SSDP search's port (UPnP Device Architecture 1.1, §1.3.2).
const ssdpPort = 1900

func newDemoPorts(cfg Config) demoPorts {
	if !cfg.Demo {
		return nil
	}
	m := demoPorts{}
	one := func(loop, real int) {
		if loop > 0 && loop != real {
			m[loop] = real
		}
	}
	// span maps a range port by port from its start, as far as the real
	// range reaches (the demo's ranges are small samples of the page's)
	span := func(loop, real content.PortRange) {
		if loop == real || loop.From <= 0 {
			return
		}
		for p := loop.From; p <= loop.To && real.From+p-loop.From <= real.To; p++ {
			one(p, real.From+p-loop.From)
		}
	}
	got, real := cfg.Options.Ports, checks.DefaultPorts()
	one(got.SIPUDP, real.SIPUDP)
	one(got.STUNPrimary, real.STUNPrimary)
	one(got.STUNSecondary, real.STUNSecondary)
	one(got.Web, real.Web)
	one(got.FTPSControl, real.FTPSControl)
	one(got.SIPTLS, real.SIPTLS)
	one(got.SIPWSS, real.SIPWSS)
	one(got.NTP, real.NTP)
	one(got.DNS, real.DNS)
	one(got.Reflector, real.Reflector)
	one(got.ReflectorSIP, real.ReflectorSIP)
	span(got.RTP, real.RTP)
	span(got.FTPSPassive, real.FTPSPassive)
	span(got.ReflectorRTP, real.ReflectorRTP)
	if env := cfg.Env; env != nil {
		for _, srv := range env.DNSServers {
			one(portOf(srv), real.DNS)
		}
		one(portOf(env.SSDPAddr), ssdpPort)
	}
	return m
}

func portOf(hostport string) int {
	_, p, err := net.SplitHostPort(hostport)
	if err != nil {
		return 0
	}
	n, _ := strconv.Atoi(p)
	return n
}

// portToken is a number or a range of two ("20991-21000", "52854–52869").
// Compiled on first use, as elsewhere: only the demo needs it.
var portToken = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\d+(?:[-–]\d+)?`) })

// loopbackHost is a loopback address just before a ":port".
var loopbackHost = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?:^|[^\d.])127(?:\.\d{1,3}){3}$`) })

// text shows s with the real site's ports. A number counts as a port only
// where it reads as one: after a loopback "host:", after "UDP ", "TCP ",
// "port " or "ポート",
// as both ends of a range, or anywhere in a port fact (bare) — so a
// measurement that happens to equal a loopback port is left alone. It
// returns the loopback ports replaced.
func (m demoPorts) text(s string, bare bool) (string, []int) {
	if len(m) == 0 {
		return s, nil
	}
	var b strings.Builder
	var used []int
	last := 0
	for _, loc := range portToken().FindAllStringIndex(s, -1) {
		i, j := loc[0], loc[1]
		if (i > 0 && s[i-1] == '.') || (j < len(s) && s[j] == '.' && j+1 < len(s) && isDigit(s[j+1])) {
			continue // part of an address or a decimal
		}
		tok, before := s[i:j], s[:i]
		var out string
		if a, z, ok := splitRange(tok); ok {
			ra, oka := m[a]
			rz, okz := m[z]
			if !oka || !okz {
				continue
			}
			out = strconv.Itoa(ra) + tok[len(strconv.Itoa(a)):len(tok)-len(strconv.Itoa(z))] + strconv.Itoa(rz)
			used = append(used, a, z)
		} else {
			n, _ := strconv.Atoi(tok)
			r, ok := m[n]
			portLike := bare || portWord(before) ||
				(strings.HasSuffix(before, ":") && loopbackHost().MatchString(before[:len(before)-1]))
			if !ok || !portLike {
				continue
			}
			out = strconv.Itoa(r)
			used = append(used, n)
		}
		b.WriteString(s[last:i])
		b.WriteString(out)
		last = j
	}
	if last == 0 {
		return s, nil
	}
	b.WriteString(s[last:])
	return b.String(), used
}

// portWord reports whether the text before a number names it a port.
func portWord(before string) bool {
	for _, w := range []string{"UDP ", "TCP ", "port ", "ポート ", "ポート"} {
		if strings.HasSuffix(before, w) {
			return true
		}
	}
	return false
}

func splitRange(tok string) (int, int, bool) {
	k := strings.IndexAny(tok, "-–")
	if k < 0 {
		return 0, 0, false
	}
	a, _ := strconv.Atoi(tok[:k])
	z, _ := strconv.Atoi(strings.TrimLeft(tok[k:], "-–"))
	return a, z, true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// portFact reports whether a fact's value is a port or a port range as a
// whole. The public ports a NAT mapped are not the demo's, whatever their
// number.
func portFact(key string) bool {
	return (strings.Contains(key, "port") || strings.Contains(key, "range")) && !strings.Contains(key, "mapped")
}

// result is r as the demo shows it: summary and facts with the real site's
// ports, and a fact naming the loopback ports that stood in.
func (m demoPorts) result(r checks.Result) checks.Result {
	if len(m) == 0 {
		return r
	}
	var used []int
	note := func(u []int) { used = append(used, u...) }
	ja, u := m.text(r.Summary.Ja, false)
	note(u)
	en, u := m.text(r.Summary.En, false)
	note(u)
	r.Summary = content.T(ja, en)
	if r.Facts != nil {
		facts := checks.Facts{}
		for k, v := range r.Facts {
			key, u := m.text(k, false)
			note(u)
			switch x := v.(type) {
			case string:
				x, u = m.text(x, portFact(k))
				note(u)
				v = x
			case int:
				if real, ok := m[x]; ok && portFact(k) {
					note([]int{x})
					v = real
				}
			}
			facts[key] = v
		}
		r.Facts = facts
	}
	if len(used) > 0 {
		slices.Sort(used)
		var pairs []string
		for _, p := range slices.Compact(used) {
			pairs = append(pairs, "loopback "+strconv.Itoa(p)+" shown as "+strconv.Itoa(m[p]))
		}
		r = r.WithFact(demoPortsFact, strings.Join(pairs, ", "))
	}
	return r
}

// destination is d as the demo's start screen shows it.
func (m demoPorts) destination(d checks.Destination) checks.Destination {
	if real, ok := m[d.Ports.From]; ok {
		to := real
		if d.Ports.To != d.Ports.From {
			to = m[d.Ports.To]
			if to == 0 {
				to = real + d.Ports.To - d.Ports.From
			}
		}
		d.Ports = content.PortRange{From: real, To: to}
	}
	return d
}

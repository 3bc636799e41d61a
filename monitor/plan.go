package monitor

import (
	"net"
	"strconv"

	"github.com/biztel-tools/biztel-doctor/content"
)

// Plan says what a run will send, where and how often, before it sends
// anything (the CLI prints it at the start). Names are not resolved.
func (c Config) Plan() []content.Text {
	c = c.withDefaults()
	stun := tx("monitor.plan.none")
	if es := c.Profile.STUNEntries(); len(es) > 0 {
		port := c.Ports.STUNPrimary
		if es[0].Port == 3479 {
			port = c.Ports.STUNSecondary
		}
		a := net.JoinHostPort(es[0].Host, strconv.Itoa(port))
		stun = content.T(a, a)
	}
	var out []content.Text
	if addr := c.Profile.Reflector.Addr; addr != "" {
		host := addr
		if h, _, err := net.SplitHostPort(addr); err == nil {
			host = h
		}
		t := tx("monitor.plan.reflector", "addr", net.JoinHostPort(host, strconv.Itoa(c.Ports.ReflectorRTP.From)))
		out = append(out, content.T(content.Fill(t.Ja, map[string]string{"stun": stun.Ja}), content.Fill(t.En, map[string]string{"stun": stun.En})))
	} else {
		out = append(out, tx("monitor.plan.stun", "stun", stun.En))
	}
	if s := c.Profile.ServerAddr(); s != "" {
		out = append(out, tx("monitor.plan.sip", "server", net.JoinHostPort(s, strconv.Itoa(c.Ports.SIPUDP)), "every", c.SIPEvery.String()))
		if c.SIPTLS {
			out = append(out, tx("monitor.plan.siptls", "server", net.JoinHostPort(s, strconv.Itoa(c.Ports.SIPTLS))))
		}
	}
	return out
}

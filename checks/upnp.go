package checks

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"time"

	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/probe/upnp"
	"github.com/biztel-tools/biztel-doctor/profile"
)

// upnp.igd's budget: the listening window, then the description and SOAP
// fetches (started as soon as a gateway answers), plus room.
const upnpCheckBudget = DefaultSSDPWindow + 2*upnp.FetchTimeout + 500*time.Millisecond

func init() {
	register(Spec{
		ID:       "upnp.igd",
		Timeout:  upnpCheckBudget,
		Remedies: []string{"disable-upnp", "avoid-cgnat"},
		Plan:     upnpPlan,
		Run:      runUPnP,
	})
}

func upnpPlan(*profile.Profile, Options) ([]Destination, content.Text) {
	host, _, _ := net.SplitHostPort(DefaultSSDPAddr)
	return []Destination{{Proto: "SSDP", Transport: "udp", Address: host, Ports: content.PortRange{From: 1900, To: 1900},
		Purpose: content.Phrase("check.upnp.purpose", nil)}}, content.Text{}
}

func runUPnP(ctx context.Context, in *Input) Result {
	const id = "upnp.igd"
	env := in.Env
	window := env.SSDPWindow
	if dl, ok := ctx.Deadline(); ok {
		if room := time.Until(dl) - 2*upnp.FetchTimeout; room < window {
			window = room
		}
	}
	target, err := net.ResolveUDPAddr("udp4", env.SSDPAddr)
	if err != nil {
		return ErrorResult(id, content.Phrase("check.upnp.bad_target", content.Vars{"target": fmt.Sprintf("%q", env.SSDPAddr), "err": err}))
	}
	conn, err := env.Listener.ListenPacket(ctx, "udp4", ":0")
	if err != nil {
		return ErrorResult(id, content.Phrase("check.upnp.socket_failed", content.Vars{"err": err}))
	}
	defer conn.Close()
	d := upnp.Discover(ctx, upnp.Search{Conn: conn, Target: target, Window: window, Dialer: env.Dialer, UserAgent: env.UserAgent()})
	facts := Facts{"ssdp_target": env.SSDPAddr, "window_ms": window.Milliseconds()}
	return judgeUPnP(id, d, window, facts)
}

// judgeUPnP: a gateway that answers is a warning (UPnP lets devices open
// ports nobody reviewed); silence after a search that went out is a pass;
// a search that never went out proves nothing.
func judgeUPnP(id string, d upnp.Discovery, window time.Duration, facts Facts) Result {
	if d.SendErr != "" {
		facts["send_error"] = d.SendErr
	}
	if d.Sent == 0 {
		if r, ok := noRouteResult(id, fmt.Sprint("SSDP ", facts["ssdp_target"]), d.SendError); ok {
			return r.withFacts(facts)
		}
		// nothing went out, so silence proves nothing
		return ErrorResult(id, content.Phrase("check.upnp.send_failed", content.Vars{"err": facts["send_error"]})).withFacts(facts)
	}
	facts["searches_sent"] = d.Sent
	facts["replies"] = d.Replies
	facts["non_http_replies"] = d.NonHTTP
	facts["other_upnp_devices"] = d.Others
	facts["gateways"] = len(d.Gateways)
	if len(d.Gateways) == 0 {
		return PassResult(id, content.Phrase("check.upnp.no_gateway", content.Vars{"seconds": fmt.Sprintf("%.1f", window.Seconds())})).withFacts(facts)
	}
	g := d.Gateways[0]
	gatewayFacts(g, facts)
	remedies := []string{"disable-upnp"}
	what := g.Responder.String()
	if g.Model != "" || g.FriendlyName != "" {
		what += " (" + strings.TrimSpace(g.Manufacturer+" "+firstNonEmpty(g.Model, g.FriendlyName)) + ")"
	}
	extra, cgnat := wanAddressNote(g.ExternalIP, facts)
	if cgnat {
		remedies = append(remedies, "avoid-cgnat")
	}
	r := WarnResult(id, content.Phrase("check.upnp.gateway", content.Vars{"what": what}), remedies...)
	r.Summary = content.Join("", r.Summary, extra)
	return r.withFacts(facts)
}

// gatewayFacts records what the first gateway said about itself.
func gatewayFacts(g *upnp.Gateway, facts Facts) {
	facts["gateway"] = g.Responder.String()
	for k, v := range map[string]string{"gateway_server": g.Server, "gateway_location": g.Location, "gateway_name": g.FriendlyName,
		"gateway_manufacturer": g.Manufacturer, "gateway_model": g.Model, "wan_service": g.ServiceType, "external_ip": g.ExternalIP, "gateway_problem": g.Problem} {
		if v != "" {
			facts[k] = v
		}
	}
}

// wanAddressNote phrases the router's WAN address (its GetExternalIPAddress
// answer): carrier-grade NAT space, another private NAT upstream, or just
// the address. cgnat says the avoid-cgnat remedy applies.
func wanAddressNote(externalIP string, facts Facts) (note content.Text, cgnat bool) {
	ext, err := netip.ParseAddr(externalIP)
	if err != nil {
		return content.Text{}, false
	}
	cgnat = cgnatSpace.Contains(ext)
	facts["external_ip_in_cgnat_space"] = cgnat
	facts["external_ip_private"] = ext.IsPrivate()
	switch {
	case cgnat:
		return content.Phrase("check.upnp.wan_cgnat", content.Vars{"wan": ext}), true
	case ext.IsPrivate():
		return content.Phrase("check.upnp.wan_private", content.Vars{"wan": ext}), false
	}
	return content.Phrase("check.upnp.wan_address", content.Vars{"wan": ext}), false
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

package checks

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"time"

	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/profile"
)

// SSDP discovery (UPnP Device Architecture 1.1 §1.3.2).
const (
	// ssdpRepeat: M-SEARCH goes out twice, this far apart, because UDP
	// multicast on a busy LAN loses packets (UDA recommends repeating).
	ssdpRepeat = 250 * time.Millisecond
	// ssdpMX is the MX header: responders wait a random 0..MX seconds; 1 s
	// matches DefaultSSDPWindow.
	ssdpMX = 1
	// ssdpMaxReplies bounds how many answers are read (a hostile LAN may
	// flood).
	ssdpMaxReplies = 256
	// upnpCheckBudget: the listening window, then the description and SOAP
	// fetches (started as soon as a gateway answers), plus room.
	upnpCheckBudget = DefaultSSDPWindow + 2*upnpFetchTimeout + 500*time.Millisecond
)

// igdSearchTarget is what the M-SEARCH asks for; IGD:2 devices answer it too.
const igdSearchTarget = "urn:schemas-upnp-org:device:InternetGatewayDevice:1"

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
		Purpose: content.T("LAN 内の UPnP インターネットゲートウェイの探索（読み取りのみ。ポートマッピングは作りません）",
			"look for a UPnP internet gateway on the LAN (read-only: no port mapping is ever created)")}}, content.Text{}
}

// isGatewayReply reports whether an SSDP answer names an internet gateway
// or its WAN connection service.
func isGatewayReply(st, usn string) bool {
	for _, s := range []string{st, usn} {
		if strings.Contains(s, "InternetGatewayDevice") || strings.Contains(s, "WANIPConnection") || strings.Contains(s, "WANPPPConnection") {
			return true
		}
	}
	return false
}

// parseSSDPReply reads one SSDP answer datagram: an HTTP 200 response
// (UPnP Device Architecture 1.1 §1.3.3). ok is false for anything else.
func parseSSDPReply(b []byte) (*http.Response, bool) {
	resp, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(b)), nil)
	if err != nil || resp.StatusCode != http.StatusOK {
		return nil, false
	}
	return resp, true
}

func runUPnP(ctx context.Context, in *Input) Result {
	const id = "upnp.igd"
	env := in.Env
	window := env.SSDPWindow
	if dl, ok := ctx.Deadline(); ok {
		if room := time.Until(dl) - 2*upnpFetchTimeout; room < window {
			window = room
		}
	}
	target, err := net.ResolveUDPAddr("udp4", env.SSDPAddr)
	if err != nil {
		return ErrorResult(id, content.Tf("SSDP の宛先 %q が不正です: %v", "bad SSDP target %q: %v", env.SSDPAddr, err))
	}
	conn, err := env.Listener.ListenPacket(ctx, "udp4", ":0")
	if err != nil {
		return ErrorResult(id, content.Tf("UDP ソケットを開けません: %v", "cannot open a UDP socket: %v", err))
	}
	defer conn.Close()
	search := []byte("M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: \"ssdp:discover\"\r\n" +
		fmt.Sprintf("MX: %d\r\nST: %s\r\nUSER-AGENT: %s UPnP/1.1 %s\r\n\r\n", ssdpMX, igdSearchTarget, "biztel-doctor", env.UserAgent()))

	facts := Facts{"ssdp_target": env.SSDPAddr, "window_ms": window.Milliseconds()}
	start := time.Now()
	end := start.Add(window)
	sent := 0
	_, sendErr := conn.WriteTo(search, target)
	if sendErr == nil {
		sent++
	} else {
		facts["send_error"] = sendErr.Error()
	}
	repeated := false

	var (
		mu       sync.Mutex
		wg       sync.WaitGroup
		gateways []*igdInfo
	)
	seen := map[netip.Addr]bool{}
	garbage, others, replies := 0, 0, 0
	stop := context.AfterFunc(ctx, func() { _ = conn.SetReadDeadline(time.Now()) })
	defer stop()
	buf := make([]byte, 8192)
	for replies < ssdpMaxReplies {
		wake := end
		if !repeated && start.Add(ssdpRepeat).Before(wake) {
			wake = start.Add(ssdpRepeat)
		}
		_ = conn.SetReadDeadline(wake)
		n, from, err := conn.ReadFrom(buf)
		if err != nil {
			if ctx.Err() != nil || !time.Now().Before(end) {
				break
			}
			if !repeated && !time.Now().Before(start.Add(ssdpRepeat)) {
				repeated = true
				if _, err := conn.WriteTo(search, target); err == nil {
					sent++
				}
			}
			continue
		}
		replies++
		resp, ok := parseSSDPReply(buf[:n])
		if !ok {
			garbage++
			continue
		}
		if !isGatewayReply(resp.Header.Get("ST"), resp.Header.Get("USN")) {
			others++
			continue
		}
		responder := addrPort(from).Addr()
		if seen[responder] {
			continue
		}
		seen[responder] = true
		info := &igdInfo{Responder: responder, Server: clip(resp.Header.Get("SERVER")), Location: clip(resp.Header.Get("LOCATION"))}
		mu.Lock()
		gateways = append(gateways, info)
		mu.Unlock()
		if !lanAddr(responder) {
			info.Problem = "the answer came from outside the LAN; not contacted"
			continue
		}
		wg.Add(1)
		go func() { // fetch while still listening, so the window is not extended
			defer wg.Done()
			fctx, cancel := context.WithTimeout(ctx, 2*upnpFetchTimeout)
			defer cancel()
			describeIGD(fctx, env, info)
		}()
	}
	wg.Wait()
	if sent == 0 {
		if r, ok := noRouteResult(id, "SSDP "+env.SSDPAddr, sendErr); ok {
			return r.withFacts(facts)
		}
		// nothing went out, so silence proves nothing
		return ErrorResult(id, content.Tf("SSDP の探索を送信できませんでした（%v）。UPnP ゲートウェイの有無は確認できていません",
			"the SSDP search could not be sent (%v): whether a UPnP gateway is on the LAN is unknown", facts["send_error"])).withFacts(facts)
	}
	facts["searches_sent"] = sent
	facts["replies"] = replies
	facts["non_http_replies"] = garbage
	facts["other_upnp_devices"] = others
	facts["gateways"] = len(gateways)

	if len(gateways) == 0 {
		return PassResult(id, content.Tf("%.1f 秒待ちましたが、UPnP インターネットゲートウェイは応答しませんでした", "no UPnP internet gateway answered within %.1f s",
			window.Seconds())).withFacts(facts)
	}
	g := gateways[0]
	facts["gateway"] = g.Responder.String()
	for k, v := range map[string]string{"gateway_server": g.Server, "gateway_location": g.Location, "gateway_name": g.FriendlyName,
		"gateway_manufacturer": g.Manufacturer, "gateway_model": g.Model, "wan_service": g.ServiceType, "external_ip": g.ExternalIP, "gateway_problem": g.Problem} {
		if v != "" {
			facts[k] = v
		}
	}
	remedies := []string{"disable-upnp"}
	what := g.Responder.String()
	if g.Model != "" || g.FriendlyName != "" {
		what += " (" + strings.TrimSpace(g.Manufacturer+" "+firstNonEmpty(g.Model, g.FriendlyName)) + ")"
	}
	extra := content.Text{}
	if ext, err := netip.ParseAddr(g.ExternalIP); err == nil {
		cg := cgnatSpace.Contains(ext)
		facts["external_ip_in_cgnat_space"] = cg
		facts["external_ip_private"] = ext.IsPrivate()
		switch {
		case cg:
			remedies = append(remedies, "avoid-cgnat")
			extra = content.Tf("。ルータの WAN 側アドレス %s は 100.64.0.0/10 で、キャリアグレード NAT の兆候です", "; its WAN address %s is in 100.64.0.0/10: signs of carrier-grade NAT", ext)
		case ext.IsPrivate():
			extra = content.Tf("。ルータの WAN 側アドレス %s はプライベートアドレスで、上流にもう一段 NAT があります", "; its WAN address %s is private: there is another NAT upstream", ext)
		default:
			extra = content.Tf("（WAN 側アドレス %s）", " (WAN address %s)", ext)
		}
	}
	r := WarnResult(id, content.Tf("LAN に UPnP インターネットゲートウェイ %s があります。ほかに必要とする機器がないことを確認のうえ、UPnP を無効にしてください",
		"a UPnP internet gateway answers on the LAN: %s. Disable UPnP once you have checked nothing else needs it", what), remedies...)
	r.Summary.Ja += extra.Ja
	r.Summary.En += extra.En
	return r.withFacts(facts)
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

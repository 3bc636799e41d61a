// Package upnp finds the internet gateways on the LAN by SSDP and asks each
// one, read-only, for its description and WAN address
// (GetExternalIPAddress). It never creates a port mapping. It measures;
// upnp.igd judges.
package upnp

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
)

// SSDP discovery (UPnP Device Architecture 1.1 §1.3.2).
const (
	// ssdpRepeat: M-SEARCH goes out twice, this far apart, because UDP
	// multicast on a busy LAN loses packets (UDA recommends repeating).
	ssdpRepeat = 250 * time.Millisecond
	// ssdpMX is the MX header: responders wait a random 0..MX seconds; 1 s
	// matches the default one-second listening window.
	ssdpMX = 1
	// ssdpMaxReplies bounds how many answers are read (a hostile LAN may
	// flood).
	ssdpMaxReplies = 256
)

// igdSearchTarget is what the M-SEARCH asks for; IGD:2 devices answer it too.
const igdSearchTarget = "urn:schemas-upnp-org:device:InternetGatewayDevice:1"

// Dialer opens the HTTP connections to a gateway; *net.Dialer satisfies it.
type Dialer interface {
	DialContext(ctx context.Context, network, address string) (net.Conn, error)
}

// Search is one SSDP search: where it goes and with what.
type Search struct {
	Conn      net.PacketConn // an IPv4 UDP socket; Discover does not close it
	Target    net.Addr       // the SSDP group (or a test's fake)
	Window    time.Duration  // how long answers are read
	Dialer    Dialer         // for the description and SOAP fetches
	UserAgent string
}

// Discovery is what the search saw.
type Discovery struct {
	Sent      int    // M-SEARCH datagrams that went out (0: silence proves nothing)
	SendErr   string // why the first one did not, "" when it did
	SendError error  // the same as an error, for the caller to classify
	Replies   int    // datagrams read
	NonHTTP   int    // of those, not an SSDP answer
	Others    int    // UPnP devices that are not internet gateways
	Gateways  []*Gateway
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

// Discover sends an M-SEARCH for internet gateways (twice, ssdpRepeat
// apart), reads answers for s.Window or until ctx ends, and for each gateway
// on the LAN fetches its description and external address while it still
// listens. It never creates a port mapping.
func Discover(ctx context.Context, s Search) Discovery {
	start := time.Now()
	sr := &searcher{s: s, start: start, end: start.Add(s.Window), seen: map[netip.Addr]bool{}}
	sr.packet = []byte("M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: \"ssdp:discover\"\r\n" +
		fmt.Sprintf("MX: %d\r\nST: %s\r\nUSER-AGENT: %s UPnP/1.1 %s\r\n\r\n", ssdpMX, igdSearchTarget, "biztel-doctor", s.UserAgent))
	if _, err := s.Conn.WriteTo(sr.packet, s.Target); err == nil {
		sr.d.Sent++
	} else {
		sr.d.SendErr, sr.d.SendError = err.Error(), err
	}
	stop := context.AfterFunc(ctx, func() { _ = s.Conn.SetReadDeadline(time.Now()) })
	defer stop()
	buf := make([]byte, 8192)
	for sr.d.Replies < ssdpMaxReplies {
		_ = s.Conn.SetReadDeadline(sr.wake())
		n, from, err := s.Conn.ReadFrom(buf)
		if err != nil {
			if ctx.Err() != nil || !time.Now().Before(sr.end) {
				break
			}
			sr.repeat()
			continue
		}
		sr.take(ctx, buf[:n], from)
	}
	sr.wg.Wait()
	return sr.d
}

// searcher is the state of one Discover.
type searcher struct {
	s          Search
	packet     []byte // the M-SEARCH
	start, end time.Time
	repeated   bool
	seen       map[netip.Addr]bool // gateways already answered
	d          Discovery
	wg         sync.WaitGroup // the description fetches
}

// wake is when the next read gives up: the repeat, or the window's end.
func (sr *searcher) wake() time.Time {
	if again := sr.start.Add(ssdpRepeat); !sr.repeated && again.Before(sr.end) {
		return again
	}
	return sr.end
}

// repeat sends the M-SEARCH a second time once ssdpRepeat has passed.
func (sr *searcher) repeat() {
	if sr.repeated || time.Now().Before(sr.start.Add(ssdpRepeat)) {
		return
	}
	sr.repeated = true
	if _, err := sr.s.Conn.WriteTo(sr.packet, sr.s.Target); err == nil {
		sr.d.Sent++
	}
}

// take reads one answer; a gateway on the LAN is described in the
// background (fetched while still listening, so the window is not extended).
func (sr *searcher) take(ctx context.Context, b []byte, from net.Addr) {
	sr.d.Replies++
	resp, ok := parseSSDPReply(b)
	if !ok {
		sr.d.NonHTTP++
		return
	}
	if !isGatewayReply(resp.Header.Get("ST"), resp.Header.Get("USN")) {
		sr.d.Others++
		return
	}
	responder := addrOf(from)
	if sr.seen[responder] {
		return
	}
	sr.seen[responder] = true
	info := &Gateway{Responder: responder, Server: Clip(resp.Header.Get("SERVER")), Location: Clip(resp.Header.Get("LOCATION"))}
	sr.d.Gateways = append(sr.d.Gateways, info)
	if !lanAddr(responder) {
		info.Problem = "the answer came from outside the LAN; not contacted"
		return
	}
	sr.wg.Go(func() {
		fctx, cancel := context.WithTimeout(ctx, 2*FetchTimeout)
		defer cancel()
		describe(fctx, sr.s.Dialer, sr.s.UserAgent, info)
	})
}

// addrOf is the IP address of a datagram's sender, IPv4-mapped unmapped.
func addrOf(a net.Addr) netip.Addr {
	ap, _ := netip.ParseAddrPort(a.String())
	return ap.Addr().Unmap()
}

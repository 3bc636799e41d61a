package impair

import (
	"bytes"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/biztel-tools/biztel-doctor/serve/wire"
)

// ALG rewrites SIP the way router SIP-ALGs do (after Linux nf_nat_sip): in
// requests going out, the client's address in Via, Contact, From and To and
// in the SDP c= and o= lines becomes the public address (with the mapped
// port in Via and Contact), and Content-Length follows the SDP; in responses
// coming back, Via is mapped back. It records what it changed so a test can
// compare with what sip.alg reports.
type ALG struct {
	Public   netip.Addr // the "router's" public address
	SIPPorts []int      // ports whose traffic it inspects

	mu       sync.Mutex
	rewrites []string // "udp REGISTER Via", …
}

// Rewrites lists every field rewritten, as "transport METHOD field", sorted
// and without duplicates.
func (a *ALG) Rewrites() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := slices.Clone(a.rewrites)
	slices.Sort(out)
	return slices.Compact(out)
}

func (a *ALG) isSIPPort(p int) bool { return slices.Contains(a.SIPPorts, p) }

// outbound rewrites one request from client; mapped is the address the
// relay sends it from.
func (a *ALG) outbound(transport string, b []byte, client, mapped netip.AddrPort) []byte {
	if wire.IsWire(b) {
		return b
	}
	head, body, ok := bytes.Cut(b, []byte("\r\n\r\n"))
	if !ok {
		return b
	}
	lines := strings.Split(string(head), "\r\n")
	method, _, _ := strings.Cut(lines[0], " ")
	ip := client.Addr().String()
	ipPort := client.String()
	pub := a.Public.String()
	pubPort := netip.AddrPortFrom(a.Public, mapped.Port()).String()
	var changed []string
	for i, l := range lines[1:] {
		name, _, _ := strings.Cut(l, ":")
		field := wire.CanonicalSIPName(name)
		var n string
		switch field {
		case "Via", "Contact":
			n = strings.ReplaceAll(strings.ReplaceAll(l, ipPort, pubPort), ip, pub)
		case "From", "To":
			n = strings.ReplaceAll(l, ip, pub)
		default:
			continue
		}
		if n != l {
			lines[i+1] = n
			changed = append(changed, field)
		}
	}
	bodyLines := strings.Split(string(body), "\r\n")
	for i, l := range bodyLines {
		if strings.HasPrefix(l, "c=") || strings.HasPrefix(l, "o=") {
			if n := strings.ReplaceAll(l, ip, pub); n != l {
				bodyLines[i] = n
				changed = append(changed, l[:2])
			}
		}
	}
	newBody := strings.Join(bodyLines, "\r\n")
	if len(newBody) != len(body) {
		for i, l := range lines {
			name, _, _ := strings.Cut(l, ":")
			if wire.CanonicalSIPName(name) == "Content-Length" {
				lines[i] = "Content-Length: " + strconv.Itoa(len(newBody))
				changed = append(changed, "Content-Length")
			}
		}
	}
	a.mu.Lock()
	for _, f := range changed {
		a.rewrites = append(a.rewrites, transport+" "+method+" "+f)
	}
	a.mu.Unlock()
	return []byte(strings.Join(lines, "\r\n") + "\r\n\r\n" + newBody)
}

// inbound maps a response's Via back to the client, as nf_nat_sip does.
func (a *ALG) inbound(b []byte, client, mapped netip.AddrPort) []byte {
	if wire.IsWire(b) {
		return b
	}
	head, body, ok := bytes.Cut(b, []byte("\r\n\r\n"))
	if !ok {
		return b
	}
	lines := strings.Split(string(head), "\r\n")
	pubPort := netip.AddrPortFrom(a.Public, mapped.Port()).String()
	for i, l := range lines {
		name, _, _ := strings.Cut(l, ":")
		if wire.CanonicalSIPName(name) == "Via" {
			lines[i] = strings.ReplaceAll(strings.ReplaceAll(l, pubPort, client.String()), a.Public.String(), client.Addr().String())
		}
	}
	return append([]byte(strings.Join(lines, "\r\n")+"\r\n\r\n"), body...)
}

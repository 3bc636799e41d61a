package snippets

import (
	"net/netip"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/profile"
)

func boolp(b bool) *bool { return &b }

// site is one option set of the table tests; every address is a
// documentation address (RFC 5737) or private, and nothing is contacted.
type site struct {
	name string
	p    profile.Profile
}

func sites() []site {
	return []site{
		{"all", profile.Profile{
			Server:     profile.Server{Host: "s0123456789ab.u.biztel.jp", IP: "203.0.113.10"},
			STUN:       profile.STUN{Servers: []string{"198.51.100.20:3478", "198.51.100.21:3479"}},
			Recording:  profile.Endpoint{Host: "s0123456789ab.u.biztel.jp", IP: "203.0.113.11"},
			UniConnect: profile.Endpoint{IP: "203.0.113.12"},
		}},
		{"vpn", profile.Profile{
			Server: profile.Server{Host: "s0123456789ab.u.biztel.jp", IP: "203.0.113.10", VPNIP: "10.0.0.10"},
			STUN:   profile.STUN{CIDR: "198.51.100.0/28"},
		}},
		{"plain", profile.Profile{
			Server:  profile.Server{IP: "203.0.113.10"},
			STUN:    profile.STUN{Servers: []string{"198.51.100.20"}},
			Options: profile.Options{Encryption: boolp(false), WebRTC: boolp(false), Hardphone: boolp(false)},
		}},
		{"webrtc", profile.Profile{
			Server:  profile.Server{IP: "203.0.113.10"},
			STUN:    profile.STUN{CIDR: "198.51.100.16/29"},
			Options: profile.Options{Encryption: boolp(false), WebRTC: boolp(true), Hardphone: boolp(false)},
		}},
		{"recording-uniconnect", profile.Profile{
			Server:     profile.Server{IP: "203.0.113.10", VPNIP: "172.16.5.10"},
			STUN:       profile.STUN{CIDR: "198.51.100.0/28"},
			Recording:  profile.Endpoint{IP: "203.0.113.11"},
			UniConnect: profile.Endpoint{IP: "203.0.113.12"},
			NTP:        "192.0.2.123",
			Options:    profile.Options{Encryption: boolp(true), WebRTC: boolp(false), Hardphone: boolp(true)},
		}},
	}
}

// parsedBlock is a block read back from rendered text.
type parsedBlock struct {
	ids  []string
	text string
}

var headRE = regexp.MustCompile(`^\S+ \[([a-z0-9,-]+)\]`)

// parseBlocks splits rendered text at its "[ids]" attribution comments.
func parseBlocks(out string) []parsedBlock {
	var blocks []parsedBlock
	var cur *parsedBlock
	for _, line := range strings.Split(out, "\n") {
		if m := headRE.FindStringSubmatch(line); m != nil {
			blocks = append(blocks, parsedBlock{ids: strings.Split(m[1], ",")})
			cur = &blocks[len(blocks)-1]
			continue
		}
		if strings.TrimSpace(line) == "" {
			cur = nil
			continue
		}
		if cur != nil {
			cur.text += line + "\n"
		}
	}
	return blocks
}

// remoteAddrs is, independently of the renderer, where the site profile says
// a row's far end is.
func remoteAddrs(p *profile.Profile, row content.Requirement) []string {
	role := row.DestRole
	switch role {
	case content.RoleRouterGlobal, content.RoleUniApp, content.RoleSoftphone, content.RoleHardphone, content.RoleWebRTC, content.RoleFTPClient, "":
		role = row.SourceRole
	}
	switch role {
	case content.RoleServer:
		if p.Server.VPNIP != "" {
			return []string{p.Server.VPNIP}
		}
		return []string{p.Server.IP}
	case content.RoleSTUN:
		if p.STUN.CIDR != "" {
			return []string{p.STUN.CIDR}
		}
		var out []string
		for _, e := range p.STUNEntries() {
			out = append(out, e.Host)
		}
		return out
	case content.RoleRecording:
		return []string{p.Recording.IP}
	case content.RoleNTP:
		return []string{p.NTPServer()}
	case content.RoleUniConnect:
		return []string{p.UniConnect.IP}
	}
	return nil
}

// containsAddr finds an address (or a CIDR's network address, which every
// vendor notation starts with) as a whole token.
func containsAddr(text, addr string) bool {
	if pfx, err := netip.ParsePrefix(addr); err == nil {
		addr = pfx.Masked().Addr().String()
	}
	re := regexp.MustCompile(`(^|[^0-9.])` + regexp.QuoteMeta(addr) + `($|[^0-9])`)
	return re.MatchString(text)
}

func containsPort(text string, port int) bool {
	re := regexp.MustCompile(`(^|[^0-9.])` + strconv.Itoa(port) + `($|[^0-9.])`)
	return re.MatchString(text)
}

func rowPortsOf(row content.Requirement) []content.PortRange {
	if len(row.Ports) > 0 {
		return row.Ports
	}
	return row.SourcePorts
}

func mustContent(t *testing.T) *content.Content {
	t.Helper()
	c, err := content.Load()
	if err != nil {
		t.Fatalf("content.Load: %v", err)
	}
	return c
}

package content

import (
	"fmt"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// CheckInfo describes one check of the catalog (design.md §4).
type CheckInfo struct {
	ID          string `yaml:"id"`
	Title       Text   `yaml:"title"`
	Description Text   `yaml:"description"` // what it proves, one or two sentences
	Source      Text   `yaml:"source"`      // section of the requirements page it follows
}

// PortRange is an inclusive range of ports; a single port has From == To.
// In YAML it is written "5060" or "10000-20000".
type PortRange struct {
	From, To int
}

// String renders "5060" or "10000-20000".
func (r PortRange) String() string {
	if r.From == r.To {
		return strconv.Itoa(r.From)
	}
	return fmt.Sprintf("%d-%d", r.From, r.To)
}

// Contains reports whether port p lies in the range.
func (r PortRange) Contains(p int) bool { return p >= r.From && p <= r.To }

// ParsePortRange parses "5060" or "10000-20000".
func ParsePortRange(s string) (PortRange, error) {
	s = strings.TrimSpace(s)
	lo, hi, isRange := strings.Cut(s, "-")
	from, err := strconv.Atoi(strings.TrimSpace(lo))
	if err != nil {
		return PortRange{}, fmt.Errorf("port %q: not a number", s)
	}
	to := from
	if isRange {
		if to, err = strconv.Atoi(strings.TrimSpace(hi)); err != nil {
			return PortRange{}, fmt.Errorf("port range %q: not a number", s)
		}
	}
	r := PortRange{From: from, To: to}
	return r, r.Valid()
}

// Valid checks 1 ≤ From ≤ To ≤ 65535.
func (r PortRange) Valid() error {
	if r.From < 1 || r.To > 65535 {
		return fmt.Errorf("port range %s: ports must be within 1-65535", r)
	}
	if r.From > r.To {
		return fmt.Errorf("port range %s: start after end", r)
	}
	return nil
}

// UnmarshalYAML reads "5060", 5060 or "10000-20000".
func (r *PortRange) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return fmt.Errorf("line %d: port range must be a scalar like 5060 or 10000-20000", n.Line)
	}
	pr, err := ParsePortRange(n.Value)
	if err != nil {
		return fmt.Errorf("line %d: %w", n.Line, err)
	}
	*r = pr
	return nil
}

// MarshalYAML writes the short form.
func (r PortRange) MarshalYAML() (any, error) { return r.String(), nil }

// PortList renders ranges joined by ", ".
func PortList(rs []PortRange) string {
	parts := make([]string, len(rs))
	for i, r := range rs {
		parts[i] = r.String()
	}
	return strings.Join(parts, ", ")
}

// Direction of a requirement row.
const (
	LANToWAN = "lan-wan" // お客様LAN → BIZTELサーバ
	WANToLAN = "wan-lan" // BIZTELサーバ → ルータ
)

// Roles of the endpoints named in the tables. Destinations are filled from the
// site profile by role; the tool never hard-codes a BIZTEL address.
const (
	RoleServer       = "server"         // BIZTEL server (private IP with the VPN option)
	RoleSTUN         = "stun"           // STUN servers (「サービスご紹介資料」)
	RoleRecording    = "recording"      // bulk recording download server
	RoleNTP          = "ntp"            // NTP server 210.235.12.2
	RoleUniConnect   = "uniconnect"     // uniConnect server
	RoleUniApp       = "uniconnect-app" // the uniConnect app on the phone
	RoleRouterGlobal = "router-global"  // the router's global IP (private IP with VPN)
	RoleSoftphone    = "softphone"
	RoleHardphone    = "hardphone"
	RoleWebRTC       = "webrtc"
	RoleFTPClient    = "ftp-client"
)

// Service options of a site profile; a requirement row lists the options that
// need it (none: always needed).
const (
	OptEncryption        = "encryption"
	OptWebRTC            = "webrtc"
	OptHardphone         = "hardphone"
	OptRecordingDownload = "recording_download"
	OptUniConnect        = "uniconnect"
)

// AllOptions lists the option names in profile order.
var AllOptions = []string{OptEncryption, OptWebRTC, OptHardphone, OptRecordingDownload, OptUniConnect}

// Requirement is one row of the page's port tables.
type Requirement struct {
	ID          string      `yaml:"id"`        // stable id, e.g. "lan-wan-1"
	Direction   string      `yaml:"direction"` // LANToWAN or WANToLAN
	Number      int         `yaml:"number"`    // the circled number on the page (① = 1)
	Item        Text        `yaml:"item"`      // 項目, e.g. "BIZTEL (WebRTC)"
	Protocol    string      `yaml:"protocol"`  // SIP, RTP, STUN, "HTTPS, WSS", FTPS, SIP/TLS, SRTP, SIP/WSS, NTP, …
	Transport   string      `yaml:"transport"` // udp or tcp
	Source      Text        `yaml:"source"`
	SourceRole  string      `yaml:"source_role"`
	Dest        Text        `yaml:"destination"`
	DestRole    string      `yaml:"destination_role"`
	Ports       []PortRange `yaml:"ports"`        // destination ports; empty means any
	SourcePorts []PortRange `yaml:"source_ports"` // source ports; empty means dynamic
	QoS         bool        `yaml:"qos"`          // a QoS target (grey shading on the page; see notes)
	Options     []string    `yaml:"options"`      // needed when any of these options is on; empty: always
	Notes       []Text      `yaml:"notes"`        // the page's ※ notes for this row
	Checks      []string    `yaml:"checks"`       // check IDs that verify this row
	Remedies    []string    `yaml:"remedies"`     // remedy IDs that open it

	// ProtocolNote stands in for Protocol where the page names none
	// (uniConnect iOS: 「詳細は、Apple公式ページを参照ください。」). Show the
	// cell with ProtocolLabel.
	ProtocolNote Text `yaml:"protocol_note"`
}

// ProtocolLabel is the protocol cell as the page shows it: the protocol name,
// or the page's note where it names none.
func (r Requirement) ProtocolLabel(lang Lang) string {
	if r.Protocol != "" {
		return r.Protocol
	}
	return r.ProtocolNote.In(lang)
}

// RequirementTable is the heading and table-wide notes of one port table
// (the page's ※ lines under a table's title, such as the response-packet
// note of LAN→WAN and the YAMAHA note of WAN→LAN).
type RequirementTable struct {
	Direction string `yaml:"direction"` // LANToWAN or WANToLAN
	Title     Text   `yaml:"title"`
	Notes     []Text `yaml:"notes"`
}

// PlaceholderKeys are the {placeholders} content texts may use; the site
// profile's Vars fills exactly these (profile's test holds it to that).
var PlaceholderKeys = []string{
	"server_host", "server_ip", "server_public", "server_vpn_ip",
	"stun_servers", "stun_dest", "recording", "recording_host",
	"uniconnect", "ntp", "channels", "bandwidth_kbps", "reflector",
	// the checklist's site-aware phrases (report.ChecklistFor)
	"router_ip", "return_where", "return_short", "vendor_ref",
}

// AppliesTo reports whether the row is needed with the given options on.
func (r Requirement) AppliesTo(options map[string]bool) bool {
	if len(r.Options) == 0 {
		return true
	}
	for _, o := range r.Options {
		if options[o] {
			return true
		}
	}
	return false
}

// Rule is one statement of the page outside the port tables.
type Rule struct {
	ID       string   `yaml:"id"`
	Text     Text     `yaml:"text"`
	Note     Text     `yaml:"note"`
	Source   Text     `yaml:"source"` // the page's section
	Checks   []string `yaml:"checks"`
	Remedies []string `yaml:"remedies"`
	Inferred bool     `yaml:"inferred"` // our reading, not the page's words (say so when shown)
}

// Rules holds the page's rules beside the tables.
type Rules struct {
	NATTimerSeconds int    `yaml:"nat_timer_seconds"` // 3600
	PerCallKbps     int    `yaml:"per_call_kbps"`     // 200
	NATTimer        Rule   `yaml:"nat_timer"`
	QoS             Rule   `yaml:"qos"`
	Line            []Rule `yaml:"line"`     // ■推奨インターネット回線
	Criteria        []Rule `yaml:"criteria"` // ■お客様ネットワークについて 1-7
	Cases           []Rule `yaml:"cases"`    // ■次世代ファイヤーウォールやUTM 1-6
	Other           []Rule `yaml:"other"`    // VPN option name resolution, response packets …
}

// Remedy is one thing a customer can change. Texts may carry {placeholders}
// filled from the site profile (see profile.Vars).
type Remedy struct {
	ID           string   `yaml:"id"`
	Title        Text     `yaml:"title"`
	Steps        []Text   `yaml:"steps"`
	Source       Text     `yaml:"source"`       // section of the requirements page
	Verify       []string `yaml:"verify"`       // check IDs that prove it done
	Requirements []string `yaml:"requirements"` // requirement rows it implements
	Refs         []string `yaml:"refs"`         // outside sources (RFCs, vendor docs) for what the page does not say
	// VPNOnlySteps are indexes into Steps shown only with the VPN option:
	// a site without it is not told about it.
	VPNOnlySteps []int `yaml:"vpn_only_steps"`
}

// Threshold is a pass/warn boundary pair. For lower-is-better metrics a value
// passes when < Pass and warns when ≤ Warn; for higher-is-better (MOS) it
// passes when ≥ Pass and warns when ≥ Warn.
type Threshold struct {
	Pass           float64 `yaml:"pass"`
	Warn           float64 `yaml:"warn"`
	Unit           string  `yaml:"unit"`
	HigherIsBetter bool    `yaml:"higher_is_better"`
	Source         Text    `yaml:"source"`
}

// Thresholds are the call-quality limits (design.md §4).
type Thresholds struct {
	LossPercent Threshold `yaml:"loss_percent"`
	JitterMs    Threshold `yaml:"jitter_ms"`
	RTTMs       Threshold `yaml:"rtt_ms"`
	MOS         Threshold `yaml:"mos"`
}

// InspectionProduct is a TLS-inspecting firewall or proxy recognised by the
// issuer of the certificate it forges.
type InspectionProduct struct {
	Name   string   `yaml:"name"`
	Match  []string `yaml:"match"` // case-insensitive substrings of the issuer's O/OU/CN
	Source string   `yaml:"source"`
	Remedy string   `yaml:"remedy"`
}

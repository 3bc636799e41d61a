package content

import (
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestEveryFileDecodes decodes each embedded file on its own, so a broken
// file is named, and checks every text in it has both languages, naming the
// key. Files are discovered, so a new file is covered without editing this.
func TestEveryFileDecodes(t *testing.T) {
	names := Files()
	if len(names) == 0 {
		t.Fatal("no embedded data files found")
	}
	for _, name := range names {
		t.Run(base(name), func(t *testing.T) {
			if err := DecodeFile(name); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			c := newContent()
			if err := c.decodeFile(name); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			walkTexts(reflect.ValueOf(c).Elem(), "content", func(path string, tx Text) {
				if !tx.IsZero() && !tx.Complete() {
					t.Errorf("%s: %s: text needs both ja and en (ja=%q en=%q)", name, path, tx.Ja, tx.En)
				}
			})
		})
	}
}

func TestLoadValidates(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if err := c.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
}

func mustLoad(t *testing.T) *Content {
	t.Helper()
	c, err := Load()
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return c
}

// seedRow is one row of the page's port tables, copied by hand from
// seed/000_1d9046d8a817e38a.txt (■通信要件).
type seedRow struct {
	id, protocol, transport string
	ports, sourcePorts      string // PortList form; "" = any / 動的割当
	options                 []string
	qos                     bool
}

var seedTable = []seedRow{
	// ●LAN→WANで許可する通信ポート一覧表(お客様LAN → BIZTELサーバ)
	{"lan-wan-1", "SIP", "udp", "5060", "", nil, true},
	{"lan-wan-2", "RTP", "udp", "10000-20000", "", nil, true},
	{"lan-wan-3", "STUN", "udp", "3478, 3479", "", nil, false},
	{"lan-wan-4", "HTTPS, WSS", "tcp", "8000", "", nil, false},
	{"lan-wan-5", "FTPS", "tcp", "20990, 20991-21000", "", []string{OptRecordingDownload}, false},
	{"lan-wan-6", "SIP/TLS", "tcp", "15061", "", []string{OptEncryption}, true},
	{"lan-wan-7", "SRTP", "udp", "10000-20000", "", []string{OptEncryption, OptWebRTC}, true},
	{"lan-wan-8", "SIP/WSS", "tcp", "15062", "", []string{OptWebRTC}, true},
	{"lan-wan-9", "NTP", "udp", "123", "", []string{OptHardphone}, false},
	{"lan-wan-10", "", "tcp", "8000", "8000", []string{OptUniConnect}, false}, // protocol: 詳細は、Apple公式ページを参照ください。
	{"lan-wan-11", "HTTPS", "tcp", "8000", "8000", []string{OptUniConnect}, false},
	// ●WAN→LANで許可する通信ポート一覧表(BIZTELサーバ → ルータ): destination port any
	{"wan-lan-1", "SIP", "udp", "", "5060", nil, true},
	{"wan-lan-2", "RTP", "udp", "", "10000-20000", nil, true},
	{"wan-lan-3", "SIP/TLS", "tcp", "", "15061", []string{OptEncryption}, true},
	{"wan-lan-4", "SRTP", "udp", "", "10000-20000", []string{OptEncryption, OptWebRTC}, true},
	{"wan-lan-5", "SIP/WSS", "tcp", "", "15062", []string{OptWebRTC}, true},
}

func TestRequirementsMatchSeedTable(t *testing.T) {
	c := mustLoad(t)
	if len(c.Requirements) != len(seedTable) {
		var ids []string
		for _, r := range c.Requirements {
			ids = append(ids, r.ID)
		}
		t.Errorf("content has %d rows %v; the page has %d", len(ids), ids, len(seedTable))
	}
	for i, want := range seedTable {
		r, ok := c.Requirement(want.id)
		if !ok {
			t.Errorf("%s: missing", want.id)
			continue
		}
		if i < len(c.Requirements) && c.Requirements[i].ID != want.id {
			t.Errorf("row %d is %s, want %s (page order)", i, c.Requirements[i].ID, want.id)
		}
		if got := r.Direction + "-" + itoa(r.Number); got != want.id {
			t.Errorf("%s: direction and number say %s", want.id, got)
		}
		if r.Protocol != want.protocol {
			t.Errorf("%s: protocol %q, page says %q", want.id, r.Protocol, want.protocol)
		}
		if r.Transport != want.transport {
			t.Errorf("%s: transport %q, page says %q", want.id, r.Transport, want.transport)
		}
		if got := PortList(r.Ports); got != want.ports {
			t.Errorf("%s: destination ports %q, page says %q", want.id, got, want.ports)
		}
		if got := PortList(r.SourcePorts); got != want.sourcePorts {
			t.Errorf("%s: source ports %q, page says %q", want.id, got, want.sourcePorts)
		}
		if !slices.Equal(r.Options, want.options) {
			t.Errorf("%s: options %v, want %v", want.id, r.Options, want.options)
		}
		if r.QoS != want.qos {
			t.Errorf("%s: qos %v, want %v (SIP and media rows, per the QoS line)", want.id, r.QoS, want.qos)
		}
	}
	// ⑩ names no protocol; its cell is the page's note.
	if r, _ := c.Requirement("lan-wan-10"); !strings.Contains(r.ProtocolLabel(Ja), "Apple公式ページ") {
		t.Errorf("lan-wan-10: protocol label %q, want the page's Apple note", r.ProtocolLabel(Ja))
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// TestRequirementNotes holds the page's row and table notes in place.
func TestRequirementNotes(t *testing.T) {
	c := mustLoad(t)
	has := func(notes []Text, sub string) bool {
		for _, n := range notes {
			if strings.Contains(n.Ja, sub) {
				return true
			}
		}
		return false
	}
	for _, r := range c.Requirements {
		if r.DestRole == RoleServer || r.SourceRole == RoleServer && r.Direction == WANToLAN || r.DestRole == RoleRouterGlobal {
			if !has(r.Notes, "プライベートIPアドレス") {
				t.Errorf("%s: missing the VPN private-IP note", r.ID)
			}
		}
	}
	if r, _ := c.Requirement("lan-wan-3"); !has(r.Notes, "サービスご紹介資料") {
		t.Error("lan-wan-3: missing the STUN address note")
	}
	if r, _ := c.Requirement("lan-wan-10"); !has(r.Notes, "Appleサービスからの通知") {
		t.Error("lan-wan-10: missing the iOS/Apple note")
	}
	lan, ok1 := c.Table(LANToWAN)
	wan, ok2 := c.Table(WANToLAN)
	if !ok1 || !ok2 {
		t.Fatal("both tables need a heading")
	}
	if !has(lan.Notes, "レスポンスパケット") {
		t.Error("LAN→WAN table: missing the response-packet note")
	}
	if !has(wan.Notes, "YAMAHA") {
		t.Error("WAN→LAN table: missing the YAMAHA note")
	}
	for _, tb := range []RequirementTable{lan, wan} {
		if !has(tb.Notes, "灰色の塗りつぶしはQoS対象範囲") {
			t.Errorf("%s table: must say how the lost QoS shading was read", tb.Direction)
		}
	}
}

// TestPortsInRangeAndOrdered checks every port of every row directly (Validate
// does too; this keeps the rule visible).
func TestPortsInRangeAndOrdered(t *testing.T) {
	c := mustLoad(t)
	for _, r := range c.Requirements {
		for _, list := range [][]PortRange{r.Ports, r.SourcePorts} {
			for i, p := range list {
				if p.From < 1 || p.To > 65535 || p.From > p.To {
					t.Errorf("%s: port range %s out of 1-65535 or reversed", r.ID, p)
				}
				if i > 0 && p.From <= list[i-1].To {
					t.Errorf("%s: %s not after %s", r.ID, p, list[i-1])
				}
			}
		}
	}
}

// TestPlaceholdersKnown: every {placeholder} in requirements, rules and
// remedies is a key of profile.Vars (content.PlaceholderKeys), and filling
// with every key leaves no brace behind.
func TestPlaceholdersKnown(t *testing.T) {
	c := mustLoad(t)
	vars := map[string]string{}
	for _, k := range PlaceholderKeys {
		vars[k] = "<" + k + ">"
	}
	parts := map[string]any{"requirements": c.Requirements, "tables": c.Tables, "rules": c.Rules, "remedies": c.Remedies}
	for name, part := range parts {
		walkTexts(reflect.ValueOf(part), name, func(path string, tx Text) {
			for _, s := range []string{tx.Ja, tx.En} {
				for _, p := range Placeholders(s) {
					if !slices.Contains(PlaceholderKeys, p) {
						t.Errorf("%s: unknown placeholder {%s}", path, p)
					}
				}
				if filled := Fill(s, vars); len(Placeholders(filled)) > 0 {
					t.Errorf("%s: placeholders left after filling: %q", path, filled)
				}
			}
		})
	}
}

// TestCheckRefsInCatalog: every check id named anywhere in content is in the
// catalog (checks.yaml); the registry side is tested in package checks.
func TestCheckRefsInCatalog(t *testing.T) {
	c := mustLoad(t)
	for id, where := range c.CheckRefs() {
		if _, ok := c.Check(id); !ok {
			t.Errorf("%s names check %q, which is not in checks.yaml", where, id)
		}
	}
	// Every row is verified by a live check, except the phone app's rows.
	noLiveCheck := []string{"lan-wan-10", "lan-wan-11"}
	for _, r := range c.Requirements {
		if len(r.Checks) == 0 && !slices.Contains(noLiveCheck, r.ID) {
			t.Errorf("%s: no check verifies this row", r.ID)
		}
		if len(r.Checks) > 0 && slices.Contains(noLiveCheck, r.ID) {
			t.Errorf("%s: uniConnect is app traffic; a laptop check cannot verify it", r.ID)
		}
	}
}

package snippets

import (
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/profile"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

func TestEveryVendorHasAValidTemplate(t *testing.T) {
	c := mustContent(t)
	if err := c.ValidateVendors(); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(Vendors(), profile.Vendors) {
		t.Fatalf("Vendors() = %v, want profile.Vendors %v", Vendors(), profile.Vendors)
	}
	for _, name := range Vendors() {
		display, firmware, sources, err := Describe(name)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if display == "" || firmware == "" || len(sources) == 0 {
			t.Errorf("%s: display %q, firmware %q, %d sources", name, display, firmware, len(sources))
		}
	}
	for _, v := range c.Vendors() {
		if v.Name != "generic" && v.Stateful == nil {
			t.Errorf("%s: say whether the device passes replies by itself (stateful: true|false)", v.Name)
		}
	}
	if len(c.Vendors()) != len(profile.Vendors) {
		t.Errorf("%d vendor templates loaded, want %d (one per name)", len(c.Vendors()), len(profile.Vendors))
	}
}

func TestUnknownVendorListsValidNames(t *testing.T) {
	p := sites()[0].p
	_, err := Render("netgear", &p, content.En)
	if err == nil {
		t.Fatal("unknown vendor rendered without error")
	}
	for _, name := range profile.Vendors {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("error %q does not list %q", err, name)
		}
	}
	if _, err := Render("yamaha", nil, content.En); err == nil {
		t.Error("nil profile rendered without error")
	}
}

// For every row the requirement table says applies to a site, every vendor's
// rendered text has a block attributed to that row carrying the row's ports
// and the site's address for it.
func TestEveryApplicableRowIsRendered(t *testing.T) {
	c := mustContent(t)
	if len(c.Requirements) == 0 {
		t.Fatal("no requirement rows loaded")
	}
	for _, s := range sites() {
		p := s.p
		if err := p.Validate(); err != nil {
			t.Fatalf("site %s: %v", s.name, err)
		}
		opts := p.OptionSet()
		for _, key := range vendorLangs() {
			vendor, lang := key.vendor, key.lang
			out, err := Render(vendor, &p, lang)
			if err != nil {
				t.Fatalf("%s/%s: %v", vendor, s.name, err)
			}
			blocks := parseBlocks(out)
			for _, row := range c.Requirements {
				if !row.AppliesTo(opts) {
					for _, b := range blocks {
						if slices.Contains(b.ids, row.ID) {
							t.Errorf("%s/%s/%s: row %s is off for this site but rendered", vendor, s.name, lang, row.ID)
						}
					}
					continue
				}
				for _, addr := range remoteAddrs(&p, row) {
					if !rowRendered(blocks, row, addr) {
						t.Errorf("%s/%s/%s: no block attributed to %s carries %s and ports %s", vendor, s.name, lang, row.ID, addr, content.PortList(rowPortsOf(row)))
					}
				}
			}
		}
	}
}

type vendorLang struct {
	vendor string
	lang   content.Lang
}

// vendorLangs is every vendor in both languages.
func vendorLangs() []vendorLang {
	var out []vendorLang
	for _, v := range Vendors() {
		out = append(out, vendorLang{v, content.En}, vendorLang{v, content.Ja})
	}
	return out
}

func rowRendered(blocks []parsedBlock, row content.Requirement, addr string) bool {
	for _, b := range blocks {
		if !slices.Contains(b.ids, row.ID) || !containsAddr(b.text, addr) {
			continue
		}
		ok := true
		for _, pr := range rowPortsOf(row) {
			ok = ok && containsPort(b.text, pr.From) && containsPort(b.text, pr.To)
		}
		if ok {
			return true
		}
	}
	return false
}

func TestUnverifiedLinesStayUnderAFifth(t *testing.T) {
	p := sites()[0].p // every option on: the most lines
	for _, vendor := range Vendors() {
		s, err := Build(vendor, &p, content.En)
		if err != nil {
			t.Fatal(err)
		}
		total, unv := s.CommandLines()
		t.Logf("%-12s %3d lines, %2d unverified", vendor, total, unv)
		if total == 0 || unv*5 >= total {
			t.Errorf("%s: %d of %d lines unverified; must stay under a fifth", vendor, unv, total)
		}
	}
}

// Rule ids every vendor must cover with at least one block.
func TestEveryVendorCoversTheSettings(t *testing.T) {
	p := sites()[0].p
	for _, vendor := range Vendors() {
		out, err := Render(vendor, &p, content.En)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, b := range parseBlocks(out) {
			ids = append(ids, b.ids...)
		}
		for _, want := range []string{"sip-alg-off", "ftp-alg-off", "nat-timer", "qos", "upnp-off", "ip-fragments"} {
			if !slices.Contains(ids, want) {
				t.Errorf("%s: no block implements %s", vendor, want)
			}
		}
		if !strings.Contains(out, "3600") {
			t.Errorf("%s: the 3600 s NAT timer is not in the output", vendor)
		}
	}
}

func TestOptionsChangeTheOutput(t *testing.T) {
	all, plain := sites()[0].p, sites()[2].p
	vpn := sites()[1].p
	for _, vendor := range Vendors() {
		on, _ := Render(vendor, &all, content.En)
		off, _ := Render(vendor, &plain, content.En)
		for _, port := range []string{"15061", "15062", "20990", "123"} {
			if !strings.Contains(on, port) {
				t.Errorf("%s: port %s missing with every option on", vendor, port)
			}
		}
		for _, port := range []string{"15061", "15062", "20990"} {
			if containsPort(off, atoi(port)) {
				t.Errorf("%s: port %s rendered with encryption, WebRTC and recording off", vendor, port)
			}
		}
		v, _ := Render(vendor, &vpn, content.En)
		if !containsAddr(v, "10.0.0.10") || containsAddr(v, "203.0.113.10") {
			t.Errorf("%s: with the VPN option the private IP must replace the public one", vendor)
		}
	}
}

func atoi(s string) int {
	n := 0
	for _, r := range s {
		n = n*10 + int(r-'0')
	}
	return n
}

// A value the profile lacks is shown as a marker naming where to find it,
// never as an empty field.
func TestMissingValuesAreMarked(t *testing.T) {
	p := profile.Profile{Server: profile.Server{Host: "s0123456789ab.u.biztel.jp"},
		Options: profile.Options{RecordingDownload: boolp(true)}}
	for _, lang := range []content.Lang{content.En, content.Ja} {
		marker := p.Vars(string(lang))["server_ip"]
		rec := p.Vars(string(lang))["recording"]
		for _, vendor := range Vendors() {
			out, err := Render(vendor, &p, lang)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(out, marker) || !strings.Contains(out, rec) {
				t.Errorf("%s/%s: missing server IP / recording server not marked (%q, %q)", vendor, lang, marker, rec)
			}
			for _, empty := range []string{"daddr  ", "host  ", "* * udp", "dst-address= "} {
				if strings.Contains(out, empty) {
					t.Errorf("%s/%s: an empty address slipped through (%q)", vendor, lang, empty)
				}
			}
		}
	}
}

func TestGolden(t *testing.T) {
	for _, s := range sites() {
		for _, vendor := range Vendors() {
			langs := []content.Lang{content.En}
			if s.name == "all" {
				langs = append(langs, content.Ja)
			}
			for _, lang := range langs {
				p := s.p
				out, err := Render(vendor, &p, lang)
				if err != nil {
					t.Fatal(err)
				}
				golden := filepath.Join("testdata", vendor+"_"+s.name+"_"+string(lang)+".golden")
				if *update {
					if err := os.MkdirAll("testdata", 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(golden, []byte(out), 0o644); err != nil {
						t.Fatal(err)
					}
					continue
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatalf("%v (run go test ./snippets -update to create it)", err)
				}
				if string(want) != out {
					t.Errorf("%s differs from the rendered output; review and run with -update", golden)
				}
			}
		}
	}
}

// A row without ports (a table that defers to another page) is printed
// commented out with a marker, never as a rule that matches every port.
func TestRowWithoutPortsIsMarked(t *testing.T) {
	c := mustContent(t)
	r := newRenderer(c, content.Vendor{Comment: "#"}, &profile.Profile{Server: profile.Server{IP: "203.0.113.10"}}, content.En)
	row := content.Requirement{ID: "lan-wan-1", Number: 1, Protocol: "X", Transport: "tcp", DestRole: content.RoleServer}
	b := r.instance(content.SnippetBlock{Comment: content.T("j", "e"), Text: "allow {dest} {proto} {port}\nports {ports}"}, []string{"lan-wan-1"}, &row, "203.0.113.10", "")
	if !b.Commented || len(b.Lines) != 2 {
		t.Fatalf("block = %+v, want two commented lines", b)
	}
	for _, l := range b.Lines {
		if !strings.HasPrefix(l, "# ") || !strings.Contains(l, "<PORT:") {
			t.Errorf("line %q is not commented out with the port marker", l)
		}
	}
}

// Rules and objects a vendor names must not collide when a row has several
// destinations (two STUN servers), or the second would overwrite the first.
func TestNamesStayUniquePerDestination(t *testing.T) {
	p := sites()[0].p // two STUN servers
	out, err := Render("fortigate", &p, content.En)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{`set name "BIZTEL-LAN-WAN-3-1"`, `set name "BIZTEL-LAN-WAN-3-2"`} {
		if !strings.Contains(out, name) {
			t.Errorf("missing %s", name)
		}
	}
	if strings.Contains(out, `set name "BIZTEL-LAN-WAN-3"`+"\n") {
		t.Error("a STUN policy without a per-destination suffix")
	}
}

func TestHostNamesAreFlagged(t *testing.T) {
	p := profile.Profile{Server: profile.Server{IP: "203.0.113.10"}, STUN: profile.STUN{Servers: []string{"stun.example.jp:3478"}},
		Recording: profile.Endpoint{Host: "rec.example.jp"}}
	out, err := Render("cisco-ios", &p, content.En)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "stun.example.jp, rec.example.jp is a host name") {
		t.Errorf("host names not flagged in the header:\n%s", out[:600])
	}
	ip := sites()[0].p
	out, _ = Render("cisco-ios", &ip, content.En)
	if strings.Contains(out, "is a host name") {
		t.Error("IP-only site flagged as having host names")
	}
}

func TestVendorFor(t *testing.T) {
	if got := VendorFor(&profile.Profile{Vendor: "mikrotik"}); got != "mikrotik" {
		t.Errorf("VendorFor = %q", got)
	}
	if got := VendorFor(&profile.Profile{}); got != "generic" {
		t.Errorf("VendorFor(no vendor) = %q, want generic", got)
	}
	if got := VendorFor(nil); got != "generic" {
		t.Errorf("VendorFor(nil) = %q, want generic", got)
	}
}

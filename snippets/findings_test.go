package snippets

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/profile"
)

// TestEveryDeviceRemedyIsCoveredByEveryVendor: for every remedy that is a
// router/firewall change and every vendor, the template has a block for
// each id the remedy needs, or says in not_applicable why the device has
// none. The table is printed (go test ./snippets -run Covered -v).
func TestEveryDeviceRemedyIsCoveredByEveryVendor(t *testing.T) {
	c := content.MustLoad()
	remedies := slices.Sorted(maps.Keys(content.DeviceRemedies))
	var table strings.Builder
	fmt.Fprintf(&table, "%-24s", "remedy \\ vendor")
	for _, v := range Vendors() {
		fmt.Fprintf(&table, " %-11s", v)
	}
	table.WriteString("\n")
	for _, rem := range remedies {
		fmt.Fprintf(&table, "%-24s", rem)
		for _, name := range Vendors() {
			v, ok := c.Vendor(name)
			if !ok {
				t.Fatalf("no template for %s", name)
			}
			cell := "block"
			for _, id := range content.DeviceRemedies[rem] {
				switch {
				case implements(v, id):
					if unverifiedOnly(v, id) && cell == "block" {
						cell = "block(unv)"
					}
				case notApplicable(v, id):
					cell = "n/a+why"
				default:
					cell = "MISSING"
					t.Errorf("%s: remedy %s needs %s: no block and no not_applicable entry", name, rem, id)
				}
			}
			fmt.Fprintf(&table, " %-11s", cell)
		}
		table.WriteString("\n")
	}
	t.Log("vendor × device remedy coverage (block(unv): every block for it is marked unverified):\n" + table.String())
}

// TestEveryDeviceRemedyShowsFirst: for every vendor and every device
// remedy, a site with that finding gets, before the full set, either lines
// implementing each rule the remedy needs or the template's reason why the
// device has none (hairpin included). A block that exists but never renders
// (a when condition, a typo in on_finding) fails here, not only in the
// table above.
func TestEveryDeviceRemedyShowsFirst(t *testing.T) {
	p := sites()[0].p // every option on, so option-limited blocks apply
	for _, vendor := range Vendors() {
		for _, lang := range []content.Lang{content.Ja, content.En} {
			for rem, rules := range content.DeviceRemedies {
				s, err := BuildFor(vendor, &p, lang, []string{rem})
				if err != nil {
					t.Fatal(err)
				}
				for _, id := range rules {
					if !fixesName(s, id) {
						t.Errorf("%s (%s): remedy %s: neither lines nor a reason for %s among the site's fixes", vendor, lang, rem, id)
					}
				}
				text := s.String()
				if !strings.HasPrefix(text, s.Vendor.Comment+" ") || !strings.Contains(text, content.T("この拠点の結果", "this site's findings").In(lang)) {
					t.Errorf("%s (%s): remedy %s: the configuration does not open with the site's fixes", vendor, lang, rem)
				}
			}
		}
	}
}

func fixesName(s *Snippet, id string) bool {
	for _, b := range s.Fixes {
		if slices.Contains(b.Implements, id) {
			return true
		}
	}
	for _, na := range s.NotApplicable {
		if na.Rule == id && na.Because.In(s.Lang) != "" {
			return true
		}
	}
	return false
}

// unverifiedOnly: every block implementing id is marked unverified.
func unverifiedOnly(v content.Vendor, id string) bool {
	for _, b := range v.Blocks {
		if slices.Contains(b.Implements, id) && !b.Unverified {
			return false
		}
	}
	return true
}

// TestEveryRemedyIsClassified: each remedy is either a device change
// (covered per vendor above) or named as something else, with why; a new
// remedy (a new check's) cannot slip past step 7 unclassified.
func TestEveryRemedyIsClassified(t *testing.T) {
	c := content.MustLoad()
	for _, r := range c.Remedies {
		_, dev := content.DeviceRemedies[r.ID]
		_, other := content.OtherRemedies[r.ID]
		if dev == other {
			t.Errorf("remedy %s: put it in exactly one of content.DeviceRemedies and content.OtherRemedies", r.ID)
		}
	}
	for id := range content.DeviceRemedies {
		if _, ok := c.Remedy(id); !ok {
			t.Errorf("DeviceRemedies names %s, which is no remedy", id)
		}
	}
}

func implements(v content.Vendor, id string) bool {
	for _, b := range v.Blocks {
		if slices.Contains(b.Implements, id) {
			return true
		}
	}
	return false
}

func notApplicable(v content.Vendor, id string) bool {
	for _, na := range v.NotApplicable {
		if na.Rule == id {
			return true
		}
	}
	return false
}

// TestFindingsComeFirst: with TLS interception and the SIP-ALG found, the
// FortiGate configuration starts with the ssl-ssh-profile exemption and
// the ALG lines, before the header and the full set; a device without TLS
// inspection says why instead; without findings nothing comes first.
func TestFindingsComeFirst(t *testing.T) {
	p := testSite()
	text, err := RenderFor("fortigate", p, content.Ja, []string{"disable-tls-inspection", "disable-sip-alg", "disable-upnp"})
	if err != nil {
		t.Fatal(err)
	}
	full := strings.Index(text, "== 要件の全設定 ==")
	for _, want := range []string{"config ssl-exempt", "set address \"BIZTEL-", "default-voip-alg-mode kernel-helper-based"} {
		if i := strings.Index(text, want); i < 0 || i > full {
			t.Errorf("fortigate: %q is not among the first lines (at %d, full set at %d)", want, i, full)
		}
	}
	if !strings.HasPrefix(text, "# == この拠点の結果に対する設定") {
		t.Errorf("fortigate: the configuration does not start with the site's fixes:\n%.300s", text)
	}
	plain, _ := Render("fortigate", p, content.Ja)
	if strings.Contains(plain, "edit \"<SSL_SSH_PROFILE>\"") || strings.Contains(plain, "この拠点の結果") {
		t.Error("without findings the TLS exemption or the fixes section shows")
	}
	y, _ := RenderFor("yamaha", p, content.En, []string{"disable-tls-inspection"})
	if !strings.Contains(y, "[tls-inspection-off] not applicable on this device: This device does not decrypt") {
		t.Errorf("yamaha does not say why it has no TLS exemption:\n%.400s", y)
	}
	if i, j := strings.Index(plain, "Sources"), strings.Index(plain, "出典（"); i >= 0 && i < 200 || j >= 0 && j < strings.Index(plain, "config ") {
		t.Error("the sources come before the configuration")
	}
}

func testSite() *profile.Profile {
	return &profile.Profile{Server: profile.Server{Host: "s0123456789ab.u.biztel.jp", IP: "203.0.113.10"},
		STUN: profile.STUN{Servers: []string{"198.51.100.20:3478"}}}
}

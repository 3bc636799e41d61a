package content

import (
	"path"
	"slices"
	"strings"
	"testing"
)

// briefRemedies are the remedy ids every package was told to use (the
// project brief); remedies.yaml holds exactly these. Other areas add theirs
// in their own remedies_<area>.yaml.
var briefRemedies = []string{
	"allow-sip-udp", "allow-rtp", "allow-stun", "allow-web-8000", "allow-ftps", "allow-sip-tls",
	"allow-sip-wss", "allow-ntp", "allow-uniconnect", "allow-return-traffic", "nat-timer-3600",
	"qos-sip-rtp", "use-wired", "ipv4-required", "ipoe-fixed-ip", "home-router-ports", "avoid-cgnat",
	"vpn-dns-private", "dns-mgmt-resolve", "disable-upnp", "disable-sip-alg", "sip-app-override",
	"hairpin-internal-calls", "open-inbound", "remove-proxy", "disable-ftp-alg",
	"disable-tls-inspection", "bandwidth-200kbps", "use-encrypted-sip",
}

// checkEmittedOnly lists remedies that no content entry names and that only
// checks emit. The registry test in package checks holds the checks to it.
var checkEmittedOnly = []string{}

// notFromPage are remedies the page does not state; their source must say so
// and what they rest on, with outside references.
var notFromPage = []string{"disable-tls-inspection", "avoid-cgnat", "use-encrypted-sip", "allow-ip-fragments"}

func TestRemediesFileHoldsTheBriefList(t *testing.T) {
	c := &Content{}
	if err := c.decodeFile("data/remedies.yaml"); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range c.Remedies {
		got = append(got, r.ID)
	}
	want := slices.Clone(briefRemedies)
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("remedies.yaml ids:\n got %v\nwant %v", got, want)
	}
}

func TestNoOrphanRemedy(t *testing.T) {
	c := mustLoad(t)
	refs := c.RemedyRefs()
	for _, name := range Files() {
		f := newContent()
		if err := f.decodeFile(name); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, r := range f.Remedies {
			if refs[r.ID] || slices.Contains(checkEmittedOnly, r.ID) {
				continue
			}
			// An area file (remedies_<area>.yaml) holds remedies its checks
			// emit; the registry test in package checks holds each to a
			// check's Spec.Remedies.
			if strings.HasPrefix(path.Base(name), "remedies_") {
				t.Logf("%s: remedy %s is emitted by checks only", name, r.ID)
				continue
			}
			t.Errorf("%s: remedy %s: no requirement, rule or inspection entry names it (add a reference, or list it in checkEmittedOnly if only a check emits it)", name, r.ID)
		}
	}
}

func TestRemedyShape(t *testing.T) {
	c := mustLoad(t)
	for _, r := range c.Remedies {
		if len(r.Steps) == 0 {
			t.Errorf("remedy %s: no steps", r.ID)
		}
		for i, s := range r.Steps {
			if !s.Complete() {
				t.Errorf("remedy %s: step %d needs ja and en", r.ID, i+1)
			}
		}
		if len(r.Verify) == 0 && r.ID != "allow-uniconnect" { // app traffic: no live check
			t.Errorf("remedy %s: no check verifies it", r.ID)
		}
		for _, q := range r.Requirements {
			if _, ok := c.Requirement(q); !ok {
				t.Errorf("remedy %s: unknown requirement %s", r.ID, q)
			}
		}
	}
	for _, id := range notFromPage {
		r, ok := c.Remedy(id)
		if !ok {
			t.Errorf("remedy %s missing", id)
			continue
		}
		if !strings.Contains(r.Source.Ja, "ページに記載なし") || !strings.Contains(r.Source.En, "Not on the page") {
			t.Errorf("remedy %s: source must say it is not on the page: %q", id, r.Source.En)
		}
		if len(r.Refs) == 0 {
			t.Errorf("remedy %s: needs outside references", id)
		}
	}
}

// TestRowsAndRemediesAgree: a remedy that says it implements a row is named
// by that row or by a rule, so the checklist reaches it from either side.
func TestRowsAndRemediesAgree(t *testing.T) {
	c := mustLoad(t)
	for _, row := range c.Requirements {
		for _, id := range row.Remedies {
			r, ok := c.Remedy(id)
			if !ok {
				t.Errorf("%s: unknown remedy %s", row.ID, id)
				continue
			}
			if !slices.Contains(r.Requirements, row.ID) {
				t.Errorf("%s names remedy %s, whose requirements %v leave the row out", row.ID, id, r.Requirements)
			}
		}
	}
}

func TestRules(t *testing.T) {
	c := mustLoad(t)
	r := c.Rules
	if r.NATTimerSeconds != 3600 || r.PerCallKbps != 200 {
		t.Errorf("nat timer %d s, per call %d kbps; the page says 3600 and 200", r.NATTimerSeconds, r.PerCallKbps)
	}
	if !strings.Contains(r.NATTimer.Text.Ja, "3600秒") || !strings.Contains(r.QoS.Text.Ja, "ポート単位での優先制御") {
		t.Error("NAT timer / QoS rules do not quote the page")
	}
	if len(r.Criteria) != 7 {
		t.Errorf("%d criteria, the page has 7", len(r.Criteria))
	}
	for i, cr := range r.Criteria {
		if !strings.HasPrefix(cr.Text.Ja, itoa(i+1)+".") {
			t.Errorf("criterion %d text starts %q", i+1, cr.Text.Ja)
		}
	}
	if len(r.Cases) != 6 {
		t.Errorf("%d NGFW/UTM cases, the page has 6", len(r.Cases))
	}
	for i, cs := range r.Cases {
		if !strings.HasPrefix(cs.Text.Ja, itoa(i+1)+".") {
			t.Errorf("case %d text starts %q", i+1, cs.Text.Ja)
		}
	}
	lineWants := []string{"光ファイバーによる有線接続", "IPv4での接続が必要", "IPv6についてはサポート致しておりません", "IPoE", "無線接続", "ホームルータ"}
	for _, w := range lineWants {
		found := false
		for _, l := range r.Line {
			found = found || strings.Contains(l.Text.Ja+l.Note.Ja, w)
		}
		if !found {
			t.Errorf("recommended line section: nothing says %q", w)
		}
	}
	var ipoe Rule
	for _, l := range r.Line {
		if l.ID == "line-ipoe" {
			ipoe = l
		}
	}
	if !strings.Contains(ipoe.Note.Ja, "固定IP専有型") {
		t.Error("line-ipoe: missing the fixed-IP dedicated plan exception")
	}
	if !strings.Contains(r.Criteria[2].Note.Ja, "UPnP") {
		t.Error("criterion 3: missing the UPnP note")
	}
	other := map[string]Rule{}
	for _, o := range r.Other {
		other[o.ID] = o
	}
	vpn := other["vpn-name-resolution"]
	if !vpn.Inferred || !strings.Contains(vpn.Note.En, "Inferred") {
		t.Error("vpn-name-resolution must be marked inferred and say so")
	}
	if !strings.Contains(other["response-packets"].Text.Ja, "レスポンスパケット") {
		t.Error("response-packets rule missing")
	}
	if !strings.Contains(other["disclaimer"].Text.Ja, "保証する内容ではございません") {
		t.Error("the no-guarantee disclaimer is missing")
	}
}

func TestThresholdsMatchDesign(t *testing.T) {
	th := mustLoad(t).Thresholds
	cases := []struct {
		name       string
		got        Threshold
		pass, warn float64
		higher     bool
	}{
		{"loss_percent", th.LossPercent, 1, 3, false},
		{"jitter_ms", th.JitterMs, 30, 50, false},
		{"rtt_ms", th.RTTMs, 100, 300, false},
		{"mos", th.MOS, 4.0, 3.6, true},
	}
	for _, c := range cases {
		if c.got.Pass != c.pass || c.got.Warn != c.warn || c.got.HigherIsBetter != c.higher {
			t.Errorf("%s: pass %v warn %v higher %v; design.md §4 says %v %v %v", c.name, c.got.Pass, c.got.Warn, c.got.HigherIsBetter, c.pass, c.warn, c.higher)
		}
		if !c.got.Source.Complete() {
			t.Errorf("%s: no source", c.name)
		}
	}
	for _, w := range []string{"G.114", "G.107", "RFC 3550"} {
		all := th.LossPercent.Source.En + th.JitterMs.Source.En + th.RTTMs.Source.En + th.MOS.Source.En
		if !strings.Contains(all, w) {
			t.Errorf("thresholds: no source cites %s", w)
		}
	}
}

func TestInspectionMatching(t *testing.T) {
	c := mustLoad(t)
	if len(c.Inspection) < 15 {
		t.Errorf("only %d inspection products", len(c.Inspection))
	}
	for _, p := range c.Inspection {
		if p.Remedy != "disable-tls-inspection" {
			t.Errorf("%s: remedy %q, want disable-tls-inspection", p.Name, p.Remedy)
		}
	}
	hits := []struct{ issuer, product string }{
		{"CN=Fortinet_CA_SSL, O=Fortinet Ltd., C=US", "Fortinet FortiGate / FortiProxy"},
		{"CN=FortiGate CA, O=Fortinet", "Fortinet FortiGate / FortiProxy"},
		{"CN=Zscaler Intermediate Root CA (zscaler.net), O=Zscaler Inc.", "Zscaler Internet Access"},
		{"CN=Cloudflare for Teams ECC Certificate Authority, O=Cloudflare, Inc", "Cloudflare Zero Trust (Gateway)"},
		{"CN=ESET SSL Filter CA, O=ESET, spol. s r. o.", "ESET (SSL/TLS protocol filtering)"},
	}
	for _, h := range hits {
		p, ok := c.InspectionFor(h.issuer)
		if !ok || p.Name != h.product {
			t.Errorf("InspectionFor(%q) = %q, %v; want %q", h.issuer, p.Name, ok, h.product)
		}
	}
	// Issuers of public CAs a real BIZTEL certificate may come from must
	// never read as interception.
	public := []string{
		"CN=R11, O=Let's Encrypt, C=US", "CN=E6, O=Let's Encrypt, C=US",
		"CN=DigiCert Global G2 TLS RSA SHA256 2020 CA1, O=DigiCert Inc, C=US",
		"CN=GlobalSign GCC R3 DV TLS CA 2020, O=GlobalSign nv-sa, C=BE",
		"CN=Sectigo RSA Domain Validation Secure Server CA, O=Sectigo Limited, L=Salford, C=GB",
		"CN=Cybertrust Japan SureServer CA G4, O=Cybertrust Japan Co., Ltd., C=JP",
		"CN=SECOM Passport for Web SR 3.0 CA, O=SECOM Trust Systems CO.,LTD., C=JP",
		"CN=JPRS DV CA G4, O=Japan Registry Services Co., Ltd., C=JP",
		"CN=Amazon RSA 2048 M02, O=Amazon, C=US", "CN=WR2, O=Google Trust Services, C=US",
		"CN=Microsoft Azure RSA TLS Issuing CA 03, O=Microsoft Corporation, C=US",
		"CN=GeoTrust TLS RSA CA G1, O=DigiCert Inc, OU=www.digicert.com, C=US",
	}
	for _, issuer := range public {
		if p, ok := c.InspectionFor(issuer); ok {
			t.Errorf("public CA %q reads as %s", issuer, p.Name)
		}
	}
}

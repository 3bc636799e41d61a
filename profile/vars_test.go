package profile

import (
	"slices"
	"strings"
	"testing"

	"github.com/biztel-tools/biztel-doctor/content"
)

// TestVarsKeysArePlaceholderKeys: Vars fills exactly the placeholders content
// may use (content.PlaceholderKeys), so no remedy shows a raw {name}.
func TestVarsKeysArePlaceholderKeys(t *testing.T) {
	for _, lang := range []string{"ja", "en"} {
		var got []string
		for k := range (&Profile{}).Vars(lang) {
			got = append(got, k)
		}
		want := slices.Clone(content.PlaceholderKeys)
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("Vars(%s) keys\n got %v\nwant %v", lang, got, want)
		}
	}
}

func TestVarsValues(t *testing.T) {
	p, err := Parse([]byte(`server: {host: s0123456789ab.u.biztel.jp, ip: 203.0.113.10, vpn_ip: 10.0.0.10}
stun: {servers: [198.51.100.20:3478, 198.51.100.20:3479, 198.51.100.21]}
recording: {host: rec.example.jp, ip: 203.0.113.11}
channels: 10
`), "p.yaml")
	if err != nil {
		t.Fatal(err)
	}
	v := p.Vars("en")
	want := map[string]string{
		"server_ip": "10.0.0.10", "server_public": "203.0.113.10", "server_vpn_ip": "10.0.0.10",
		"server_host": "s0123456789ab.u.biztel.jp", "stun_servers": "198.51.100.20, 198.51.100.21",
		"stun_dest": "198.51.100.20, 198.51.100.21", "recording": "203.0.113.11", "recording_host": "rec.example.jp",
		"ntp": DefaultNTP, "channels": "10", "bandwidth_kbps": "2000",
	}
	for k, w := range want {
		if v[k] != w {
			t.Errorf("%s = %q, want %q", k, v[k], w)
		}
	}
	// Missing values say where to find them, in the asked language.
	if u := v["uniconnect"]; !strings.Contains(u, "contract papers") {
		t.Errorf("uniconnect marker %q", u)
	}
	if u := p.Vars("ja")["uniconnect"]; !strings.Contains(u, "ご利用案内") {
		t.Errorf("uniconnect marker (ja) %q", u)
	}
	// A CIDR is what firewall rules name for STUN.
	p.STUN.CIDR = "198.51.100.0/28"
	if d := p.Vars("en")["stun_dest"]; d != "198.51.100.0/28" {
		t.Errorf("stun_dest with CIDR = %q", d)
	}
}

// TestRemediesFillFromExample fills every remedy and requirement text with
// the example profile's values: no raw {placeholder} may remain.
func TestRemediesFillFromExample(t *testing.T) {
	p, err := Load("../examples/profile.yaml")
	if err != nil {
		t.Fatal(err)
	}
	c, err := content.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []content.Lang{content.Ja, content.En} {
		vars := p.Vars(string(lang))
		var texts []content.Text
		for _, r := range c.Remedies {
			texts = append(texts, r.Title)
			texts = append(texts, r.Steps...)
		}
		for _, r := range c.Requirements {
			texts = append(texts, r.Source, r.Dest)
		}
		for _, tx := range texts {
			s := tx.Fill(vars).In(lang)
			if ph := content.Placeholders(s); len(ph) > 0 {
				t.Errorf("%s: unfilled %v in %q", lang, ph, s)
			}
		}
		if s := content.Fill("{server_ip}:{stun_dest}", vars); s != "203.0.113.10:198.51.100.0/28" {
			t.Errorf("filled %q", s)
		}
	}
}

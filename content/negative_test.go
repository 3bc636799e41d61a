package content

import (
	"strings"
	"testing"
)

// A small, valid set of files; each negative case breaks one thing in it.
const (
	goodRequirement = `kind: requirements
requirements:
  - id: lan-wan-1
    direction: lan-wan
    number: 1
    item: {ja: "BIZTEL", en: "BIZTEL"}
    protocol: SIP
    transport: udp
    source: {ja: "BIZTELソフトフォン", en: "BIZTEL softphone"}
    source_role: softphone
    destination: {ja: "BIZTELサーバ ({server_ip})", en: "BIZTEL server ({server_ip})"}
    destination_role: server
    ports: ["5060", "10000-20000"]
    checks: [sip.udp]
    remedies: [allow-sip-udp]
`
	goodRemedy = `kind: remedies
remedies:
  - id: allow-sip-udp
    title: {ja: "SIP を許可する", en: "Allow SIP"}
    steps:
      - {ja: "宛先 {server_ip} UDP 5060 を許可する", en: "Allow {server_ip} UDP 5060"}
    source: {ja: "LAN→WAN ①", en: "LAN→WAN row 1"}
    verify: [sip.udp]
    requirements: [lan-wan-1]
`
	goodRules = `kind: rules
rules:
  nat_timer_seconds: 3600
  per_call_kbps: 200
  other:
    - id: vpn
      text: {ja: "名前解決", en: "name resolution"}
      note: {ja: "推定", en: "inferred"}
      source: {ja: "VPN", en: "VPN"}
      inferred: true
`
	goodCatalog = `kind: checks
checks:
  - id: sip.udp
    title: {ja: "SIP", en: "SIP"}
`
)

// decodeSet decodes in-memory files the way Load decodes embedded ones and
// validates the result.
func decodeSet(files map[string]string) error {
	c := &Content{UI: map[string]Text{}}
	for _, name := range []string{"checks.yaml", "requirements.yaml", "remedies.yaml", "rules.yaml"} {
		if err := c.decodeData(name, []byte(files[name])); err != nil {
			return err
		}
	}
	return c.Validate()
}

func goodSet() map[string]string {
	return map[string]string{
		"checks.yaml": goodCatalog, "requirements.yaml": goodRequirement,
		"remedies.yaml": goodRemedy, "rules.yaml": goodRules,
	}
}

func TestGoodSetValidates(t *testing.T) {
	if err := decodeSet(goodSet()); err != nil {
		t.Fatalf("the base of the negative tests must be valid: %v", err)
	}
}

func TestBrokenContentIsRefused(t *testing.T) {
	cases := []struct {
		name, file, old, new string
		want                 []string // every substring must be in the error
	}{
		{"unknown key", "requirements.yaml", "    protocol: SIP\n", "    protocol: SIP\n    protocl: SIP\n",
			[]string{"requirements.yaml", "line 8", "field protocl not found"}},
		{"one-language text", "requirements.yaml", `item: {ja: "BIZTEL", en: "BIZTEL"}`, `item: {ja: "BIZTEL"}`,
			[]string{"requirements[lan-wan-1].item", "ja and en"}},
		{"port 0", "requirements.yaml", `ports: ["5060", "10000-20000"]`, `ports: ["0"]`,
			[]string{"requirements.yaml", "line 13", "port range 0", "1-65535"}},
		{"port 65536", "requirements.yaml", `ports: ["5060", "10000-20000"]`, `ports: ["65536"]`,
			[]string{"line 13", "1-65535"}},
		{"reversed range", "requirements.yaml", `"10000-20000"`, `"20000-10000"`,
			[]string{"line 13", "20000-10000", "start after end"}},
		{"ports out of order", "requirements.yaml", `ports: ["5060", "10000-20000"]`, `ports: ["10000-20000", "5060"]`,
			[]string{"requirements[lan-wan-1].ports", "ascending"}},
		{"unknown remedy ref", "requirements.yaml", "remedies: [allow-sip-udp]", "remedies: [allow-sip-udpp]",
			[]string{"requirements[lan-wan-1].remedies", `unknown remedy "allow-sip-udpp"`}},
		{"unknown check ref", "remedies.yaml", "verify: [sip.udp]", "verify: [sip.upd]",
			[]string{"remedies[allow-sip-udp].verify", `unknown check "sip.upd"`}},
		{"unknown requirement ref", "remedies.yaml", "requirements: [lan-wan-1]", "requirements: [lan-wan-12]",
			[]string{"remedies[allow-sip-udp].requirements", `"lan-wan-12"`}},
		{"unknown placeholder", "remedies.yaml", "Allow {server_ip} UDP", "Allow {serverip} UDP",
			[]string{"remedies[allow-sip-udp].steps[0]", "{serverip}"}},
		{"unknown transport", "requirements.yaml", "transport: udp", "transport: sctp",
			[]string{"requirements[lan-wan-1].transport", `"sctp"`}},
		{"unknown option", "requirements.yaml", "    checks: [sip.udp]\n", "    options: [vpn]\n    checks: [sip.udp]\n",
			[]string{"requirements[lan-wan-1].options", `"vpn"`}},
		{"unknown role", "requirements.yaml", "source_role: softphone", "source_role: phone",
			[]string{"requirements[lan-wan-1].source_role", `"phone"`}},
		{"inferred rule without note", "rules.yaml", `      note: {ja: "推定", en: "inferred"}` + "\n", "",
			[]string{"rules[vpn]", "inferred"}},
		{"unknown kind", "rules.yaml", "kind: rules", "kind: rulez",
			[]string{"rules.yaml", `unknown kind "rulez"`}},
		{"not YAML", "remedies.yaml", "remedies:\n", "remedies: [\n",
			[]string{"remedies.yaml"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			files := goodSet()
			if !strings.Contains(files[tc.file], tc.old) {
				t.Fatalf("test setup: %q not in %s", tc.old, tc.file)
			}
			files[tc.file] = strings.Replace(files[tc.file], tc.old, tc.new, 1)
			err := decodeSet(files)
			if err == nil {
				t.Fatalf("accepted broken content:\n%s", files[tc.file])
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error does not say %q:\n%v", w, err)
				}
			}
		})
	}
}

// TestDecodeStrictLines: unknown keys are reported with the line of the
// original document (not of a re-encoded copy), also below anchors.
func TestDecodeStrictLines(t *testing.T) {
	src := "kind: remedies\n\n\n# comment\nremedies:\n  - id: a\n    title: &t {ja: \"x\", en: \"y\"}\n\n    titel: *t\n"
	c := &Content{}
	err := c.decodeData("x.yaml", []byte(src))
	if err == nil || !strings.Contains(err.Error(), "line 9: field titel not found") {
		t.Fatalf("got %v, want the unknown key on line 9", err)
	}
}

// TestRulesTwiceIsRefused: a second rules file is refused even when the
// first sets no NAT timer (the guard used to look at that one field only).
func TestRulesTwiceIsRefused(t *testing.T) {
	for name, first := range map[string]string{
		"with timer":    goodRules,
		"without timer": strings.Replace(goodRules, "  nat_timer_seconds: 3600\n", "", 1),
	} {
		c := newContent()
		if err := c.decodeData("rules.yaml", []byte(first)); err != nil {
			t.Fatalf("%s: first rules file: %v", name, err)
		}
		if err := c.decodeData("rules2.yaml", []byte(goodRules)); err == nil || !strings.Contains(err.Error(), "rules defined twice") {
			t.Errorf("%s: second rules file: %v, want \"rules defined twice\"", name, err)
		}
	}
}

package content

import (
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// Every vendor file decodes on its own, so a broken one is named.
func TestVendorFilesDecode(t *testing.T) {
	n := 0
	for _, name := range Files() {
		if !strings.HasPrefix(name, "data/vendors/") {
			continue
		}
		n++
		if err := DecodeFile(name); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	if n == 0 {
		t.Fatal("no vendor templates under data/vendors")
	}
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if err := c.ValidateVendors(); err != nil {
		t.Error(err)
	}
}

func TestVendorCheckRejectsBadTemplates(t *testing.T) {
	cases := map[string]string{
		"no sources":              "kind: vendor\nname: x\ndisplay: X\nfirmware: 1\ncomment: '#'\n",
		"unknown source":          "kind: vendor\nname: x\ndisplay: X\nfirmware: 1\ncomment: '#'\nsources: [{id: a, title: t, url: u, firmware: f}]\nblocks: [{implements: [qos], source: b, comment: {ja: j, en: e}, text: x}]\n",
		"unknown option":          "kind: vendor\nname: x\ndisplay: X\nfirmware: 1\ncomment: '#'\nsources: [{id: a, title: t, url: u, firmware: f}]\nblocks: [{implements: [qos], source: a, when: {options: [fax]}, comment: {ja: j, en: e}, text: x}]\n",
		"one language":            "kind: vendor\nname: x\ndisplay: X\nfirmware: 1\ncomment: '#'\nsources: [{id: a, title: t, url: u, firmware: f}]\nblocks: [{implements: [qos], source: a, comment: {ja: j}, text: x}]\n",
		"no command text":         "kind: vendor\nname: x\ndisplay: X\nfirmware: 1\ncomment: '#'\nsources: [{id: a, title: t, url: u, firmware: f}]\nblocks: [{implements: [qos], source: a, comment: {ja: j, en: e}}]\n",
		"typo key":                "kind: vendor\nname: x\ndisplay: X\nfirmware: 1\ncomment: '#'\nsorces: []\n",
		"unverified, unsaid what": "kind: vendor\nname: x\ndisplay: X\nfirmware: 1\ncomment: '#'\nsources: [{id: a, title: t, url: u, firmware: f}]\nblocks: [{implements: [qos], source: a, unverified: true, comment: {ja: j, en: e}, text: x}]\n",
		"unconfirmed, not marked": "kind: vendor\nname: x\ndisplay: X\nfirmware: 1\ncomment: '#'\nsources: [{id: a, title: t, url: u, firmware: f}]\nblocks: [{implements: [qos], source: a, unconfirmed: {ja: j, en: e}, comment: {ja: j, en: e}, text: x}]\n",
	}
	for name, src := range cases {
		var doc yaml.Node
		if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		c := newContent()
		if err := kinds["vendor"](c, doc.Content[0]); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestValidateVendorsRejectsUnknownIDs(t *testing.T) {
	src := "kind: vendor\nname: x\ndisplay: X\nfirmware: 1\ncomment: '#'\nsources: [{id: a, title: t, url: u, firmware: f}]\nblocks: [{implements: [lan-wan-99], per_row: true, source: a, comment: {ja: j, en: e}, text: x}]\n"
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
		t.Fatal(err)
	}
	c := newContent()
	if err := kinds["vendor"](c, doc.Content[0]); err != nil {
		t.Fatal(err)
	}
	err := c.ValidateVendors()
	if err == nil || !strings.Contains(err.Error(), "lan-wan-99") {
		t.Errorf("ValidateVendors = %v, want an error naming lan-wan-99", err)
	}
}

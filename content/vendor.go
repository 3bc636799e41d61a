package content

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// Vendor is one router/firewall family's configuration snippet template
// (files data/vendors/*.yaml, kind "vendor"). The snippets package fills it
// with a site profile; this package only holds and checks the data.
type Vendor struct {
	Kind     string         `yaml:"kind"`
	Name     string         `yaml:"name"`     // profile/flag name, e.g. "yamaha"
	Display  string         `yaml:"display"`  // e.g. "YAMAHA RTX / NVR"
	Firmware string         `yaml:"firmware"` // firmware line the snippet follows
	Comment  string         `yaml:"comment"`  // line-comment prefix of the device's config language
	Stateful *bool          `yaml:"stateful"` // passes replies of allowed flows by itself; nil: not one device (generic)
	Sources  []VendorSource `yaml:"sources"`  // vendor documents the lines follow
	Notes    []Text         `yaml:"notes"`    // shown as comments before the blocks
	Blocks   []SnippetBlock `yaml:"blocks"`
	// NotApplicable names the device-change rules the device has no
	// setting for, and why (shown in step 7 when the site needs one).
	NotApplicable []NotApplicable `yaml:"not_applicable"`
}

// VendorSource is a vendor document a snippet follows.
type VendorSource struct {
	ID       string `yaml:"id"` // referenced by SnippetBlock.Source
	Title    string `yaml:"title"`
	URL      string `yaml:"url"`
	Firmware string `yaml:"firmware"`
}

// SnippetBlock is one rule or setting: a few command lines with
// {placeholders}, what it implements, when it applies and where its syntax
// comes from.
type SnippetBlock struct {
	// Requirement row ids (lan-wan-N, wan-lan-N) and/or SnippetRules ids.
	Implements []string `yaml:"implements"`
	// PerRow repeats the block for every applicable requirement row in
	// Implements (and every destination of that row), with row placeholders.
	PerRow bool `yaml:"per_row"`
	// QoSOnly limits PerRow to rows that are QoS targets.
	QoSOnly    bool             `yaml:"qos_only"`
	When       SnippetCondition `yaml:"when"`
	Comment    Text             `yaml:"comment"`
	Source     string           `yaml:"source"`     // VendorSource.ID the syntax follows
	Unverified bool             `yaml:"unverified"` // syntax not confirmed from a vendor document
	// Unconfirmed says, with Unverified, which part no vendor document
	// confirmed, so the operator knows what to check in the manual.
	Unconfirmed Text `yaml:"unconfirmed"`
	Commented   bool `yaml:"commented"` // print the commands commented out (operator decides)
	// OnFinding: only when the site's findings call for it (a TLS
	// exemption is no requirement of the page, only a fix).
	OnFinding bool   `yaml:"on_finding"`
	Text      string `yaml:"text"`
}

// SnippetCondition limits a block to some sites. Zero value: always.
type SnippetCondition struct {
	VPN     *bool    `yaml:"vpn"`     // nil: either; true/false: only with/without the VPN option
	Options []string `yaml:"options"` // any of these options on; empty: no option needed
}

// SnippetRules are the ids a block may implement besides requirement rows.
var SnippetRules = []string{
	"sip-alg-off",        // no SIP-ALG / SIP-NAT / SIP helper (■お客様ネットワーク 4, UTM case 1)
	"ftp-alg-off",        // no FTP ALG with bulk recording download (UTM case 6)
	"nat-timer",          // SIP NAT timer 3600 s
	"qos",                // port-based priority for SIP/RTP
	"upnp-off",           // UPnP off after checking nothing else needs it
	"app-override",       // SIP/RTP policy such as Palo Alto Application Override (UTM case 2)
	"ip-fragments",       // IP fragments (large SIP over UDP) are not dropped (sip.size)
	"tls-inspection-off", // BIZTEL exempt from TLS inspection (SSL decryption) on UTMs
	"hairpin",            // internal calls looped back through the device (UTM case 3)
	"apply",              // binds the rules above to an interface, zone or list
}

func init() {
	registerKind("vendor", func(c *Content, doc *yaml.Node) error {
		var v Vendor
		if err := decodeStrict(doc, &v); err != nil {
			return err
		}
		if err := v.check(); err != nil {
			return err
		}
		for _, seen := range c.VendorSet {
			if seen.Name == v.Name {
				return fmt.Errorf("vendor %q defined twice", v.Name)
			}
		}
		c.VendorSet = append(c.VendorSet, v)
		return nil
	})
}

// check validates one template on its own (references to requirement rows
// are checked by ValidateVendors, once every file is loaded).
func (v *Vendor) check() error {
	var errs []error
	add := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if v.Name == "" || v.Display == "" || v.Firmware == "" {
		add("vendor: name, display and firmware are required")
	}
	if v.Comment == "" {
		add("vendor %s: comment prefix is required", v.Name)
	}
	if len(v.Sources) == 0 {
		add("vendor %s: at least one source document is required", v.Name)
	}
	ids := map[string]bool{}
	for i, s := range v.Sources {
		if s.ID == "" || s.Title == "" || s.URL == "" || s.Firmware == "" {
			add("vendor %s: sources[%d]: id, title, url and firmware are required", v.Name, i)
		}
		ids[s.ID] = true
	}
	for i, na := range v.NotApplicable {
		if !slices.Contains(SnippetRules, na.Rule) || !na.Because.Complete() {
			add("vendor %s: not_applicable[%d]: rule must be one of the snippet rules and because needs ja and en", v.Name, i)
		}
	}
	for i, n := range v.Notes {
		if !n.Complete() {
			add("vendor %s: notes[%d]: needs ja and en", v.Name, i)
		}
	}
	for i, b := range v.Blocks {
		where := fmt.Sprintf("vendor %s: blocks[%d]", v.Name, i)
		if len(b.Implements) == 0 {
			add("%s: implements nothing", where)
		}
		if !b.Comment.Complete() {
			add("%s: comment needs ja and en", where)
		}
		if strings.TrimSpace(b.Text) == "" {
			add("%s: no command text", where)
		}
		if !ids[b.Source] {
			add("%s: source %q is not one of the vendor's sources", where, b.Source)
		}
		if b.Unverified != b.Unconfirmed.Complete() {
			add("%s: unverified needs unconfirmed (ja and en: what no vendor document confirmed), and only it", where)
		}
		for _, o := range b.When.Options {
			if !slices.Contains(AllOptions, o) {
				add("%s: when.options: unknown option %q", where, o)
			}
		}
	}
	return errors.Join(errs...)
}

// Vendors returns every vendor template, in file order. The slice is shared;
// callers must not modify it.
func (c *Content) Vendors() []Vendor { return c.VendorSet }

// Vendor returns the template named name.
func (c *Content) Vendor(name string) (Vendor, bool) {
	for _, v := range c.Vendors() {
		if v.Name == name {
			return v, true
		}
	}
	return Vendor{}, false
}

// ValidateVendors checks that every id a block implements is a requirement
// row or one of SnippetRules, and that per-row blocks name rows.
func (c *Content) ValidateVendors() error {
	var errs []error
	for _, v := range c.Vendors() {
		for i, b := range v.Blocks {
			rows := 0
			for _, id := range b.Implements {
				if _, ok := c.Requirement(id); ok {
					rows++
					continue
				}
				if !slices.Contains(SnippetRules, id) {
					errs = append(errs, fmt.Errorf("vendor %s: blocks[%d]: implements %q, which is neither a requirement row nor one of %s", v.Name, i, id, strings.Join(SnippetRules, ", ")))
				}
			}
			if b.PerRow && rows == 0 {
				errs = append(errs, fmt.Errorf("vendor %s: blocks[%d]: per_row but names no requirement row", v.Name, i))
			}
		}
	}
	return errors.Join(errs...)
}

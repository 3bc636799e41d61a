// Package snippets turns the vendor templates of package content into
// configuration snippets for one site: every allow rule, return rule, timer,
// ALG and QoS line the requirements page asks for, with the site's addresses
// filled in and the values only the operator knows left as <PLACEHOLDERS>.
package snippets

import (
	"fmt"
	"slices"
	"strings"

	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/profile"
)

// Block is one rendered rule or setting.
type Block struct {
	Implements  []string // requirement rows and rule ids this instance implements
	Comment     string   // in the requested language
	Source      string   // id of the vendor document it follows
	Unverified  bool     // syntax not confirmed from a vendor document
	Unconfirmed string   // with Unverified: what no vendor document confirmed
	Commented   bool     // commands printed commented out
	Lines       []string // command lines as printed (without the header comment)
}

// Snippet is a whole rendered configuration for one vendor and site.
type Snippet struct {
	Vendor content.Vendor
	Lang   content.Lang
	Header []string // comment lines before the blocks
	Blocks []Block
	// Fixes are the blocks that answer the site's findings (BuildFor's
	// remedies), printed first; NotApplicable says, for a finding's rule
	// the device has no setting for, why.
	Fixes         []Block
	NotApplicable []content.NotApplicable
	Sources       []string // the vendor documents, printed last as a footnote
}

// Vendors lists the vendor names in the order of design.md §3.
func Vendors() []string { return slices.Clone(profile.Vendors) }

// VendorFor is the vendor a site profile names, or "generic" (the
// vendor-neutral table) when it names none.
func VendorFor(p *profile.Profile) string {
	if p != nil && p.Vendor != "" {
		return p.Vendor
	}
	return "generic"
}

// Describe returns a vendor's display name, firmware line and source
// documents, for the CLI and the report.
func Describe(vendor string) (display, firmware string, sources []content.VendorSource, err error) {
	v, err := template(vendor)
	if err != nil {
		return "", "", nil, err
	}
	return v.Display, v.Firmware, v.Sources, nil
}

// Render returns the configuration snippet for vendor, filled with p's
// values, with comments in lang.
func Render(vendor string, p *profile.Profile, lang content.Lang) (string, error) {
	s, err := Build(vendor, p, lang)
	if err != nil {
		return "", err
	}
	return s.String(), nil
}

// Build renders the snippet as structured blocks.
func Build(vendor string, p *profile.Profile, lang content.Lang) (*Snippet, error) {
	return BuildFor(vendor, p, lang, nil)
}

// RenderFor is Render with the site's findings first: remedies are the
// remedy ids the checks and answers named.
func RenderFor(vendor string, p *profile.Profile, lang content.Lang, remedies []string) (string, error) {
	s, err := BuildFor(vendor, p, lang, remedies)
	if err != nil {
		return "", err
	}
	return s.String(), nil
}

// BuildFor renders the snippet with, first, the blocks that fix the site's
// findings (content.DeviceRemedies of remedies), and for a rule the device
// has no setting for, the template's reason.
func BuildFor(vendor string, p *profile.Profile, lang content.Lang, remedies []string) (*Snippet, error) {
	if p == nil {
		return nil, fmt.Errorf("snippets: no site profile")
	}
	v, err := template(vendor)
	if err != nil {
		return nil, err
	}
	c := content.MustLoad()
	r := newRenderer(c, v, p, lang)
	s := &Snippet{Vendor: v, Lang: lang}
	need := map[string]bool{}
	for _, rem := range remedies {
		for _, id := range content.DeviceRemedies[rem] {
			need[id] = true
		}
	}
	for _, b := range v.Blocks {
		if b.OnFinding && !intersects(b.Implements, need) {
			continue
		}
		blocks := r.block(b)
		for _, blk := range blocks {
			if intersects(blk.Implements, need) {
				s.Fixes = append(s.Fixes, blk)
			}
		}
		if !b.OnFinding {
			s.Blocks = append(s.Blocks, blocks...)
		}
	}
	for _, na := range v.NotApplicable {
		if need[na.Rule] {
			s.NotApplicable = append(s.NotApplicable, na)
		}
	}
	s.Header = r.header(append(append([]Block{}, s.Fixes...), s.Blocks...))
	for _, src := range v.Sources {
		s.Sources = append(s.Sources, fmt.Sprintf("  [%s] %s — %s (%s)", src.ID, src.Title, src.URL, src.Firmware))
	}
	return s, nil
}

func intersects(ids []string, set map[string]bool) bool {
	for _, id := range ids {
		if set[id] {
			return true
		}
	}
	return false
}

func template(vendor string) (content.Vendor, error) {
	if !slices.Contains(profile.Vendors, vendor) {
		return content.Vendor{}, fmt.Errorf("snippets: unknown vendor %q; valid names: %s", vendor, strings.Join(profile.Vendors, ", "))
	}
	c, err := content.Load()
	if err != nil {
		return content.Vendor{}, fmt.Errorf("snippets: %w", err)
	}
	v, ok := c.Vendor(vendor)
	if !ok {
		return content.Vendor{}, fmt.Errorf("snippets: no template for vendor %q", vendor)
	}
	return v, nil
}

// String prints the snippet: the lines that fix the site's findings (when
// BuildFor had some), the header comments, then each block as a comment
// line "[ids] what it does" followed by its commands and a blank line, and
// the vendor documents last.
func (s *Snippet) String() string {
	var b strings.Builder
	cm := s.Vendor.Comment
	t := func(ja, en string) string { return content.T(ja, en).In(s.Lang) }
	if len(s.Fixes) > 0 || len(s.NotApplicable) > 0 {
		b.WriteString(commentLine(cm, t("== この拠点の結果に対する設定（先に投入） ==", "== Lines that fix this site's findings (apply these first) ==")))
		b.WriteString("\n")
		s.writeBlocks(&b, s.Fixes)
		for _, na := range s.NotApplicable {
			b.WriteString(commentLine(cm, fmt.Sprintf("[%s] %s %s", na.Rule, t("この機器では該当なし:", "not applicable on this device:"), na.Because.In(s.Lang))))
		}
		if len(s.NotApplicable) > 0 {
			b.WriteString("\n")
		}
		b.WriteString(commentLine(cm, t("== 要件の全設定 ==", "== The full requirement set ==")))
	}
	for _, h := range s.Header {
		b.WriteString(commentLine(cm, h))
	}
	b.WriteString("\n")
	s.writeBlocks(&b, s.Blocks)
	if len(s.Sources) > 0 {
		b.WriteString(commentLine(cm, t("出典（この設定例が従うベンダー文書）:", "Sources (vendor documents these lines follow):")))
		for _, l := range s.Sources {
			b.WriteString(commentLine(cm, l))
		}
	}
	return b.String()
}

func (s *Snippet) writeBlocks(b *strings.Builder, blocks []Block) {
	last := "" // a per-row block repeats its template's note: say it once
	for _, blk := range blocks {
		b.WriteString(commentLine(s.Vendor.Comment, blk.headline(s.Lang)))
		if blk.Unconfirmed != "" && blk.Unconfirmed != last {
			b.WriteString(commentLine(s.Vendor.Comment, content.T("  未確認の点: ", "  not confirmed: ").In(s.Lang)+blk.Unconfirmed))
		}
		last = blk.Unconfirmed
		for _, l := range blk.Lines {
			b.WriteString(l)
			b.WriteString("\n")
		}
		b.WriteString("\n")
	}
}

// headline is the block's attribution comment; tests parse its "[ids]".
func (blk Block) headline(lang content.Lang) string {
	tag := ""
	if blk.Unverified {
		tag = content.T("【未確認】", "[UNVERIFIED] ").In(lang)
	}
	return fmt.Sprintf("[%s] %s%s (%s: %s)", strings.Join(blk.Implements, ","), tag, blk.Comment,
		content.T("出典", "source").In(lang), blk.Source)
}

func commentLine(prefix, text string) string {
	if text == "" {
		return prefix + "\n"
	}
	return prefix + " " + text + "\n"
}

// CommandLines counts the command lines of the snippet and how many of them
// come from unverified blocks.
func (s *Snippet) CommandLines() (total, unverified int) {
	for _, b := range s.Blocks {
		total += len(b.Lines)
		if b.Unverified {
			unverified += len(b.Lines)
		}
	}
	return total, unverified
}

package snippets

import (
	"fmt"
	"strings"

	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/profile"
)

// Markdown renders the snippet for a ticket-ready report: a heading, the
// vendor documents as links, and the configuration in a fenced block (the
// configuration itself is the same text Render prints).
func Markdown(vendor string, p *profile.Profile, lang content.Lang) (string, error) {
	return MarkdownFor(vendor, p, lang, nil)
}

// MarkdownFor is Markdown with the lines that fix the site's findings first.
func MarkdownFor(vendor string, p *profile.Profile, lang content.Lang, remedies []string) (string, error) {
	s, err := BuildFor(vendor, p, lang, remedies)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "### %s — %s\n\n", s.Vendor.Display, s.Vendor.Firmware)
	b.WriteString(content.T("出典:", "Sources:").In(lang) + "\n\n")
	for _, src := range s.Vendor.Sources {
		if strings.HasPrefix(src.URL, "http") {
			fmt.Fprintf(&b, "- [%s](%s) (%s)\n", src.Title, src.URL, src.Firmware)
		} else {
			fmt.Fprintf(&b, "- %s — %s (%s)\n", src.Title, src.URL, src.Firmware)
		}
	}
	total, unv := s.CommandLines()
	if unv > 0 {
		b.WriteString("\n" + content.Tf("コマンド %d 行のうち %d 行は【未確認】（出典で構文を確認できなかった行）です。",
			"%[2]d of %[1]d command lines are [UNVERIFIED] (syntax not confirmed from a vendor document).", total, unv).In(lang) + "\n")
	}
	fence := "```"
	text := s.String()
	for strings.Contains(text, fence) {
		fence += "`"
	}
	fmt.Fprintf(&b, "\n%stext\n%s%s\n", fence, text, fence)
	return b.String(), nil
}

package checks

import (
	"strings"
	"unicode"

	"github.com/biztel-tools/biztel-doctor/content"
)

// Facts and summaries carry what servers said (SIP Server headers, FTP
// banners, STUN SOFTWARE, UPnP names, certificate names). A hostile server
// could put terminal escape sequences there, which a text report or the TUI
// would replay on the user's terminal, or megabytes that bury the report.
// The runner cleans every result once, for every renderer.

// factTextLimit bounds one text fact; evidence longer than this is clipped.
const factTextLimit = 2048

// cleanText keeps a server's text on one line and harmless: line breaks
// become "↵" (a UPnP friendlyName with a newline could otherwise forge a
// line of the text report), a tab a space, other control characters (C0,
// DEL, C1 such as ESC and CSI) U+FFFD; it makes the text valid UTF-8 and
// clips it.
func cleanText(s string, limit int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	clean := strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\r':
			return '↵'
		case r == '\t':
			return ' '
		case unicode.IsControl(r):
			return '\uFFFD'
		}
		return r
	}, s)
	if len(clean) > limit {
		cut := limit
		for cut > 0 && !utf8Start(clean[cut]) {
			cut--
		}
		clean = clean[:cut] + "…"
	}
	return clean
}

func utf8Start(b byte) bool { return b&0xC0 != 0x80 }

// cleaned returns r with its summary and text facts cleaned.
func (r Result) cleaned() Result {
	r.Summary = content.T(cleanText(r.Summary.Ja, 4*factTextLimit), cleanText(r.Summary.En, 4*factTextLimit))
	for k, v := range r.Facts {
		if s, ok := v.(string); ok {
			r.Facts[k] = cleanText(s, factTextLimit)
		}
	}
	return r
}

package tui

import (
	"strings"
	"unicode/utf8"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// wrap breaks plain text into lines of at most w cells. English breaks at
// spaces; Japanese, which has none, between any two wide characters; a
// word of ASCII inside Japanese (an address, a fact, a command) is never
// cut unless it is longer than a line, and then first at its natural
// break points (see breakWord). The Japanese line-breaking rules (kinsoku)
// keep closing marks and the long-vowel mark off a line's start and
// opening brackets off its end. Style lines after wrapping them.
func wrap(s string, w int) []string {
	if w < 10 {
		w = 10
	}
	if strings.Contains(s, "\x1b") { // styled: the escapes are not text
		return strings.Split(ansi.Hardwrap(s, w, true), "\n")
	}
	var out []string
	for _, para := range strings.Split(s, "\n") {
		out = append(out, wrapLine(para, w)...)
	}
	return out
}

// styled renders every line with st.
func styled(st lipgloss.Style, lines []string) []string {
	for i, l := range lines {
		lines[i] = st.Render(l)
	}
	return lines
}

// atom is what wrap never breaks inside unless it is longer than a line: a
// run of spaces, one wide character, or a word of narrow ones.
type atom struct {
	text  string
	width int
	space bool
}

// noLineStart are the marks kinsoku keeps off the start of a line; the
// ASCII ones too, where they follow Japanese ("[未実行]", "(出典: id)").
const noLineStart = "、。，．・：；？！ー）」』】〕〉》”’ぁぃぅぇぉっゃゅょァィゥェォッャュョ" + ")]}.,:;!?%"

// noLineEnd are the marks kinsoku keeps off the end of a line.
const noLineEnd = "（「『【〔〈《“‘" + "([{"

// closes reports whether a starts with a mark kinsoku keeps off a line's start.
func closes(a atom) bool {
	r, _ := utf8.DecodeRuneInString(a.text)
	return !a.space && strings.ContainsRune(noLineStart, r)
}

// opens reports whether a ends with a mark kinsoku keeps off a line's end.
func opens(a atom) bool {
	r, _ := utf8.DecodeLastRuneInString(a.text)
	return !a.space && strings.ContainsRune(noLineEnd, r)
}

func atoms(s string) []atom {
	var out []atom
	var word strings.Builder
	flush := func() {
		if word.Len() > 0 {
			out = append(out, atom{text: word.String(), width: ansi.StringWidth(word.String())})
			word.Reset()
		}
	}
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if n := bracketed(s[i:]); n > 0 { // a tag like "[未実行]" is one word
			word.WriteString(s[i : i+n])
			i += n
			continue
		}
		i += size
		switch rw := ansi.StringWidth(string(r)); {
		case r == ' ':
			flush()
			if n := len(out); n > 0 && out[n-1].space {
				out[n-1].text += " "
				out[n-1].width++
			} else {
				out = append(out, atom{text: " ", width: 1, space: true})
			}
		case rw > 1:
			flush()
			out = append(out, atom{text: string(r), width: rw})
		default:
			word.WriteRune(r)
		}
	}
	flush()
	return out
}

// maxBracketed is the widest bracketed token kept whole: a tag or a
// label, not a parenthesised sentence, which wraps as text.
const maxBracketed = 12

// bracketed is the length in bytes of the short ASCII-bracketed token
// that s starts with, up to its closing bracket or its first space
// ("[未実行]", "(出典:"), 0 when there is none. Wide characters inside
// would otherwise let it break like Japanese, before its "]" or ":", as
// English never breaks "(source:".
func bracketed(s string) int {
	var end byte
	switch {
	case strings.HasPrefix(s, "["):
		end = ']'
	case strings.HasPrefix(s, "("):
		end = ')'
	default:
		return 0
	}
	n := strings.IndexAny(s, " "+string(end))
	switch {
	case n < 0:
		n = len(s)
	case s[n] == end:
		n++
	}
	if strings.ContainsAny(s[1:n], "([") || ansi.StringWidth(s[:n]) > maxBracketed {
		return 0
	}
	return n
}

// liner builds the lines of one paragraph, atom by atom.
type liner struct {
	w     int
	lines []string
	cur   []atom
	width int
}

func wrapLine(s string, w int) []string {
	l := &liner{w: w}
	for _, a := range atoms(s) {
		l.add(a)
	}
	if len(l.cur) > 0 || len(l.lines) == 0 {
		l.emit()
	}
	return l.lines
}

func (l *liner) add(a atom) {
	switch {
	case l.width+a.width <= l.w:
		if a.space && l.width == 0 && len(l.lines) > 0 {
			return // a continuation line does not start with a space
		}
		l.push(a)
	case a.space:
		l.emit()
	case a.width > l.w:
		l.long(a)
	default:
		l.breakBefore(a)
		l.push(a)
	}
}

func (l *liner) push(a atom) { l.cur, l.width = append(l.cur, a), l.width+a.width }

// emit ends the current line, without its trailing spaces.
func (l *liner) emit() {
	for len(l.cur) > 0 && l.cur[len(l.cur)-1].space {
		l.width -= l.cur[len(l.cur)-1].width
		l.cur = l.cur[:len(l.cur)-1]
	}
	var b strings.Builder
	for _, a := range l.cur {
		b.WriteString(a.text)
	}
	l.lines = append(l.lines, b.String())
	l.cur, l.width = nil, 0
}

// breakBefore ends the line before a, by kinsoku: a closing mark takes the
// character before it along (again while what it takes is itself a
// closing mark: "VPN）、"), and an opening bracket moves down with what it
// opens.
func (l *liner) breakBefore(a atom) {
	var carry []atom
	n := len(l.cur)
	for take := closes(a); take && n > 1 && !l.cur[n-1].space; n-- {
		carry = append([]atom{l.cur[n-1]}, carry...)
		take = closes(l.cur[n-1])
	}
	if n > 1 && opens(l.cur[n-1]) {
		carry = append([]atom{l.cur[n-1]}, carry...)
		n--
	}
	for _, c := range l.cur[n:] {
		l.width -= c.width
	}
	l.cur = l.cur[:n]
	l.emit()
	for _, c := range carry {
		l.push(c)
	}
}

// long places a word longer than a line: it starts a line of its own (an
// address reads best from its start) and fills lines with its pieces.
func (l *liner) long(a atom) {
	if len(l.cur) > 0 && !(len(l.cur) == 1 && l.cur[0].space) { // more than a leading indent
		l.breakBefore(a)
	}
	for _, p := range breakWord(a.text, l.w) {
		l.piece(p)
	}
}

// piece adds a piece of a long word: on this line when it fits, else on
// the next; one still wider than a line (it has no break point left) is
// cut to fill the line.
func (l *liner) piece(p string) {
	for p != "" {
		pw := ansi.StringWidth(p)
		if l.width > 0 && l.width+pw > l.w && pw <= l.w {
			l.emit()
		}
		if l.width+pw <= l.w {
			l.push(atom{text: p, width: pw})
			return
		}
		head := ansi.Truncate(p, l.w-l.width, "")
		l.push(atom{text: head, width: ansi.StringWidth(head)})
		l.emit()
		p = p[len(head):]
	}
}

// breakPoints are where breakWord breaks a word longer than a line, best
// first: an address at its separators (a slash, a comma, an "&" or a SIP
// parameter's ";" end the line, a "#fragment" or a "?query" starts one),
// then after a user@, a host: or a key= ("198.51.100.77" and
// "transport=tcp" stay whole when they fit), then inside a name at "-",
// "_" and ".".
var breakPoints = []struct{ after, before string }{
	{after: "/,;&", before: "#?"},
	{after: ":@="},
	{after: "-_."},
}

// breakWord splits a word at its first kind of break point, a piece
// still wider than w at the next kind, and so on; a piece with none left
// stays whole for the caller to cut.
func breakWord(word string, w int) []string {
	return breakAt(word, w, 0)
}

func breakAt(word string, w, kind int) []string {
	if kind == len(breakPoints) || ansi.StringWidth(word) <= w {
		return []string{word}
	}
	var out []string
	for _, p := range splitWord(word, breakPoints[kind].after, breakPoints[kind].before) {
		out = append(out, breakAt(p, w, kind+1)...)
	}
	return out
}

// splitWord splits a word after each of the marks in after (a run of
// them, "//", stays together) and before each of those in before.
func splitWord(word, after, before string) []string {
	var out []string
	start := 0
	for i, r := range word {
		if i > start && strings.ContainsRune(before, r) {
			out, start = append(out, word[start:i]), i
		}
		end := i + utf8.RuneLen(r)
		next, _ := utf8.DecodeRuneInString(word[end:])
		if end < len(word) && strings.ContainsRune(after, r) && !strings.ContainsRune(after, next) {
			out, start = append(out, word[start:end]), end
		}
	}
	return append(out, word[start:])
}

// packParts puts whole parts on lines of at most w columns, sep between
// them, so none is cut.
func packParts(parts []string, sep string, w int) []string {
	var out []string
	cur := ""
	for _, p := range parts {
		switch {
		case cur == "":
			cur = p
		case lipglossWidth(cur+sep+p) <= w:
			cur += sep + p
		default:
			out, cur = append(out, cur), p
		}
	}
	if cur != "" {
		out = append(out, cur)
	}
	return out
}

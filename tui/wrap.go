package tui

import (
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// wrap breaks plain text into lines of at most w cells. English breaks at
// spaces; Japanese, which has none, between any two wide characters; a
// word of ASCII inside Japanese (an address, a fact, a command) is never
// cut unless it is longer than a line. The Japanese line-breaking rules
// (kinsoku) keep closing marks and the long-vowel mark off a line's start
// and opening brackets off its end. Style lines after wrapping them.
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

// atom is what wrap never breaks inside: a run of spaces, one wide
// character, or a word of narrow ones.
type atom struct {
	text  string
	width int
	space bool
}

// noLineStart are the marks kinsoku keeps off the start of a line.
const noLineStart = "、。，．・：；？！ー）」』】〕〉》”’ぁぃぅぇぉっゃゅょァィゥェォッャュョ"

// noLineEnd are the marks kinsoku keeps off the end of a line.
const noLineEnd = "（「『【〔〈《“‘"

func atoms(s string) []atom {
	var out []atom
	var word strings.Builder
	flush := func() {
		if word.Len() > 0 {
			out = append(out, atom{text: word.String(), width: ansi.StringWidth(word.String())})
			word.Reset()
		}
	}
	for _, r := range s {
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

func wrapLine(s string, w int) []string {
	var lines []string
	var cur []atom
	width := 0
	emit := func() {
		for len(cur) > 0 && cur[len(cur)-1].space {
			width -= cur[len(cur)-1].width
			cur = cur[:len(cur)-1]
		}
		var b strings.Builder
		for _, a := range cur {
			b.WriteString(a.text)
		}
		lines = append(lines, b.String())
		cur, width = nil, 0
	}
	push := func(a atom) { cur, width = append(cur, a), width+a.width }
	for _, a := range atoms(s) {
		switch {
		case width+a.width <= w:
			if a.space && width == 0 && len(lines) > 0 {
				continue // a continuation line does not start with a space
			}
			push(a)
		case a.space:
			emit()
		case a.width > w: // a word longer than a line: cut it
			if width > 0 {
				emit()
			}
			for rest := a.text; rest != ""; {
				head := ansi.Truncate(rest, w, "")
				if ansi.StringWidth(rest) <= w {
					push(atom{text: rest, width: ansi.StringWidth(rest)})
					break
				}
				push(atom{text: head, width: ansi.StringWidth(head)})
				emit()
				rest = rest[len(head):]
			}
		default:
			// kinsoku: a closing mark takes the character before it along,
			// and an opening bracket moves down with what it opens
			// (again while what it takes is itself a closing mark: "VPN）、")
			var carry []atom
			n := len(cur)
			for take := strings.Contains(noLineStart, a.text); take && n > 1 && !cur[n-1].space; n-- {
				carry = append([]atom{cur[n-1]}, carry...)
				take = strings.Contains(noLineStart, cur[n-1].text)
			}
			if n > 1 && strings.Contains(noLineEnd, cur[n-1].text) {
				carry = append([]atom{cur[n-1]}, carry...)
				n--
			}
			for _, c := range cur[n:] {
				width -= c.width
			}
			cur = cur[:n]
			emit()
			for _, c := range carry {
				push(c)
			}
			push(a)
		}
	}
	if len(cur) > 0 || len(lines) == 0 {
		emit()
	}
	return lines
}

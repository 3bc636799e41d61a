package report

import (
	"reflect"
	"strings"
	"unicode"
	"unicode/utf8"
)

// sanitize cleans every string of a decoded report in place (struct
// fields, slices, map keys and values, whatever new fields come): a saved
// report is someone else's file, and its text goes to a terminal.
func sanitize(v any) { sanitizeValue(reflect.ValueOf(v)) }

func sanitizeValue(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			if v.Kind() == reflect.Interface {
				// interface values are not addressable: replace the value
				inner := reflect.New(v.Elem().Type()).Elem()
				inner.Set(v.Elem())
				sanitizeValue(inner)
				v.Set(inner)
				return
			}
			sanitizeValue(v.Elem())
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if f := v.Field(i); f.CanSet() {
				sanitizeValue(f)
			}
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			sanitizeValue(v.Index(i))
		}
	case reflect.Map:
		if v.IsNil() {
			return
		}
		clean := reflect.MakeMapWithSize(v.Type(), v.Len())
		iter := v.MapRange()
		for iter.Next() {
			k := reflect.New(iter.Key().Type()).Elem()
			k.Set(iter.Key())
			sanitizeValue(k)
			e := reflect.New(iter.Value().Type()).Elem()
			e.Set(iter.Value())
			sanitizeValue(e)
			clean.SetMapIndex(k, e)
		}
		v.Set(clean)
	case reflect.String:
		if v.CanSet() {
			v.SetString(clean(v.String(), true))
		}
	}
}

// clean strips terminal escape sequences (CSI, OSC, …), other control
// characters and invalid UTF-8 from s; multiline keeps newlines and tabs.
func clean(s string, multiline bool) string {
	if !needsClean(s) {
		return s
	}
	s = stripEscapes(strings.ToValidUTF8(s, "\uFFFD"))
	return strings.Map(func(r rune) rune {
		switch {
		case multiline && (r == '\n' || r == '\t'):
			return r
		case r == '\t' || r == '\n' || r == '\r':
			return ' '
		case unicode.IsControl(r), r == '\u2028', r == '\u2029', unicode.Is(unicode.Bidi_Control, r):
			return -1
		}
		return r
	}, s)
}

func needsClean(s string) bool {
	if !utf8.ValidString(s) {
		return true
	}
	for _, r := range s {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || unicode.Is(unicode.Bidi_Control, r) {
			return true
		}
	}
	return false
}

// stripEscapes removes terminal escape sequences whole, in one pass: CSI
// (ESC [ or U+009B, up to its final byte), OSC/DCS/APC/PM/SOS strings (ESC ],
// P, _, ^, X or their C1 forms, up to BEL or ST) and two-byte ESC
// sequences. Leftover control characters are clean's to drop. (A state
// machine of our own: the general ANSI parser reads a 20 MB hostile file at
// about 5 MB/s.)
func stripEscapes(s string) string {
	if !strings.ContainsAny(s, "\x1b\u009b\u009d\u0090\u009f\u009e\u0098") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		kind := rune(0)
		switch {
		case r == 0x1b && i+1 < len(rs):
			i++
			kind = rs[i]
		case r == 0x1b:
			continue
		case r == 0x9b:
			kind = '['
		case r == 0x9d, r == 0x90, r == 0x9f, r == 0x9e, r == 0x98:
			kind = ']'
		default:
			b.WriteRune(r)
			continue
		}
		switch kind {
		case '[': // CSI: parameters and intermediates, then a final byte
			for i+1 < len(rs) {
				i++
				if rs[i] >= 0x40 && rs[i] <= 0x7e {
					break
				}
			}
		case ']', 'P', '_', '^', 'X': // strings ended by BEL, ST (ESC \) or C1 ST
			for i+1 < len(rs) {
				i++
				if rs[i] == 0x07 || rs[i] == 0x9c {
					break
				}
				if rs[i] == 0x1b && i+1 < len(rs) && rs[i+1] == '\\' {
					i++
					break
				}
			}
		default: // ESC, intermediates (ESC ( B), one final byte
			for kind >= 0x20 && kind <= 0x2f && i+1 < len(rs) {
				i++
				kind = rs[i]
			}
		}
	}
	return b.String()
}

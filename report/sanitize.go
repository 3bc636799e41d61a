package report

import (
	"reflect"
	"strings"
	"unicode"
	"unicode/utf8"

	xansi "github.com/charmbracelet/x/ansi"
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
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = xansi.Strip(s)
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

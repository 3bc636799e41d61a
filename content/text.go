// Package content holds everything the tool says and knows that is data, not
// code: the requirement tables of BIZTEL's network requirements page, rules,
// remedies, check titles, thresholds and vendor snippets, in Japanese and
// English. Files live under data/ and are embedded into the binary.
package content

import (
	"fmt"
	"sort"
	"strings"
)

// Lang is a display language.
type Lang string

const (
	Ja Lang = "ja"
	En Lang = "en"
)

// ParseLang accepts "ja" or "en" (case-insensitive).
func ParseLang(s string) (Lang, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "ja":
		return Ja, nil
	case "en":
		return En, nil
	}
	return "", fmt.Errorf("language %q: expected ja or en", s)
}

// Text is one message in both languages. Every user-facing string is a Text.
type Text struct {
	Ja string `yaml:"ja" json:"ja"`
	En string `yaml:"en" json:"en"`
}

// T builds a Text; a short-hand for code that formats measured values.
func T(ja, en string) Text { return Text{Ja: ja, En: en} }

// Tf formats both languages with the same arguments.
func Tf(ja, en string, args ...any) Text {
	return Text{Ja: fmt.Sprintf(ja, args...), En: fmt.Sprintf(en, args...)}
}

// In returns the text in lang, falling back to the other language when empty.
func (t Text) In(lang Lang) string {
	if lang == En {
		if t.En != "" {
			return t.En
		}
		return t.Ja
	}
	if t.Ja != "" {
		return t.Ja
	}
	return t.En
}

// IsZero reports whether neither language is set.
func (t Text) IsZero() bool { return t.Ja == "" && t.En == "" }

// Complete reports whether both languages are set.
func (t Text) Complete() bool { return strings.TrimSpace(t.Ja) != "" && strings.TrimSpace(t.En) != "" }

// Fill replaces {name} placeholders in both languages with vars[name].
// Unknown placeholders are left as they are so a missing value stays visible.
func (t Text) Fill(vars map[string]string) Text {
	return Text{Ja: Fill(t.Ja, vars), En: Fill(t.En, vars)}
}

// Fill replaces {name} placeholders in s with vars[name].
func Fill(s string, vars map[string]string) string {
	if !strings.Contains(s, "{") || len(vars) == 0 {
		return s
	}
	keys := make([]string, 0, len(vars))
	for k := range vars {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	pairs := make([]string, 0, 2*len(keys))
	for _, k := range keys {
		pairs = append(pairs, "{"+k+"}", vars[k])
	}
	return strings.NewReplacer(pairs...).Replace(s)
}

// Placeholders lists the {name} placeholders used in s, in order of appearance.
func Placeholders(s string) []string {
	var out []string
	for {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			return out
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			return out
		}
		name := s[i+1 : i+j]
		if name != "" && !strings.ContainsAny(name, " \t\n{") {
			out = append(out, name)
		}
		s = s[i+j+1:]
	}
}

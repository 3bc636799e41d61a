package content

import (
	"fmt"
	"sort"
	"strings"
)

// Vars fills the {name} placeholders of a phrase. A value that is a Text
// fills each language with its own words; anything else is printed with
// fmt.Sprint in both.
type Vars map[string]any

// Phrase is the check phrase (or any UI text) key from the embedded
// content, in both languages, with its placeholders filled. Checks build
// their summaries with it so every user-facing word lives in content/
// (data/phrases/); a key that is missing shows as the key itself, and the
// checks' phrase test keeps every key used in Go present in both languages.
func Phrase(key string, vars Vars) Text {
	return MustLoad().Phrase(key, vars)
}

// Phrase is the package-level Phrase over c.
func (c *Content) Phrase(key string, vars Vars) Text {
	t, ok := c.UI[key]
	if !ok {
		return Text{Ja: key, En: key}
	}
	if len(vars) == 0 {
		return t
	}
	ja, en := make(map[string]string, len(vars)), make(map[string]string, len(vars))
	for k, v := range vars {
		switch v := v.(type) {
		case Text:
			ja[k], en[k] = v.Ja, v.En
		default:
			s := fmt.Sprint(v)
			ja[k], en[k] = s, s
		}
	}
	return Text{Ja: Fill(t.Ja, ja), En: Fill(t.En, en)}
}

// Join puts texts one after another in each language, separated by sep
// (a space, a newline), skipping empty ones.
func Join(sep string, texts ...Text) Text {
	var ja, en []string
	for _, t := range texts {
		if t.Ja != "" {
			ja = append(ja, t.Ja)
		}
		if t.En != "" {
			en = append(en, t.En)
		}
	}
	return Text{Ja: strings.Join(ja, sep), En: strings.Join(en, sep)}
}

// PhraseKeys lists the UI keys that start with prefix, sorted.
func (c *Content) PhraseKeys(prefix string) []string {
	var out []string
	for k := range c.UI {
		if strings.HasPrefix(k, prefix) {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// Package locale picks the display language: Japanese unless --lang en or the
// locale names English (design.md §3). A C/POSIX locale gives Japanese.
package locale

import (
	"strings"

	"github.com/biztel-tools/biztel-doctor/content"
)

// FromEnv reads LC_ALL, LC_MESSAGES and LANG in POSIX precedence, then the
// OS setting (Windows user UI language, macOS AppleLanguages) where the
// environment says nothing.
func FromEnv(getenv func(string) string) content.Lang {
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := getenv(k); v != "" {
			return fromTag(v)
		}
	}
	if tag := osLanguage(); tag != "" {
		return fromTag(tag)
	}
	return content.Ja
}

// fromTag maps "en_US.UTF-8", "en-GB", "ja_JP.UTF-8", "C", "POSIX" … to a
// language: English only when the tag says so.
func fromTag(tag string) content.Lang {
	t := strings.ToLower(strings.TrimSpace(tag))
	if t == "en" || strings.HasPrefix(t, "en_") || strings.HasPrefix(t, "en-") || strings.HasPrefix(t, "en.") {
		return content.En
	}
	return content.Ja
}

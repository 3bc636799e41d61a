package locale

import (
	"strings"
	"time"
)

// Pure parts of the OS language lookups (os_windows.go, os_darwin.go),
// untagged so they are tested on every OS.

// defaultsTimeout bounds macOS `defaults read -g AppleLanguages`: it
// answers in tens of milliseconds; language detection must never delay
// start-up noticeably, so a slow answer means "unknown" (Japanese).
const defaultsTimeout = 500 * time.Millisecond

// parseAppleLanguages returns the first entry of `defaults read -g
// AppleLanguages`, a property-list array such as
//
//	(
//	    "ja-JP",
//	    "en-JP"
//	)
//
// or "" when there is none.
func parseAppleLanguages(out string) string {
	for _, line := range strings.Split(out, "\n") {
		t := strings.Trim(strings.TrimSpace(line), `",`)
		if t == "" || t == "(" || t == ")" {
			continue
		}
		return t
	}
	return ""
}

// Windows primary language ids (the low 10 bits of a LANGID; source:
// Microsoft, "Language Identifier Constants and Strings").
const (
	langPrimaryMask = 0x3ff
	langEnglish     = 0x09
	langJapanese    = 0x11
)

// langIDTag maps a Windows LANGID (GetUserDefaultUILanguage) to a tag
// fromTag understands; other languages give "" (and so Japanese).
func langIDTag(id uint16) string {
	switch id & langPrimaryMask {
	case langEnglish:
		return "en"
	case langJapanese:
		return "ja"
	}
	return ""
}

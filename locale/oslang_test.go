package locale

import (
	"os"
	"testing"

	"github.com/biztel-tools/biztel-doctor/content"
)

func TestParseAppleLanguages(t *testing.T) {
	for _, tc := range []struct {
		file string
		tag  string
		lang content.Lang
	}{
		{"testdata/defaults_applelanguages.txt", "ja-JP", content.Ja},
		{"testdata/defaults_applelanguages_en.txt", "en-GB", content.En},
	} {
		b, err := os.ReadFile(tc.file)
		if err != nil {
			t.Fatal(err)
		}
		tag := parseAppleLanguages(string(b))
		if tag != tc.tag || fromTag(tag) != tc.lang {
			t.Errorf("%s: tag %q (%s), want %q (%s)", tc.file, tag, fromTag(tag), tc.tag, tc.lang)
		}
	}
	for _, empty := range []string{"", "(\n)\n"} {
		if got := parseAppleLanguages(empty); got != "" {
			t.Errorf("%q: %q, want none", empty, got)
		}
	}
}

func TestLangIDTag(t *testing.T) {
	for _, tc := range []struct {
		id   uint16
		tag  string
		lang content.Lang
	}{
		{0x0411, "ja", content.Ja}, // ja-JP
		{0x0409, "en", content.En}, // en-US
		{0x0809, "en", content.En}, // en-GB
		{0x0804, "", content.Ja},   // zh-CN: not English, so Japanese
		{0x0000, "", content.Ja},
	} {
		if got := langIDTag(tc.id); got != tc.tag || fromTag(got) != tc.lang {
			t.Errorf("langIDTag(%#04x) = %q (%s), want %q (%s)", tc.id, got, fromTag(got), tc.tag, tc.lang)
		}
	}
}

func TestEnvironmentWinsOverOS(t *testing.T) {
	saved := osLanguage
	defer func() { osLanguage = saved }()
	osLanguage = func() string { return "en-US" }
	env := map[string]string{"LANG": "ja_JP.UTF-8"}
	if got := FromEnv(func(k string) string { return env[k] }); got != content.Ja {
		t.Errorf("LANG=ja with OS English: %s, want ja", got)
	}
	if got := FromEnv(func(string) string { return "" }); got != content.En {
		t.Errorf("no environment, OS English: %s, want en", got)
	}
}

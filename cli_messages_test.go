package main

import (
	"errors"
	"flag"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/biztel-tools/biztel-doctor/content"
)

var (
	kana = regexp.MustCompile(`[\p{Hiragana}\p{Katakana}]`)
	// quoted are the parts of a line that repeat what the user typed or a
	// document's Japanese name (「ご利用案内」): their language is not ours.
	quoted = regexp.MustCompile(`「[^」]*」|"[^"]*"`)
	cjk    = regexp.MustCompile(`[\p{Hiragana}\p{Katakana}\p{Han}]`)
)

// assertLanguage holds an error line to lang: "" and "ja" Japanese, "en"
// English (no Japanese outside quotes), "both" both; never ANSI.
func assertLanguage(t *testing.T, line, lang string) {
	t.Helper()
	if strings.Contains(line, "\x1b") {
		t.Errorf("ANSI escape in %q", line)
	}
	switch lang {
	case "", "ja":
		if !kana.MatchString(line) {
			t.Errorf("want Japanese, got %q", line)
		}
	case "en":
		if cjk.MatchString(quoted.ReplaceAllString(line, "")) {
			t.Errorf("want English, got %q", line)
		}
	case "both":
		ja, en, ok := strings.Cut(line, " / ")
		if !ok || !kana.MatchString(ja) || cjk.MatchString(quoted.ReplaceAllString(en, "")) {
			t.Errorf("want Japanese / English, got %q", line)
		}
	}
}

// TestEveryUsageLineInBothLanguages: each mistake gets one line, exit 2,
// in Japanese by default (design.md §3) and in English with --lang en, and
// the two say the same thing (the words of both are given).
func TestEveryUsageLineInBothLanguages(t *testing.T) {
	dir := t.TempDir()
	badOverride := writeFile(t, "o.yaml", "ports: {sip_udp: nope}\n")
	cases := []struct {
		name     string
		args     []string
		ja, en   string
		terminal bool
	}{
		{"unknown command", []string{"frobnicate"}, `不明なコマンド "frobnicate"`, `unknown command "frobnicate"`, false},
		{"unknown flag", []string{"check", "--server", "127.0.0.1", "--bogus"}, "フラグ --bogus はありません", "unknown flag --bogus", false},
		{"flag without value", []string{"plan", "--server", "192.0.2.1", "--only"}, "フラグ --only には値が必要です", "flag --only needs a value", false},
		{"not a number", []string{"plan", "--server", "192.0.2.1", "--channels", "x"}, `--channels の値 "x" は読み取れません。整数で指定してください`,
			`--channels "x": not a valid value; give a whole number`, false},
		{"not a duration", []string{"check", "--server", "127.0.0.1", "--media-duration", "5"}, `--media-duration の値 "5" は読み取れません。時間で指定してください（例: 10s`,
			`--media-duration "5": not a valid value; give a duration such as 10s`, false},
		{"not a boolean", []string{"plan", "--server", "192.0.2.1", "--long=maybe"}, "true か false", "use true or false", false},
		{"bad syntax", []string{"plan", "--server", "192.0.2.1", "---long"}, "フラグの書き方が正しくありません: ---long", "bad flag syntax: ---long", false},
		{"stray argument", []string{"plan", "--server", "192.0.2.1", "extra"}, `余分な引数 "extra"`, `unexpected argument "extra"`, false},
		{"bad format", []string{"plan", "--server", "192.0.2.1", "--format", "xml"}, `--format "xml" は使えません`, `--format "xml": expected text`, false},
		{"-o a directory", []string{"ports", "-o", dir}, "はディレクトリです", "is a directory", false},
		{"format conflict", []string{"ports", "--format", "json", "-o", filepath.Join(dir, "p.md")}, "食い違っています", "conflicts with -o", false},
		{"unknown check", []string{"plan", "--server", "192.0.2.1", "--skip", "x.y"}, `不明な確認 ID "x.y"`, `unknown check id "x.y"`, false},
		{"empty --only", []string{"plan", "--server", "192.0.2.1", "--only", ","}, "確認 ID がありません", "names no check id", false},
		{"nothing to run", []string{"plan", "--server", "192.0.2.1", "--only", "sip.udp", "--skip", "sip.udp"}, "実行する確認がなくなりました", "no check to run", false},
		{"zero nat timer", []string{"check", "--server", "127.0.0.1", "--nat-timer-max", "0s"}, "正の時間", "must be positive", false},
		{"long media", []string{"check", "--server", "127.0.0.1", "--media-duration", "11m"}, "1s から 10m", "between 1s and 10m", false},
		{"no server", []string{"check"}, "BIZTEL サーバが指定されていません", "no BIZTEL server given", false},
		{"bad server ip", []string{"plan", "--server-ip", "300.1.2.3"}, "--server-ip", "--server-ip", false},
		{"unknown vendor", []string{"ports", "--vendor", "acme"}, `"acme" は未対応です`, `"acme" is not known`, false},
		{"missing profile", []string{"plan", "--profile", "/nonexistent/site.yaml"}, "ファイルを開けません", "cannot open the file", false},
		{"demo scenario", []string{"demo", "--scenario", "x"}, `--scenario "x" はありません`, `--scenario "x" is not known`, false},
		{"not a terminal", []string{"demo"}, "端末ではありません", "not a terminal", false},
		{"tui flag", []string{"--channels", "many"}, `--channels の値 "many"`, `--channels "many"`, true},
		{"override without file", []string{"plan", "--server", "192.0.2.1", "--dev-override"}, "--dev-override にはファイルを指定してください", "--dev-override needs a FILE", false},
		{"bad override", []string{"plan", "--server", "192.0.2.1", "--dev-override", badOverride}, "--dev-override のファイルが使えません", "--dev-override: ", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			lines := map[string]string{}
			for _, lang := range []string{"", "en"} {
				args := tc.args
				want := tc.ja
				if lang != "" {
					args, want = withLang(args, lang), tc.en
				}
				tio := &testIO{env: map[string]string{}, terminal: tc.terminal}
				code := run(t.Context(), args, tio.stdio())
				msg := tio.err.String()
				if code != exitUsage || strings.Count(strings.TrimSpace(msg), "\n") != 0 || !strings.Contains(msg, want) {
					t.Errorf("%q: exit %d, stderr %q; want 2 and one line containing %q", args, code, msg, want)
				}
				if !strings.HasPrefix(msg, "biztel-doctor") {
					t.Errorf("%q: %q does not say who speaks", args, msg)
				}
				assertLanguage(t, msg, lang)
				lines[lang] = msg
			}
			if lines[""] == lines["en"] {
				t.Errorf("the same line in both languages: %q", lines[""])
			}
		})
	}
}

// withLang puts --lang right after the command (before a flag whose value
// the case leaves out).
func withLang(args []string, lang string) []string {
	at := 0
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		at = 1
	}
	return slices.Insert(slices.Clone(args), at, "--lang", lang)
}

// Without --lang the locale decides; a C locale and an unknown one give
// Japanese; --lang wins over the locale.
func TestUsageLineFollowsTheLocale(t *testing.T) {
	cases := []struct {
		env  map[string]string
		args []string
		lang string
	}{
		{map[string]string{"LANG": "en_US.UTF-8"}, nil, "en"},
		{map[string]string{"LC_ALL": "en_GB.UTF-8", "LANG": "ja_JP.UTF-8"}, nil, "en"},
		{map[string]string{"LANG": "ja_JP.UTF-8"}, nil, "ja"},
		{map[string]string{"LC_ALL": "C"}, nil, "ja"},
		{map[string]string{"LANG": "fr_FR.UTF-8"}, nil, "ja"},
		{map[string]string{"LANG": "en_US.UTF-8"}, []string{"--lang", "ja"}, "ja"},
		{map[string]string{"LANG": "ja_JP.UTF-8"}, []string{"--lang=en"}, "en"},
	}
	for _, tc := range cases {
		for _, mistake := range [][]string{
			{"plan", "--server", "192.0.2.1", "--format", "xml"}, // found after --lang is read
			{"plan", "--server", "192.0.2.1", "--bogus"},         // found while flags are parsed
			{"frobnicate"},
		} {
			args := append(slices.Clone(mistake), tc.args...)
			tio := &testIO{env: tc.env}
			if code := run(t.Context(), args, tio.stdio()); code != exitUsage {
				t.Errorf("%v %v: exit %d", tc.env, args, code)
			}
			assertLanguage(t, tio.err.String(), tc.lang)
		}
	}
}

// When --lang itself is wrong the reader's language is unknown: the line
// is in Japanese (the default) and in English, and says what to use.
func TestBrokenLangFlagSpeaksBoth(t *testing.T) {
	cases := []struct {
		args     []string
		ja, en   string
		terminal bool
	}{
		{[]string{"plan", "--server", "192.0.2.1", "--lang", "fr"}, `--lang "fr" は使えません。ja か en を指定してください`, `--lang "fr": use ja or en`, false},
		{[]string{"ports", "--lang", "EN_us"}, `--lang "EN_us" は使えません`, "use ja or en", false},
		{[]string{"check", "--server", "127.0.0.1", "--lang"}, "フラグ --lang には値が必要です", "flag --lang needs a value", false},
		{[]string{"plan", "--lang", "de", "--bogus"}, "フラグ --bogus はありません", "unknown flag --bogus", false},
		{[]string{"--lang", "fr"}, `--lang "fr" は使えません`, "use ja or en", true},
		{[]string{"demo", "--lang", "xx"}, `--lang "xx" は使えません`, "use ja or en", true},
		{[]string{"frobnicate", "--lang", "fr"}, `不明なコマンド "frobnicate"`, `unknown command "frobnicate"`, false},
	}
	for _, tc := range cases {
		for _, env := range []map[string]string{{}, {"LANG": "en_US.UTF-8"}} {
			tio := &testIO{env: env, terminal: tc.terminal}
			code := run(t.Context(), tc.args, tio.stdio())
			msg := tio.err.String()
			if code != exitUsage || strings.Count(strings.TrimSpace(msg), "\n") != 0 || !strings.Contains(msg, tc.ja) || !strings.Contains(msg, tc.en) {
				t.Errorf("%q (env %v): exit %d, stderr %q; want 2 and one line with %q and %q", tc.args, env, code, msg, tc.ja, tc.en)
			}
			assertLanguage(t, msg, "both")
		}
	}
}

// The note check prints after writing -o is in the report's language.
func TestCheckWrittenNoteInBothLanguages(t *testing.T) {
	withLocalOnlyEnv(t)
	for lang, want := range map[string]string{"ja": "に書き出しました（合格 1、注意 0、スキップ 20、不合格 0、エラー 0）", "en": "(pass 1, warn 0, skip 20, fail 0, error 0)"} {
		out := filepath.Join(t.TempDir(), "r.json")
		code, tio := runCLI(t, "check", "--server", "127.0.0.1", "--only", "net.proxy", "-o", out, "--lang", lang)
		if code != exitOK || !strings.Contains(tio.err.String(), want) {
			t.Errorf("%s: exit %d, stderr %q; want %q", lang, code, tio.err.String(), want)
		}
		assertLanguage(t, tio.err.String(), lang)
	}
}

// flagError knows every message of package flag it translates; a message
// it does not know still reads in both languages, never silently dropped.
func TestFlagErrorFallsBack(t *testing.T) {
	fs := flag.NewFlagSet("plan", flag.ContinueOnError)
	got := flagError(fs, errors.New("something new from package flag"))
	if !strings.Contains(got.Ja, "something new") || !strings.Contains(got.En, "something new") || !strings.Contains(got.Ja, "フラグの誤り") {
		t.Errorf("fallback %+v", got)
	}
	if l, broken := langFromArgs(fs, []string{"--lang="}, func(string) string { return "" }); l != content.Ja || broken {
		t.Errorf("--lang= (empty): %s broken=%v, want the locale's Japanese", l, broken)
	}
	fs.String("server", "", "")
	// package flag gives "--lang" to --server, and "en" is then a stray
	// argument: the language is still the locale's
	if l, broken := langFromArgs(fs, []string{"--server", "--lang", "en"}, func(string) string { return "" }); l != content.Ja || broken {
		t.Errorf("--server --lang en: %s broken=%v, want Japanese", l, broken)
	}
}

package main

import (
	"flag"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/biztel-tools/biztel-doctor/profile"
)

// commandFlagSets is every flag set a subcommand parses (serve is package
// serve's own). A new subcommand's flags belong here.
func commandFlagSets() map[string]*flag.FlagSet {
	var (
		sf      profile.Flags
		rf      runFlags
		of      outputFlags
		tui, dm tuiFlags
		mf      monitorFlags
		mof     outputFlags
	)
	return map[string]*flag.FlagSet{
		"check":   plannedFlagSet("check", &sf, &rf, &of),
		"plan":    plannedFlagSet("plan", &sf, &rf, &of),
		"ports":   portsFlagSet(&sf, &of),
		"tui":     tui.flagSet("tui", false),
		"demo":    dm.flagSet("demo", true),
		"monitor": monitorFlagSet(&sf, &mf, &mof),
	}
}

// helpArgs runs cmd's --help. The TUI has no subcommand word, and a bare
// --help is the top-level help: a flag first starts the TUI.
func helpArgs(cmd string, extra ...string) []string {
	args := []string{cmd, "--help"}
	if cmd == "tui" {
		args = []string{"--no-color", "--help"}
	}
	return append(args, extra...)
}

func hasJapanese(s string) bool {
	for _, r := range s {
		if unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana) {
			return true
		}
	}
	return false
}

// TestEveryFlagHasJapaneseHelp: a registered flag without Japanese usage
// would show English inside the Japanese help; a Japanese text for a flag
// no command has any more is stale.
func TestEveryFlagHasJapaneseHelp(t *testing.T) {
	used := map[string]bool{}
	for cmd, fs := range commandFlagSets() {
		fs.VisitAll(func(f *flag.Flag) {
			used[f.Name] = true
			ja, ok := flagUsageJa[f.Name]
			if !ok || !hasJapanese(ja) {
				t.Errorf("%s --%s: no Japanese usage in flagUsageJa (cli_help.go): %q", cmd, f.Name, ja)
			}
			if strings.Contains(ja, "`") {
				t.Errorf("%s --%s: Japanese usage has a backquote; the placeholder comes from the English usage", cmd, f.Name)
			}
		})
	}
	for name := range flagUsageJa {
		if !used[name] {
			t.Errorf("flagUsageJa[%q]: no command has that flag", name)
		}
	}
}

// flagLines are the "  --name PLACEHOLDER" lines of a help text.
func flagLines(help string) []string {
	var out []string
	for _, line := range strings.Split(help, "\n") {
		if strings.HasPrefix(line, "  -") {
			out = append(out, line)
		}
	}
	return out
}

// TestHelpFollowsTheLanguage: every command's help is Japanese by default
// and English with --lang en or an English locale, the rule the error lines
// follow; the flag lines (names and value placeholders) are the same in
// both, and each flag's prose is in the chosen language.
func TestHelpFollowsTheLanguage(t *testing.T) {
	for cmd, fs := range commandFlagSets() {
		t.Run(cmd, func(t *testing.T) {
			code, ja := runCLI(t, helpArgs(cmd)...)
			jaOut := ja.out.String()
			if code != exitOK || ja.err.Len() != 0 || !strings.HasPrefix(jaOut, "使い方: ") {
				t.Fatalf("Japanese help: exit %d, stderr %q:\n%s", code, ja.err.String(), jaOut)
			}
			code, en := runCLI(t, helpArgs(cmd, "--lang", "en")...)
			enOut := en.out.String()
			if code != exitOK || en.err.Len() != 0 || !strings.HasPrefix(enOut, "Usage: ") || hasJapanese(enOut) {
				t.Fatalf("English help: exit %d, stderr %q, Japanese in it or no \"Usage:\":\n%s", code, en.err.String(), enOut)
			}
			if strings.Contains(jaOut+enOut, "\x1b") {
				t.Error("help has ANSI escapes")
			}
			if j, e := flagLines(jaOut), flagLines(enOut); !slices.Equal(j, e) {
				t.Errorf("flag lines differ between the languages:\nja %q\nen %q", j, e)
			}
			fs.VisitAll(func(f *flag.Flag) {
				_, usage := flag.UnquoteUsage(f)
				if !strings.Contains(enOut, "\t"+usage) {
					t.Errorf("English help lacks the usage of --%s %q", f.Name, usage)
				}
				if !strings.Contains(jaOut, "\t"+flagUsageJa[f.Name]) {
					t.Errorf("Japanese help lacks the usage of --%s %q", f.Name, flagUsageJa[f.Name])
				}
			})

			// an English locale gives English; --lang ja wins over it
			loc := &testIO{env: map[string]string{"LANG": "en_US.UTF-8"}}
			if code := run(t.Context(), helpArgs(cmd), loc.stdio()); code != exitOK || loc.out.String() != enOut {
				t.Errorf("LANG=en_US.UTF-8: exit %d, not the English help:\n%s", code, loc.out.String())
			}
			loc = &testIO{env: map[string]string{"LANG": "en_US.UTF-8"}}
			if code := run(t.Context(), helpArgs(cmd, "--lang", "ja"), loc.stdio()); code != exitOK || loc.out.String() != jaOut {
				t.Errorf("LANG=en_US.UTF-8 --lang ja: exit %d, not the Japanese help:\n%s", code, loc.out.String())
			}
		})
	}
}

// TestCheckHelpInBothLanguages is the help a network engineer reads first:
// the --server line is the same, its prose is in the chosen language.
func TestCheckHelpInBothLanguages(t *testing.T) {
	const serverLine = "\n  --server HOST|IP\n"
	code, ja := runCLI(t, "check", "--help")
	out := ja.out.String()
	for _, want := range []string{serverLine, "ライブ確認を対話なしで実行", "管理画面ホスト名", "録音一括ダウンロードサーバ", "リフレクタの共有トークン", "（既定値 10s）"} {
		if code != exitOK || !strings.Contains(out, want) {
			t.Errorf("check --help: exit %d, no %q:\n%s", code, want, out)
		}
	}
	if strings.Contains(out, "Runs the live checks") || strings.Contains(out, "BIZTEL server public") {
		t.Errorf("check --help in Japanese has English prose:\n%s", out)
	}
	code, en := runCLI(t, "check", "--help", "--lang", "en")
	out = en.out.String()
	for _, want := range []string{serverLine, "Runs the live checks non-interactively", "an IP sets server.ip, a name server.host", "(default 10s)"} {
		if code != exitOK || !strings.Contains(out, want) {
			t.Errorf("check --help --lang en: exit %d, no %q:\n%s", code, want, out)
		}
	}
	// -h is --help; an unusable --lang is no error here: the default language
	code, bad := runCLI(t, "check", "-h", "--lang", "xx")
	if code != exitOK || !strings.Contains(bad.out.String(), "ライブ確認") || bad.err.Len() != 0 {
		t.Errorf("check -h --lang xx: exit %d, stderr %q:\n%s", code, bad.err.String(), bad.out.String())
	}
}

// TestTopLevelHelpFollowsTheLanguage: help, -h and --help.
func TestTopLevelHelpFollowsTheLanguage(t *testing.T) {
	for _, word := range []string{"help", "-h", "--help", "-help"} {
		code, ja := runCLI(t, word)
		out := ja.out.String()
		if code != exitOK || !strings.Contains(out, "使い方:") || !strings.Contains(out, "対話型トラブルシューター") ||
			strings.Contains(out, "interactive troubleshooter") || strings.Contains(out, "\x1b") {
			t.Errorf("%s: exit %d, not the Japanese help:\n%s", word, code, out)
		}
		code, en := runCLI(t, word, "--lang", "en")
		out = en.out.String()
		if code != exitOK || !strings.Contains(out, "Usage:") || !strings.Contains(out, "interactive troubleshooter") ||
			strings.Contains(out, "対話型") {
			t.Errorf("%s --lang en: exit %d, not the English help:\n%s", word, code, out)
		}
		for _, o := range []string{ja.out.String(), out} {
			if !strings.Contains(o, "\n  --profile FILE\n") || !strings.Contains(o, "\n  --server HOST|IP\n") {
				t.Errorf("%s: the TUI's flags are not listed:\n%s", word, o)
			}
		}
		loc := &testIO{env: map[string]string{"LC_ALL": "en_GB.UTF-8"}}
		if code := run(t.Context(), []string{word}, loc.stdio()); code != exitOK || loc.out.String() != out {
			t.Errorf("%s with LC_ALL=en_GB.UTF-8: exit %d, not the English help:\n%s", word, code, loc.out.String())
		}
	}
}

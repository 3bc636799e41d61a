package main

import (
	"errors"
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/biztel-tools/biztel-doctor/checks"
	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/internal/lazyregexp"
	"github.com/biztel-tools/biztel-doctor/locale"
	"github.com/biztel-tools/biztel-doctor/profile"
	"github.com/biztel-tools/biztel-doctor/report"
)

// The CLI's own error lines (usage, profile, output file) exist in Japanese
// and English and are printed in the language the user chose: --lang, else
// the locale, else Japanese (design.md §3). When --lang itself is what is
// wrong, nobody knows which language the reader wants: the line is printed
// in both, Japanese first (the default), so the fallback is visible.

// cliError is an error of the CLI in both languages.
type cliError struct {
	msg content.Text
	// both: print both languages (the language could not be resolved).
	both bool
}

func (e *cliError) Error() string { return e.msg.En }

// cliErr formats a cliError; both languages take the same arguments.
func cliErr(ja, en string, args ...any) error {
	return &cliError{msg: content.Tf(ja, en, args...)}
}

// errBadLang is an unusable --lang value.
func errBadLang(value string) error {
	return &cliError{both: true, msg: content.Tf(
		"--lang %q は使えません。ja か en を指定してください（言語が不明なため日本語と英語で表示）",
		"--lang %q: use ja or en (language unknown: shown in Japanese and English)", value)}
}

// sayLine prints "biztel-doctor CMD: MESSAGE" as one line, in lang or, with
// both, in Japanese then English.
func sayLine(std stdio, cmd string, lang content.Lang, both bool, msg content.Text) {
	prefix := "biztel-doctor"
	if cmd != "" && cmd != "tui" {
		prefix += " " + cmd
	}
	text := msg.In(lang)
	if both && msg.Ja != msg.En {
		text = msg.Ja + " / " + msg.En
	}
	fmt.Fprintf(std.err, "%s: %s\n", prefix, oneLine(text))
}

// oneLine keeps a message on one line: an OS or parser error may carry a
// newline.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// errorText is err in both languages. Errors of our packages carry both;
// anything else (an OS error inside a message) is shown as it is.
func errorText(err error) (content.Text, bool) {
	var ce *cliError
	if errors.As(err, &ce) {
		return ce.msg, ce.both
	}
	var pe *profile.Error
	if errors.As(err, &pe) {
		return content.T(pe.In(content.Ja), pe.In(content.En)), false
	}
	var re *report.ReadError
	if errors.As(err, &re) {
		return re.Text(), false
	}
	var ue *checks.UnknownCheckError
	if errors.As(err, &ue) {
		valid := strings.Join(ue.Valid, ", ")
		return content.Tf("不明な確認 ID %q。使える ID: %s", "unknown check id %q; valid ids: %s", ue.ID, valid), false
	}
	return content.T(err.Error(), err.Error()), false
}

// langFromArgs is the message language before the flags are parsed (a flag
// error is printed before --lang is read): the last --lang in args, else
// the locale. broken is true when --lang is there but unusable (no value,
// or neither ja nor en); lang is then Japanese. fs, when given, tells which
// flags take a value, so "--server --lang" is not read as --lang.
func langFromArgs(fs *flag.FlagSet, args []string, getenv func(string) string) (lang content.Lang, broken bool) {
	value, given := "", false
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" || !strings.HasPrefix(a, "-") || a == "-" {
			if a == "--" {
				break
			}
			continue
		}
		name, v, hasValue := strings.Cut(strings.TrimPrefix(strings.TrimPrefix(a, "-"), "-"), "=")
		if name != "lang" {
			if !hasValue && fs != nil && takesValue(fs, name) {
				i++ // skip the flag's value
			}
			continue
		}
		given, value = true, v
		if !hasValue {
			if i+1 >= len(args) {
				return content.Ja, true
			}
			i++
			value = args[i]
		}
	}
	if !given || value == "" { // --lang= is no choice, as resolve reads it
		if getenv == nil {
			return content.Ja, false
		}
		return locale.FromEnv(getenv), false
	}
	l, err := content.ParseLang(value)
	if err != nil {
		return content.Ja, true
	}
	return l, false
}

// takesValue reports whether the flag named name reads the next argument.
func takesValue(fs *flag.FlagSet, name string) bool {
	f := fs.Lookup(name)
	if f == nil {
		return false
	}
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return !ok || !b.IsBoolFlag()
}

// flagError translates an error of package flag (its messages are
// English and fixed: flag.go's failf calls) into both languages, with the
// kind of value the flag expects. Flags are named as the help shows them.
func flagError(fs *flag.FlagSet, err error) content.Text {
	s := err.Error()
	help := helpCommand(fs.Name())
	if m := reUnknownFlag().FindStringSubmatch(s); m != nil {
		return content.Tf("フラグ %s はありません（%s --help で一覧を表示）", "unknown flag %s (see %s --help)", dashed(m[1]), help)
	}
	if m := reNeedsValue().FindStringSubmatch(s); m != nil {
		exp := expected(fs, m[1])
		return content.Text{
			Ja: fmt.Sprintf("フラグ %s には値が必要です%s（%s --help を参照）", dashed(m[1]), exp.Ja, help),
			En: fmt.Sprintf("flag %s needs a value%s (see %s --help)", dashed(m[1]), exp.En, help),
		}
	}
	if m := reBadBool().FindStringSubmatch(s); m != nil {
		return content.Tf("%s の値 %q は使えません。true か false を指定してください", "%s %q: use true or false", dashed(m[2]), m[1])
	}
	if m := reBadValue().FindStringSubmatch(s); m != nil {
		value, name, why := m[1], dashed(m[2]), valueProblem(m[3])
		exp := expected(fs, m[2])
		return content.Text{
			Ja: fmt.Sprintf("%s の値 %q は%s%s（%s --help を参照）", name, value, why.Ja, exp.Ja, help),
			En: fmt.Sprintf("%s %q: %s%s (see %s --help)", name, value, why.En, exp.En, help),
		}
	}
	if m := reBadSyntax().FindStringSubmatch(s); m != nil {
		return content.Tf("フラグの書き方が正しくありません: %s（--name value か --name=value）", "bad flag syntax: %s (use --name value or --name=value)", m[1])
	}
	return content.Tf("フラグの誤り: %s（%s --help を参照）", "%s (see %s --help)", s, help)
}

// dashed names a flag as the help writes it: --server, but -o.
func dashed(name string) string {
	if len(name) > 1 {
		return "--" + name
	}
	return "-" + name
}

// The messages of package flag (go/src/flag/flag.go, parseOne), compiled
// on first use: only an error needs them.
var (
	reUnknownFlag = lazyregexp.New(`^flag provided but not defined: -(.+)$`)
	reNeedsValue  = lazyregexp.New(`^flag needs an argument: -(.+)$`)
	reBadBool     = lazyregexp.New(`^invalid boolean value "(.*)" for -(.+?): .*$`)
	reBadValue    = lazyregexp.New(`^invalid value "(.*)" for flag -(.+?): (.*)$`)
	reBadSyntax   = lazyregexp.New(`^bad flag syntax: (.*)$`)
)

// valueProblem translates the reason package flag gives for a bad value
// (Ja continues "… の値 "x" は").
func valueProblem(why string) content.Text {
	switch why {
	case "parse error":
		return content.T("読み取れません", "not a valid value")
	case "value out of range":
		return content.T("範囲外です", "out of range")
	}
	return content.T("使えません（"+why+"）", why)
}

// expected says what kind of value a flag takes, from its default value's
// type; empty when nothing useful can be said.
func expected(fs *flag.FlagSet, name string) content.Text {
	f := fs.Lookup(name)
	if f == nil {
		return content.Text{}
	}
	g, ok := f.Value.(flag.Getter)
	if !ok {
		return content.Text{}
	}
	switch g.Get().(type) {
	case time.Duration:
		return content.T("。時間で指定してください（例: 10s、2m、3600s）", "; give a duration such as 10s, 2m or 3600s")
	case int, int64, uint, uint64:
		return content.T("。整数で指定してください", "; give a whole number")
	}
	return content.Text{}
}

// helpCommand is how to ask for the flags of cmd.
func helpCommand(cmd string) string {
	if cmd == "tui" || cmd == "" {
		return "biztel-doctor"
	}
	return "biztel-doctor " + cmd
}

package main

import (
	"flag"
	"io"
	"slices"
	"strings"

	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/profile"
	"github.com/biztel-tools/biztel-doctor/report"
)

var diffUsage = content.T(`使い方: biztel-doctor diff BEFORE.json AFTER.json [フラグ]

同じサイトの 2 つのレポート（check --format json の出力）を比べ、変更で解決した確認、
悪化した確認、不合格のままの確認、事実（損失率など）の変化、チェックリストの完了・
未完了・新規、1 行の判定を表示します。別のサイト（BIZTEL サーバのホスト名/IP が違う）
のレポートは --force がない限り比べません。
終了ステータス: 0 悪化なし、かつ変更後に不合格・エラーなし（注意だけなら 0）、
1 それ以外、2 入力の誤り（読めないファイル、別のサイト、フラグ）。

フラグ:`,
	`Usage: biztel-doctor diff BEFORE.json AFTER.json [flags]

Compares two reports of the same site (output of check --format json): what a
change fixed, what regressed, what still fails, which facts (loss and so on)
changed, which checklist items are done, still open or new, and a one-line
verdict. Reports of different sites (another BIZTEL server host or IP) are
refused unless --force.
Exit status: 0 nothing regressed and no check is fail or error after (warns
alone give 0); 1 otherwise; 2 bad input (unreadable file, different sites, flags).

Flags:`)

// reportFlags are what view and diff share: output, --force.
type reportFlags struct {
	output outputFlags
	force  bool
}

func (r *reportFlags) register(fs *flag.FlagSet) {
	r.output.register(fs)
	fs.BoolVar(&r.force, "force", false, "compare reports of different sites (another BIZTEL server host or IP)")
}

func cmdDiff(args []string, std stdio) int {
	var rf reportFlags
	fs := flag.NewFlagSet("diff", flag.ContinueOnError)
	rf.register(fs)
	flagArgs, files := splitPositional(fs, args)
	if code, ok := parseFlags(fs, flagArgs, std, diffUsage); !ok {
		return code
	}
	format, lang, err := rf.output.resolve(std.getenv)
	if err != nil {
		return usageError(std, "diff", lang, err)
	}
	if len(files) != 2 {
		return usageError(std, "diff", lang, cliErr("比べる 2 つのレポートを指定してください: biztel-doctor diff BEFORE.json AFTER.json",
			"give the two reports to compare: biztel-doctor diff BEFORE.json AFTER.json"))
	}
	c := content.MustLoad()
	cmp, err := compareFiles(files[0], files[1], rf.force, c)
	if err != nil {
		return usageError(std, "diff", lang, err)
	}
	render := func(w io.Writer) error {
		return cmp.WriteDiff(w, format, lang, c)
	}
	if err := writeOutput(rf.output.output, std.out, render); err != nil {
		return usageError(std, "diff", lang, err)
	}
	return cmp.ExitCode()
}

// compareFiles reads two reports and compares them, refusing different
// sites unless force.
func compareFiles(beforePath, afterPath string, force bool, c *content.Content) (*report.Comparison, error) {
	before, err := report.ReadFile(beforePath, c)
	if err != nil {
		return nil, err
	}
	after, err := report.ReadFile(afterPath, c)
	if err != nil {
		return nil, err
	}
	cmp := report.Compare(before, after)
	if len(cmp.Site) > 0 && !force {
		var parts []string
		for _, d := range cmp.Site {
			parts = append(parts, d.Field+" "+orNone(d.Before)+" / "+orNone(d.After))
		}
		return nil, cliErr("別のサイトのレポートです（%s）。それでも比べるには --force を付けてください",
			"the reports are of different sites (%s); add --force to compare them anyway", strings.Join(parts, ", "))
	}
	return cmp, nil
}

func orNone(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// splitPositional separates flags from the file names among args, so
// "view REPORT.json --format text" works as well as flags first; "--" ends
// the flags.
func splitPositional(fs *flag.FlagSet, args []string) (flags, positional []string) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			return flags, append(positional, args[i+1:]...)
		case len(a) > 1 && a[0] == '-':
			flags = append(flags, a)
			name := strings.TrimLeft(a, "-")
			if !strings.Contains(name, "=") && takesValue(fs, name) && i+1 < len(args) {
				i++
				flags = append(flags, args[i])
			}
		default:
			positional = append(positional, a)
		}
	}
	return flags, positional
}

// checkVendor refuses a vendor name the snippets do not know.
func checkVendor(v string) error {
	if v == "" || slices.Contains(profile.Vendors, v) {
		return nil
	}
	return &profile.Error{Field: "--vendor", Message: content.Tf(
		"%q は未対応です。次のいずれか: %s", "%q is not known; use one of: %s", v, strings.Join(profile.Vendors, ", "))}
}

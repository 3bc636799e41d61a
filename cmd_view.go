package main

import (
	"context"
	"flag"
	"io"
	"log"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/profile"
	"github.com/biztel-tools/biztel-doctor/report"
	"github.com/biztel-tools/biztel-doctor/tui"
)

var viewUsage = content.T(`使い方: biztel-doctor view REPORT.json [フラグ]
        biztel-doctor view AFTER.json --against BEFORE.json [フラグ]

保存したレポート（check --format json や TUI のエクスポート）を開きます。読むだけで、
何も送信しません。端末では TUI（原因別の結果、チェックリスト、ルータ設定、回答とサイト、
--against では変更前との比較）、--format text|markdown|json か -o FILE ではその形式で
書き出します。文章は閲覧する人の言語（--lang）で表示します。
終了ステータス: 0 表示した、2 入力の誤り（読めないファイル、別のサイト、フラグ）。

フラグ:`,
	`Usage: biztel-doctor view REPORT.json [flags]
       biztel-doctor view AFTER.json --against BEFORE.json [flags]

Opens a saved report (check --format json, or the TUI's export). It only
reads: nothing is sent. In a terminal it opens the TUI (findings by cause, the
checklist, the router configuration, answers and site; with --against the
comparison with the earlier report); with --format text|markdown|json or -o FILE
it writes that format instead. Texts are in the viewer's language (--lang).
Exit status: 0 shown; 2 bad input (unreadable file, different sites, flags).

Flags:`)

func cmdView(ctx context.Context, args []string, std stdio) int {
	var rf reportFlags
	var against, vendor string
	fs := flag.NewFlagSet("view", flag.ContinueOnError)
	rf.register(fs)
	fs.StringVar(&against, "against", "", "compare with the earlier report `BEFORE.json` (as diff does)")
	fs.StringVar(&vendor, "vendor", "", "router configuration for vendor `NAME` instead of the report's")
	flagArgs, files := splitPositional(fs, args)
	if code, ok := parseFlags(fs, flagArgs, std, viewUsage); !ok {
		return code
	}
	of := rf.output
	format, lang, err := of.resolve(std.getenv)
	if err != nil {
		return usageError(std, "view", lang, err)
	}
	if err := checkVendor(vendor); err != nil {
		return usageError(std, "view", lang, err)
	}
	if len(files) != 1 {
		return usageError(std, "view", lang, cliErr("開くレポートを 1 つ指定してください: biztel-doctor view REPORT.json",
			"give one report to open: biztel-doctor view REPORT.json"))
	}
	c := content.MustLoad()
	var cmp *report.Comparison
	rep, err := report.ReadFile(files[0], c)
	if err == nil && against != "" {
		cmp, err = compareFiles(against, files[0], rf.force, c)
	}
	if err != nil {
		return usageError(std, "view", lang, err)
	}
	if vendor != "" {
		rep.Profile.Vendor = vendor
	}
	tty := std.isTerminal != nil && std.isTerminal()
	if of.format == "" && of.output == "" && tty {
		return viewTUI(ctx, rep, cmp, lang, of.noColor || std.getenv("NO_COLOR") != "", c, std)
	}
	color := !of.noColor && of.output == "" && std.colorOut != nil && std.colorOut()
	render := func(w io.Writer) error {
		if cmp != nil {
			return cmp.WriteDiff(w, format, lang, c)
		}
		// the configuration is rendered now, in the viewer's language
		rep.Snippet, rep.SnippetMarkdown = vendorSnippet(rep.Profile, lang, reportRemedies(rep))
		return rep.Write(w, format, lang, c, report.TextOptions{Color: color})
	}
	if err := writeOutput(of.output, std.out, render); err != nil {
		return usageError(std, "view", lang, err)
	}
	return exitOK
}

// viewTUI opens the read-only viewer. It builds no network environment:
// a saved report is only shown.
func viewTUI(ctx context.Context, rep *report.Report, cmp *report.Comparison, lang content.Lang, noColor bool, c *content.Content, std stdio) int {
	cfg := tui.ViewConfig{Lang: lang, NoColor: noColor, Content: c, Report: rep, Comparison: cmp,
		Snippet: func(vendor string, p *profile.Profile, l content.Lang) string {
			q := *p
			q.Vendor = vendor
			text, _ := vendorSnippet(&q, l, reportRemedies(rep))
			return text
		}}
	var opts []tea.ProgramOption
	if noColor {
		opts = append(opts, tea.WithColorProfile(colorprofile.Ascii))
	}
	// a signal (SIGTERM, or SIGHUP when the terminal closes) ends the viewer
	opts = append(opts, tea.WithContext(ctx))
	log.SetOutput(io.Discard)
	defer log.SetOutput(std.err)
	if _, err := tuiProgram(tui.NewViewer(cfg), std, opts...); err != nil && ctx.Err() == nil {
		return usageError(std, "view", lang, cliErr("画面を開けません: %v", "cannot run the interactive screen: %v", err))
	}
	return exitOK
}

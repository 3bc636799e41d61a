package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/biztel-tools/biztel-doctor/checks"
	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/report"
	"github.com/biztel-tools/biztel-doctor/session"
)

// Test seams: the environment checks run in, and the ports they contact.
var (
	newCheckEnv = checks.SystemEnv
	checkPorts  = checks.DefaultPorts
)

var checkUsage = content.T(`使い方: biztel-doctor check [フラグ]

ライブ確認を対話なしで実行し、レポート（テキスト、JSON スキーマ
biztel-doctor.report/v1、または Markdown）を標準出力か -o FILE に書き出します。
終了ステータス: 0 すべての確認が合格・注意・対象外、1 不合格またはエラーあり、
2 使い方またはプロファイルの誤り、130 中断（途中までのレポートも書き出します）。

フラグ:`,
	`Usage: biztel-doctor check [flags]

Runs the live checks non-interactively and writes the report (text, JSON
schema biztel-doctor.report/v1, or Markdown) to stdout or -o FILE.
Exit status: 0 every check passed, warned or skipped; 1 a fail or error;
2 usage or profile error; 130 interrupted (the partial report is still written).

Flags:`)

func cmdCheck(ctx context.Context, args []string, std stdio) int {
	env := newCheckEnv(buildVersion())
	run, code, ok := parsePlannedRun("check", checkUsage, args, std, env)
	if !ok {
		return code
	}
	of, format, lang, p, plan := run.output, run.format, run.lang, run.prof, run.plan
	c := content.MustLoad()

	ses := session.New(session.Config{Content: c, Version: buildVersion(), Options: plan.Options, Snippet: vendorSnippet, Now: env.Now}, p)
	ses.Begin(plan, session.KindFirst, "")
	events := make(chan checks.Event, 16)
	progressDone := make(chan struct{})
	go func() {
		defer close(progressDone)
		for ev := range events {
			ses.Event(ev)
			if ev.Kind == checks.EventFinished && std.errTerminal != nil && std.errTerminal() {
				fmt.Fprintf(std.err, "%s %-16s %s\n", ev.Result.Status.Symbol(), ev.ID, ev.Result.Summary.In(lang))
			}
		}
	}()
	if calls, load := checks.LoadOf(plan); calls > 0 && std.errTerminal != nil && std.errTerminal() {
		fmt.Fprintf(std.err, "media.bandwidth: %s\n", load.In(lang)) // what it will send, before it does
	}
	outcome := checks.Run(ctx, plan, env, events)
	<-progressDone
	ses.End(outcome)
	rep := ses.Report(lang, false)
	color := !of.noColor && of.output == "" && std.colorOut != nil && std.colorOut()
	render := func(w io.Writer) error {
		return rep.Write(w, format, lang, c, report.TextOptions{Color: color})
	}
	if err := writeOutput(of.output, std.out, render); err != nil {
		return usageError(std, "check", lang, err)
	}
	if of.output != "" {
		sayLine(std, "check", lang, false, writtenNote(of.output, rep, c))
	}
	return rep.ExitCode()
}

// writtenNote says where the report went and how many checks had each
// status.
func writtenNote(path string, rep *report.Report, c *content.Content) content.Text {
	counts := rep.Counts()
	var ja, en []string
	for _, s := range checks.Statuses {
		ja = append(ja, fmt.Sprintf("%s %d", s.LabelIn(c, content.Ja), counts[s]))
		en = append(en, fmt.Sprintf("%s %d", s.LabelIn(c, content.En), counts[s]))
	}
	return content.Text{
		Ja: fmt.Sprintf("%s に書き出しました（%s）", path, strings.Join(ja, "、")),
		En: fmt.Sprintf("%s (%s)", path, strings.Join(en, ", ")),
	}
}

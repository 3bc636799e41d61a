package main

import (
	"fmt"
	"io"
	"path/filepath"

	"github.com/biztel-tools/biztel-doctor/checks"
	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/findings"
	"github.com/biztel-tools/biztel-doctor/report"
)

// writeGoodbye prints what stays on the terminal when the TUI ends: the
// verdict, how many findings and checklist items, the saved files and what
// the exit status means. Short lines, so a narrow terminal splits no word.
func writeGoodbye(w io.Writer, lang content.Lang, rep *report.Report, paths []string, demo bool, code int) {
	t := func(ja, en string, args ...any) string { return content.Tf(ja, en, args...).In(lang) }
	fmt.Fprintln(w, t("BIZTEL ネットワーク診断を終了しました。", "BIZTEL network doctor has ended."))
	if rep == nil || len(rep.Results) == 0 {
		fmt.Fprintln(w, t("ライブ確認は実行していません。", "No live check was run."))
	} else {
		groups := findings.GroupResults(rep.Results)
		done := 0
		for _, it := range rep.Checklist {
			if it.Done {
				done++
			}
		}
		fmt.Fprintln(w, t("結果: 原因 %d 件、対処チェックリスト %d 項目（完了 %d）", "Findings: root causes %d, checklist items %d (%d done)",
			len(groups), len(rep.Checklist), done))
		counts := rep.Counts()
		var line string
		for _, st := range checks.Statuses {
			line += fmt.Sprintf("%s %d  ", st.Label(lang), counts[st])
		}
		fmt.Fprintln(w, "  "+line)
	}
	switch {
	case len(paths) > 0:
		fmt.Fprintln(w, t("保存したファイル:", "Saved files:"))
		for _, p := range paths {
			if abs, err := filepath.Abs(p); err == nil {
				p = abs
			}
			fmt.Fprintln(w, "  "+p)
		}
	case demo:
		fmt.Fprintln(w, t("デモの結果は保存していません。", "The demo's results are not saved."))
	}
	fmt.Fprintln(w, t("終了コード %d: %s", "Exit status %d: %s", code, exitMeaning(lang, code)))
}

// exitMeaning says what an exit status of the TUI means (design.md §3).
func exitMeaning(lang content.Lang, code int) string {
	switch code {
	case exitOK:
		return content.T("不合格・エラーなし", "no fail, no error").In(lang)
	case exitInterrupted:
		return content.T("中断（途中までの結果を保存）", "interrupted (what was measured is saved)").In(lang)
	case 1:
		return content.T("不合格またはエラーあり", "at least one fail or error").In(lang)
	}
	return content.T("使い方またはプロファイルの誤り", "usage or profile error").In(lang)
}

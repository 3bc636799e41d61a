// Command biztel-doctor checks whether a network meets BIZTEL's requirements
// and says exactly what to change when it does not.
//
//	biztel-doctor                    interactive troubleshooter (TUI)
//	biztel-doctor demo               the TUI against a simulated BIZTEL site on loopback (--scenario problems|healthy)
//	biztel-doctor check [flags]      non-interactive live checks; report to stdout or -o
//	biztel-doctor plan  [flags]      every destination the checks would contact; sends nothing
//	biztel-doctor ports [flags]      the requirement tables; with --vendor, that device's configuration
//	biztel-doctor serve [flags]      reflector: test peer for SIP-ALG, RTP range, call quality, NAT timer
//	biztel-doctor monitor [flags]    watch the media path, SIP, the NAT mapping and the link over time
//	biztel-doctor view REPORT.json   a saved report (TUI, or --format text|markdown), any language
//	biztel-doctor diff BEFORE.json AFTER.json   what a change fixed, broke, or left failing
//	biztel-doctor version
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/biztel-tools/biztel-doctor/content"
)

func main() {
	// SIGHUP too: a closed terminal window must still write the partial
	// report and remove the demo's temporary files.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	code := run(ctx, os.Args[1:], systemStdio())
	stop()
	os.Exit(code)
}

// stdio is the process's edges, injectable for tests.
type stdio struct {
	in       io.Reader
	out, err io.Writer
	getenv   func(string) string
	// isTerminal reports whether stdin and stdout are a terminal (the TUI
	// needs both).
	isTerminal func() bool
	// colorOut reports whether stdout may get ANSI colour.
	colorOut func() bool
	// errTerminal reports whether stderr is a terminal (progress lines).
	errTerminal func() bool
}

// Exit statuses (design.md §3).
const (
	exitOK          = 0
	exitFindings    = 1   // at least one fail or error
	exitUsage       = 2   // usage or profile error
	exitInterrupted = 130 // interrupted; the partial report was written
)

func run(ctx context.Context, args []string, std stdio) int {
	cmd, rest := "", args
	if len(args) > 0 {
		cmd, rest = args[0], args[1:]
	}
	switch cmd {
	case "check":
		return cmdCheck(ctx, rest, std)
	case "plan":
		return cmdPlan(rest, std)
	case "ports":
		return cmdPorts(rest, std)
	case "view":
		return cmdView(ctx, rest, std)
	case "diff":
		return cmdDiff(rest, std)
	case "serve":
		return cmdServe(ctx, rest, std)
	case "monitor":
		return cmdMonitor(ctx, rest, std)
	case "demo":
		return cmdTUI(ctx, rest, std, true)
	case "version", "--version", "-version":
		fmt.Fprintf(std.out, "biztel-doctor %s (commit %s, built %s)\n", buildVersion(), orUnknown(buildCommit()), orUnknown(buildDate()))
		return exitOK
	case "help", "-h", "--help", "-help":
		lang, _ := langFromArgs(nil, rest, std.getenv) // an unusable --lang gives the default
		fmt.Fprint(std.out, usageText.In(lang))
		// the TUI has no subcommand of its own to ask for --help
		var tf tuiFlags
		fmt.Fprintln(std.out, "\n"+content.T("TUI のフラグ（biztel-doctor [フラグ]）:", "Flags of the TUI (biztel-doctor [flags]):").In(lang))
		printFlags(std.out, tf.flagSet("tui", false), lang)
		return exitOK
	case "":
		return cmdTUI(ctx, rest, std, false)
	}
	if len(cmd) > 0 && cmd[0] == '-' {
		// site flags without a subcommand start the TUI (biztel-doctor --profile site.yaml)
		return cmdTUI(ctx, args, std, false)
	}
	lang, broken := langFromArgs(nil, rest, std.getenv)
	sayLine(std, "", lang, broken, content.Tf(
		"不明なコマンド %q。コマンド: check, plan, ports, serve, monitor, demo, view, diff, version（biztel-doctor --help を参照）",
		"unknown command %q; commands: check, plan, ports, serve, monitor, demo, view, diff, version (see biztel-doctor --help)", cmd))
	return exitUsage
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

// usageText is the top-level help; "help --lang en" (or an English locale)
// gives the English.
var usageText = content.T(`biztel-doctor: このネットワークが BIZTEL の要件を満たしているかを確認し、満たしていなければ何を変えるかを示します。

使い方:
  biztel-doctor                    対話型トラブルシューター（TUI）
  biztel-doctor demo               ループバック上の模擬 BIZTEL サイトで TUI を試す（契約は不要）
                                   --scenario problems（既定: よくある不具合）| healthy（すべての確認が合格）
  biztel-doctor check [フラグ]     ライブ確認を対話なしで実行。レポートは標準出力か -o FILE へ
  biztel-doctor plan  [フラグ]     確認が通信する宛先・プロトコル・ポートをすべて表示（何も送信しません）
  biztel-doctor ports [フラグ]     要件の表。--vendor NAME でその機種の設定例も表示
  biztel-doctor serve [フラグ]     リフレクタ: SIP-ALG、RTP ポート範囲、通話品質、NAT タイマーの確認相手
  biztel-doctor monitor [フラグ]   メディア経路・SIP・NAT の対応付け・回線を時間をかけて見守る（--duration D、--demo）
  biztel-doctor view REPORT.json   保存したレポートを開く（TUI か --format text|markdown、どちらの言語でも）
  biztel-doctor diff BEFORE.json AFTER.json
                                   変更前後の比較: 解決・悪化・不合格のまま（終了 0 悪化も不合格もなし、1 それ以外、2 入力の誤り）
  biztel-doctor version

各コマンドのフラグは "biztel-doctor COMMAND --help" で表示します。
check の終了ステータス: 0 すべて合格・注意・対象外、1 不合格またはエラーあり、2 使い方またはプロファイルの誤り、130 中断。
English: biztel-doctor --help --lang en
`,
	`biztel-doctor: does this network meet BIZTEL's requirements, and what to change when it does not.

Usage:
  biztel-doctor                    interactive troubleshooter (TUI)
  biztel-doctor demo               the TUI against a simulated BIZTEL site on loopback (no contract needed);
                                   --scenario problems (default: typical faults) | healthy (every check passes)
  biztel-doctor check [flags]      non-interactive live checks; report to stdout or -o FILE
  biztel-doctor plan  [flags]      every destination, protocol and port the checks would contact; sends nothing
  biztel-doctor ports [flags]      the requirement tables; with --vendor NAME, that device's configuration
  biztel-doctor serve [flags]      reflector: test peer for SIP-ALG, RTP range, call quality, NAT timer
  biztel-doctor monitor [flags]    watch the media path, SIP, the NAT mapping and the link over time (--duration D, --demo)
  biztel-doctor view REPORT.json   open a saved report (TUI, or --format text|markdown), in either language
  biztel-doctor diff BEFORE.json AFTER.json
                                   before/after: fixed, regressed, still failing (exit 0 none regressed or failing, 1 otherwise, 2 bad input)
  biztel-doctor version

Run "biztel-doctor COMMAND --help" for the flags of a command.
Exit status of check: 0 all passed/warned/skipped, 1 a fail or error, 2 usage or profile error, 130 interrupted.
日本語: biztel-doctor --help --lang ja
`)

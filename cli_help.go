package main

import (
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/profile"
)

// --help is printed in the language the error lines use (--lang, else the
// locale, else Japanese; design.md §3). The English usage of a flag stays
// where the flag is registered (package flag needs one, and its backquoted
// word is the value placeholder shown in both languages); the Japanese is
// here, by flag name. TestEveryFlagHasJapaneseHelp walks every command's
// flags, so a new flag without Japanese fails the build.

// flagUsageJa is the Japanese usage of every flag of check, plan, ports and
// the TUI (demo), by name. The placeholder (HOST|IP, FILE, …) comes from the
// English usage; the wording follows the requirements page and the TUI
// (管理画面ホスト名, 録音一括ダウンロード, リフレクタ, 同時通話数).
var flagUsageJa = map[string]string{
	// monitor (cmd_monitor.go)
	"duration": "見守る時間（例: 90s、1h）",
	"window":   "計測の窓 1 つの長さ（1s から --duration まで）",
	"sip-tls":  "SIP/TLS（TCP 15061）も 5 分ごとに確認します",
	"demo":     "ループバック上の模擬サイト（ときどき回線が切れる）を見守ります（契約は不要）",
	// output (cli_flags.go outputFlags)
	"format":   "出力形式: text、json、markdown のいずれか（既定は text。-o x.json / x.md なら拡張子で決まります）",
	"o":        "出力を標準出力ではなく FILE に書き出します（書き終えてから置き換えるので、書きかけのファイルは残りません）",
	"lang":     "表示言語（既定は日本語。ロケールが英語なら英語）",
	"no-color": "色を付けずに表示します（環境変数 NO_COLOR も有効）",
	// run (cli_flags.go runFlags)
	"only":           "指定した確認 ID（カンマ区切り）と、その前提となる確認だけを実行します",
	"skip":           "指定した確認 ID（カンマ区切り）を実行しません",
	"long":           "時間のかかる確認（nat.timer）も実行します",
	"nat-timer-max":  "nat.timer で NAT タイマーを探る最長時間。要件ページの値は 3600s、短時間で済ませるなら 120s",
	"media-duration": "media.quality で流す通話ストリームの長さ",
	"rtp-full":       "RTP ポート範囲 10000-20000 を抜き取りでなく全ポート確認します（NAT セッションを 10,001 個開きます）",
	// site (profile.Flags.Register)
	"profile":         "サイトプロファイルのファイル（YAML）",
	"server":          "BIZTEL サーバ（IP なら server.ip、名前なら管理画面ホスト名 server.host に入ります）",
	"server-ip":       "BIZTEL サーバのグローバル IP",
	"vpn-ip":          "BIZTEL サーバのプライベート IP（VPN オプション。指定すると VPN オプションありとして確認します）",
	"stun":            "STUN サーバ（カンマ区切り。ADDR または ADDR:3478 / ADDR:3479）",
	"ntp":             "ハードフォンが使う NTP サーバ（既定値 " + profile.DefaultNTP + "）",
	"recording":       "録音一括ダウンロードサーバ",
	"reflector":       "リフレクタ（biztel-doctor serve）のアドレス",
	"reflector-token": "リフレクタの共有トークン",
	"channels":        "同時通話数（1 通話あたり上り・下りそれぞれ 200kbps）",
	"vendor":          "ルータ/ファイアウォールの機種: " + strings.Join(profile.Vendors, ", "),
	// demo (cmd_tui.go)
	"scenario": "模擬サイト: problems はよくある不具合（診断結果、チェックリスト、ルータ設定）、healthy はすべて合格するサイト",
}

// printHelp prints a command's usage and its flags in lang.
func printHelp(w io.Writer, fs *flag.FlagSet, usage content.Text, lang content.Lang) {
	fmt.Fprintln(w, usage.In(lang))
	printFlags(w, fs, lang)
}

// printFlags is flag.PrintDefaults with the "--name" spelling that the
// README, the error lines and the examples use (package flag accepts both;
// one-letter flags keep one dash), in lang. The flag line (name and value
// placeholder) is the same in both languages.
func printFlags(w io.Writer, fs *flag.FlagSet, lang content.Lang) {
	fs.VisitAll(func(f *flag.Flag) {
		name, usage := flag.UnquoteUsage(f)
		if ja, ok := flagUsageJa[f.Name]; ok && lang == content.Ja {
			usage = ja
		}
		line := "  --" + f.Name
		if len(f.Name) == 1 {
			line = "  -" + f.Name // -o, as short options are written
		}
		if name != "" {
			line += " " + name
		}
		line += "\n    \t" + strings.ReplaceAll(usage, "\n", "\n    \t")
		if def := f.DefValue; def != "" && def != "false" && def != "0" && def != "0s" {
			if fmt.Sprintf("%T", f.Value) == "*flag.stringValue" {
				def = strconv.Quote(def) // as package flag shows strings
			}
			line += content.Tf("（既定値 %s）", " (default %s)", def).In(lang)
		}
		fmt.Fprintln(w, line)
	})
}

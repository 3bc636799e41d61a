package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/biztel-tools/biztel-doctor/checks"
	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/monitor"
	"github.com/biztel-tools/biztel-doctor/profile"
)

// Test seams of monitor: the environment and clock it runs with, and the
// folder the default file name goes in.
var (
	newMonitorEnv  = checks.SystemEnv
	monitorPorts   = checks.DefaultPorts
	monitorClock   = monitor.SystemClock
	monitorWorkDir = "."
)

var monitorUsage = content.T(`使い方: biztel-doctor monitor [サイトのフラグ] [--duration D] [--window 10s]

メディア経路（通話に似たストリーム）、SIP、NAT の対応付け、回線を時間をかけて見守り、
ときどき起きる問題（通話中・保留中の切断、無音、品質の劣化）を捉えます。
窓ごとに 1 行を表示し、記録（JSON スキーマ biztel-doctor.monitor/v1）を窓ごとに
書き直します（強制終了されても最後の窓までは残ります）。-o がなければ作業フォルダに
biztel-doctor-monitor-<開始時刻>.json を作り、開始時にその名前を表示します。
送信量: リフレクタへは 50 パケット/秒（通話 1 本分）、リフレクタがなければ STUN サーバへ
5 パケット/秒、BIZTEL サーバへは SIP OPTIONS を 30 秒ごと（15 秒より短くはしません）。
終了ステータス: 0 イベントなし、1 イベントあり、2 使い方の誤り、130 中断（記録は完全です）。

フラグ:`,
	`Usage: biztel-doctor monitor [site flags] [--duration D] [--window 10s]

Watches the media path (a call-like stream), SIP, the NAT mapping and the
link over time, to catch the problems that come and go (calls or holds cut,
silence, quality that degrades). Prints one line per window and rewrites the
record (JSON schema biztel-doctor.monitor/v1) after every window, so a
killed process loses at most one window. Without -o the record is
biztel-doctor-monitor-<start time>.json in the working folder; its name is
printed at the start.
Rates: 50 packets/s (one call) to the reflector; without one, 5 packets/s to
the STUN server; SIP OPTIONS to the BIZTEL server every 30 s (never below 15 s).
Exit status: 0 no event, 1 at least one event, 2 usage error, 130 interrupted
(the record is complete).

Flags:`)

// monitorFlags are the flags of monitor beside the site and output flags.
type monitorFlags struct {
	duration, window time.Duration
	sipTLS, demo     bool
}

func monitorFlagSet(sf *profile.Flags, mf *monitorFlags, of *outputFlags) *flag.FlagSet {
	fs := flag.NewFlagSet("monitor", flag.ContinueOnError)
	sf.Register(fs)
	fs.DurationVar(&mf.duration, "duration", monitor.DefaultDuration, "how long to watch `D` (e.g. 90s, 1h)")
	fs.DurationVar(&mf.window, "window", monitor.DefaultWindow, "length `D` of one measurement window (1s up to the duration)")
	fs.BoolVar(&mf.sipTLS, "sip-tls", false, "also check SIP/TLS (TCP 15061) every 5 minutes")
	fs.BoolVar(&mf.demo, "demo", false, "watch a simulated site on loopback with an intermittent fault (no contract needed)")
	of.register(fs)
	return fs
}

// validate refuses lengths that cannot make a run, naming the flag.
func (mf *monitorFlags) validate() error {
	if mf.duration <= 0 {
		return cliErr("--duration %s: 正の時間を指定してください（例: 90s、1h）", "--duration %s: must be positive (e.g. 90s or 1h)", mf.duration)
	}
	if mf.window < monitor.MinWindow || mf.window > mf.duration {
		return cliErr("--window %s: 1s 以上、--duration（%s）以下で指定してください", "--window %s: must be at least 1s and at most --duration (%s)", mf.window, mf.duration)
	}
	return nil
}

// monitorFiles decides where the record goes: the JSON file always, and
// with --format markdown (or -o x.md) a Markdown page and an SVG chart
// named like it.
func monitorFiles(of *outputFlags, start time.Time) (jsonPath, mdPath string, err error) {
	format := strings.ToLower(of.format)
	ext := strings.ToLower(filepath.Ext(of.output))
	switch format {
	case "", "json", "markdown", "md":
	default:
		return "", "", cliErr("--format %q は使えません。json か markdown を指定してください",
			"--format %q: expected json or markdown", of.format)
	}
	md := format == "markdown" || format == "md" || (format == "" && (ext == ".md" || ext == ".markdown"))
	switch {
	case of.output == "" || of.output == "-":
		jsonPath = filepath.Join(monitorWorkDir, monitor.DefaultFileName(start))
	case md:
		jsonPath = monitor.Beside(of.output, ".json")
	default:
		jsonPath = of.output
	}
	if md {
		mdPath = monitor.Beside(jsonPath, ".md")
		if ext == ".md" || ext == ".markdown" {
			mdPath = of.output
		}
	}
	if err := checkOutputPath(jsonPath); err != nil {
		return "", "", err
	}
	return jsonPath, mdPath, nil
}

func cmdMonitor(ctx context.Context, args []string, std stdio) int {
	var sf profile.Flags
	var mf monitorFlags
	var of outputFlags
	fs := monitorFlagSet(&sf, &mf, &of)
	if code, ok := parseFlags(fs, args, std, monitorUsage); !ok {
		return code
	}
	lang, err := monitorLang(&of, std)
	if err != nil {
		return usageError(std, "monitor", lang, err)
	}
	if err := mf.validate(); err != nil {
		return usageError(std, "monitor", lang, err)
	}
	cfg := monitor.Config{Duration: mf.duration, Window: mf.window, SIPTLS: mf.sipTLS, Version: buildVersion(),
		Thresholds: content.MustLoad().Thresholds, Clock: monitorClock()}
	if mf.demo {
		site, err := startMonitorDemo(ctx, &cfg)
		if err != nil {
			return usageError(std, "monitor", lang, err)
		}
		defer site.Close()
	} else {
		if cfg.Profile, err = buildProfile(&sf); err != nil {
			return usageError(std, "monitor", lang, err)
		}
		cfg.Env, cfg.Ports = newMonitorEnv(buildVersion()), monitorPorts()
	}
	if err := cfg.Validate(); err != nil {
		return usageError(std, "monitor", lang, errNoMonitorTarget)
	}
	jsonPath, mdPath, err := monitorFiles(&of, cfg.Clock.Now())
	if err != nil {
		return usageError(std, "monitor", lang, err)
	}
	return runMonitor(ctx, cfg, std, lang, jsonPath, mdPath)
}

var errNoMonitorTarget = cliErr(
	"見守るにはリフレクタ（--reflector、プロファイルの reflector.addr）か STUN サーバ（--stun、stun.servers）が必要です",
	"monitor needs a reflector (--reflector, profile reflector.addr) or a STUN server (--stun, stun.servers)")

// monitorLang resolves --lang (and refuses --format text, which monitor
// does not write: its text is the per-window lines).
func monitorLang(of *outputFlags, std stdio) (content.Lang, error) {
	saved := of.output
	of.output = "" // monitor checks its own paths
	_, lang, err := of.resolve(std.getenv)
	of.output = saved
	if err == nil && strings.EqualFold(of.format, "text") {
		err = cliErr("--format text は monitor では使えません（画面には窓ごとの行を表示します）。json か markdown を指定してください",
			"--format text: monitor writes json or markdown (the screen gets one line per window)")
	}
	return lang, err
}

// runMonitor runs and writes the files after every window; its result is
// the exit status.
func runMonitor(ctx context.Context, cfg monitor.Config, std stdio, lang content.Lang, jsonPath, mdPath string) int {
	sayOut(std, content.Tf("記録ファイル: %s（%s ごとに書き直します）", "recording to %s (rewritten every %s)", jsonPath, cfg.Window), lang)
	if mdPath != "" {
		sayOut(std, content.Tf("Markdown: %s、グラフ: %s", "Markdown: %s, chart: %s", mdPath, monitor.Beside(jsonPath, ".svg")), lang)
	}
	warned := false
	write := func(rec *monitor.Record) {
		err := writeMonitorFiles(rec, lang, jsonPath, mdPath)
		if err != nil && !warned {
			warned = true
			sayLine(std, "monitor", lang, false, content.Tf("記録を書き込めません: %v", "cannot write the record: %v", err))
		}
	}
	cfg.OnWindow = func(rec *monitor.Record, w monitor.Window, fresh []monitor.Event) {
		write(rec)
		if !w.Start.IsZero() {
			fmt.Fprintln(std.out, monitor.WindowLine(w, lang))
		}
		for _, e := range fresh {
			fmt.Fprintln(std.out, monitor.EventLine(e, lang))
		}
	}
	rec, err := monitor.Run(ctx, cfg)
	if err != nil {
		return usageError(std, "monitor", lang, cliErr("見守りを始められません: %v", "cannot start monitoring: %v", err))
	}
	write(rec)
	fmt.Fprintln(std.out, monitor.SummaryLine(rec, lang))
	switch {
	case rec.Interrupted:
		return exitInterrupted
	case rec.EventCount() > 0:
		return exitFindings
	}
	return exitOK
}

func writeMonitorFiles(rec *monitor.Record, lang content.Lang, jsonPath, mdPath string) error {
	if err := rec.WriteJSONFile(jsonPath, lang); err != nil {
		return err
	}
	if mdPath == "" {
		return nil
	}
	svg := monitor.Beside(jsonPath, ".svg")
	if err := monitor.WriteFileAtomic(svg, func(w io.Writer) error { return rec.WriteSVG(w, lang) }); err != nil {
		return err
	}
	return monitor.WriteFileAtomic(mdPath, func(w io.Writer) error { return rec.WriteMarkdown(w, lang, filepath.Base(svg)) })
}

func sayOut(std stdio, t content.Text, lang content.Lang) { fmt.Fprintln(std.out, t.In(lang)) }

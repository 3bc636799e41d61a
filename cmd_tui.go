package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"github.com/biztel-tools/biztel-doctor/checks"
	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/demo"
	"github.com/biztel-tools/biztel-doctor/profile"
	"github.com/biztel-tools/biztel-doctor/tui"
)

var tuiUsage = content.T(`使い方: biztel-doctor [サイトのフラグ]   対話型トラブルシューター
        biztel-doctor demo [--scenario problems|healthy] [--lang ja|en] [--no-color]
                                         同じ画面をループバック上の模擬 BIZTEL サイトで試します。
                                         problems（既定）: よくある不具合、診断結果、チェックリスト、
                                         ルータ設定。healthy: すべての確認が合格

フラグ:`,
	`Usage: biztel-doctor [site flags]      interactive troubleshooter
       biztel-doctor demo [--scenario problems|healthy] [--lang ja|en] [--no-color]
                                         the same app against a simulated BIZTEL site on loopback;
                                         problems (default): typical faults, findings, checklist,
                                         router config; healthy: every check passes

Flags:`)

// tuiProgram starts the app; a seam for tests.
var tuiProgram = func(m tea.Model, std stdio, opts ...tea.ProgramOption) (tea.Model, error) {
	opts = append(opts, tea.WithInput(std.in), tea.WithOutput(std.out))
	return tea.NewProgram(m, opts...).Run()
}

func cmdTUI(ctx context.Context, args []string, std stdio, isDemo bool) int {
	name := "tui"
	if isDemo {
		name = "demo"
	}
	in, code, ok := parseTUIArgs(args, std, name, isDemo)
	if !ok {
		return code
	}
	if std.isTerminal == nil || !std.isTerminal() {
		sayLine(std, "", in.lang, false, content.T(
			"端末ではありません。スクリプトからは \"biztel-doctor check --profile FILE --format json\" を使ってください（biztel-doctor --help を参照）",
			"not a terminal; for scripts use \"biztel-doctor check --profile FILE --format json\" (see biztel-doctor --help)"))
		return exitUsage
	}
	cfg, closeSite, err := tuiConfig(ctx, in, std, name)
	if err != nil {
		return usageError(std, name, in.lang, err)
	}
	defer closeSite()
	return runTUI(ctx, cfg, std, name)
}

// tuiInput is what the command line asked of the app.
type tuiInput struct {
	flags        tuiFlags
	overridePath string // a developer's --dev-override file ("" normally)
	lang         content.Lang
	scenario     demo.Scenario // the demo's first site
	isDemo       bool
}

// parseTUIArgs reads the flags; ok false: the command ends with code (a
// usage error, or --help).
func parseTUIArgs(args []string, std stdio, name string, isDemo bool) (in tuiInput, code int, ok bool) {
	in.isDemo = isDemo
	if !isDemo { // a developer's hidden --dev-override; never in the demo's closed world
		var err error
		if args, in.overridePath, err = takeDevOverride(args); err != nil {
			return in, usageError(std, name, content.Ja, err), false
		}
	}
	fs := in.flags.flagSet(name, isDemo)
	if code, ok := parseFlags(fs, args, std, tuiUsage); !ok {
		return in, code, false
	}
	of := outputFlags{lang: in.flags.lang}
	_, l, err := of.resolve(std.getenv)
	in.lang = l
	if err != nil {
		return in, usageError(std, name, l, err), false
	}
	if isDemo {
		if in.scenario, err = demo.ParseScenario(in.flags.scenario); err != nil {
			return in, usageError(std, name, l, errScenario(in.flags.scenario)), false
		}
	}
	return in, 0, true
}

// tuiConfig is the app's configuration: the demo's simulated site (closed
// by closeSite), or the real site from the flags and profile.
func tuiConfig(ctx context.Context, in tuiInput, std stdio, name string) (cfg tui.Config, closeSite func(), err error) {
	cfg = tui.Config{Ctx: ctx, Lang: in.lang, NoColor: in.flags.noColor || std.getenv("NO_COLOR") != "", Content: content.MustLoad(),
		Options: checks.DefaultOptions(), Version: buildVersion(), Snippet: vendorSnippet}
	if in.isDemo {
		sites, err := startDemoSites(ctx, cfg, in.scenario)
		if err != nil {
			return cfg, nil, cliErr("模擬サイトを起動できません: %v", "cannot start the simulated site: %v", err)
		}
		return sites.config(), sites.Close, nil
	}
	sf := &in.flags.site
	if sf.ProfilePath != "" || sf.Given() {
		p, err := sf.Build()
		if err != nil {
			return cfg, nil, err
		}
		cfg.Profile, cfg.ProfilePath = p, sf.ProfilePath
	}
	cfg.Options.Ports = checkPorts()
	cfg.Env = newCheckEnv(buildVersion())
	dev, err := loadDevOverride(in.overridePath)
	if err == nil {
		err = applyDevOverride(dev, in.overridePath, name, &cfg.Options.Ports, cfg.Env, std, in.lang)
	}
	if err != nil {
		return cfg, nil, err
	}
	if dev != nil {
		cfg.PanicAfter = dev.PanicAfterCheck
	}
	return cfg, func() {}, nil
}

// runTUI runs the app until it ends, by a key, a signal, a closed
// terminal or a panic, and then saves what was measured and says goodbye.
func runTUI(ctx context.Context, cfg tui.Config, std stdio, name string) int {
	var opts []tea.ProgramOption
	if cfg.NoColor {
		opts = append(opts, tea.WithColorProfile(colorprofile.Ascii))
	}
	// the terminal belongs to the app: a library's stray log line (an HTTP
	// server's handshake note in demo) would tear the screen
	log.SetOutput(io.Discard)
	defer log.SetOutput(std.err)
	app := tui.New(cfg)
	// a signal (SIGTERM, or SIGHUP when the terminal window closes) ends
	// the app through ctx; the deferred clean-ups then still run. A closed
	// window whose SIGHUP never came shows as EIO/EOF on the input: that
	// ends it the same way (cmd_tui_hangup.go).
	ctx, hangup := context.WithCancel(ctx)
	defer hangup()
	std.in = watchHangup(std.in, std.isTerminal != nil && std.isTerminal(), hangup)
	opts = append(opts, tea.WithContext(ctx))
	_, err := tuiProgram(app, std, opts...)
	// every way out saves the same report: the quit key has already cut a
	// run short; a signal, a closed terminal or a recovered panic do it here
	interrupted := ctx.Err() != nil || errors.Is(err, tea.ErrInterrupted)
	panicked := errors.Is(err, tea.ErrProgramPanic)
	if interrupted || panicked {
		app.Interrupt()
	}
	if err != nil && !interrupted && !panicked && app.Report() == nil {
		return usageError(std, "", cfg.Lang, cliErr("画面を開けません: %v", "cannot run the interactive screen: %v", err))
	}
	return finishTUI(app, std, name, cfg.Demo, interrupted, panicked)
}

// finishTUI saves the results not exported (a measurement is never lost),
// before anything is printed (a closed terminal takes no output), then
// leaves a short goodbye and returns the exit status.
func finishTUI(app *tui.Model, std stdio, name string, isDemo, interrupted, panicked bool) int {
	code := exitOK
	paths, saveErr := app.SaveUnsaved()
	if saveErr != nil {
		sayLine(std, name, app.Lang(), false, content.Tf("結果を保存できませんでした: %v（上の要約は画面に残ります）",
			"could not save the results: %v (the summary above stays on screen)", saveErr))
	}
	if panicked {
		defer fmt.Fprintln(std.err, content.T("内部エラーで画面が終了しました。ここまでの結果は上のとおり保存しています。",
			"the screen ended on an internal error; what was measured is saved as above.").In(app.Lang()))
		code = 1 // the tool's own failure
	}
	// a short goodbye stays in the scroll-back of a screen share: the
	// verdict, the counts and the files, not the whole report (it is in them)
	rep := app.Report()
	if rep != nil {
		code = max(code, rep.ExitCode())
	}
	if interrupted {
		code = exitInterrupted
	}
	if len(paths) == 0 {
		paths = app.ExportedPaths()
	}
	writeGoodbye(std.out, app.Lang(), rep, paths, isDemo, code)
	return code
}

// tuiFlags are the flags of the TUI (site flags) and of demo (--scenario).
type tuiFlags struct {
	site     profile.Flags
	lang     string
	noColor  bool
	scenario string
}

func (t *tuiFlags) flagSet(name string, isDemo bool) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	if isDemo {
		fs.StringVar(&t.scenario, "scenario", string(demo.Problems), "simulated site `problems|healthy`: typical faults (findings, checklist, router config) or a site that passes")
	} else {
		t.site.Register(fs)
	}
	fs.StringVar(&t.lang, "lang", "", "language `ja|en` (default: Japanese unless the locale names English)")
	fs.BoolVar(&t.noColor, "no-color", false, "no colour (NO_COLOR is honoured too)")
	return fs
}

// errScenario is an unknown --scenario, naming the ones there are.
func errScenario(given string) error {
	var names []string
	for _, sc := range demo.Scenarios() {
		names = append(names, string(sc))
	}
	list := strings.Join(names, ", ")
	return cliErr("--scenario %q はありません。次のいずれか: %s", "--scenario %q is not known: use one of %s", given, list)
}

package main

import (
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/biztel-tools/biztel-doctor/checks"
	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/locale"
	"github.com/biztel-tools/biztel-doctor/profile"
	"github.com/biztel-tools/biztel-doctor/report"
)

// outputFlags are --format, -o, --lang and --no-color.
type outputFlags struct {
	format  string
	output  string
	lang    string
	noColor bool
}

func (o *outputFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&o.format, "format", "", "output `FORMAT`: text, json or markdown (default text; -o x.json / x.md pick it)")
	fs.StringVar(&o.output, "o", "", "write the output to `FILE` (atomically) instead of stdout")
	fs.StringVar(&o.lang, "lang", "", "language `ja|en` (default: Japanese unless the locale names English)")
	fs.BoolVar(&o.noColor, "no-color", false, "no colour (NO_COLOR is honoured too)")
}

// resolve returns the format and language, or a usage error. The language
// is returned with the error too (Japanese when --lang is what is wrong), so
// the error line is in the user's language.
func (o *outputFlags) resolve(getenv func(string) string) (report.Format, content.Lang, error) {
	lang := locale.FromEnv(getenv)
	if o.lang != "" {
		l, err := content.ParseLang(o.lang)
		if err != nil {
			return "", content.Ja, errBadLang(o.lang)
		}
		lang = l
	}
	if err := checkOutputPath(o.output); err != nil {
		return "", lang, err
	}
	byExt := report.FormatText
	switch strings.ToLower(filepath.Ext(o.output)) {
	case ".json":
		byExt = report.FormatJSON
	case ".md", ".markdown":
		byExt = report.FormatMarkdown
	}
	var f report.Format
	switch strings.ToLower(o.format) {
	case "text", "txt":
		f = report.FormatText
	case "json":
		f = report.FormatJSON
	case "markdown", "md":
		f = report.FormatMarkdown
	case "":
		return byExt, lang, nil
	default:
		return "", lang, cliErr("--format %q は使えません。text、json、markdown のいずれかを指定してください",
			"--format %q: expected text, json or markdown", o.format)
	}
	if byExt != report.FormatText && f != byExt {
		return "", lang, cliErr("--format %s と -o %s（この名前は %s 形式）が食い違っています。--format を外すかファイル名を変えてください",
			"--format %s conflicts with -o %s (that name means %s): drop --format or change the file name", o.format, o.output, byExt)
	}
	return f, lang, nil
}

// checkOutputPath refuses an -o the report could not be written to, before
// a run of up to a minute is spent: a directory, or a missing or read-only
// parent directory.
func checkOutputPath(path string) error {
	if path == "" || path == "-" {
		return nil
	}
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return cliErr("-o %s はディレクトリです。ファイル名を指定してください（例: %s）",
			"-o %s is a directory: give a file name, e.g. %s", path, filepath.Join(path, "biztel-report.md"))
	} else if err == nil && !fi.Mode().IsRegular() {
		// a device or pipe is written in place (see writeOutput)
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return cliErr("-o %s: 書き込めません（%v）", "-o %s: cannot write to it (%v)", path, errors.Unwrap(err))
		}
		return f.Close()
	}
	dir := filepath.Dir(path)
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return cliErr("-o %s: ディレクトリ %s がありません", "-o %s: the directory %s does not exist", path, dir)
	}
	probe, err := os.CreateTemp(dir, "."+filepath.Base(path)+".probe-*")
	if err != nil {
		return cliErr("-o %s: %s に書き込めません（%v）", "-o %s: cannot write in %s (%v)", path, dir, errors.Unwrap(err))
	}
	probe.Close()
	os.Remove(probe.Name())
	return nil
}

// errNothingToRun is --only/--skip leaving no check: an empty report would
// exit 0 and read as "all passed".
var errNothingToRun = &cliError{msg: content.T(
	"--only / --skip で実行する確認がなくなりました。除外しない確認を少なくとも一つ指定してください",
	"--only / --skip leave no check to run: name at least one check that is not skipped")}

// runFlags are the run options of check (and plan, which mirrors check).
type runFlags struct {
	only, skip    string
	long          bool
	natTimerMax   time.Duration
	mediaDuration time.Duration
	rtpFull       bool
}

func (r *runFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&r.only, "only", "", "run only these check `IDS` (comma-separated) and their prerequisites")
	fs.StringVar(&r.skip, "skip", "", "leave out these check `IDS` (comma-separated)")
	fs.BoolVar(&r.long, "long", false, "also run long checks (nat.timer)")
	fs.DurationVar(&r.natTimerMax, "nat-timer-max", checks.DefaultNATTimerMax, "nat.timer search horizon `D` (the page asks 3600s; 120s is the quick setting)")
	fs.DurationVar(&r.mediaDuration, "media-duration", checks.DefaultMediaDuration, "media.quality stream length `D`")
	fs.BoolVar(&r.rtpFull, "rtp-full", false, "sweep every port of 10000-20000 instead of a sample (opens 10,001 NAT sessions)")
}

func (r *runFlags) options() (checks.Options, error) {
	opt := checks.DefaultOptions()
	opt.Only, opt.Skip = splitIDs(r.only), splitIDs(r.skip)
	if len(opt.Only) == 0 && strings.TrimSpace(r.only) != "" {
		// "--only ,," would otherwise run every check
		return opt, cliErr("--only %q に確認 ID がありません（カンマ区切り。例: --only sip.udp,web.8000）",
			"--only %q names no check id (comma-separated, e.g. --only sip.udp,web.8000)", r.only)
	}
	opt.Long, opt.RTPFull = r.long, r.rtpFull
	if r.natTimerMax <= 0 {
		return opt, cliErr("--nat-timer-max %s: 正の時間を指定してください（例: 120s、3600s）",
			"--nat-timer-max %s: must be positive (e.g. 120s or 3600s)", r.natTimerMax)
	}
	if r.mediaDuration <= 0 || r.mediaDuration > 10*time.Minute {
		return opt, cliErr("--media-duration %s: 1s から 10m の間で指定してください",
			"--media-duration %s: must be between 1s and 10m", r.mediaDuration)
	}
	opt.NATTimerMax, opt.MediaDuration = r.natTimerMax, r.mediaDuration
	return opt, nil
}

func splitIDs(s string) []string {
	var out []string
	for _, id := range strings.Split(s, ",") {
		if id = strings.TrimSpace(id); id != "" {
			out = append(out, id)
		}
	}
	return out
}

// parseFlags parses args; it prints help (exit 0) or one clear error line
// (exit 2) itself, in the language args and the locale name (--lang is not
// parsed yet). ok is false when the command should return code.
func parseFlags(fs *flag.FlagSet, args []string, std stdio, usage content.Text) (code int, ok bool) {
	fs.SetOutput(io.Discard)
	err := fs.Parse(args)
	lang, broken := langFromArgs(fs, args, std.getenv)
	switch {
	case errors.Is(err, flag.ErrHelp):
		// an unusable --lang gives the default language: help is no error
		printHelp(std.out, fs, usage, lang)
		return exitOK, false
	case err != nil:
		sayLine(std, fs.Name(), lang, broken, flagError(fs, err))
		return exitUsage, false
	case fs.NArg() > 0:
		sayLine(std, fs.Name(), lang, broken, content.Tf("余分な引数 %q があります（フラグは -- で始まります。%s --help を参照）",
			"unexpected argument %q (flags start with --; see %s --help)", fs.Arg(0), helpCommand(fs.Name())))
		return exitUsage, false
	}
	return 0, true
}

// usageError prints err as one line in lang and returns exit status 2.
func usageError(std stdio, cmd string, lang content.Lang, err error) int {
	msg, both := errorText(err)
	sayLine(std, cmd, lang, both, msg)
	return exitUsage
}

// needServer refuses a run with no BIZTEL server at all, naming both ways
// to give one.
var errNoSite = &profile.Error{Field: "--profile / --server", Message: content.T(
	"BIZTEL サーバが指定されていません。--profile FILE か --server HOST|IP を指定してください（値は「ご利用案内」に記載）",
	"no BIZTEL server given: use --profile FILE or --server HOST|IP (the values are in the contract papers 「ご利用案内」)")}

// buildProfile builds the site profile from flags, requiring a server.
func buildProfile(sf *profile.Flags) (*profile.Profile, error) {
	if sf.ProfilePath == "" && !sf.Given() {
		return nil, errNoSite
	}
	return sf.Build()
}

// writeOutput writes via render to the -o file atomically (temp file in the
// same directory, then rename) or to stdout.
func writeOutput(path string, stdout io.Writer, render func(io.Writer) error) error {
	if path == "" || path == "-" {
		return render(stdout)
	}
	if fi, err := os.Stat(path); err == nil && !fi.Mode().IsRegular() {
		// a device or pipe (-o /dev/null, -o /dev/stdout, a FIFO): write to
		// it; renaming a temp file over it would replace the device itself
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_TRUNC, 0)
		if err != nil {
			return errCannotWrite(path, err)
		}
		if err := render(f); err != nil {
			f.Close()
			return errCannotWrite(path, err)
		}
		return f.Close()
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return errCannotWrite(path, err)
	}
	defer os.Remove(tmp.Name()) // after a successful rename this is a no-op
	if err := render(tmp); err != nil {
		tmp.Close()
		return errCannotWrite(path, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return errCannotWrite(path, err)
	}
	if err := tmp.Close(); err != nil {
		return errCannotWrite(path, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return errCannotWrite(path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return errCannotWrite(path, err)
	}
	return nil
}

// errCannotWrite is a failed write of the -o file; the OS's reason is
// quoted as it is.
func errCannotWrite(path string, err error) error {
	return cliErr("%s に書き込めません: %v", "cannot write %s: %v", path, err)
}

package main

import (
	"errors"
	"flag"
	"fmt"
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

// resolve returns the format and language, or a usage error.
func (o *outputFlags) resolve(getenv func(string) string) (report.Format, content.Lang, error) {
	lang := locale.FromEnv(getenv)
	if o.lang != "" {
		l, err := content.ParseLang(o.lang)
		if err != nil {
			return "", "", fmt.Errorf("--lang %s", strings.TrimPrefix(err.Error(), "language "))
		}
		lang = l
	}
	if err := checkOutputPath(o.output); err != nil {
		return "", "", err
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
		return "", "", fmt.Errorf("--format %q: expected text, json or markdown", o.format)
	}
	if byExt != report.FormatText && f != byExt {
		return "", "", fmt.Errorf("--format %s conflicts with -o %s (that name means %s): drop --format or change the file name", o.format, o.output, byExt)
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
		return fmt.Errorf("-o %s is a directory: give a file name, e.g. %s", path, filepath.Join(path, "biztel-report.md"))
	} else if err == nil && !fi.Mode().IsRegular() {
		// a device or pipe is written in place (see writeOutput)
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return fmt.Errorf("-o %s: cannot write to it (%v)", path, errors.Unwrap(err))
		}
		return f.Close()
	}
	dir := filepath.Dir(path)
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return fmt.Errorf("-o %s: the directory %s does not exist", path, dir)
	}
	probe, err := os.CreateTemp(dir, "."+filepath.Base(path)+".probe-*")
	if err != nil {
		return fmt.Errorf("-o %s: cannot write in %s (%v)", path, dir, errors.Unwrap(err))
	}
	probe.Close()
	os.Remove(probe.Name())
	return nil
}

// errNothingToRun is --only/--skip leaving no check: an empty report would
// exit 0 and read as "all passed".
var errNothingToRun = errors.New("--only / --skip leave no check to run: name at least one check that is not skipped")

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
		return opt, fmt.Errorf("--only %q names no check id (comma-separated, e.g. --only sip.udp,web.8000)", r.only)
	}
	opt.Long, opt.RTPFull = r.long, r.rtpFull
	if r.natTimerMax <= 0 {
		return opt, fmt.Errorf("--nat-timer-max %s: must be positive (e.g. 120s or 3600s)", r.natTimerMax)
	}
	if r.mediaDuration <= 0 || r.mediaDuration > 10*time.Minute {
		return opt, fmt.Errorf("--media-duration %s: must be between 1s and 10m", r.mediaDuration)
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
// (exit 2) itself. ok is false when the command should return code.
func parseFlags(fs *flag.FlagSet, args []string, std stdio, usage string) (code int, ok bool) {
	fs.SetOutput(io.Discard)
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprintln(std.out, usage)
		fs.SetOutput(std.out)
		fs.PrintDefaults()
		return exitOK, false
	case err != nil:
		fmt.Fprintf(std.err, "biztel-doctor %s: %v (see biztel-doctor %s --help)\n", fs.Name(), err, fs.Name())
		return exitUsage, false
	case fs.NArg() > 0:
		fmt.Fprintf(std.err, "biztel-doctor %s: unexpected argument %q (flags start with --; see biztel-doctor %s --help)\n", fs.Name(), fs.Arg(0), fs.Name())
		return exitUsage, false
	}
	return 0, true
}

// usageError prints one line and returns exit status 2.
func usageError(std stdio, cmd string, lang content.Lang, err error) int {
	var pe *profile.Error
	if errors.As(err, &pe) {
		fmt.Fprintf(std.err, "biztel-doctor %s: %s\n", cmd, pe.In(lang))
		return exitUsage
	}
	var ue *checks.UnknownCheckError
	if errors.As(err, &ue) {
		if lang == content.Ja {
			fmt.Fprintf(std.err, "biztel-doctor %s: 不明な確認 ID %q。使える ID: %s\n", cmd, ue.ID, strings.Join(ue.Valid, ", "))
		} else {
			fmt.Fprintf(std.err, "biztel-doctor %s: unknown check id %q; valid ids: %s\n", cmd, ue.ID, strings.Join(ue.Valid, ", "))
		}
		return exitUsage
	}
	fmt.Fprintf(std.err, "biztel-doctor %s: %v\n", cmd, err)
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
			return fmt.Errorf("cannot write %s: %w", path, err)
		}
		if err := render(f); err != nil {
			f.Close()
			return fmt.Errorf("cannot write %s: %w", path, err)
		}
		return f.Close()
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name()) // after a successful rename this is a no-op
	if err := render(tmp); err != nil {
		tmp.Close()
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	return nil
}

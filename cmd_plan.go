package main

import (
	"flag"
	"io"

	"github.com/biztel-tools/biztel-doctor/checks"
	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/profile"
	"github.com/biztel-tools/biztel-doctor/report"
)

var planUsage = content.T(`使い方: biztel-doctor plan [フラグ]

同じフラグで "check" を実行したときに通信する宛先・プロトコル・ポート・目的を
すべて表示します。何も送信しないので、ネットワーク管理者が先に通信を承認できます。

フラグ:`,
	`Usage: biztel-doctor plan [flags]

Lists every destination, protocol, port and purpose that "check" with the same
flags would contact. It sends nothing, so a network administrator can approve
the traffic first.

Flags:`)

func cmdPlan(args []string, std stdio) int {
	run, code, ok := parsePlannedRun("plan", planUsage, args, std, nil)
	if !ok {
		return code
	}
	of, format, lang, plan := run.output, run.format, run.lang, run.plan
	c := content.MustLoad()
	if err := writeOutput(of.output, std.out, func(w io.Writer) error {
		return report.WritePlan(w, plan, format, lang, c)
	}); err != nil {
		return usageError(std, "plan", lang, err)
	}
	return exitOK
}

// plannedRun is what check and plan share: the parsed flags, the site
// profile and the plan made from them.
type plannedRun struct {
	output outputFlags
	format report.Format
	lang   content.Lang
	prof   *profile.Profile
	plan   *checks.Plan
}

// parsePlannedRun parses the site, run and output flags of cmd and makes
// the plan. ok is false when cmd should return code (help, or one clear
// usage line with exit 2). A developer's hidden --dev-override FILE points
// ports (and, for check, env's edges) at test peers.
func parsePlannedRun(cmd string, usage content.Text, args []string, std stdio, env *checks.Env) (r plannedRun, code int, ok bool) {
	var sf profile.Flags
	var rf runFlags
	fs := plannedFlagSet(cmd, &sf, &rf, &r.output)
	early, _ := langFromArgs(fs, args, std.getenv) // for errors before --lang is parsed
	args, overridePath, err := takeDevOverride(args)
	if err != nil {
		return r, usageError(std, cmd, early, err), false
	}
	if code, ok := parseFlags(fs, args, std, usage); !ok {
		return r, code, false
	}
	if r.format, r.lang, err = r.output.resolve(std.getenv); err != nil {
		return r, usageError(std, cmd, r.lang, err), false
	}
	dev, err := loadDevOverride(overridePath)
	if err != nil {
		return r, usageError(std, cmd, r.lang, err), false
	}
	if r.prof, err = buildProfile(&sf); err != nil {
		return r, usageError(std, cmd, r.lang, err), false
	}
	opt, err := rf.options()
	if err != nil {
		return r, usageError(std, cmd, r.lang, err), false
	}
	opt.Ports = checkPorts()
	if err := applyDevOverride(dev, overridePath, cmd, &opt.Ports, env, std, r.lang); err != nil {
		return r, usageError(std, cmd, r.lang, err), false
	}
	if r.plan, err = checks.MakePlan(r.prof, opt); err != nil {
		return r, usageError(std, cmd, r.lang, err), false
	}
	if len(r.plan.Checks) == 0 {
		return r, usageError(std, cmd, r.lang, errNothingToRun), false
	}
	return r, 0, true
}

// plannedFlagSet is the flags of check and plan: site, run and output.
func plannedFlagSet(cmd string, sf *profile.Flags, rf *runFlags, of *outputFlags) *flag.FlagSet {
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	sf.Register(fs)
	rf.register(fs)
	of.register(fs)
	return fs
}

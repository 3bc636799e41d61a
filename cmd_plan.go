package main

import (
	"flag"
	"fmt"
	"io"

	"github.com/biztel-tools/biztel-doctor/checks"
	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/profile"
	"github.com/biztel-tools/biztel-doctor/report"
)

const planUsage = `Usage: biztel-doctor plan [flags]

Lists every destination, protocol, port and purpose that "check" with the same
flags would contact. It sends nothing, so a network administrator can approve
the traffic first.

Flags:`

func cmdPlan(args []string, std stdio) int {
	fs := flag.NewFlagSet("plan", flag.ContinueOnError)
	var sf profile.Flags
	var rf runFlags
	var of outputFlags
	sf.Register(fs)
	rf.register(fs)
	of.register(fs)
	args, overridePath, err := takeDevOverride(args)
	if err != nil {
		return usageError(std, "plan", content.Ja, err)
	}
	if code, ok := parseFlags(fs, args, std, planUsage); !ok {
		return code
	}
	dev, err := loadDevOverride(overridePath)
	if err != nil {
		return usageError(std, "plan", content.Ja, err)
	}
	format, lang, err := of.resolve(std.getenv)
	if err != nil {
		return usageError(std, "plan", content.Ja, err)
	}
	p, err := buildProfile(&sf)
	if err != nil {
		return usageError(std, "plan", lang, err)
	}
	opt, err := rf.options()
	if err != nil {
		return usageError(std, "plan", lang, err)
	}
	opt.Ports = checkPorts()
	if err := applyDevOverride(dev, overridePath, "plan", &opt.Ports, nil, std); err != nil {
		return usageError(std, "plan", lang, err)
	}
	plan, err := checks.MakePlan(p, opt)
	if err != nil {
		return usageError(std, "plan", lang, err)
	}
	if len(plan.Checks) == 0 {
		return usageError(std, "plan", lang, errNothingToRun)
	}
	c := content.MustLoad()
	if err := writeOutput(of.output, std.out, func(w io.Writer) error {
		return report.WritePlan(w, plan, format, lang, c)
	}); err != nil {
		fmt.Fprintf(std.err, "biztel-doctor plan: %v\n", err)
		return exitUsage
	}
	return exitOK
}

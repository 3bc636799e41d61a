package main

import (
	"flag"
	"io"
	"slices"
	"strings"

	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/profile"
	"github.com/biztel-tools/biztel-doctor/report"
)

var portsUsage = content.T(`使い方: biztel-doctor ports [フラグ]

BIZTEL のネットワーク要件ページの表（LAN→WAN と WAN→LAN）を表示します。
プロファイルかサイトのフラグを指定するとそのサイトのアドレスを入れて表示し、
--vendor NAME を指定するとそのルータ/ファイアウォールの設定例も表示します。

フラグ:`,
	`Usage: biztel-doctor ports [flags]

Prints the requirement tables of BIZTEL's network requirements page (LAN→WAN
and WAN→LAN), with the site's addresses when a profile or site flags are
given, and with --vendor NAME the configuration for that router/firewall.

Flags:`)

func cmdPorts(args []string, std stdio) int {
	var sf profile.Flags
	var of outputFlags
	fs := portsFlagSet(&sf, &of)
	if code, ok := parseFlags(fs, args, std, portsUsage); !ok {
		return code
	}
	format, lang, err := of.resolve(std.getenv)
	if err != nil {
		return usageError(std, "ports", lang, err)
	}
	if sf.Vendor != "" && !slices.Contains(profile.Vendors, sf.Vendor) {
		return usageError(std, "ports", lang, &profile.Error{Field: "--vendor", Message: content.Tf(
			"%q は未対応です。次のいずれか: %s", "%q is not known; use one of: %s", sf.Vendor, strings.Join(profile.Vendors, ", "))})
	}
	var p *profile.Profile
	switch {
	case sf.ProfilePath != "" || sf.Server != "" || sf.ServerIP != "" || sf.VPNIP != "":
		if p, err = sf.Build(); err != nil {
			return usageError(std, "ports", lang, err)
		}
	case sf.Given():
		// site values without a server (e.g. --vendor alone): the tables with
		// markers where the server's address belongs
		p = &profile.Profile{}
		sf.Apply(p)
	}
	c := content.MustLoad()
	in := report.PortsInput{Content: c, Profile: p, Lang: lang}
	if p != nil && p.Vendor != "" {
		in.Snippet, _ = vendorSnippet(p, lang, nil)
	}
	if err := writeOutput(of.output, std.out, func(w io.Writer) error { return report.WritePorts(w, in, format) }); err != nil {
		return usageError(std, "ports", lang, err)
	}
	return exitOK
}

// portsFlagSet is the flags of ports: site and output.
func portsFlagSet(sf *profile.Flags, of *outputFlags) *flag.FlagSet {
	fs := flag.NewFlagSet("ports", flag.ContinueOnError)
	sf.Register(fs)
	of.register(fs)
	return fs
}

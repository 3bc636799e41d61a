package main

import (
	"strings"

	"github.com/biztel-tools/biztel-doctor/checks"
	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/internal/override"
)

// devOverrideFlag is a developer flag of check and plan, deliberately not in
// --help: --dev-override FILE points the run's ports and environment edges
// (SSDP, resolver, root CAs, hosts, resolv.conf) at test peers, for the
// benchmarks (scripts/bench.sh) and runs against the loopback fakes. See
// internal/override for the file. Without it nothing changes.
const devOverrideFlag = "dev-override"

// takeDevOverride removes --dev-override FILE (or -dev-override=FILE) from
// args before the flag set parses them, so the flag stays out of help.
func takeDevOverride(args []string) (rest []string, path string, err error) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return append(rest, args[i:]...), path, nil
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") || name != devOverrideFlag {
			rest = append(rest, a)
			continue
		}
		if !hasValue {
			if i+1 >= len(args) {
				return nil, "", errOverrideNeedsFile
			}
			i++
			value = args[i]
		}
		if value == "" {
			return nil, "", errOverrideNeedsFile
		}
		path = value
	}
	return rest, path, nil
}

var errOverrideNeedsFile = cliErr("--%s にはファイルを指定してください", "--%s needs a FILE", devOverrideFlag)

// loadDevOverride loads the file named by --dev-override; nil without one.
// The file's problem is quoted as package override words it (English: a
// developer's file).
func loadDevOverride(path string) (*override.File, error) {
	if path == "" {
		return nil, nil
	}
	f, err := override.Load(path)
	if err != nil {
		return nil, errOverride(err)
	}
	return f, nil
}

func errOverride(err error) error {
	return cliErr("--%s のファイルが使えません: %v", "--%s: %v", devOverrideFlag, err)
}

// applyDevOverride applies f to the run's ports and environment and says so
// on stderr, so an overridden run is never mistaken for a real one.
func applyDevOverride(f *override.File, path, cmd string, ports *checks.Ports, env *checks.Env, std stdio, lang content.Lang) error {
	if f == nil {
		return nil
	}
	if err := f.ApplyPorts(ports); err != nil {
		return errOverride(err)
	}
	if env != nil {
		if err := f.ApplyEnv(env); err != nil {
			return errOverride(err)
		}
	}
	sayLine(std, cmd, lang, false, content.Tf("開発者用の上書き %s を使用中です（ポートと接続先はテスト用の相手を指します）",
		"developer override %s in use (ports and edges point at test peers)", path))
	return nil
}

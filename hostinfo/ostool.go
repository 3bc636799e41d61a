package hostinfo

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"time"
)

// OS tools (netsh, route, networksetup, scutil, system_profiler) are called
// only where no API gives the information. Each call has a fixed absolute
// path, fixed arguments, no shell, and a timeout; a tool that fails or hangs
// makes its fact "unknown".
const (
	// osToolTimeout bounds route, netsh, networksetup and scutil: each
	// answers in tens of milliseconds on a healthy machine; a second
	// allows for a loaded laptop.
	osToolTimeout = time.Second
	// wifiProfilerTimeout bounds macOS system_profiler SPAirPortDataType,
	// which reads the Wi-Fi state in about one to two seconds.
	wifiProfilerTimeout = 3 * time.Second
	// osToolWaitDelay is how long after the timeout we wait for a killed
	// tool's pipes to close (a grandchild may hold them).
	osToolWaitDelay = 200 * time.Millisecond
	// LinkBudget is the longest DefaultRoute + LinkKind can take on
	// any OS: the route tool, then the interface tool, then the Wi-Fi
	// tool, each to its timeout. net.link's timeout must be longer.
	LinkBudget = 2*osToolTimeout + wifiProfilerTimeout + 3*osToolWaitDelay

	// gsettingsTimeout bounds one gsettings call: it talks to dconf over
	// D-Bus and answers in milliseconds, or hangs when no session bus exists.
	gsettingsTimeout = time.Second
	// gsettingsBudget bounds all GNOME reads together (up to nine keys);
	// the call running when it passes may take gsettingsTimeout more.
	gsettingsBudget = 2 * time.Second
	// ProxyReadBudget is the longest the Linux proxy reads can take: the
	// GNOME budget plus the call running when it passes. net.proxy's
	// timeout must be longer.
	ProxyReadBudget = gsettingsBudget + gsettingsTimeout
)

// toolRunner runs an OS tool; injectable so per-OS Host code is
// testable with canned outputs.
type toolRunner func(timeout time.Duration, path string, args ...string) (string, error)

// errToolTimeout says the tool did not answer in time.
var errToolTimeout = errors.New("timed out")

// runOSTool runs path with args, no shell, within timeout, and returns its
// standard output.
func runOSTool(timeout time.Duration, path string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, path, args...)
	cmd.WaitDelay = osToolWaitDelay
	out, err := cmd.Output()
	if ctx.Err() != nil {
		return string(out), fmt.Errorf("%s: %w after %s", path, errToolTimeout, timeout)
	}
	var exit *exec.ExitError
	if errors.As(err, &exit) && len(exit.Stderr) > 0 {
		// Output collects stderr into the ExitError: keep its first line,
		// which says why ("not in table", "service not running").
		msg, _, _ := strings.Cut(strings.TrimSpace(string(exit.Stderr)), "\n")
		return string(out), fmt.Errorf("%s: %w: %s", path, err, msg)
	}
	if err != nil {
		return string(out), fmt.Errorf("%s: %w", path, err)
	}
	return string(out), nil
}

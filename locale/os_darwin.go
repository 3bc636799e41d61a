//go:build darwin

package locale

import (
	"context"
	"os/exec"
)

// defaultsTool is the fixed path of defaults(1); never a PATH lookup.
const defaultsTool = "/usr/bin/defaults"

func init() {
	osLanguage = func() string {
		ctx, cancel := context.WithTimeout(context.Background(), defaultsTimeout)
		defer cancel()
		cmd := exec.CommandContext(ctx, defaultsTool, "read", "-g", "AppleLanguages")
		cmd.WaitDelay = defaultsTimeout
		out, err := cmd.Output()
		if err != nil {
			return ""
		}
		return parseAppleLanguages(string(out))
	}
}

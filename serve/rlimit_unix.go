//go:build unix

package serve

import (
	"fmt"
	"syscall"
)

// ensureFiles raises the soft open-file limit to the hard limit (one socket
// per RTP port) and says clearly when even that is too small.
func ensureFiles(need int) error {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		return fmt.Errorf("reading the open-file limit: %w", err)
	}
	if lim.Cur < uint64(need) && lim.Cur < lim.Max {
		lim.Cur = lim.Max
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
			return fmt.Errorf("raising the open-file limit to %d: %w", lim.Max, err)
		}
	}
	if lim.Cur < uint64(need) {
		return fmt.Errorf("the open-file limit is %d (hard limit %d) but %d are needed: raise it (ulimit -Hn / systemd LimitNOFILE=%d) or serve a smaller --rtp range", lim.Cur, lim.Max, need, need)
	}
	return nil
}

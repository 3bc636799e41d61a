package tui

import (
	"time"
)

// duration is a length of time in the user's words ("1 時間 5 分",
// "2 min 5 s"), not Go's "1h5m0s": the monitor's window, elapsed time and
// length. Whole seconds; sub-second lengths show as "0 秒" / "0 s".
func (sh *shared) duration(d time.Duration) string {
	d = d.Round(time.Second)
	h, m, s := int(d/time.Hour), int(d%time.Hour/time.Minute), int(d%time.Minute/time.Second)
	switch {
	case h > 0:
		return sh.L("dur.hm", "h", itoa(h), "m", itoa(m))
	case m > 0:
		return sh.L("dur.ms", "m", itoa(m), "s", itoa(s))
	}
	return sh.L("dur.s", "s", itoa(s))
}

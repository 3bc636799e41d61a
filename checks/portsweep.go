package checks

import (
	"github.com/biztel-tools/biztel-doctor/probe/portsweep"
	"github.com/biztel-tools/biztel-doctor/probe/tcp"
)

// sweepFacts records a port sweep (probe/portsweep) as the range_* facts:
// open, refused (answered), blocked (no answer) and the blocked count.
func sweepFacts(s *portsweep.Result, f Facts) {
	for key, classes := range map[string][]tcp.Class{
		"range_open":    {tcp.OK},
		"range_refused": {tcp.Refused, tcp.Reset, tcp.Closed},
		"range_blocked": {tcp.Filtered, tcp.Unreachable},
	} {
		if v := s.Ranges(classes...); v != "" {
			f[key] = v
		}
	}
	f["range_blocked_count"] = s.Count(tcp.Filtered, tcp.Unreachable)
}

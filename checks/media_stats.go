package checks

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/biztel-tools/biztel-doctor/content"
)

// grade places v against a threshold (content.Threshold semantics).
func grade(v float64, th content.Threshold) Status {
	if th.HigherIsBetter {
		switch {
		case v >= th.Pass:
			return Pass
		case v >= th.Warn:
			return Warn
		}
		return Fail
	}
	switch {
	case v < th.Pass:
		return Pass
	case v <= th.Warn:
		return Warn
	}
	return Fail
}

// worse returns the worse of two statuses among pass/warn/fail.
func worse(a, b Status) Status {
	rank := map[Status]int{Pass: 0, Warn: 1, Fail: 2}
	if rank[b] > rank[a] {
		return b
	}
	return a
}

// burstString renders the loss distribution "1×5, 3×1" (length×count).
func burstString(b map[int]int) string {
	if len(b) == 0 {
		return "none"
	}
	keys := make([]int, 0, len(b))
	for k := range b {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%d×%d", k, b[k])
	}
	return strings.Join(parts, ", ")
}

func durMs(d time.Duration) float64 { return math.Round(d.Seconds()*1e5) / 100 }

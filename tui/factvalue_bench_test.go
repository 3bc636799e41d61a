package tui

import (
	"testing"

	"github.com/biztel-tools/biztel-doctor/content"
)

// BenchmarkDetailPane renders the detail pane of the check with the most
// evidence (sip.alg of the problems demo) in Japanese at 80 columns: the
// screen redraws it on every message, so the fact-value lookup must stay
// cheap (figures in BENCHMARKS.md).
func BenchmarkDetailPane(b *testing.B) {
	t := &testing.T{}
	d := demoDriver(t, "problems", content.Ja)
	d.press("3", "enter", "5")
	ids := d.m.live.list()
	for i, id := range ids {
		if id == "sip.alg" {
			d.m.live.cur = i
		}
	}
	b.ResetTimer()
	for b.Loop() {
		_ = d.m.live.detail(ids, 80)
	}
}

package content

import "testing"

// BenchmarkLoadCold is the first Load of a process: every embedded file
// decoded and validated (start-up cost of the TUI's first frame).
func BenchmarkLoadCold(b *testing.B) {
	for b.Loop() {
		if _, err := load(); err != nil {
			b.Fatal(err)
		}
	}
}

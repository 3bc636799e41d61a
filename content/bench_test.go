package content

import "testing"

// BenchmarkLoad decodes and validates every embedded file (what the binary
// does once at start-up).
func BenchmarkLoad(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := load(); err != nil {
			b.Fatal(err)
		}
	}
}

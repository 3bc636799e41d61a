package demo

import (
	"context"
	"testing"
)

// BenchmarkStart is the demo's share of start to first frame: every fake
// (a CA and its certificate, the TCP and UDP servers, the reflector).
func BenchmarkStart(b *testing.B) {
	for b.Loop() {
		s, err := Start(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		s.Close()
	}
}

package demo

import (
	"context"
	"testing"
)

// BenchmarkStart is the demo's share of start to first frame: every fake
// (a CA and its certificate, the TCP and UDP servers, the reflector, and in
// problems the inspection CA and the ALG relay).
func BenchmarkStart(b *testing.B) {
	for _, sc := range Scenarios() {
		b.Run(string(sc), func(b *testing.B) {
			for b.Loop() {
				s, err := StartScenario(context.Background(), sc)
				if err != nil {
					b.Fatal(err)
				}
				s.Close()
			}
		})
	}
}

package profile

import (
	"os"
	"testing"
)

// BenchmarkParseExample parses and validates the shipped example profile.
func BenchmarkParseExample(b *testing.B) {
	data, err := os.ReadFile("../examples/profile.yaml")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(data, "profile.yaml"); err != nil {
			b.Fatal(err)
		}
	}
}

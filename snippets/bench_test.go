package snippets

import (
	"testing"

	"github.com/biztel-tools/biztel-doctor/content"
)

// BenchmarkRender measures one full snippet (every option on); the CLI and
// the report render one per run, the TUI one per vendor pick.
func BenchmarkRender(b *testing.B) {
	p := sites()[0].p
	for _, vendor := range []string{"yamaha", "fortigate", "nftables"} {
		b.Run(vendor, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Render(vendor, &p, content.Ja); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

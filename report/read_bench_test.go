package report_test

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/report"
)

// BenchmarkRead reads a real 20-check report from the bed.
func BenchmarkRead(b *testing.B) {
	c := content.MustLoad()
	data, err := os.ReadFile("testdata/diff/alg-on.json")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := report.Read("r.json", bytes.NewReader(data), c); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadAtCap reads a file just under the 20 MB cap: one check whose
// fact is a 20 MB string full of escape sequences (the worst a hostile file
// can ask of the sanitiser).
func BenchmarkReadAtCap(b *testing.B) {
	c := content.MustLoad()
	head := `{"schema":"biztel-doctor.report/v1","checks":[{"id":"a.b","status":"pass","facts":{"x":"`
	fill := strings.Repeat(`\u001b[31m`, (report.MaxReportSize-len(head)-10)/10)
	data := []byte(head + fill + `"}}]}`)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := report.Read("r.json", bytes.NewReader(data), c); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCompare compares two real reports.
func BenchmarkCompare(b *testing.B) {
	c := content.MustLoad()
	before, _ := report.ReadFile("testdata/diff/alg-on.json", c)
	after, _ := report.ReadFile("testdata/diff/alg-off.json", c)
	for b.Loop() {
		report.Compare(before, after)
	}
}

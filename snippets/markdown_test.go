package snippets

import (
	"strings"
	"testing"

	"github.com/biztel-tools/biztel-doctor/content"
)

func TestMarkdownWrapsTheSameText(t *testing.T) {
	p := sites()[0].p
	for _, vendor := range Vendors() {
		md, err := Markdown(vendor, &p, content.En)
		if err != nil {
			t.Fatal(err)
		}
		plain, _ := Render(vendor, &p, content.En)
		if !strings.Contains(md, "```text\n"+plain+"```") {
			t.Errorf("%s: the Markdown does not carry the rendered text in one fenced block", vendor)
		}
		_, _, sources, _ := Describe(vendor)
		for _, s := range sources {
			if !strings.Contains(md, s.URL) {
				t.Errorf("%s: source %s missing from the Markdown", vendor, s.URL)
			}
		}
	}
	if _, err := Markdown("nope", &p, content.En); err == nil {
		t.Error("unknown vendor accepted")
	}
}

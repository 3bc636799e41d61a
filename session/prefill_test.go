package session

import (
	"testing"

	"github.com/biztel-tools/biztel-doctor/checks"
	"github.com/biztel-tools/biztel-doctor/content"
)

// TestPrefillReadsEvidenceNotFacts: a predicate prefill holds on the
// check's typed evidence; the same words in its facts prefill nothing.
func TestPrefillReadsEvidenceNotFacts(t *testing.T) {
	wireless := checks.WarnResult("net.link", content.T("無線", "wireless"), "use-wired")
	wireless.Evidence = &checks.NetLinkEvidence{Iface: "wlan0", Kind: "wireless"}
	factsOnly := checks.WarnResult("net.link", content.T("無線", "wireless"), "use-wired").WithFact("kind", "wireless")
	for _, tc := range []struct {
		pred string
		r    checks.Result
		want bool
	}{
		{"net.link.wireless", wireless, true},
		{"net.link.wired", wireless, false},
		{"net.link.wireless", factsOnly, false},
		{"no.such.predicate", wireless, false},
	} {
		if got := prefillMatches(content.Prefill{Predicate: tc.pred}, tc.r); got != tc.want {
			t.Errorf("%s on %+v: %v, want %v", tc.pred, tc.r.Evidence, got, tc.want)
		}
	}
}

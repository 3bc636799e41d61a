package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/biztel-tools/biztel-doctor/checks"
	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/profile"
)

// TestPlanShowsOrder: plan says which checks run alone, why, and how long
// the run takes, in text and JSON.
func TestPlanShowsOrder(t *testing.T) {
	p := &profile.Profile{Server: profile.Server{IP: "192.0.2.1"}, Reflector: profile.Reflector{Addr: "192.0.2.2"}}
	plan, err := checks.MakePlan(p, checks.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	c := content.MustLoad()
	var text bytes.Buffer
	if err := WritePlan(&text, plan, FormatText, content.En, c); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text.String(), "2. alone (about 6s): media.bandwidth — loads the line") ||
		!strings.Contains(text.String(), "Order of the run and its time (about 17s / at most 31s)") {
		t.Errorf("plan text lacks the order:\n%s", text.String())
	}
	var js bytes.Buffer
	if err := WritePlan(&js, plan, FormatJSON, content.Ja, c); err != nil {
		t.Fatal(err)
	}
	var doc jsonPlan
	if err := json.Unmarshal(js.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Order) != 2 || doc.Order[1].Kind != "alone" || doc.Order[1].Checks[0] != "media.bandwidth" || doc.Order[1].Why == "" || doc.ExpectedS != 17 {
		t.Errorf("plan JSON order %+v expected %v", doc.Order, doc.ExpectedS)
	}
}

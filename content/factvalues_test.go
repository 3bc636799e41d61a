package content

import (
	"strings"
	"testing"
)

// TestFactValueTableIsChecked: the validator refuses a fact value whose
// words drop or invent a placeholder, one for a fact without a label, a
// TUI step for a remedy step that does not exist; the real table passes
// and answers by key, label pattern and suffix.
func TestFactValueTableIsChecked(t *testing.T) {
	c := MustLoad()
	bad := &Content{UI: map[string]Text{
		"fact.mode":                        {Ja: "方式", En: "mode"},
		"factval.mode=sample of {n} ports": {Ja: "抽出", En: "sample of {n} ports"},
		"factval.nosuchfact=x":             {Ja: "x", En: "x"},
		"factval.mode":                     {Ja: "x", En: "x"},
	}, Remedies: c.Remedies}
	bad.UI["tui.remedy.nat-timer-3600.steps.9"] = Text{Ja: "x", En: "x"}
	errs := append(bad.validateFactValues(), bad.validateTUIWords()...)
	var all []string
	for _, e := range errs {
		all = append(all, e.Error())
	}
	got := strings.Join(all, "\n")
	for _, want := range []string{"must use the value's placeholders", "nosuchfact", "factval.<fact>=<value>", "has 3 steps"} {
		if !strings.Contains(got, want) {
			t.Errorf("the validator did not say %q:\n%s", want, got)
		}
	}
	if errs := append(c.validateFactValues(), c.validateTUIWords()...); len(errs) > 0 {
		t.Errorf("the real table: %v", errs)
	}
	for _, tc := range []struct{ key, value, ja string }{
		{"login", "not needed", "不要"},
		{"tcp.INVITE", "4 fields rewritten", "4 項目が書き換えられた"},
		{"control_result", "filtered", "応答なし（破棄されている）"},
	} {
		if got, ok := c.FactValue(tc.key, tc.value); !ok || got.Ja != tc.ja {
			t.Errorf("FactValue(%q, %q) = %q, %v; want %q", tc.key, tc.value, got.Ja, ok, tc.ja)
		}
	}
	if _, ok := c.FactValue("cert_issuer", "CN=x"); ok {
		t.Error("a value quoted as received was translated")
	}
}

package content

import (
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

func TestTreeAndSymptomsValidate(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if err := c.ValidateTree(); err != nil {
		t.Fatal(err)
	}
	// the first issue's 8 symptoms, plus calls-fail (issue 12: sip.size)
	if len(c.Tree().Nodes) < 20 || len(c.Symptoms()) != 9 {
		t.Fatalf("tree has %d nodes, %d symptoms; want ≥20 and 9", len(c.Tree().Nodes), len(c.Symptoms()))
	}
}

// treeFrom decodes test YAML through the registered kind decoders.
func treeFrom(t *testing.T, docs ...string) *Content {
	t.Helper()
	c := &Content{UI: map[string]Text{},
		Checks: []CheckInfo{{ID: "sip.alg", Title: T("a", "a")}}}
	for _, d := range docs {
		var n yaml.Node
		if err := yaml.Unmarshal([]byte(d), &n); err != nil {
			t.Fatal(err)
		}
		var head struct{ Kind string }
		_ = n.Content[0].Decode(&head)
		if err := kinds[head.Kind](c, n.Content[0]); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

func TestTreeValidateNamesBrokenRefs(t *testing.T) {
	tree := `kind: tree
nodes:
  - id: a
    question: {ja: "問", en: "q"}
    source: {ja: "節", en: "s"}
    check: sip.nope
    answers:
      - {id: x, label: {ja: "x", en: "x"}}
      - {id: y, label: {ja: "y", en: ""}, remedies: [r]}
  - id: b
    question: {ja: "問", en: "q"}
    source: {ja: "節", en: "s"}
    when: {node: a, answers: [z]}
    answers:
      - {id: x, label: {ja: "x", en: "x"}}
      - {id: y, label: {ja: "y", en: "y"}}
`
	symptoms := `kind: symptoms
symptoms:
  - id: s
    title: {ja: "症状", en: "s"}
    source: {ja: "節", en: "s"}
    causes: [{ja: "原因", en: "c"}]
    nodes: [a, missing]
    checks: [sip.alg, dns.nope]
`
	err := treeFrom(t, tree, symptoms).ValidateTree()
	if err == nil {
		t.Fatal("broken tree validated")
	}
	for _, want := range []string{
		`tree.nodes[a].check: unknown check "sip.nope"`,
		`tree.nodes[a].answers[y].label: needs ja and en`,
		`tree.nodes[a].answers[y]: remedies without a finding text`,
		`tree.nodes[b].when.answers: node "a" has no answer "z"`,
		`symptoms[s].nodes: unknown node "missing"`,
		`symptoms[s].checks: unknown check "dns.nope"`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not say %q:\n%v", want, err)
		}
	}
}

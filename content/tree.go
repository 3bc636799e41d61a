package content

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// The decision tree and the symptom paths of the interactive troubleshooter
// (kinds "tree" and "symptoms"), read with Tree and Symptoms.

// Tree is the decision tree: the questions of the requirements page in page
// order. A full review asks every node whose When holds; a symptom asks its
// own list of nodes.
type Tree struct {
	Nodes []TreeNode `yaml:"nodes"`
}

// TreeNode is one question.
type TreeNode struct {
	ID       string `yaml:"id"`
	Question Text   `yaml:"question"`
	Help     Text   `yaml:"help"`   // one or two sentences: why it matters
	Source   Text   `yaml:"source"` // section of the requirements page
	// Kind is "choice" (default) or "vendor": the answers are the vendor
	// names of the site profile (stored as profile.vendor).
	Kind string `yaml:"kind"`
	// Check is the live check that can answer the question; its result
	// prefills an answer (see TreeAnswer.Prefill).
	Check string `yaml:"check"`
	// Profile names a profile fact that answers the question ("vpn",
	// "encryption"); the answer ids are then "yes" and "no".
	Profile string `yaml:"profile"`
	// When shows the node only after an earlier answer.
	When    *TreeWhen    `yaml:"when"`
	Answers []TreeAnswer `yaml:"answers"`
}

// TreeWhen is a condition on an earlier answer.
type TreeWhen struct {
	Node    string   `yaml:"node"`
	Answers []string `yaml:"answers"` // any of these
}

// TreeAnswer is one answer of a node.
type TreeAnswer struct {
	ID    string `yaml:"id"`
	Label Text   `yaml:"label"`
	// Finding is what the answer means, shown with the findings; empty for
	// answers that need no change.
	Finding  Text     `yaml:"finding"`
	Remedies []string `yaml:"remedies"` // remedy ids this answer calls for
	Prefill  *Prefill `yaml:"prefill"`
}

// Prefill says when the node's live check answers with this answer: its
// status is one of Status, or it named the remedy Remedy, or the typed
// predicate Predicate (a name the check registry defines, e.g.
// "net.link.wired"; never a fact string) holds for its result. Any
// condition given must hold.
type Prefill struct {
	Status    []string `yaml:"status"`
	Remedy    string   `yaml:"remedy"`
	Predicate string   `yaml:"predicate"`
}

// Symptom is a customer complaint that picks the path.
type Symptom struct {
	ID     string   `yaml:"id"`
	Title  Text     `yaml:"title"`
	Causes []Text   `yaml:"causes"` // likely causes, most likely first
	Nodes  []string `yaml:"nodes"`  // the questions that separate them
	Checks []string `yaml:"checks"` // the live checks that separate them
	Source Text     `yaml:"source"`
}

// Node kinds.
const (
	NodeChoice = "choice"
	NodeVendor = "vendor"
)

func init() {
	registerKind("tree", func(c *Content, doc *yaml.Node) error {
		var f struct {
			Kind  string     `yaml:"kind"`
			Nodes []TreeNode `yaml:"nodes"`
		}
		if err := decodeStrict(doc, &f); err != nil {
			return err
		}
		c.DecisionTree.Nodes = append(c.DecisionTree.Nodes, f.Nodes...)
		return nil
	})
	registerKind("symptoms", func(c *Content, doc *yaml.Node) error {
		var f struct {
			Kind     string    `yaml:"kind"`
			Symptoms []Symptom `yaml:"symptoms"`
		}
		if err := decodeStrict(doc, &f); err != nil {
			return err
		}
		c.SymptomPaths = append(c.SymptomPaths, f.Symptoms...)
		return nil
	})
}

// Tree returns the decision tree (empty when no tree file is embedded).
func (c *Content) Tree() *Tree { return &c.DecisionTree }

// Symptoms returns the symptom paths in display order.
func (c *Content) Symptoms() []Symptom { return c.SymptomPaths }

// Node returns the node with id.
func (t *Tree) Node(id string) (TreeNode, bool) {
	for _, n := range t.Nodes {
		if n.ID == id {
			return n, true
		}
	}
	return TreeNode{}, false
}

// Answer returns the answer with id.
func (n TreeNode) Answer(id string) (TreeAnswer, bool) {
	for _, a := range n.Answers {
		if a.ID == id {
			return a, true
		}
	}
	return TreeAnswer{}, false
}

// ValidateTree cross-checks the tree and the symptoms: ids unique, every node
// and answer reference resolves, every check id is in the catalog, every text
// in both languages, every node names its source section. Remedy ids are
// returned by TreeRemedyRefs for the test that holds them to the remedies.
func (c *Content) ValidateTree() error {
	var errs []error
	add := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	both := func(where string, t Text) {
		if !t.Complete() {
			add("%s: needs ja and en (ja=%q en=%q)", where, t.Ja, t.En)
		}
	}
	checkKnown := func(where, id string) {
		if _, ok := c.Check(id); !ok {
			add("%s: unknown check %q", where, id)
		}
	}
	if len(c.Tree().Nodes) == 0 {
		add("tree: no nodes")
	}
	seen := map[string]int{}
	for i, n := range c.Tree().Nodes {
		where := "tree.nodes[" + n.ID + "]"
		if n.ID == "" {
			add("tree.nodes[%d]: %v", i, errNoID)
		}
		if _, dup := seen[n.ID]; dup {
			add("%s: id twice", where)
		}
		seen[n.ID] = i
		both(where+".question", n.Question)
		both(where+".source", n.Source)
		if !n.Help.IsZero() {
			both(where+".help", n.Help)
		}
		if n.Check != "" {
			checkKnown(where+".check", n.Check)
		}
		switch n.Kind {
		case "", NodeChoice:
			if len(n.Answers) < 2 {
				add("%s: a choice needs at least two answers", where)
			}
		case NodeVendor:
		default:
			add("%s.kind: %q, expected choice or vendor", where, n.Kind)
		}
		if n.Profile != "" && n.Profile != "vpn" && !slices.Contains(AllOptions, n.Profile) {
			add("%s.profile: %q, expected vpn or an option (%v)", where, n.Profile, AllOptions)
		}
		answers := map[string]bool{}
		for _, a := range n.Answers {
			if answers[a.ID] {
				add("%s.answers[%s]: id twice", where, a.ID)
			}
			answers[a.ID] = true
			both(where+".answers["+a.ID+"].label", a.Label)
			if !a.Finding.IsZero() {
				both(where+".answers["+a.ID+"].finding", a.Finding)
			}
			if len(a.Remedies) > 0 && a.Finding.IsZero() {
				add("%s.answers[%s]: remedies without a finding text", where, a.ID)
			}
			if a.Prefill != nil && n.Check == "" {
				add("%s.answers[%s].prefill: the node names no check", where, a.ID)
			}
			if p := a.Prefill; p != nil && p.Predicate != "" && !strings.HasPrefix(p.Predicate, n.Check+".") {
				add("%s.answers[%s].prefill.predicate %q: must be a predicate of the node's check %s (%s.…)", where, a.ID, p.Predicate, n.Check, n.Check)
			}
		}
		if n.Profile != "" && (!answers["yes"] || !answers["no"]) {
			add("%s: a profile-answered node needs answers yes and no", where)
		}
		if n.When != nil {
			j, ok := seen[n.When.Node]
			if !ok {
				add("%s.when.node: %q is not an earlier node", where, n.When.Node)
				continue
			}
			for _, a := range n.When.Answers {
				if _, ok := c.Tree().Nodes[j].Answer(a); !ok {
					add("%s.when.answers: node %q has no answer %q", where, n.When.Node, a)
				}
			}
		}
	}
	symptoms := map[string]bool{}
	for i, s := range c.SymptomPaths {
		where := "symptoms[" + s.ID + "]"
		if s.ID == "" {
			add("symptoms[%d]: %v", i, errNoID)
		}
		if symptoms[s.ID] {
			add("%s: id twice", where)
		}
		symptoms[s.ID] = true
		both(where+".title", s.Title)
		both(where+".source", s.Source)
		if len(s.Causes) == 0 || len(s.Nodes) == 0 || len(s.Checks) == 0 {
			add("%s: needs causes, nodes and checks", where)
		}
		for k, t := range s.Causes {
			both(fmt.Sprintf("%s.causes[%d]", where, k), t)
		}
		for _, id := range s.Nodes {
			if _, ok := seen[id]; !ok {
				add("%s.nodes: unknown node %q", where, id)
			}
		}
		for _, id := range s.Checks {
			checkKnown(where+".checks", id)
		}
	}
	return errors.Join(errs...)
}

// TreeRemedyRefs lists every remedy id the tree names, with where.
func (c *Content) TreeRemedyRefs() map[string]string {
	refs := map[string]string{}
	for _, n := range c.Tree().Nodes {
		for _, a := range n.Answers {
			for _, id := range a.Remedies {
				refs[id] = "tree.nodes[" + n.ID + "].answers[" + a.ID + "]"
			}
			if a.Prefill != nil && a.Prefill.Remedy != "" {
				refs[a.Prefill.Remedy] = "tree.nodes[" + n.ID + "].answers[" + a.ID + "].prefill"
			}
		}
	}
	return refs
}

package findings

import (
	"github.com/biztel-tools/biztel-doctor/checks"
	"github.com/biztel-tools/biztel-doctor/content"
)

// Answer is a decision-tree answer that calls for a change.
type Answer struct {
	Node     string       // tree node id
	Answer   string       // answer id
	Finding  content.Text // what the answer means
	Remedies []string
	Source   content.Text // the node's section of the page
}

// Shown reports whether node n is asked given the answers so far: a node
// with a When is asked only after one of its answers.
func Shown(n content.TreeNode, answers map[string]string) bool {
	if n.When == nil {
		return true
	}
	got, ok := answers[n.When.Node]
	if !ok {
		return false
	}
	for _, a := range n.When.Answers {
		if a == got {
			return true
		}
	}
	return false
}

// FromAnswers returns, in tree order, the answers that call for a change.
// An answer to a node that is no longer shown (its condition changed) does
// not count.
func FromAnswers(tree *content.Tree, answers map[string]string) []Answer {
	var out []Answer
	for _, n := range tree.Nodes {
		id, ok := answers[n.ID]
		if !ok || !Shown(n, answers) {
			continue
		}
		a, ok := n.Answer(id)
		if !ok || len(a.Remedies) == 0 {
			continue
		}
		out = append(out, Answer{Node: n.ID, Answer: id, Finding: a.Finding, Remedies: a.Remedies, Source: n.Source})
	}
	return out
}

// FoundRemedies lists the remedy ids the warn and fail results name, in
// result order, without repeats: what the site's configuration must fix
// (step 7 and the report's vendor section show their lines first).
func FoundRemedies(results []checks.Result) []string {
	var out []string
	seen := map[string]bool{}
	for _, r := range results {
		if r.Status != checks.Warn && r.Status != checks.Fail {
			continue
		}
		for _, id := range r.Remedies {
			if !seen[id] {
				seen[id] = true
				out = append(out, id)
			}
		}
	}
	return out
}

package checks

import "sort"

// Predicate is a named test of one check's typed result. The decision tree
// (content tree.yaml, prefill.predicate) prefills an answer when it holds,
// so the tree depends on evidence the compiler checks, not on fact strings.
type Predicate struct {
	Check string            // the check whose result it tests
	Holds func(Result) bool // false when the result carries no such evidence
}

// predicates is the registry the content tests hold tree.yaml to: every
// prefill predicate there is one of these, of its node's check.
var predicates = map[string]Predicate{
	"net.link.wired":    {Check: "net.link", Holds: linkKindIs("wired")},
	"net.link.wireless": {Check: "net.link", Holds: linkKindIs("wireless")},
}

func linkKindIs(kind string) func(Result) bool {
	return func(r Result) bool {
		ev, ok := EvidenceOf[NetLinkEvidence](r)
		return ok && ev.Kind == kind
	}
}

// PredicateFor returns the predicate called name.
func PredicateFor(name string) (Predicate, bool) {
	p, ok := predicates[name]
	return p, ok
}

// PredicateNames lists the registered predicates, sorted.
func PredicateNames() []string {
	out := make([]string, 0, len(predicates))
	for n := range predicates {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

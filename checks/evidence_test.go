package checks

import (
	"go/ast"
	"go/parser"
	"go/token"
	"net/netip"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/biztel-tools/biztel-doctor/content"
)

// TestNoCheckReadsFacts: facts are the report's rendering of a check's
// evidence. Checks write them; none reads them back (another check's
// facts least of all: a renamed key would compile and change a verdict).
// A check that needs another's result reads its Evidence (EvidenceOf).
func TestNoCheckReadsFacts(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(fset, name, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, pos := range factReads(f) {
			t.Errorf("%s reads Facts[...]: read the check's Evidence instead", fset.Position(pos))
		}
	}
}

// factReads returns where f indexes a Facts field other than as the
// target of an assignment.
func factReads(f *ast.File) []token.Pos {
	written := map[ast.Expr]bool{}
	ast.Inspect(f, func(n ast.Node) bool {
		if as, ok := n.(*ast.AssignStmt); ok && as.Tok == token.ASSIGN {
			for _, l := range as.Lhs {
				written[l] = true
			}
		}
		return true
	})
	var out []token.Pos
	ast.Inspect(f, func(n ast.Node) bool {
		ix, ok := n.(*ast.IndexExpr)
		if !ok || written[ix] {
			return true
		}
		if sel, ok := ix.X.(*ast.SelectorExpr); ok && sel.Sel.Name == "Facts" {
			out = append(out, ix.Pos())
		}
		return true
	})
	return out
}

// TestFactReadsAreFound: the guard above sees reads in every form.
func TestFactReadsAreFound(t *testing.T) {
	src := `package p
func f(r, dep Result) {
	r.Facts["a"] = 1
	_ = dep.Facts["mapped@x"]
	if v, ok := dep.Facts[k]; ok { _ = v }
	g(in.Deps["x"].Facts["y"])
}`
	f, err := parser.ParseFile(token.NewFileSet(), "p.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(factReads(f)); n != 3 {
		t.Errorf("found %d reads, want 3", n)
	}
}

// TestTreePredicatesAreRegistered: every prefill predicate of the decision
// tree is a registered predicate of its node's check, and every registered
// predicate is used.
func TestTreePredicatesAreRegistered(t *testing.T) {
	c, err := content.Load()
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]bool{}
	for _, n := range c.Tree().Nodes {
		for _, a := range n.Answers {
			if a.Prefill == nil || a.Prefill.Predicate == "" {
				continue
			}
			p, ok := PredicateFor(a.Prefill.Predicate)
			switch {
			case !ok:
				t.Errorf("tree node %s answer %s: predicate %q is not registered (have %v)", n.ID, a.ID, a.Prefill.Predicate, PredicateNames())
			case p.Check != n.Check:
				t.Errorf("tree node %s answer %s: predicate %q tests %s, the node's check is %s", n.ID, a.ID, a.Prefill.Predicate, p.Check, n.Check)
			}
			used[a.Prefill.Predicate] = true
		}
	}
	for _, name := range PredicateNames() {
		if !used[name] {
			t.Errorf("predicate %s is registered but no tree answer uses it", name)
		}
		if _, ok := registeredSpec(predicates[name].Check); !ok {
			t.Errorf("predicate %s tests %s, which is not a registered check", name, predicates[name].Check)
		}
	}
}

// TestSTUNFactsFromEvidence pins the published STUN fact keys and values
// (scripts read them) to what the evidence renders.
func TestSTUNFactsFromEvidence(t *testing.T) {
	ev := &STUNEvidence{PagePort: 3478, Local: netip.MustParseAddrPort("192.168.1.5:40000"),
		Bindings: []STUNBindingEvidence{
			{Server: "a:3478", Sent: 1, Answered: true, Mapped: netip.MustParseAddrPort("203.0.113.1:40000"), RTT: 12 * time.Millisecond, Software: "coturn"},
			{Server: "b:3478", Sent: 2, Answered: true, ErrCode: 420, RTT: 8 * time.Millisecond},
			{Server: "c:3478", Sent: 4},
		},
		Unresolved: []string{"d"}, Garbage: 1}
	want := Facts{
		"rtt_ms@a:3478": 12.0, "mapped@a:3478": "203.0.113.1:40000", "software@a:3478": "coturn",
		"rtt_ms@b:3478": 8.0, "error_code@b:3478": 420,
		"local_addr": "192.168.1.5:40000", "answered": "a:3478,b:3478", "silent": "c:3478,d", "unresolved": "d",
		"requests_sent": 7, "garbage_ignored": 1, "mismatched_txid_ignored": 0, "page_port": 3478,
		"mapped_addr": "203.0.113.1:40000", "public_ip": "203.0.113.1", "rtt_ms": 8.0,
	}
	if got := ev.Facts(); !reflect.DeepEqual(got, want) {
		t.Errorf("facts\n got %v\nwant %v", got, want)
	}
}

// TestSIPUDPFactsFromEvidence pins sip.udp's Via facts to its evidence.
func TestSIPUDPFactsFromEvidence(t *testing.T) {
	ev := &SIPUDPEvidence{Local: netip.MustParseAddrPort("192.168.1.5:5060"), Answered: true,
		StatusLine: "SIP/2.0 200 OK", Received: "203.0.113.1", RPort: 40000}
	got := Facts{}
	ev.putFacts(got)
	want := Facts{FactSIPLocal: "192.168.1.5:5060", FactSIPStatus: "SIP/2.0 200 OK", FactSIPReceived: "203.0.113.1",
		FactSIPRPort: 40000, FactSIPTranslate: true}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("facts\n got %v\nwant %v", got, want)
	}
}

package checks

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/base64"
	"log"
	"net"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/biztel-tools/biztel-doctor/checks/checktest"
	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/hostinfo"
	"github.com/biztel-tools/biztel-doctor/profile"
)

// testMgmtHost is the management hostname of the test profile; the fakes'
// certificates name it, and nothing resolves it (the profile gives the IP).
const testMgmtHost = "s0123456789ab.u.biztel.jp"

// testInspection stands in for content/data/inspection.yaml (written by the
// content work) so these tests do not depend on its exact list.
var testInspection = []content.InspectionProduct{
	{Name: "Fortinet FortiGate", Match: []string{"FortiGate", "Fortinet"}, Source: "test fixture", Remedy: "disable-tls-inspection"},
	{Name: "Zscaler", Match: []string{"Zscaler"}, Source: "test fixture", Remedy: "disable-tls-inspection"},
}

// tcpBed is the shared set-up of the TCP check tests: a test CA the client
// trusts, an inspection CA it does not, and a profile pointing at loopback.
type tcpBed struct {
	t       testing.TB
	ca      *checktest.CA // trusted: Env.RootCAs
	forti   *checktest.CA // "FortiGate CA" / "Fortinet": an inspecting firewall
	private *checktest.CA // untrusted private CA
	prof    *profile.Profile
	opt     Options
	env     *Env
	logBuf  *syncBuffer
	deps    map[string]Result // results of prerequisites the check sees
}

func newTCPBed(t testing.TB) *tcpBed {
	ca := checktest.NewCA(t, "biztel-doctor test CA", "Test Trust")
	b := &tcpBed{
		t: t, ca: ca,
		forti:   checktest.NewCA(t, "FortiGate CA", "Fortinet"),
		private: checktest.NewCA(t, "Private Root", "Example Private PKI"),
		prof:    &profile.Profile{Server: profile.Server{Host: testMgmtHost, IP: "127.0.0.1"}},
		opt:     DefaultOptions(),
		logBuf:  &syncBuffer{},
		deps:    map[string]Result{},
	}
	b.env = (&Env{
		Version: "test",
		Dialer:  &net.Dialer{},
		RootCAs: ca.Pool(),
		Getenv:  func(string) string { return "" },
		Host:    hostinfo.Unknown{},
		Log:     log.New(b.logBuf, "", 0),
	}).withDefaults()
	return b
}

// serverCert is a certificate for the management hostname and 127.0.0.1.
func (b *tcpBed) serverCert() tls.Certificate {
	return b.ca.Issue(b.t, testMgmtHost, "127.0.0.1")
}

// run plans and runs check id with the bed's profile, options and env,
// under the check's own budget or a shorter one (filtered-port cases).
func (b *tcpBed) run(id string, budget time.Duration) Result {
	b.t.Helper()
	spec, ok := Lookup(id)
	if !ok {
		b.t.Fatalf("no check %s", id)
	}
	dests, skip := spec.Plan(b.prof, b.opt)
	if !skip.IsZero() {
		return SkipResult(id, skip)
	}
	if budget == 0 {
		budget = spec.Timeout
	}
	ctx, cancel := context.WithTimeout(context.Background(), budget)
	defer cancel()
	in := &Input{Profile: b.prof, Options: b.opt, Targets: dests, Env: b.env,
		Content: &content.Content{Inspection: testInspection}, Sample: func(Sample) {}, Deps: b.deps}
	r := spec.Run(ctx, in)
	b.t.Logf("%s: %s %s facts=%v remedies=%v", id, r.Status, r.Summary.En, r.Facts, r.Remedies)
	assertRemediesDeclared(b.t, spec, r)
	return r
}

// pinOf is the base64 SPKI SHA-256 pin of a certificate.
func pinOf(c tls.Certificate) string {
	sum := sha256.Sum256(c.Leaf.RawSubjectPublicKeyInfo)
	return base64.StdEncoding.EncodeToString(sum[:])
}

// assertRemediesDeclared holds a result to its Spec: every warn/fail names
// a remedy, and every remedy is in Spec.Remedies.
func assertRemediesDeclared(t testing.TB, spec Spec, r Result) {
	t.Helper()
	if (r.Status == Warn || r.Status == Fail) && len(r.Remedies) == 0 {
		t.Errorf("%s: %s without a remedy", spec.ID, r.Status)
	}
	for _, rem := range r.Remedies {
		if !slices.Contains(spec.Remedies, rem) {
			t.Errorf("%s: emitted remedy %q not in Spec.Remedies %v", spec.ID, rem, spec.Remedies)
		}
	}
}

// tcpWant is the expectation of one table case.
type tcpWant struct {
	status   Status
	facts    map[string]any // exact values
	contains map[string]string
	remedies []string // exactly these, in any order
	absent   []string // fact keys that must not be there
}

func (w tcpWant) check(t *testing.T, r Result) {
	t.Helper()
	if r.Status != w.status {
		t.Errorf("status = %s, want %s (%s)", r.Status, w.status, r.Summary.En)
	}
	for k, v := range w.facts {
		if got, ok := r.Facts[k]; !ok || got != v {
			t.Errorf("fact %s = %v (%T), want %v", k, got, got, v)
		}
	}
	for k, sub := range w.contains {
		got, _ := r.Facts[k].(string)
		if !strings.Contains(got, sub) {
			t.Errorf("fact %s = %q, want it to contain %q", k, got, sub)
		}
	}
	for _, k := range w.absent {
		if _, ok := r.Facts[k]; ok {
			t.Errorf("fact %s present (%v), want absent", k, r.Facts[k])
		}
	}
	if w.remedies != nil {
		got := slices.Clone(r.Remedies)
		exp := slices.Clone(w.remedies)
		slices.Sort(got)
		slices.Sort(exp)
		if !slices.Equal(got, exp) {
			t.Errorf("remedies = %v, want %v", r.Remedies, w.remedies)
		}
	}
	if r.Summary.Ja == "" || r.Summary.En == "" {
		t.Errorf("summary missing a language: %+v", r.Summary)
	}
}

// syncBuffer is a log sink safe for concurrent writers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

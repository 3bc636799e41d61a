package checks

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/biztel-tools/biztel-doctor/content"
)

func TestExplainProxyOnlyOnFailureWithAProxy(t *testing.T) {
	failing := func(context.Context, *Input) Result {
		return FailResult("web.8000", content.T("遮断", "filtered"), remedyAllowWeb8000)
	}
	passing := func(context.Context, *Input) Result { return PassResult("web.8000", content.T("ok", "ok")) }
	env := func(vars map[string]string) *Input {
		return &Input{Env: &Env{Getenv: func(k string) string { return vars[k] }}}
	}
	withProxy := env(map[string]string{"HTTPS_PROXY": "http://user:pw@192.168.1.5:3128"})

	r := explainProxy(failing)(context.Background(), withProxy)
	if !slices.Contains(r.Remedies, rmRemoveProxy) || !strings.Contains(r.Summary.En, "192.168.1.5:3128") {
		t.Errorf("failure with a proxy not explained: %v %q", r.Remedies, r.Summary.En)
	}
	if strings.Contains(r.Summary.En, "pw@") || strings.Contains(r.Summary.Ja, "user:pw") {
		t.Errorf("proxy credentials leaked: %q", r.Summary.En)
	}
	if r := explainProxy(failing)(context.Background(), env(nil)); slices.Contains(r.Remedies, rmRemoveProxy) {
		t.Error("no proxy configured, yet remove-proxy named")
	}
	if r := explainProxy(passing)(context.Background(), withProxy); len(r.Remedies) != 0 || r.Status != Pass {
		t.Error("a pass must stay untouched")
	}
}

// TestExplainProxySkipsABypassedProxy: when NO_PROXY already sends the
// target direct, the proxy explains nothing and remove-proxy is not named.
func TestExplainProxySkipsABypassedProxy(t *testing.T) {
	failing := func(context.Context, *Input) Result {
		return FailResult("web.8000", content.T("遮断", "filtered"), remedyAllowWeb8000)
	}
	target := []Destination{{Check: "web.8000", Address: "203.0.113.10", Ports: content.PortRange{From: 8000, To: 8000}}}
	for _, tc := range []struct {
		name    string
		vars    map[string]string
		explain bool
	}{
		{"no NO_PROXY", map[string]string{"HTTPS_PROXY": "http://192.168.1.5:3128"}, true},
		{"NO_PROXY names the server", map[string]string{"HTTPS_PROXY": "http://192.168.1.5:3128", "NO_PROXY": "203.0.113.10"}, false},
		{"no_proxy CIDR", map[string]string{"https_proxy": "http://192.168.1.5:3128", "no_proxy": "203.0.113.0/24"}, false},
		{"NO_PROXY for another host", map[string]string{"HTTPS_PROXY": "http://192.168.1.5:3128", "NO_PROXY": "intranet.example"}, true},
	} {
		in := &Input{Targets: target, Env: &Env{Getenv: func(k string) string { return tc.vars[k] }}}
		r := explainProxy(failing)(context.Background(), in)
		if got := slices.Contains(r.Remedies, rmRemoveProxy); got != tc.explain {
			t.Errorf("%s: remove-proxy named = %v, want %v (%q)", tc.name, got, tc.explain, r.Summary.En)
		}
	}
}

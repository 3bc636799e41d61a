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

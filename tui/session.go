package tui

import (
	"fmt"
	"maps"
	"slices"

	"github.com/biztel-tools/biztel-doctor/checks"
	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/findings"
	"github.com/biztel-tools/biztel-doctor/profile"
	"github.com/biztel-tools/biztel-doctor/report"
)

// answerSource says where a tree answer came from.
type answerSource int

const (
	fromNone    answerSource = iota
	fromHand                 // the technician chose it
	fromCheck                // prefilled from the node's live check
	fromProfile              // prefilled from the site profile
	fromWaiting              // not yet: the node's check is still running
)

// answer returns the effective answer of node n: by hand first, then the
// live check's result, then the profile.
func (sh *shared) answer(n content.TreeNode) (string, answerSource) {
	if a, ok := sh.answers[n.ID]; ok {
		return a, fromHand
	}
	if a := sh.prefill(n); a != "" {
		return a, fromCheck
	}
	if a := sh.profileAnswer(n); a != "" {
		return a, fromProfile
	}
	if n.Check != "" && sh.chosen && sh.planned(n.Check) {
		return "", fromWaiting
	}
	return "", fromNone
}

// planned reports whether check id is in the current plan.
func (sh *shared) planned(id string) bool {
	p := sh.plan(nil)
	return p != nil && slices.Contains(p.Checks, id)
}

// prefill matches the node's check result against its answers' prefill
// conditions. A skipped or errored check answers nothing.
func (sh *shared) prefill(n content.TreeNode) string {
	if n.Check == "" {
		return ""
	}
	r, ok := sh.results[n.Check]
	if !ok || r.Status == checks.Skip || r.Status == checks.Error {
		return ""
	}
	for _, a := range n.Answers {
		if p := a.Prefill; p != nil && prefillMatches(*p, r) {
			return a.ID
		}
	}
	return ""
}

func prefillMatches(p content.Prefill, r checks.Result) bool {
	if len(p.Status) == 0 && p.Remedy == "" && p.Fact == "" {
		return false
	}
	if len(p.Status) > 0 && !slices.Contains(p.Status, string(r.Status)) {
		return false
	}
	if p.Remedy != "" && !slices.Contains(r.Remedies, p.Remedy) {
		return false
	}
	if p.Fact != "" {
		v, ok := r.Facts[p.Fact]
		if !ok || fmt.Sprint(v) != p.Value {
			return false
		}
	}
	return true
}

func (sh *shared) profileAnswer(n content.TreeNode) string {
	if sh.profile == nil {
		return ""
	}
	if n.Kind == content.NodeVendor {
		return sh.profile.Vendor
	}
	switch {
	case n.Profile == "":
		return ""
	case n.Profile == "vpn" && sh.profile.VPN(), n.Profile != "vpn" && sh.profile.Option(n.Profile):
		return "yes"
	}
	return "no"
}

// effectiveAnswers is the answer of every node that is shown and answered;
// a node hidden by an earlier answer (vpn.dns without the VPN option) has
// none, whatever its check found.
func (sh *shared) effectiveAnswers() map[string]string {
	out := map[string]string{}
	for _, n := range sh.c.Tree().Nodes {
		if !findings.Shown(n, out) {
			continue
		}
		if a, src := sh.answer(n); a != "" && src != fromWaiting {
			out[n.ID] = a
		}
	}
	return out
}

// options are the run options of the session: the config's, narrowed to
// the symptom's checks when one was chosen.
func (sh *shared) options(only []string) checks.Options {
	opt := sh.cfg.Options
	if opt.Ports == (checks.Ports{}) {
		opt.Ports = checks.DefaultPorts()
	}
	if opt.NATTimerMax == 0 {
		opt.NATTimerMax = checks.DefaultNATTimerMax
	}
	if opt.MediaDuration == 0 {
		opt.MediaDuration = checks.DefaultMediaDuration
	}
	if only != nil {
		opt.Only = only
	} else if s, ok := sh.symptomInfo(); ok {
		opt.Only = s.Checks
	}
	return opt
}

func (sh *shared) symptomInfo() (content.Symptom, bool) {
	for _, s := range sh.c.Symptoms() {
		if s.ID == sh.symptom {
			return s, true
		}
	}
	return content.Symptom{}, false
}

// plan is the session's plan (nil without a site).
func (sh *shared) plan(only []string) *checks.Plan {
	if sh.profile == nil {
		return nil
	}
	p, err := checks.MakePlan(sh.profile, sh.options(only))
	if err != nil {
		return nil
	}
	return p
}

// treeFindings turns the effective answers into report findings, and keeps
// the items a verify run proved fixed.
func (sh *shared) treeFindings() []report.Finding {
	var out []report.Finding
	for _, id := range slices.Sorted(maps.Keys(sh.verified)) {
		out = append(out, report.Finding{Remedy: id, Cause: "verified"})
	}
	for _, a := range findings.FromAnswers(sh.c.Tree(), sh.effectiveAnswers()) {
		for _, r := range a.Remedies {
			out = append(out, report.Finding{Remedy: r, Cause: "answer:" + a.Node})
		}
	}
	return out
}

// resultsInOrder lists the latest results in catalog order.
func (sh *shared) resultsInOrder() []checks.Result {
	var out []checks.Result
	for _, ci := range sh.c.Checks {
		if r, ok := sh.results[ci.ID]; ok {
			out = append(out, r)
		}
	}
	return out
}

// report builds the report of the session as it stands.
// simulated is the demo scenario for the report ("" outside the demo), so
// an exported demo report cannot pass for a real site's.
func (sh *shared) simulated() string {
	if !sh.cfg.Demo {
		return ""
	}
	if sh.cfg.DemoScenario == "" {
		return "demo"
	}
	return sh.cfg.DemoScenario
}

func (sh *shared) report() *report.Report {
	p := sh.profile
	if p == nil {
		p = &profile.Profile{}
	}
	outcome := &checks.Outcome{}
	if sh.outcome != nil {
		o := *sh.outcome
		outcome = &o
	}
	outcome.Results = sh.resultsInOrder()
	answers := sh.effectiveAnswers()
	for node, why := range sh.reasons {
		answers[node+".reason"] = why
	}
	if sh.symptom != "" {
		answers["symptom"] = sh.symptom
	}
	snippet, snippetMD := vendorSnippet(sh.cfg, p, sh.lang, sh.siteRemedies())
	rep := report.Build(report.Input{Version: sh.cfg.Version, Outcome: outcome, Profile: p, Content: sh.c,
		Answers: answers, Extra: sh.treeFindings(), Snippet: snippet, SnippetMarkdown: snippetMD, Simulated: sh.simulated()})
	for i := range rep.Checklist {
		rep.Checklist[i].Done = sh.ticked[rep.Checklist[i].ID]
	}
	return rep
}

package session

import (
	"slices"

	"github.com/biztel-tools/biztel-doctor/checks"
	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/findings"
	"github.com/biztel-tools/biztel-doctor/report"
)

// Source says where a tree answer came from.
type Source int

const (
	FromNone    Source = iota
	FromHand           // the technician chose it
	FromCheck          // prefilled from the node's live check
	FromProfile        // prefilled from the site profile
	FromWaiting        // not yet: the node's check is still running
	FromNotRun         // a long check the runs leave out, not running: only a run of its own (r on step 5) measures it
)

// Answer returns the effective answer of node n: by hand first, then the
// live check's result, then the profile.
func (s *Session) Answer(n content.TreeNode) (string, Source) {
	if a, ok := s.Answers[n.ID]; ok {
		return a, FromHand
	}
	if a := s.Prefill(n); a != "" {
		return a, FromCheck
	}
	if a := s.profileAnswer(n); a != "" {
		return a, FromProfile
	}
	if n.Check != "" && s.Chosen && s.Planned(n.Check) {
		switch {
		case s.InFlight(n.Check):
			return "", FromWaiting
		case s.longLeftOut(n.Check):
			return "", FromNotRun // nothing will fill it in: never "waiting"
		case s.hasResult(n.Check):
			return "", FromNone // it ran and did not settle this (skip, error, no matching prefill)
		}
		return "", FromWaiting // the run has not reached it yet
	}
	return "", FromNone
}

// hasResult: check id has finished at least once in this session.
func (s *Session) hasResult(id string) bool {
	_, ok := s.Latest(id)
	return ok
}

// Prefill matches the node's check result against its answers' prefill
// conditions. A skipped or errored check answers nothing.
func (s *Session) Prefill(n content.TreeNode) string {
	if n.Check == "" {
		return ""
	}
	r, ok := s.Latest(n.Check)
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
	if len(p.Status) == 0 && p.Remedy == "" && p.Predicate == "" {
		return false
	}
	if len(p.Status) > 0 && !slices.Contains(p.Status, string(r.Status)) {
		return false
	}
	if p.Remedy != "" && !slices.Contains(r.Remedies, p.Remedy) {
		return false
	}
	if p.Predicate != "" {
		// a typed test of the check's evidence (checks.PredicateFor), never
		// a fact string
		pr, ok := checks.PredicateFor(p.Predicate)
		if !ok || pr.Check != r.ID || !pr.Holds(r) {
			return false
		}
	}
	return true
}

func (s *Session) profileAnswer(n content.TreeNode) string {
	if s.Profile == nil {
		return ""
	}
	if n.Kind == content.NodeVendor {
		return s.Profile.Vendor
	}
	switch {
	case n.Profile == "":
		return ""
	case n.Profile == "vpn" && s.Profile.VPN(), n.Profile != "vpn" && s.Profile.Option(n.Profile):
		return "yes"
	}
	return "no"
}

// EffectiveAnswers is the answer of every node that is shown and answered;
// a node hidden by an earlier answer (vpn.dns without the VPN option) has
// none, whatever its check found.
func (s *Session) EffectiveAnswers() map[string]string {
	out := map[string]string{}
	for _, n := range s.cfg.Content.Tree().Nodes {
		if !findings.Shown(n, out) {
			continue
		}
		if a, src := s.Answer(n); a != "" && src != FromWaiting {
			out[n.ID] = a
		}
	}
	return out
}

// reportAnswers are the answers as the report states them: effective
// answers, the reasons given for overriding a check, and the symptom.
func (s *Session) reportAnswers() map[string]string {
	answers := s.EffectiveAnswers()
	for node, why := range s.Reasons {
		answers[node+".reason"] = why
	}
	if s.Symptom != "" {
		answers["symptom"] = s.Symptom
	}
	return answers
}

// treeFindings turns the effective answers into report findings.
func (s *Session) treeFindings() []report.Finding {
	var out []report.Finding
	for _, a := range findings.FromAnswers(s.cfg.Content.Tree(), s.EffectiveAnswers()) {
		for _, r := range a.Remedies {
			out = append(out, report.Finding{Remedy: r, Cause: "answer:" + a.Node})
		}
	}
	return out
}

// SymptomInfo is the chosen symptom's content.
func (s *Session) SymptomInfo() (content.Symptom, bool) {
	for _, sy := range s.cfg.Content.Symptoms() {
		if sy.ID == s.Symptom {
			return sy, true
		}
	}
	return content.Symptom{}, false
}

// Options are the run options: the config's, narrowed to only when given,
// else to the symptom's checks when one was chosen.
func (s *Session) Options(only []string) checks.Options {
	opt := s.cfg.Options
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
	} else if sy, ok := s.SymptomInfo(); ok {
		opt.Only = sy.Checks
	}
	return opt
}

// Plan is the plan of a run (nil without a valid site).
func (s *Session) Plan(only []string) *checks.Plan {
	if s.Profile == nil {
		return nil
	}
	p, err := checks.MakePlan(s.Profile, s.Options(only))
	if err != nil {
		return nil
	}
	return p
}

// longLeftOut reports whether check id is a long check the session's plan
// leaves out (skipped without --long, as the runner marks ExcludedByLong).
func (s *Session) longLeftOut(id string) bool {
	p := s.Plan(nil)
	if p == nil {
		return false
	}
	sp, ok := checks.Lookup(id)
	return ok && sp.Long && !p.Options.Long && !slices.Contains(p.Options.Only, id)
}

// Planned reports whether check id is in the session's plan.
func (s *Session) Planned(id string) bool {
	p := s.Plan(nil)
	return p != nil && slices.Contains(p.Checks, id)
}

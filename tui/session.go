package tui

import (
	"github.com/biztel-tools/biztel-doctor/checks"
	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/profile"
	"github.com/biztel-tools/biztel-doctor/report"
	"github.com/biztel-tools/biztel-doctor/session"
)

// The session (site, plan, answers, runs, checklist, report) lives in
// package session; these are the TUI's short ways to it.

// answerSource says where a tree answer came from.
type answerSource = session.Source

const (
	fromNone    = session.FromNone
	fromHand    = session.FromHand
	fromCheck   = session.FromCheck
	fromProfile = session.FromProfile
	fromWaiting = session.FromWaiting
	fromNotRun  = session.FromNotRun
)

// newSession is the session of the app's config.
func newSession(cfg Config) *session.Session {
	return session.New(session.Config{Content: cfg.Content, Version: cfg.Version, Options: cfg.Options,
		Simulated: simulated(cfg), Snippet: func(p *profile.Profile, l content.Lang, rem []string) (string, string) {
			return vendorSnippet(cfg, p, l, rem)
		},
		Now: cfg.Now, Front: session.FrontTUI}, cfg.Profile)
}

func (sh *shared) answer(n content.TreeNode) (string, answerSource) { return sh.ses.Answer(n) }

func (sh *shared) prefill(n content.TreeNode) string { return sh.ses.Prefill(n) }

func (sh *shared) effectiveAnswers() map[string]string { return sh.ses.EffectiveAnswers() }

func (sh *shared) symptomInfo() (content.Symptom, bool) { return sh.ses.SymptomInfo() }

// plan is the session's plan (nil without a site).
func (sh *shared) plan(only []string) *checks.Plan { return sh.ses.Plan(only) }

// result is the latest result of check id.
func (sh *shared) result(id string) (checks.Result, bool) { return sh.ses.Latest(id) }

// resultsInOrder lists the latest results in catalog order.
func (sh *shared) resultsInOrder() []checks.Result { return sh.ses.Results() }

// report is the session's report as it stands, in the current language.
func (sh *shared) report() *report.Report { return sh.ses.Report(sh.lang, true) }

// simulated is the demo scenario for the report ("" outside the demo), so
// an exported demo report cannot pass for a real site's.
func simulated(cfg Config) string {
	if !cfg.Demo {
		return ""
	}
	if cfg.DemoScenario == "" {
		return "demo"
	}
	return cfg.DemoScenario
}

// latestStatus is the status of check id's latest result ("" when none).
func (sh *shared) latestStatus(id string) checks.Status {
	r, _ := sh.result(id)
	return r.Status
}

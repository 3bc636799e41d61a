package session

import (
	"slices"
	"time"

	"github.com/biztel-tools/biztel-doctor/checks"
	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/findings"
	"github.com/biztel-tools/biztel-doctor/profile"
	"github.com/biztel-tools/biztel-doctor/report"
)

// Report assembles the report of the session as it stands — the one place
// that does, for `check`, the TUI's export and every way out of the TUI.
// Each check's status is its latest run's; earlier runs are its history.
// withAnswers adds the decision tree's answers and their findings (the
// TUI); `check` has none.
func (s *Session) Report(lang content.Lang, withAnswers bool) *report.Report {
	var answers map[string]string
	var extra []report.Finding
	if withAnswers {
		answers, extra = s.reportAnswers(), s.treeFindings()
	}
	p := s.Profile
	if p == nil {
		p = &profile.Profile{}
	}
	var snippet, snippetMD string
	if s.cfg.Snippet != nil && p.Vendor != "" {
		snippet, snippetMD = s.cfg.Snippet(p, lang, s.FoundRemedies(extra))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	outcome := &checks.Outcome{Started: s.started, Interrupted: s.interrupted, Results: s.resultsLocked()}
	end := s.last
	if len(s.active) > 0 || end.Before(s.started) {
		end = s.now()
	}
	outcome.Duration = end.Sub(s.started)
	for _, ci := range s.cfg.Content.Checks {
		if ex, ok := s.excluded[ci.ID]; ok && len(s.runs[ci.ID]) == 0 {
			outcome.Excluded = append(outcome.Excluded, ex)
		}
	}
	c := s.cfg.Content
	rep := report.Build(report.Input{Version: s.cfg.Version, Outcome: outcome, Profile: p, Content: c,
		Answers: answers, Extra: extra, Snippet: snippet, SnippetMarkdown: snippetMD, Simulated: s.cfg.Simulated})
	rep.Checklist = s.arrange(rep.Checklist, func(ids []string) []report.Item {
		var fs []report.Finding
		for _, id := range ids {
			fs = append(fs, report.Finding{Remedy: id, Cause: "verified"})
		}
		return report.ChecklistFor(fs, p, c, outcome.Results, withAnswers)
	})
	if withAnswers {
		s.phraseExclusions(rep, c)
	}
	rep.Provisional = s.provisionalLocked()
	for i, it := range rep.Checklist {
		rep.Checklist[i].Provisional = rep.ProvisionalFor(slices.Concat(it.Verify, it.Causes))
	}
	rep.Runs = s.historyLocked()
	rep.CheckStarted = map[string]time.Time{}
	for id, rs := range s.runs {
		for i := len(rs) - 1; i >= 0; i-- {
			if rs[i].Done {
				rep.CheckStarted[id] = rs[i].Started
				break
			}
		}
	}
	return rep
}

// Provisional is the checks of the run in flight (nil when none runs):
// while it runs, a finding or a checklist item resting on one of them may
// still change, and each is marked so — on the screens and in an export.
func (s *Session) Provisional() map[string]bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.provisionalLocked()
}

func (s *Session) provisionalLocked() map[string]bool {
	if len(s.active) == 0 {
		return nil
	}
	out := map[string]bool{}
	for _, id := range s.active {
		out[id] = true
	}
	return out
}

// phraseExclusions says why a check did not run in the TUI's words: the
// symptom the user chose, not the --only flag the plan used for it (the
// JSON field skipped_because keeps its documented value).
func (s *Session) phraseExclusions(rep *report.Report, c *content.Content) {
	sym, ok := s.SymptomInfo()
	if !ok {
		return
	}
	for i, res := range rep.Results {
		if res.Excluded() && res.SkippedBecause == checks.ExcludedByOnly {
			rep.Results[i].Summary = content.T(
				content.Fill(c.Label("report.notchosen", content.Ja), map[string]string{"symptom": sym.Title.Ja}),
				content.Fill(c.Label("report.notchosen", content.En), map[string]string{"symptom": sym.Title.En}))
		}
	}
}

// FoundRemedies are the remedies the latest results and the answers'
// findings (extra) name: step 7 and the report's vendor section show the
// lines that fix them first.
func (s *Session) FoundRemedies(extra []report.Finding) []string {
	out := findings.FoundRemedies(s.Results())
	for _, f := range extra {
		if f.Cause != "verified" && !slices.Contains(out, f.Remedy) {
			out = append(out, f.Remedy)
		}
	}
	return out
}

// historyLocked is every check's runs before its latest finished one.
func (s *Session) historyLocked() map[string][]report.Run {
	out := map[string][]report.Run{}
	for id, rs := range s.runs {
		var hist []report.Run
		seenLatest := false
		for i := len(rs) - 1; i >= 0; i-- {
			r := rs[i]
			if !r.Done {
				continue
			}
			if !seenLatest {
				seenLatest = true
				continue
			}
			hist = append([]report.Run{{Started: r.Started, Kind: string(r.Kind), Status: r.Result.Status,
				Summary: r.Result.Summary, Duration: r.Result.Duration}}, hist...)
		}
		if len(hist) > 0 {
			out[id] = hist
		}
	}
	return out
}

// Package session is one troubleshooting session, shared by `check` and the
// TUI: the site profile, the plan, the answers, every run of every check
// (first run, verify, re-run) with its start time, the checklist with
// numbers that never move, and the one place that assembles the report.
// The TUI only presents it; `check` runs one plan through it.
package session

import (
	"sync"
	"time"

	"github.com/biztel-tools/biztel-doctor/checks"
	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/profile"
)

// SnippetFunc renders the vendor's router configuration for the report.
// remedies are the site's findings: the lines that fix them come first.
type SnippetFunc func(p *profile.Profile, lang content.Lang, remedies []string) (text, markdown string)

// Config is what a session is made of and never changes in it.
type Config struct {
	Content *content.Content
	Version string
	Options checks.Options // run options; Only is set per run
	// Simulated names the demo scenario; "" for a real site.
	Simulated string
	Snippet   SnippetFunc
	Now       func() time.Time // default time.Now
	// Front says whose words a check's hint takes (the CLI's by default).
	Front Front
}

// Kind says why a check ran.
type Kind string

const (
	KindFirst  Kind = "run"    // a run of the plan (full review or a symptom's checks)
	KindVerify Kind = "verify" // the checks that prove a checklist item done
	KindRerun  Kind = "rerun"  // one check (and what depends on it) again
)

// Run is one run of one check.
type Run struct {
	Kind    Kind
	Item    string    // checklist item verified (KindVerify)
	Started time.Time // when the check started; zero while it waits its turn
	Done    bool
	Result  checks.Result // valid when Done
}

// Session is one session. Its methods are safe to call from the goroutine
// that reads a run's events and from a signal handler at once.
type Session struct {
	mu  sync.Mutex
	cfg Config

	Profile *profile.Profile  // nil until the site is valid
	Answers map[string]string // tree answers given by hand (node → answer)
	Reasons map[string]string // why a hand answer differs from its check
	Symptom string            // the way in: a symptom id, or "" for the full review
	Chosen  bool              // a way in was chosen
	Ticked  map[string]bool   // checklist items ticked

	started     time.Time // the first run's start; zero before any
	last        time.Time // the latest run's end
	interrupted bool      // a run was cut short
	runs        map[string][]Run
	excluded    map[string]checks.Result // checks the run flags left out, never run
	active      []string                 // checks of the run in flight
	activeOpt   checks.Options           // the run in flight's options
	ladders     map[string][]checks.Rung // the run in flight's last live rungs (nat.timer)
	checklist   checklistState
}

// New starts a session on profile p (nil: not yet known).
func New(cfg Config, p *profile.Profile) *Session {
	if cfg.Content == nil {
		cfg.Content = content.MustLoad()
	}
	return &Session{cfg: cfg, Profile: p, Answers: map[string]string{}, Reasons: map[string]string{},
		Ticked: map[string]bool{}, runs: map[string][]Run{}, excluded: map[string]checks.Result{}, ladders: map[string][]checks.Rung{},
		checklist: newChecklistState()}
}

// Adjust changes the run options for the runs to come (the demo's "apply
// this fix to the simulated site" points them at a healthy fake).
func (s *Session) Adjust(f func(*checks.Options)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f(&s.cfg.Options)
}

// Content is the session's content.
func (s *Session) Content() *content.Content { return s.cfg.Content }

// Simulated is the demo scenario, "" for a real site.
func (s *Session) Simulated() string { return s.cfg.Simulated }

func (s *Session) now() time.Time {
	if s.cfg.Now != nil {
		return s.cfg.Now()
	}
	return time.Now()
}

package session

import (
	"strconv"
	"time"

	"github.com/biztel-tools/biztel-doctor/checks"
	"github.com/biztel-tools/biztel-doctor/content"
)

// Front is who shows the session: the words of a check's typed hint
// depend on it (the CLI names its flags, the TUI its steps and keys).
type Front string

const (
	FrontCLI Front = ""    // `check`: the hint names the flag to run with
	FrontTUI Front = "tui" // the interactive screens: the step and key
)

// HintWords are hint h in front's words ("" when h suggests nothing).
func HintWords(c *content.Content, h checks.Hint, front Front) content.Text {
	if h.IsZero() {
		return content.Text{}
	}
	f := "cli"
	if front == FrontTUI {
		f = "tui"
	}
	vars := content.Vars{"want_s": seconds(h.Want), "tested_s": seconds(h.Tested)}
	return c.Phrase("session.hint."+hintKey(h.Kind)+"."+f, vars)
}

func hintKey(k checks.HintKind) string {
	if k == checks.HintLongerHorizon {
		return "longer_horizon"
	}
	return "run_to_end"
}

// seconds is d in whole or fractional seconds, as the page says them.
func seconds(d time.Duration) string { return strconv.FormatFloat(d.Seconds(), 'f', -1, 64) }

// withHintWords adds the hint, in the session's front end's words, to a
// result's summary, once: every screen and report then says the same.
func (s *Session) withHintWords(r checks.Result) checks.Result {
	if r.Hint.IsZero() {
		return r
	}
	h := HintWords(s.cfg.Content, r.Hint, s.cfg.Front)
	r.Summary = content.Text{Ja: r.Summary.Ja + "。" + h.Ja, En: r.Summary.En + "; " + h.En}
	return r
}

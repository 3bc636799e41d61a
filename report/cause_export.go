package report

import "github.com/biztel-tools/biztel-doctor/content"

// Cause is one root-cause group ready to print, as the text and Markdown
// reports show it (the TUI's viewer shows the same).
type Cause = cause

// Causes groups the report's warn/fail/error results by root cause.
func (r *Report) Causes(lang content.Lang, c *content.Content) []Cause { return r.causes(lang, c) }

package report

import (
	"slices"

	"github.com/biztel-tools/biztel-doctor/content"
)

// ProvisionalFor reports whether anything resting on checks ids may still
// change: one of them belongs to the run in flight when the report was made.
func (r *Report) ProvisionalFor(ids []string) bool {
	return slices.ContainsFunc(ids, func(id string) bool { return r.Provisional[id] })
}

// provisionalMark is " (provisional)" after a finding resting on ids while
// they still ran, "" otherwise.
func (r *Report) provisionalMark(ids []string, lang content.Lang, c *content.Content) string {
	if !r.ProvisionalFor(ids) {
		return ""
	}
	return " " + c.Label("session.provisional", lang)
}

// provisionalItemMark is the provisional mark of a checklist item.
func provisionalItemMark(it Item, lang content.Lang, c *content.Content) string {
	if !it.Provisional {
		return ""
	}
	return " " + c.Label("session.provisional", lang)
}

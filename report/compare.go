package report

import (
	"slices"

	"github.com/biztel-tools/biztel-doctor/checks"
	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/profile"
)

// This file is the one comparison of two results: `diff`, `view --against`
// and the TUI's before/after history of a check all call it, so "fixed" or
// "regressed" means the same everywhere (README, "Comparing reports").

// Change is what happened to one check between a before and an after result.
type Change string

// The changes, in the order reports list them. A check "ran" when its status
// is pass, warn, fail or error; skip (or absence from the report) means it
// was not checked.
const (
	Regressed       Change = "regressed"         // pass → warn/fail/error, or warn → fail/error
	StillFailing    Change = "still_failing"     // fail/error both times
	StillWarning    Change = "still_warning"     // warn both times
	Improved        Change = "improved"          // fail/error → warn: better, not yet fixed
	Fixed           Change = "fixed"             // fail/warn/error → pass
	NewlyChecked    Change = "newly_checked"     // not checked before, checked now
	NoLongerChecked Change = "no_longer_checked" // checked before, not now
	StillPassing    Change = "still_passing"     // pass both times
	NotChecked      Change = "not_checked"       // checked neither time
)

// Changes lists every change in report order (worst news first).
var Changes = []Change{Regressed, StillFailing, StillWarning, Improved, Fixed, NewlyChecked, NoLongerChecked, StillPassing, NotChecked}

// ran reports whether a status is a result of the check having run; ""
// stands for a check absent from the report.
func ran(s checks.Status) bool {
	return s == checks.Pass || s == checks.Warn || s == checks.Fail || s == checks.Error
}

// Classify is the change from status before to status after ("" for a
// check absent from a report).
func Classify(before, after checks.Status) Change {
	switch {
	case !ran(before) && !ran(after):
		return NotChecked
	case !ran(before):
		return NewlyChecked
	case !ran(after):
		return NoLongerChecked
	case after == checks.Pass && before == checks.Pass:
		return StillPassing
	case after == checks.Pass:
		return Fixed
	case before == checks.Pass, before == checks.Warn && after.Bad():
		return Regressed
	case before == checks.Warn:
		return StillWarning
	case after == checks.Warn:
		return Improved
	}
	return StillFailing
}

// CheckDiff is one check compared: its change and which facts changed.
type CheckDiff struct {
	ID            string
	Change        Change
	Before, After checks.Result // zero Result (ID "") when absent from that side
	Facts         []FactChange  // facts whose value differs, by key
}

// FactChange is one fact before and after, as text ("" when absent).
type FactChange struct {
	Key           string
	Before, After string
}

// CompareResults compares two results of the same check: two reports'
// results, or two runs of the check in one session. A zero Result stands for
// "not in that report".
func CompareResults(before, after checks.Result) CheckDiff {
	id := after.ID
	if id == "" {
		id = before.ID
	}
	return CheckDiff{ID: id, Change: Classify(before.Status, after.Status), Before: before, After: after,
		Facts: FactChanges(before.Facts, after.Facts)}
}

// FactChanges lists the facts that differ, in key order. Values compare as
// the JSON report writes them, so a fact read back from a file (a float64)
// equals the same fact of a live run (an int).
func FactChanges(before, after checks.Facts) []FactChange {
	keys := append(before.Keys(), after.Keys()...)
	slices.Sort(keys)
	keys = slices.Compact(keys)
	var out []FactChange
	for _, k := range keys {
		b, okb := before[k]
		a, oka := after[k]
		fc := FactChange{Key: k}
		if okb {
			fc.Before = checks.FactString(jsonValue(b))
		}
		if oka {
			fc.After = checks.FactString(jsonValue(a))
		}
		if fc.Before != fc.After || okb != oka {
			out = append(out, fc)
		}
	}
	return out
}

// ItemChange is what happened to one checklist item.
type ItemChange string

const (
	ItemDone      ItemChange = "done"       // its findings are gone after (or it is ticked or fixed there)
	ItemStillOpen ItemChange = "still_open" // named before and after, not ticked
	ItemNew       ItemChange = "new"        // named only after
)

// ItemDiff is one checklist item compared. Numbers are the item's numbers in
// each checklist (a session's stable number, else its 1-based place), 0 when
// absent there.
type ItemDiff struct {
	ID                        string
	Change                    ItemChange
	Title                     content.Text
	BeforeNumber, AfterNumber int
	BeforeCauses, AfterCauses []string
}

// CompareChecklists compares two checklists item by item (by remedy id),
// in the after list's order, then the items only the before list had.
func CompareChecklists(before, after []Item) []ItemDiff {
	// an item's number is the session's stable one when the report has it,
	// else its place in the list
	number := func(items []Item, i int) int {
		if items[i].Number > 0 {
			return items[i].Number
		}
		return i + 1
	}
	index := func(items []Item, id string) int {
		return slices.IndexFunc(items, func(it Item) bool { return it.ID == id })
	}
	var out []ItemDiff
	for i, it := range after {
		d := ItemDiff{ID: it.ID, Title: it.Title, AfterNumber: number(after, i), AfterCauses: it.Causes}
		bi := index(before, it.ID)
		if bi >= 0 {
			d.BeforeNumber = number(before, bi)
		}
		switch {
		case it.Done || it.Fixed:
			d.Change = ItemDone
		case d.BeforeNumber > 0:
			d.Change = ItemStillOpen
		default:
			d.Change = ItemNew
		}
		if bi >= 0 {
			d.BeforeCauses = before[bi].Causes
		}
		out = append(out, d)
	}
	for i, it := range before {
		if index(after, it.ID) < 0 {
			out = append(out, ItemDiff{ID: it.ID, Change: ItemDone, Title: it.Title, BeforeNumber: number(before, i), BeforeCauses: it.Causes})
		}
	}
	return out
}

// SiteDiff is a site field that differs between two reports.
type SiteDiff struct {
	Field         string // "server.host", "server.ip"
	Before, After string
}

// SiteDiffs names how two profiles' sites differ; nil when they are the same
// site. The site is the BIZTEL server: its host name and IP. A field counts
// when both reports have it and the values differ; reports with no field in
// common (one names only the host, the other only the IP) differ on both.
func SiteDiffs(before, after *profile.Profile) []SiteDiff {
	if before == nil {
		before = &profile.Profile{}
	}
	if after == nil {
		after = &profile.Profile{}
	}
	fields := []SiteDiff{
		{"server.host", before.Server.Host, after.Server.Host},
		{"server.ip", before.Server.IP, after.Server.IP},
	}
	var out []SiteDiff
	common := false
	for _, f := range fields {
		if f.Before != "" && f.After != "" {
			common = true
			if f.Before != f.After {
				out = append(out, f)
			}
		}
	}
	if !common {
		for _, f := range fields {
			if f.Before != f.After {
				out = append(out, f)
			}
		}
	}
	return out
}

// Comparison is two reports compared: every check, every checklist item,
// how the sites differ.
type Comparison struct {
	Before, After *Report
	Checks        []CheckDiff // in the after report's order, then checks only before had
	Items         []ItemDiff
	Site          []SiteDiff // empty for the same site
}

// Compare compares two reports of (normally) the same site.
func Compare(before, after *Report) *Comparison {
	cmp := &Comparison{Before: before, After: after,
		Items: CompareChecklists(before.Checklist, after.Checklist),
		Site:  SiteDiffs(before.Profile, after.Profile)}
	find := func(rs []checks.Result, id string) checks.Result {
		if i := slices.IndexFunc(rs, func(r checks.Result) bool { return r.ID == id }); i >= 0 {
			return rs[i]
		}
		return checks.Result{}
	}
	for _, a := range after.Results {
		cmp.Checks = append(cmp.Checks, CompareResults(find(before.Results, a.ID), a))
	}
	for _, b := range before.Results {
		if find(after.Results, b.ID).ID == "" {
			cmp.Checks = append(cmp.Checks, CompareResults(b, checks.Result{}))
		}
	}
	return cmp
}

// Swapped reports whether BEFORE was written after AFTER (the files given
// in the wrong order, most likely): fixed would read as regressed.
func (c *Comparison) Swapped() bool {
	return !c.Before.StartedAt.IsZero() && !c.After.StartedAt.IsZero() && c.Before.StartedAt.After(c.After.StartedAt)
}

// With lists the checks with change ch, in order.
func (c *Comparison) With(ch Change) []CheckDiff {
	var out []CheckDiff
	for _, d := range c.Checks {
		if d.Change == ch {
			out = append(out, d)
		}
	}
	return out
}

// ItemsWith lists the checklist items with change ch.
func (c *Comparison) ItemsWith(ch ItemChange) []ItemDiff {
	var out []ItemDiff
	for _, d := range c.Items {
		if d.Change == ch {
			out = append(out, d)
		}
	}
	return out
}

// failing counts the after report's checks that are fail or error.
func (c *Comparison) failing() int {
	n := 0
	for _, r := range c.After.Results {
		if r.Status.Bad() {
			n++
		}
	}
	return n
}

// ExitCode is diff's exit status: 0 when nothing regressed and no check is
// fail or error after (warns alone give 0, as for check), else 1.
func (c *Comparison) ExitCode() int {
	if len(c.With(Regressed)) > 0 || c.failing() > 0 {
		return 1
	}
	return 0
}

// Verdict is the comparison in one line.
func (c *Comparison) Verdict(lang content.Lang, cc *content.Content) string {
	vars := map[string]string{
		"fixed":     itoa(len(c.With(Fixed))),
		"regressed": itoa(len(c.With(Regressed))),
		"failing":   itoa(c.failing()),
		"warning":   itoa(len(c.With(StillWarning)) + len(c.With(Improved))),
		"done":      itoa(len(c.ItemsWith(ItemDone))),
		"open":      itoa(len(c.ItemsWith(ItemStillOpen)) + len(c.ItemsWith(ItemNew))),
	}
	key := "diff.verdict.clean"
	switch {
	case len(c.With(Regressed)) > 0:
		key = "diff.verdict.regressed"
	case c.failing() > 0 && len(c.With(Fixed)) > 0:
		key = "diff.verdict.partial"
	case c.failing() > 0:
		key = "diff.verdict.failing"
	case len(c.With(Fixed)) == 0 && len(c.With(Improved)) == 0:
		key = "diff.verdict.same"
	}
	return content.Fill(cc.Label(key, lang), vars)
}

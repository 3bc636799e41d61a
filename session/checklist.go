package session

import (
	"slices"
	"time"

	"github.com/biztel-tools/biztel-doctor/checks"
	"github.com/biztel-tools/biztel-doctor/report"
)

// checklistState keeps the checklist's numbers for the whole session: an
// item gets the next number when it first appears and keeps it; an item a
// verify or re-run proved fixed stays, ticked, with its history; a number
// is never given to another item.
type checklistState struct {
	numbers map[string]int // remedy id → its number (1-based)
	next    int
	fixed   map[string]bool                  // items whose checks now pass after being called for
	history map[string][]report.Verification // per item, every verify run
	pending *pendingVerify                   // the verify run in flight
}

type pendingVerify struct {
	item   string
	before checks.Status
	checks []string
}

func newChecklistState() checklistState {
	return checklistState{numbers: map[string]int{}, next: 1, fixed: map[string]bool{},
		history: map[string][]report.Verification{}}
}

func (c *checklistState) beginVerify(item string, before checks.Status, ids []string) {
	c.pending = &pendingVerify{item: item, before: before, checks: slices.Clone(ids)}
}

// endVerify records the verify run in flight, if any: its time and the
// item's worst status before and after. A verify that passed ticks the item.
func (c *checklistState) endVerify(at time.Time, worst func([]string) checks.Status, ticked map[string]bool) {
	p := c.pending
	if p == nil {
		return
	}
	c.pending = nil
	after := worst(p.checks)
	c.history[p.item] = append(c.history[p.item], report.Verification{At: at, Before: p.before, After: after,
		Change: report.Classify(p.before, after), Checks: p.checks})
	if after.OK() {
		ticked[p.item] = true
	}
}

// number gives id its number, the next one on first sight.
func (c *checklistState) number(id string) int {
	n, ok := c.numbers[id]
	if !ok {
		n = c.next
		c.numbers[id] = n
		c.next++
	}
	return n
}

// arrange puts the items the findings call for now (built) together with
// the items fixed since (rebuild makes their text), in number order, and
// fills in numbers, ticks and histories.
func (s *Session) arrange(built []report.Item, rebuild func(ids []string) []report.Item) []report.Item {
	c := &s.checklist
	called := map[string]bool{}
	for _, it := range built {
		called[it.ID] = true
		c.number(it.ID)
	}
	var gone []string
	for id := range c.numbers {
		if called[id] {
			continue
		}
		// an item no finding calls for any more stays only when its own
		// checks now prove it fixed; one withdrawn by a changed answer goes
		// (its number stays unused)
		if it := rebuild([]string{id}); len(it) == 1 && len(it[0].Verify) > 0 && s.passingLocked(it[0].Verify) {
			gone = append(gone, id)
		}
	}
	items := append(slices.Clone(built), rebuild(gone)...)
	for i := range items {
		id := items[i].ID
		items[i].Number = c.numbers[id]
		items[i].Fixed = !called[id]
		items[i].Done = s.Ticked[id]
		items[i].History = slices.Clone(c.history[id])
	}
	slices.SortFunc(items, func(a, b report.Item) int { return a.Number - b.Number })
	return items
}

// passingLocked reports whether every check in ids has a latest result that
// is pass or warn.
func (s *Session) passingLocked(ids []string) bool {
	for _, id := range ids {
		if r, ok := s.latestLocked(id); !ok || !r.Status.OK() {
			return false
		}
	}
	return true
}

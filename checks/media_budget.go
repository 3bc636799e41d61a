package checks

import (
	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/probe/media"
	"github.com/biztel-tools/biztel-doctor/serve/wire"
)

// bandwidthBudgetShare is the share of the reflector's per-source packet
// budget the load may take: the rest is room for the Stats and Hello
// exchanges, so the reflector's limiter never cuts the load itself (its
// drops would read as the line's loss).
const bandwidthBudgetShare = 0.95

// callFit is how many calls media.bandwidth loads and why not more.
type callFit struct {
	Wanted, Calls int
	BudgetPPS     int  // the reflector's per-source budget
	Said          bool // the reflector said it (false: an older one; the default assumed)
	ByReflector   bool // the budget, not the tool's cap, limited the calls
}

// callsThatFit sizes the load to the profile's calls, the tool's cap and
// the budget the reflector said in its Hello answer.
func callsThatFit(wanted int, hr wire.HelloReplyBody) callFit {
	f := callFit{Wanted: wanted, BudgetPPS: int(hr.RatePPS), Said: hr.RatePPS > 0}
	if !f.Said {
		f.BudgetPPS = wire.DefaultRatePPS
	}
	byBudget := max(int(float64(f.BudgetPPS)*bandwidthBudgetShare)/media.PPS, 1)
	f.Calls = min(wanted, bandwidthMaxCalls, byBudget)
	f.ByReflector = f.Calls < wanted && f.Calls == byBudget && byBudget < bandwidthMaxCalls
	return f
}

// note adds the sizing to a result: facts always, and the summary says
// when fewer calls than the profile's were tested, or the budget was
// assumed.
func (f callFit) note(r Result) Result {
	r.Facts["reflector_budget_pps"] = f.BudgetPPS
	r.Facts["reflector_budget_said"] = f.Said
	switch {
	case f.Calls < f.Wanted && f.ByReflector:
		r.Summary = appendText(r.Summary, content.Phrase("check.media_budget.by_reflector",
			content.Vars{"wanted": f.Wanted, "calls": f.Calls, "pps": f.BudgetPPS}))
	case f.Calls < f.Wanted:
		r.Summary = appendText(r.Summary, content.Phrase("check.media_budget.by_tool",
			content.Vars{"wanted": f.Wanted, "calls": f.Calls, "max": bandwidthMaxCalls, "mbps": bandwidthMaxCalls * bandwidthPerCallKbps / 1000}))
	}
	if !f.Said {
		r.Summary = appendText(r.Summary, content.Phrase("check.media_budget.assumed", content.Vars{"pps": f.BudgetPPS}))
	}
	return r
}

package report

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"github.com/biztel-tools/biztel-doctor/checks"
	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/profile"
)

// The JSON document (schema.json beside this file documents every field).
type jsonReport struct {
	Schema      string            `json:"schema"`
	Tool        jsonTool          `json:"tool"`
	Lang        string            `json:"lang"`
	StartedAt   string            `json:"started_at"`
	DurationMs  int64             `json:"duration_ms"`
	Interrupted bool              `json:"interrupted"`
	Simulated   string            `json:"simulated,omitempty"`
	Profile     *profile.Profile  `json:"profile"`
	Answers     map[string]string `json:"answers"`
	Summary     map[string]int    `json:"summary"`
	Checks      []jsonCheck       `json:"checks"`
	Checklist   []jsonItem        `json:"checklist"`
}

type jsonTool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

type jsonCheck struct {
	ID      string `json:"id"`
	Status  string `json:"status"`
	Title   string `json:"title"`
	Summary string `json:"summary"`
	// Summaries is the summary in both languages (reports written since
	// view/diff), so a saved report re-renders in the reader's language.
	Summaries      *content.Text  `json:"summaries,omitempty"`
	Facts          map[string]any `json:"facts"`
	Remedies       []string       `json:"remedies"`
	DurationMs     int64          `json:"duration_ms"`
	SkippedBecause string         `json:"skipped_because,omitempty"`
	StartedAt      string         `json:"started_at,omitempty"`  // the latest run's start (session reports)
	History        []jsonRun      `json:"history,omitempty"`     // earlier runs, oldest first
	Provisional    bool           `json:"provisional,omitempty"` // in the run in flight: may change
}

// jsonRun is an earlier run of a check in a session (optional, v1 readers
// ignore it).
type jsonRun struct {
	StartedAt  string `json:"started_at"`
	Kind       string `json:"kind"`
	Status     string `json:"status"`
	Summary    string `json:"summary"`
	DurationMs int64  `json:"duration_ms"`
}

// jsonVerification is one verify run of a checklist item.
type jsonVerification struct {
	At     string   `json:"at"`
	Before string   `json:"before"`
	After  string   `json:"after"`
	Change string   `json:"change"` // as diff words it: fixed, still_failing, …
	Checks []string `json:"checks"`
}

type jsonItem struct {
	ID     string   `json:"id"`
	Title  string   `json:"title"`
	Steps  []string `json:"steps"`
	Verify []string `json:"verify"`
	Source string   `json:"source"`
	Causes []string `json:"causes"`
	Refs   []string `json:"refs,omitempty"`
	Done   bool     `json:"done"`
	Number int      `json:"number,omitempty"` // kept for the whole session
	Fixed  bool     `json:"fixed,omitempty"`  // no finding calls for it any more
	// History is every verify run of the item, oldest first.
	History []jsonVerification `json:"history,omitempty"`
	// Provisional: made while a check it rests on still ran.
	Provisional bool `json:"provisional,omitempty"`
}

// WriteJSON renders the report as JSON in lang.
func (r *Report) WriteJSON(w io.Writer, lang content.Lang, c *content.Content) error {
	doc := jsonReport{
		Schema:      Schema,
		Tool:        jsonTool{Name: "biztel-doctor", Version: r.Version},
		Lang:        string(lang),
		StartedAt:   r.StartedAt.UTC().Format(time.RFC3339),
		DurationMs:  r.Duration.Milliseconds(),
		Interrupted: r.Interrupted,
		Simulated:   r.Simulated,
		Profile:     r.Profile,
		Answers:     r.Answers,
		Summary:     map[string]int{},
		Checks:      []jsonCheck{},
		Checklist:   []jsonItem{},
	}
	if doc.Answers == nil {
		doc.Answers = map[string]string{}
	}
	for _, s := range checks.Statuses {
		doc.Summary[string(s)] = 0
	}
	for s, n := range r.Counts() {
		doc.Summary[string(s)] = n
	}
	for _, res := range r.Results {
		doc.Checks = append(doc.Checks, jsonCheck{
			ID: res.ID, Status: string(res.Status), Title: checkTitle(c, res.ID, lang),
			Summary: res.Summary.In(lang), Facts: jsonFacts(res.Facts), Remedies: nonNil(res.Remedies),
			DurationMs: res.Duration.Milliseconds(), SkippedBecause: res.SkippedBecause,
			Summaries: bothSummaries(res.Summary),
			StartedAt: rfc3339(r.CheckStarted[res.ID]), History: jsonRuns(r.Runs[res.ID], lang),
			Provisional: r.Provisional[res.ID],
		})
	}
	for _, it := range r.Checklist {
		ji := jsonItem{ID: it.ID, Title: it.Title.In(lang), Steps: []string{}, Verify: nonNil(it.Verify),
			Source: it.Source.In(lang), Causes: nonNil(it.Causes), Refs: it.Refs, Done: it.Done,
			Number: it.Number, Fixed: it.Fixed, Provisional: it.Provisional}
		for _, v := range it.History {
			ji.History = append(ji.History, jsonVerification{At: rfc3339(v.At), Before: string(v.Before),
				After: string(v.After), Change: string(v.Change), Checks: nonNil(v.Checks)})
		}
		for _, s := range it.Steps {
			ji.Steps = append(ji.Steps, s.In(lang))
		}
		doc.Checklist = append(doc.Checklist, ji)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(doc)
}

func jsonRuns(runs []Run, lang content.Lang) []jsonRun {
	var out []jsonRun
	for _, r := range runs {
		out = append(out, jsonRun{StartedAt: rfc3339(r.Started), Kind: r.Kind, Status: string(r.Status),
			Summary: r.Summary.In(lang), DurationMs: r.Duration.Milliseconds()})
	}
	return out
}

// rfc3339 is t in UTC to the millisecond, "" for the zero time.
func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02T15:04:05.000Z07:00")
}

// jsonFacts keeps fact values to string, number or boolean as the schema
// says: durations become milliseconds, lists are joined, NaN/Inf become
// strings (JSON has no such numbers).
func jsonFacts(f checks.Facts) map[string]any {
	out := make(map[string]any, len(f))
	for k, v := range f {
		out[k] = jsonValue(v)
	}
	return out
}

func jsonValue(v any) any {
	switch x := v.(type) {
	case nil:
		return ""
	case string, bool, int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		return x
	case float32:
		return jsonValue(float64(x))
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return fmt.Sprint(x)
		}
		return x
	case time.Duration:
		return float64(x) / float64(time.Millisecond)
	case []string:
		return strings.Join(x, ", ")
	case fmt.Stringer:
		return x.String()
	}
	return fmt.Sprint(v)
}

func checkTitle(c *content.Content, id string, lang content.Lang) string {
	if c != nil {
		if ci, ok := c.Check(id); ok {
			return ci.Title.In(lang)
		}
	}
	return id
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// bothSummaries is the summary in both languages when it has both; a
// result phrased in one language only gives nothing (the reader then marks
// the stored summary as being in the other language).
func bothSummaries(t content.Text) *content.Text {
	if !t.Complete() {
		return nil
	}
	return &t
}

package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
	"unicode"

	"github.com/biztel-tools/biztel-doctor/checks"
	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/profile"
)

// MaxReportSize caps what Read accepts: a real report is tens of kilobytes;
// anything near this is not one, and reading it whole would only cost memory.
const MaxReportSize = 20 << 20

// Schemas of the tool's other JSON outputs, named so Read can say what a
// wrong file is.
const monitorSchema = "biztel-doctor.monitor/v1"

// ReadError is a saved report that cannot be read. Key names the message
// (content label "read.*"), Vars fill it; Text renders it in either language.
type ReadError struct {
	Key  string
	Vars map[string]string
	msg  content.Text
}

func (e *ReadError) Error() string { return e.msg.En }

// Text is the message in both languages.
func (e *ReadError) Text() content.Text { return e.msg }

func readErr(c *content.Content, key string, vars map[string]string) *ReadError {
	t := content.T(c.Label(key, content.Ja), c.Label(key, content.En))
	return &ReadError{Key: key, Vars: vars, msg: t.Fill(vars)}
}

// ReadFile reads a saved JSON report (see Read).
func ReadFile(path string, c *content.Content) (*Report, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, readErr(c, "read.open", map[string]string{"path": path, "err": err.Error()})
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() && st.Size() > MaxReportSize {
		return nil, tooLarge(c, path)
	}
	return Read(path, f, c)
}

func tooLarge(c *content.Content, name string) *ReadError {
	return readErr(c, "read.toolarge", map[string]string{"path": name, "max": fmt.Sprintf("%d MB", MaxReportSize>>20)})
}

// Read decodes a saved report of schema biztel-doctor.report/v1, written by
// this or an older version: unknown fields are ignored, missing optional
// ones defaulted. name is for messages. The tool's other outputs (monitor,
// plan, ports), other JSON, an oversized, truncated or malformed file each
// give a *ReadError; every string is stripped of terminal control
// sequences and invalid UTF-8 so a hostile file cannot drive the terminal.
// Titles, remedies and checklist steps are taken from the catalog by id and
// filled with the report's profile, so they render in either language;
// summaries are in both languages when the writer stored both, else in the
// report's language only (TextIn marks them).
func Read(name string, r io.Reader, c *content.Content) (*Report, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxReportSize+1))
	if err != nil {
		return nil, readErr(c, "read.open", map[string]string{"path": name, "err": err.Error()})
	}
	if len(data) > MaxReportSize {
		return nil, tooLarge(c, name)
	}
	doc, err := decode(name, data, c)
	if err != nil {
		return nil, err
	}
	sanitize(doc)
	return fromJSON(doc, c), nil
}

// decode checks what the file is before decoding it as a report.
func decode(name string, data []byte, c *content.Content) (*jsonReport, error) {
	vars := map[string]string{"path": name}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, readErr(c, "read.empty", vars)
	}
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(data, &probe); err != nil {
		return nil, syntaxErr(c, name, data, err)
	}
	var schema string
	if raw, ok := probe["schema"]; ok {
		_ = json.Unmarshal(raw, &schema)
		vars["schema"] = clean(schema, false)
	}
	switch {
	case schema == Schema:
	case schema == monitorSchema:
		return nil, readErr(c, "read.monitor", vars)
	case strings.HasPrefix(schema, "biztel-doctor.report/"):
		return nil, readErr(c, "read.newer", vars)
	case schema == "" && probe["destinations"] != nil:
		return nil, readErr(c, "read.plan", vars)
	case schema == "" && probe["requirements"] != nil:
		return nil, readErr(c, "read.ports", vars)
	case schema == "":
		return nil, readErr(c, "read.noschema", vars)
	default:
		return nil, readErr(c, "read.foreign", vars)
	}
	var doc jsonReport
	if err := json.Unmarshal(data, &doc); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			vars["field"] = clean(te.Field, false)
			vars["want"] = te.Type.String()
			return nil, readErr(c, "read.field", vars)
		}
		return nil, syntaxErr(c, name, data, err)
	}
	return &doc, nil
}

// syntaxErr tells a truncated file (a partial copy, a cut-off paste) from
// one that is not JSON at all.
func syntaxErr(c *content.Content, name string, data []byte, err error) *ReadError {
	vars := map[string]string{"path": name, "err": clean(err.Error(), false)}
	var se *json.SyntaxError
	trimmed := bytes.TrimSpace(data)
	if errors.Is(err, io.ErrUnexpectedEOF) || (errors.As(err, &se) && se.Offset >= int64(len(trimmed))) {
		vars["size"] = fmt.Sprint(len(data))
		return readErr(c, "read.truncated", vars)
	}
	if len(trimmed) > 0 && trimmed[0] != '{' {
		return readErr(c, "read.notjson", vars)
	}
	return readErr(c, "read.badjson", vars)
}

// fromJSON turns the decoded document into a Report.
func fromJSON(doc *jsonReport, c *content.Content) *Report {
	lang := content.Lang(doc.Lang)
	if lang != content.Ja && lang != content.En {
		lang = guessLang(doc)
	}
	r := &Report{Version: doc.Tool.Version, Interrupted: doc.Interrupted, Simulated: doc.Simulated,
		Profile: doc.Profile, Answers: doc.Answers, SavedLang: lang}
	if r.Version == "" {
		r.Version = "unknown"
	}
	r.StartedAt, _ = parseTime(doc.StartedAt)
	if doc.DurationMs > 0 {
		r.Duration = time.Duration(doc.DurationMs) * time.Millisecond
	}
	if r.Profile == nil {
		r.Profile = &profile.Profile{}
	}
	r.Profile = r.Profile.Redacted() // a hand-edited file may carry secrets: never show them
	seen := map[string]bool{}
	for _, jc := range doc.Checks {
		if jc.ID == "" || seen[jc.ID] {
			continue
		}
		seen[jc.ID] = true
		r.Results = append(r.Results, resultFromJSON(jc, lang, c))
		readRuns(r, jc, lang)
	}
	for _, ji := range doc.Checklist {
		if ji.ID == "" {
			continue
		}
		r.Checklist = append(r.Checklist, itemFromJSON(ji, r, lang, c))
	}
	return r
}

// readRuns keeps a session report's history of a check: its earlier runs
// and when the latest started.
func readRuns(r *Report, jc jsonCheck, lang content.Lang) {
	if t, ok := parseTime(jc.StartedAt); ok {
		if r.CheckStarted == nil {
			r.CheckStarted = map[string]time.Time{}
		}
		r.CheckStarted[jc.ID] = t
	}
	for _, jr := range jc.History {
		run := Run{Kind: jr.Kind, Status: knownStatus(jr.Status), Summary: oneLang(jr.Summary, lang)}
		run.Started, _ = parseTime(jr.StartedAt)
		if jr.DurationMs > 0 {
			run.Duration = time.Duration(jr.DurationMs) * time.Millisecond
		}
		if r.Runs == nil {
			r.Runs = map[string][]Run{}
		}
		r.Runs[jc.ID] = append(r.Runs[jc.ID], run)
	}
}

// knownStatus is s when this version knows it; anything else reads as
// error, never as pass.
func knownStatus(s string) checks.Status {
	switch st := checks.Status(s); st {
	case checks.Pass, checks.Warn, checks.Fail, checks.Skip, checks.Error, "":
		return st
	}
	return checks.Error
}

func parseTime(s string) (time.Time, bool) {
	t, err := time.Parse(time.RFC3339, s) // accepts fractional seconds too
	return t, err == nil
}

func resultFromJSON(jc jsonCheck, lang content.Lang, c *content.Content) checks.Result {
	res := checks.Result{ID: jc.ID, Status: checks.Status(jc.Status), Summary: oneLang(jc.Summary, lang),
		Remedies: jc.Remedies, SkippedBecause: jc.SkippedBecause}
	if jc.Summaries != nil && jc.Summaries.Complete() {
		res.Summary = *jc.Summaries
	}
	if knownStatus(jc.Status) != res.Status || res.Status == "" {
		// a status this version does not know never reads as pass
		res.Status = checks.Error
		vars := map[string]string{"status": jc.Status, "summary": res.Summary.In(lang)}
		res.Summary = content.T(c.Label("read.unknownstatus", content.Ja), c.Label("read.unknownstatus", content.En)).Fill(vars)
	}
	if jc.DurationMs > 0 {
		res.Duration = time.Duration(jc.DurationMs) * time.Millisecond
	}
	if len(jc.Facts) > 0 {
		res.Facts = checks.Facts(jc.Facts)
	}
	return res
}

// itemFromJSON rebuilds a checklist item from the catalog (both languages,
// filled with the profile), keeping the stored causes and tick; a remedy
// this version does not know keeps its stored texts.
// A report the TUI saved reads back in the TUI's words, with its results
// (the router's address), as it was shown and saved.
func itemFromJSON(ji jsonItem, r *Report, lang content.Lang, c *content.Content) Item {
	if _, ok := c.Remedy(ji.ID); ok {
		it := ChecklistFor([]Finding{{Remedy: ji.ID}}, r.Profile, c, r.Results, r.fromTUI())[0]
		it.Causes, it.Done = ji.Causes, ji.Done
		sessionFields(&it, ji)
		return it
	}
	it := Item{ID: ji.ID, Title: oneLang(ji.Title, lang), Source: oneLang(ji.Source, lang),
		Verify: ji.Verify, Causes: ji.Causes, Refs: ji.Refs, Done: ji.Done}
	sessionFields(&it, ji)
	if it.Title.IsZero() {
		it.Title = content.T(ji.ID, ji.ID)
	}
	for _, s := range ji.Steps {
		it.Steps = append(it.Steps, oneLang(s, lang))
	}
	return it
}

// sessionFields keeps what a session report adds to an item: its stable
// number, whether it is fixed, its verify history.
func sessionFields(it *Item, ji jsonItem) {
	if ji.Number > 0 {
		it.Number = ji.Number
	}
	it.Fixed = ji.Fixed
	for _, jv := range ji.History {
		v := Verification{Before: knownStatus(jv.Before), After: knownStatus(jv.After), Checks: jv.Checks}
		v.Change = Classify(v.Before, v.After) // recomputed: the file's word may be older
		v.At, _ = parseTime(jv.At)
		it.History = append(it.History, v)
	}
}

// oneLang is a text known in one language only.
func oneLang(s string, lang content.Lang) content.Text {
	if lang == content.En {
		return content.Text{En: s}
	}
	return content.Text{Ja: s}
}

// guessLang is the language of a report that does not say: Japanese when
// any summary has kana or kanji.
func guessLang(doc *jsonReport) content.Lang {
	for _, jc := range doc.Checks {
		for _, r := range jc.Summary {
			if unicode.In(r, unicode.Hiragana, unicode.Katakana, unicode.Han) {
				return content.Ja
			}
		}
	}
	return content.En
}

// TextIn is t in lang; a text known only in the other language (a summary
// of a report written before both were stored) is shown as it is, marked
// so the reader knows it was not translated.
func TextIn(t content.Text, lang content.Lang, c *content.Content) string {
	mine, other := t.Ja, t.En
	if lang == content.En {
		mine, other = t.En, t.Ja
	}
	if mine == "" && other != "" {
		return c.Label("report.otherlang", lang) + " " + other
	}
	return t.In(lang)
}

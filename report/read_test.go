package report_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/biztel-tools/biztel-doctor/checks"
	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/report"
)

func writeJSON(t *testing.T, rep *report.Report, lang content.Lang, c *content.Content) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := rep.WriteJSON(&buf, lang, c); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func readBytes(t *testing.T, data []byte, c *content.Content) (*report.Report, error) {
	t.Helper()
	return report.Read("r.json", bytes.NewReader(data), c)
}

// A Japanese report written today re-renders in English: titles, remedies
// and steps from the catalog, summaries from the stored pair.
func TestReadRoundTripRendersInOtherLanguage(t *testing.T) {
	rep, c := sampleReport(t)
	data := writeJSON(t, rep, content.Ja, c)
	got, err := readBytes(t, data, c)
	if err != nil {
		t.Fatal(err)
	}
	if got.SavedLang != content.Ja || got.Version != "1.2.3" || !got.StartedAt.Equal(rep.StartedAt) || got.Duration != rep.Duration {
		t.Errorf("header: lang %q version %q start %v dur %v", got.SavedLang, got.Version, got.StartedAt, got.Duration)
	}
	if len(got.Results) != len(rep.Results) || len(got.Checklist) != len(rep.Checklist) {
		t.Fatalf("%d results, %d items; want %d, %d", len(got.Results), len(got.Checklist), len(rep.Results), len(rep.Checklist))
	}
	for i := range rep.Results {
		if got.Results[i].Summary != rep.Results[i].Summary || got.Results[i].Status != rep.Results[i].Status {
			t.Errorf("%s: %+v, want %+v", rep.Results[i].ID, got.Results[i].Summary, rep.Results[i].Summary)
		}
	}
	for i := range rep.Checklist {
		if got.Checklist[i].Title != rep.Checklist[i].Title || len(got.Checklist[i].Steps) != len(rep.Checklist[i].Steps) {
			t.Errorf("item %s: %+v", rep.Checklist[i].ID, got.Checklist[i].Title)
		}
	}
	var text bytes.Buffer
	if err := got.WriteText(&text, content.En, c, report.TextOptions{}); err != nil {
		t.Fatal(err)
	}
	out := text.String()
	for _, want := range []string{"no reply | to OPTIONS", rep.Checklist[0].Title.En, "A saved report", "203.0.113.10"} {
		if !strings.Contains(out, want) {
			t.Errorf("English text lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "応答なし") {
		t.Errorf("English text shows the Japanese summary:\n%s", out)
	}
}

// A report of an older version has no "summaries": the stored summary is
// shown, marked as being in the other language; titles still translate.
func TestReadOlderReportMarksOtherLanguage(t *testing.T) {
	rep, c := sampleReport(t)
	var doc map[string]any
	if err := json.Unmarshal(writeJSON(t, rep, content.Ja, c), &doc); err != nil {
		t.Fatal(err)
	}
	for _, ch := range doc["checks"].([]any) {
		delete(ch.(map[string]any), "summaries")
	}
	delete(doc, "lang")            // older still: no lang at all
	doc["future_field"] = []int{1} // and a newer writer's field
	doc["checks"].([]any)[0].(map[string]any)["confidence"] = 0.9
	data, _ := json.Marshal(doc)
	got, err := readBytes(t, data, c)
	if err != nil {
		t.Fatal(err)
	}
	if got.SavedLang != content.Ja {
		t.Errorf("guessed lang %q, want ja", got.SavedLang)
	}
	var text bytes.Buffer
	_ = got.WriteText(&text, content.En, c, report.TextOptions{})
	if !strings.Contains(text.String(), "[in Japanese] 応答なし") {
		t.Errorf("stored Japanese summary not marked:\n%s", text.String())
	}
	if !strings.Contains(text.String(), rep.Checklist[0].Title.En) {
		t.Errorf("checklist title not from the catalog in English")
	}
}

// The checked-in fixture of today's format (and one trimmed to what the
// first v1 writer wrote) load.
func TestReadFixtures(t *testing.T) {
	c := content.MustLoad()
	files, _ := filepath.Glob("testdata/read/*.json")
	if len(files) == 0 {
		t.Fatal("no fixtures in testdata/read")
	}
	for _, f := range files {
		rep, err := report.ReadFile(f, c)
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		if len(rep.Results) == 0 || rep.Profile == nil {
			t.Errorf("%s: %d results", f, len(rep.Results))
		}
	}
}

func TestReadRefusesWithClearMessages(t *testing.T) {
	c := content.MustLoad()
	rep, _ := sampleReport(t)
	good := writeJSON(t, rep, content.En, c)
	cases := []struct {
		name, data, key, want string
	}{
		{"monitor", `{"schema":"biztel-doctor.monitor/v1","windows":[]}`, "read.monitor", "monitor report"},
		{"plan", `{"destinations":[{"check":"sip.udp"}]}`, "read.plan", "output of plan"},
		{"ports", `{"requirements":[]}`, "read.ports", "output of ports"},
		{"random json", `{"name":"x","list":[1,2]}`, "read.noschema", "no \"schema\""},
		{"other schema", `{"schema":"https://example.com/x"}`, "read.foreign", "not a biztel-doctor report"},
		{"newer", `{"schema":"biztel-doctor.report/v2"}`, "read.newer", "newer"},
		{"array", `[1,2,3]`, "read.notjson", "not JSON"},
		{"text", "hello world", "read.notjson", "not JSON"},
		{"empty", "  \n", "read.empty", "empty"},
		{"truncated", string(good[:len(good)/2]), "read.truncated", "truncated"},
		{"wrong type", `{"schema":"biztel-doctor.report/v1","checks":[{"id":"sip.udp","status":5}]}`, "read.field", "checks.status"},
		{"bad profile type", `{"schema":"biztel-doctor.report/v1","profile":{"channels":"many"}}`, "read.field", "profile.channels"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := readBytes(t, []byte(tc.data), c)
			var re *report.ReadError
			if !errors.As(err, &re) || re.Key != tc.key {
				t.Fatalf("got %v, want %s", err, tc.key)
			}
			if !strings.Contains(re.Text().En, tc.want) || re.Text().Ja == "" || !strings.Contains(re.Text().En, "r.json") {
				t.Errorf("message %q lacks %q or the file name", re.Text().En, tc.want)
			}
		})
	}
}

func TestReadRefusesOversizedFile(t *testing.T) {
	c := content.MustLoad()
	path := filepath.Join(t.TempDir(), "big.json")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(report.MaxReportSize + 1); err != nil {
		t.Fatal(err)
	}
	f.Close()
	var re *report.ReadError
	if _, err := report.ReadFile(path, c); !errors.As(err, &re) || re.Key != "read.toolarge" {
		t.Errorf("file over the cap: %v", err)
	}
	// a stream (not a regular file) is capped while reading
	big := strings.NewReader(`{"schema":"biztel-doctor.report/v1","x":"` + strings.Repeat("a", report.MaxReportSize) + `"}`)
	if _, err := report.Read("pipe", big, c); !errors.As(err, &re) || re.Key != "read.toolarge" {
		t.Errorf("stream over the cap: %v", err)
	}
}

// Terminal escapes, C1 controls, bidi overrides and invalid UTF-8 in any
// string (summary, fact keys and values, profile, answers, unknown remedy
// texts) never reach the output.
func TestReadSanitisesEveryString(t *testing.T) {
	c := content.MustLoad()
	// JSON escapes for what JSON cannot carry raw; invalid UTF-8 raw
	esc := `\u001b]0;pwned\u0007\u001b[2J\u009b31m\u202e` + "\xff\xfe"
	doc := `{"schema":"biztel-doctor.report/v1","lang":"en","tool":{"version":"1` + esc + `"},
	"profile":{"server":{"host":"h` + esc + `.example","ip":"203.0.113.1"},"vendor":"yamaha` + esc + `"},
	"answers":{"q` + esc + `":"a` + esc + `"},
	"checks":[{"id":"sip.udp","status":"fail","summary":"s` + esc + `","facts":{"k` + esc + `":"v` + esc + `","n":1},"remedies":["allow-sip-udp"]}],
	"checklist":[{"id":"nope` + esc + `","title":"t` + esc + `","steps":["x` + esc + `"],"causes":["sip.udp"]}]}`
	rep, err := readBytes(t, []byte(doc), c)
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []content.Lang{content.Ja, content.En} {
		var text, md bytes.Buffer
		_ = rep.WriteText(&text, lang, c, report.TextOptions{Facts: true})
		_ = rep.WriteMarkdown(&md, lang, c)
		for _, out := range []string{text.String(), md.String()} {
			if strings.ContainsAny(out, "\x1b\x07\u202e\u009b") || !utf8.ValidString(out) {
				t.Errorf("%s output carries control characters or invalid UTF-8: %q", lang, out)
			}
		}
	}
	if rep.Results[0].Facts["n"] != 1.0 {
		t.Errorf("numeric fact lost: %v", rep.Results[0].Facts)
	}
}

// An unknown status never reads as pass.
func TestReadUnknownStatusIsError(t *testing.T) {
	c := content.MustLoad()
	rep, err := readBytes(t, []byte(`{"schema":"biztel-doctor.report/v1","checks":[{"id":"sip.udp","status":"great","summary":"ok"}]}`), c)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Results[0].Status != checks.Error || !strings.Contains(rep.Results[0].Summary.En, "great") {
		t.Errorf("got %+v", rep.Results[0])
	}
}

// FuzzRead: any bytes give a report or a *ReadError, never a panic, and a
// report renders without control characters.
func FuzzRead(f *testing.F) {
	c := content.MustLoad()
	files, _ := filepath.Glob("testdata/read/*.json")
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`{"schema":"biztel-doctor.report/v1","checks":[{"id":"a.b","status":"warn","facts":{"x":"\u001b[31m"}}]}`))
	f.Add([]byte(`{"schema":"biztel-doctor.monitor/v1"}`))
	f.Add([]byte(`{"schema":"biztel-doctor.report/v1","checklist":[{"id":"allow-sip-udp","causes":null}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		rep, err := report.Read("f.json", bytes.NewReader(data), c)
		if err != nil {
			var re *report.ReadError
			if !errors.As(err, &re) {
				t.Fatalf("not a ReadError: %v", err)
			}
			return
		}
		var text, md bytes.Buffer
		if err := rep.WriteText(&text, content.En, c, report.TextOptions{Facts: true}); err != nil {
			t.Fatal(err)
		}
		if err := rep.WriteMarkdown(&md, content.Ja, c); err != nil {
			t.Fatal(err)
		}
		if strings.ContainsRune(text.String(), '\x1b') || strings.ContainsRune(md.String(), '\x1b') || !utf8.ValidString(text.String()) {
			t.Fatalf("control sequence in output: %q", text.String())
		}
	})
}

// A session report's history (stable item numbers, fixed, verify runs,
// earlier runs of a check) survives a save and a read, and the text view
// shows it.
func TestReadSessionHistory(t *testing.T) {
	rep, c := sampleReport(t)
	at := time.Date(2026, 12, 4, 1, 2, 3, 0, time.UTC)
	rep.Checklist[0].Number, rep.Checklist[1].Number = 6, 8
	rep.Checklist[0].Fixed, rep.Checklist[0].Done = true, true
	rep.Checklist[0].History = []report.Verification{{At: at, Before: checks.Fail, After: checks.Pass, Checks: []string{"sip.udp"}}}
	rep.Runs = map[string][]report.Run{"sip.udp": {{Started: at, Kind: "run", Status: checks.Fail, Summary: content.T("前", "before"), Duration: time.Second}}}
	rep.CheckStarted = map[string]time.Time{"sip.udp": at.Add(time.Minute)}
	got, err := readBytes(t, writeJSON(t, rep, content.En, c), c)
	if err != nil {
		t.Fatal(err)
	}
	it := got.Checklist[0]
	if it.Number != 6 || got.Checklist[1].Number != 8 || !it.Fixed || len(it.History) != 1 || it.History[0].After != checks.Pass || it.History[0].Change != report.Fixed || !it.History[0].At.Equal(at) {
		t.Errorf("item: %+v", it)
	}
	if runs := got.Runs["sip.udp"]; len(runs) != 1 || runs[0].Status != checks.Fail || runs[0].Kind != "run" || !got.CheckStarted["sip.udp"].Equal(at.Add(time.Minute)) {
		t.Errorf("runs: %+v, started %v", got.Runs, got.CheckStarted)
	}
	var text bytes.Buffer
	_ = got.WriteText(&text, content.Ja, c, report.TextOptions{})
	if !strings.Contains(text.String(), " 6. [x]") || !strings.Contains(text.String(), "前回 NG → 今回 OK") || !strings.Contains(text.String(), " 8. [ ]") {
		t.Errorf("text lacks the numbers or history:\n%s", text.String())
	}
}

// Escape sequences go whole, the text around them stays.
func TestReadStripsWholeSequences(t *testing.T) {
	c := content.MustLoad()
	cases := map[string]string{
		`a\u001b[1;31mb`:               "ab",
		`x\u001b]0;title\u0007y`:       "xy",
		`p\u001b]8;;http://e\u001b\\q`: "pq",
		`c\u009b2Jd`:                   "cd",
		`e\u001b(Bf`:                   "ef",
		`tail\u001b`:                   "tail",
		`g\u001bPdcs\u001b\\h`:         "gh",
		`日本\u001b[0m語`:                 "日本語",
		`open\u001b]never ends`:        "open",
	}
	for in, want := range cases {
		doc := `{"schema":"biztel-doctor.report/v1","lang":"en","checks":[{"id":"a.b","status":"pass","summary":"` + in + `"}]}`
		rep, err := readBytes(t, []byte(doc), c)
		if err != nil {
			t.Fatal(err)
		}
		if got := rep.Results[0].Summary.En; got != want {
			t.Errorf("%s: %q, want %q", in, got, want)
		}
	}
}

package monitor

import (
	"encoding/json"
	"io"
	"time"

	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/profile"
)

// Schema names the JSON record's format (design.md §5).
const Schema = "biztel-doctor.monitor/v1"

// Method is how a window measured the media path.
type Method string

const (
	// MethodReflector is the echo of a call-like stream by the reflector
	// (biztel-doctor serve): loss split up/down, jitter each way.
	MethodReflector Method = "reflector"
	// MethodSTUN is the weaker fallback without a reflector: STUN Binding
	// requests to a STUN server at a courteous rate; round-trip figures only.
	MethodSTUN Method = "stun"
)

// Kind is an event's kind.
type Kind string

const (
	KindOutage    Kind = "outage"    // nothing came back for OutageAfter or longer
	KindQuality   Kind = "quality"   // windows past the call-quality fail thresholds
	KindMapping   Kind = "mapping"   // the public address or port changed
	KindSIP       Kind = "sip"       // SIP OPTIONS unanswered
	KindLink      Kind = "link"      // interface, link kind or Wi-Fi changed
	KindReflector Kind = "reflector" // the reflector stopped answering while the path worked
	KindGap       Kind = "gap"       // the process could not run (suspend, clock jump)
)

// Kinds lists every event kind in the order reports show them.
func Kinds() []Kind {
	return []Kind{KindOutage, KindQuality, KindMapping, KindSIP, KindLink, KindReflector, KindGap}
}

// Window is what one window measured. Pointers are nil when not measured
// (nothing came back, no reflector count, no OPTIONS answered yet).
type Window struct {
	Start   time.Time `json:"start"`
	Seconds float64   `json:"seconds"` // monotonic length of the window
	Method  Method    `json:"method"`
	Sent    int       `json:"sent"`
	// Received counts first replies; packets sent just before a gap are in
	// neither count (a gap is never loss).
	Received    int      `json:"received"`
	LossPct     float64  `json:"loss_pct"`
	LossUpPct   *float64 `json:"loss_up_pct,omitempty"`
	LossDownPct *float64 `json:"loss_down_pct,omitempty"`
	BurstMax    int      `json:"burst_max"` // longest run of consecutive lost packets
	JitterMs    *float64 `json:"jitter_ms"` // RFC 3550, round trip
	JitterUpMs  *float64 `json:"jitter_up_ms,omitempty"`
	JitterDnMs  *float64 `json:"jitter_down_ms,omitempty"`
	RTTMs       *float64 `json:"rtt_ms"` // median round trip
	RTTP95Ms    *float64 `json:"rtt_p95_ms,omitempty"`
	MOS         *float64 `json:"mos"`
	// Quality is the window graded against content's thresholds:
	// pass, warn, fail, or none when nothing came back.
	Quality string `json:"quality"`
	// SIPOK is the last SIP OPTIONS outcome known at the window's end (nil:
	// none finished yet).
	SIPOK  *bool  `json:"sip_ok"`
	Public string `json:"public,omitempty"` // public address:port seen in this window
	Link   string `json:"link,omitempty"`   // default-route interface and kind
}

// Event is something that happened, with the page's remedies.
type Event struct {
	Kind    Kind         `json:"kind"`
	Start   time.Time    `json:"start"`
	End     time.Time    `json:"end"`
	Seconds float64      `json:"seconds"`
	Summary content.Text `json:"-"`
	// Ongoing marks an event still open when the record was written.
	Ongoing  bool     `json:"ongoing,omitempty"`
	Remedies []string `json:"remedies"`
}

// Summary totals a run.
type Summary struct {
	Windows        int                `json:"windows"`
	Sent           int                `json:"sent"`
	Received       int                `json:"received"`
	LossPct        float64            `json:"loss_pct"` // over every counted packet
	MOSMin         *float64           `json:"mos_min"`
	Events         map[string]int     `json:"events"` // count by kind
	OutageSeconds  float64            `json:"outage_seconds"`
	GapSeconds     float64            `json:"gap_seconds"`
	SIPAnswered    int                `json:"sip_answered"`
	SIPUnanswered  int                `json:"sip_unanswered"`
	Methods        map[Method]int     `json:"methods"` // windows by method
	WorstWindowPct float64            `json:"worst_window_loss_pct"`
	Rates          map[string]float64 `json:"rates"` // courtesy: packets/s of the stream, seconds between OPTIONS
}

// Record is the whole run as written to the JSON file.
type Record struct {
	Started     time.Time
	Duration    time.Duration
	Interrupted bool
	Simulated   string // demo only: the scenario's name
	Method      Method // the method the run started with
	Profile     *profile.Profile
	Window      time.Duration
	Windows     []Window
	Events      []Event
	Version     string
	Summary     Summary
}

type jsonEvent struct {
	Event
	Summary string `json:"summary"`
}

type jsonRecord struct {
	Schema      string            `json:"schema"`
	Tool        map[string]string `json:"tool"`
	Lang        content.Lang      `json:"lang"`
	StartedAt   time.Time         `json:"started_at"`
	DurationMs  int64             `json:"duration_ms"`
	Interrupted bool              `json:"interrupted"`
	Simulated   string            `json:"simulated,omitempty"`
	Method      Method            `json:"method"`
	WindowSecs  float64           `json:"window_seconds"`
	Profile     *profile.Profile  `json:"profile"`
	Windows     []Window          `json:"windows"`
	Events      []jsonEvent       `json:"events"`
	Summary     Summary           `json:"summary"`
}

// WriteJSON writes the record in schema biztel-doctor.monitor/v1, its
// texts in lang and its profile without secrets.
func (r *Record) WriteJSON(w io.Writer, lang content.Lang) error {
	var p *profile.Profile
	if r.Profile != nil {
		p = r.Profile.Redacted()
	}
	evs := make([]jsonEvent, len(r.Events))
	for i, e := range r.Events {
		evs[i] = jsonEvent{Event: e, Summary: e.Summary.In(lang)}
	}
	doc := jsonRecord{Schema: Schema, Tool: map[string]string{"name": "biztel-doctor", "version": r.Version},
		Lang: lang, StartedAt: r.Started.Round(0), DurationMs: r.Duration.Milliseconds(), Interrupted: r.Interrupted,
		Simulated: r.Simulated, Method: r.Method, WindowSecs: r.Window.Seconds(), Profile: p,
		Windows: orEmpty(r.Windows), Events: evs, Summary: r.Summary}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

func orEmpty(ws []Window) []Window {
	if ws == nil {
		return []Window{}
	}
	return ws
}

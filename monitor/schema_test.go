package monitor_test

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/monitor"
	"github.com/biztel-tools/biztel-doctor/monitor/monitortest"
	"github.com/biztel-tools/biztel-doctor/profile"
)

func f(v float64) *float64 { return &v }

// sampleRecord has every field and every event kind.
func sampleRecord() *monitor.Record {
	t0 := time.Date(2026, 12, 4, 3, 0, 0, 0, time.FixedZone("JST", 9*3600))
	ok := true
	rec := &monitor.Record{Started: t0, Duration: 20 * time.Second, Method: monitor.MethodReflector, Version: "test",
		Window: 10 * time.Second,
		Profile: &profile.Profile{Server: profile.Server{IP: "203.0.113.10"},
			Reflector: profile.Reflector{Addr: "198.51.100.40", Token: "secret"}, FTPS: profile.FTPS{User: "u", Password: "p"}}}
	rec.Windows = []monitor.Window{
		{Start: t0, Seconds: 10, Method: monitor.MethodReflector, Sent: 500, Received: 497, LossPct: 0.6,
			LossUpPct: f(0.2), LossDownPct: f(0.4), BurstMax: 2, JitterMs: f(2.1), JitterUpMs: f(1), JitterDnMs: f(1.5),
			RTTMs: f(18), RTTP95Ms: f(25), MOS: f(4.3), Quality: "pass", SIPOK: &ok, Public: "203.0.113.9:40000", Link: "eth0 wired"},
		{Start: t0.Add(10 * time.Second), Seconds: 10, Method: monitor.MethodSTUN, Sent: 50, Quality: "none", LossPct: 100, BurstMax: 50},
	}
	for i, k := range monitor.Kinds() {
		rec.Events = append(rec.Events, monitor.Event{Kind: k, Start: t0.Add(time.Duration(i) * time.Second),
			End: t0.Add(time.Duration(i+2) * time.Second), Seconds: 2, Summary: content.T("ja", "en"), Remedies: []string{}, Ongoing: i == 0})
	}
	rec.Summary = monitor.Summary{Windows: 2, Sent: 550, Received: 497, LossPct: 9.64, MOSMin: f(4.3),
		Events:  map[string]int{"outage": 1, "quality": 1, "mapping": 1, "sip": 1, "link": 1, "reflector": 1, "gap": 1},
		Methods: map[monitor.Method]int{monitor.MethodReflector: 1, monitor.MethodSTUN: 1},
		Rates:   map[string]float64{"reflector_pps": 50, "stun_pps": 5, "sip_options_every_s": 30}}
	return rec
}

// TestRecordValidatesAgainstSchema: a record with every field validates,
// and its profile has no secrets.
func TestRecordValidatesAgainstSchema(t *testing.T) {
	for _, lang := range []content.Lang{content.Ja, content.En} {
		var buf bytes.Buffer
		if err := sampleRecord().WriteJSON(&buf, lang); err != nil {
			t.Fatal(err)
		}
		if err := monitortest.ValidateJSON(buf.Bytes()); err != nil {
			t.Fatalf("%s: %v\n%s", lang, err, buf.String())
		}
		if bytes.Contains(buf.Bytes(), []byte("secret")) || bytes.Contains(buf.Bytes(), []byte(`"password"`)) {
			t.Fatalf("a secret reached the record:\n%s", buf.String())
		}
	}
}

// TestSchemaRejects: the schema is no rubber stamp.
func TestSchemaRejects(t *testing.T) {
	var buf bytes.Buffer
	sampleRecord().WriteJSON(&buf, content.En)
	for name, mutate := range map[string]func(m map[string]any){
		"wrong schema":   func(m map[string]any) { m["schema"] = "biztel-doctor.report/v1" },
		"unknown kind":   func(m map[string]any) { m["events"].([]any)[0].(map[string]any)["kind"] = "storm" },
		"token":          func(m map[string]any) { m["profile"].(map[string]any)["reflector"] = map[string]any{"token": "x"} },
		"bad method":     func(m map[string]any) { m["windows"].([]any)[0].(map[string]any)["method"] = "ping" },
		"missing window": func(m map[string]any) { delete(m["windows"].([]any)[0].(map[string]any), "loss_pct") },
		"fast SIP": func(m map[string]any) {
			m["summary"].(map[string]any)["rates"].(map[string]any)["sip_options_every_s"] = 5
		},
	} {
		var m map[string]any
		json.Unmarshal(buf.Bytes(), &m)
		mutate(m)
		b, _ := json.Marshal(m)
		if monitortest.ValidateJSON(b) == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

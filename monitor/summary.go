package monitor

// summarize totals the record's windows and events.
func summarize(rec *Record, cfg Config, sipOK, sipFail int) Summary {
	s := Summary{Windows: len(rec.Windows), Events: map[string]int{}, Methods: map[Method]int{},
		SIPAnswered: sipOK, SIPUnanswered: sipFail,
		Rates: map[string]float64{"reflector_pps": ReflectorPPS, "stun_pps": STUNPPS, "sip_options_every_s": cfg.SIPEvery.Seconds()}}
	for _, k := range Kinds() {
		s.Events[string(k)] = 0
	}
	for _, w := range rec.Windows {
		s.Sent += w.Sent
		s.Received += w.Received
		s.Methods[w.Method]++
		s.WorstWindowPct = max(s.WorstWindowPct, w.LossPct)
		if w.MOS != nil && (s.MOSMin == nil || *w.MOS < *s.MOSMin) {
			s.MOSMin = ptr(*w.MOS)
		}
	}
	if s.Sent > 0 {
		s.LossPct = round2(100 * float64(s.Sent-s.Received) / float64(s.Sent))
	}
	for _, e := range rec.Events {
		s.Events[string(e.Kind)]++
		switch e.Kind {
		case KindOutage:
			s.OutageSeconds = round2(s.OutageSeconds + e.Seconds)
		case KindGap:
			s.GapSeconds = round2(s.GapSeconds + e.Seconds)
		}
	}
	return s
}

// EventCount is how many events the record holds (the exit status: 0 none,
// 1 at least one).
func (r *Record) EventCount() int { return len(r.Events) }

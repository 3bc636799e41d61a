package serve

import (
	"testing"
	"time"

	"github.com/biztel-tools/biztel-doctor/serve/wire"
)

// TestDisarmFreesTheSlots: a signed disarm stops the timers its source
// armed with that nonce — their slots are free at once, nothing fires —
// and leaves another nonce's timer armed; an unsigned disarm does nothing.
func TestDisarmFreesTheSlots(t *testing.T) {
	s, _ := start(t, Config{Token: "k"})
	c := dial(t, s.SIPAddr())
	for _, nonce := range []uint64{7, 8} {
		for mode := range []uint8{wire.FireSamePort, wire.FireOtherPort} {
			arm := wire.Build(wire.Header{Type: wire.TypeTimerArm, Nonce: nonce}, wire.ArmBody{ID: uint32(mode), DelayMs: 3_600_000, Mode: uint8(mode + 1)}.Marshal(), 64, "k")
			if got := exchange(t, c, arm, replyWait); len(got) != 1 {
				t.Fatalf("arm: %d replies", len(got))
			}
		}
	}
	if n := s.ArmedTimers(); n != 4 {
		t.Fatalf("%d armed, want 4", n)
	}
	unsigned := wire.Build(wire.Header{Type: wire.TypeTimerDisarm, Nonce: 7}, nil, 64, "")
	signed := wire.Build(wire.Header{Type: wire.TypeTimerDisarm, Nonce: 7}, nil, 64, "k")
	if got := exchange(t, c, unsigned, replyWait); len(got) != 1 {
		t.Errorf("unsigned disarm: %d replies, want the refusal", len(got))
	}
	if n := s.ArmedTimers(); n != 4 {
		t.Errorf("an unsigned disarm left %d armed, want 4", n)
	}
	if got := exchange(t, c, signed, replyWait); len(got) != 0 {
		t.Errorf("disarm answered %d datagrams, want none", len(got))
	}
	waitArmed(t, s, 2) // nonce 8's two stay
}

// waitArmed waits for the disarm (handled on the reflector's goroutine)
// to leave want timers armed.
func waitArmed(t *testing.T, s *Server, want int) {
	t.Helper()
	for range 100 {
		if s.ArmedTimers() == want {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Errorf("%d armed, want %d", s.ArmedTimers(), want)
}

// TestParseKnowsDisarm: the disarm parses as a request without a body.
func TestParseKnowsDisarm(t *testing.T) {
	h, _, err := wire.Parse(wire.Build(wire.Header{Type: wire.TypeTimerDisarm, Nonce: 3}, nil, 0, ""))
	if err != nil || h.Type != wire.TypeTimerDisarm || !h.Type.Request() || h.Type.String() != "timer-disarm" {
		t.Errorf("%+v %v", h, err)
	}
}

package main

import (
	"os"
	"strings"
	"testing"
)

// TestHangupInputCallsGoneOnce: a terminal input that reads end of file
// (the other side gone) calls gone once, however often it is read; a read
// that returns data does not; a reader that is not a terminal file is
// left as it is.
func TestHangupInputCallsGoneOnce(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	calls := 0
	in := watchHangup(r, true, func() { calls++ })
	if _, ok := in.(*hangupInput); !ok {
		t.Fatalf("a terminal file was not watched: %T", in)
	}
	w.Write([]byte("q"))
	buf := make([]byte, 8)
	if n, _ := in.Read(buf); n != 1 || calls != 0 {
		t.Fatalf("read %d bytes, gone called %d times", n, calls)
	}
	w.Close()
	for range 3 {
		in.Read(buf)
	}
	if calls != 1 {
		t.Errorf("gone called %d times after the other end closed, want 1", calls)
	}
	s := strings.NewReader("")
	if watchHangup(s, true, func() {}) != s || watchHangup(r, false, func() {}) != r {
		t.Error("wrapped an input that is not a terminal file")
	}
}

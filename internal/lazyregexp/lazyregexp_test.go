package lazyregexp

import "testing"

func TestCompilesOnceOnFirstUse(t *testing.T) {
	re := New(`^(\d+)-(\d+)$`)
	if m := re().FindStringSubmatch("10000-20000"); len(m) != 3 || m[2] != "20000" {
		t.Fatalf("match %q", m)
	}
	if re() != re() {
		t.Error("compiled twice")
	}
	bad := New(`(`)
	defer func() {
		if recover() == nil {
			t.Error("an invalid pattern did not panic on first use")
		}
	}()
	bad()
}

//go:build !linux

package netlab

import "testing"

// TestBed stands for the bed's tests where they cannot run: it skips with
// the reason (and fails with CI=true).
func TestBed(t *testing.T) { Require(t) }

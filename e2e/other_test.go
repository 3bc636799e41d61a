//go:build !linux

package e2e

import (
	"testing"

	"github.com/biztel-tools/biztel-doctor/netlab"
)

// TestScenarios stands for the scenario table where the bed cannot run: it
// skips with the reason (and fails with CI=true).
func TestScenarios(t *testing.T) { netlab.Require(t) }

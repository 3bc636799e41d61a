package checks

import "github.com/biztel-tools/biztel-doctor/content"

// Grade places a measured value against one of content's call-quality
// thresholds: pass, warn or fail. It is exported for package monitor, which
// grades each window of a never-ending stream with exactly media.quality's
// thresholds (the statistics themselves come from probe/media).
func Grade(v float64, th content.Threshold) Status { return grade(v, th) }

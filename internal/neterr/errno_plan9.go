package neterr

// errnoOf: Plan 9 reports errors as strings, with no number to classify.
func errnoOf(error) (uintptr, bool) { return 0, false }

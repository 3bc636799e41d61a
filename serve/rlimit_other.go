//go:build !unix

package serve

// ensureFiles has nothing to raise on systems without RLIMIT_NOFILE.
func ensureFiles(int) error { return nil }

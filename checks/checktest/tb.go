package checktest

// TB is the part of testing.TB the fakes use. A *testing.T satisfies it; the
// demo passes its own, so the release binary does not link package testing.
type TB interface {
	Helper()
	Cleanup(func())
	Error(args ...any)
	Errorf(format string, args ...any)
	Fatal(args ...any)
	Fatalf(format string, args ...any)
	Log(args ...any)
	TempDir() string
}

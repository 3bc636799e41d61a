//go:build !plan9

package neterr

import (
	"errors"
	"syscall"
)

// errnoOf finds the OS error number inside err (net wraps it as
// *net.OpError{Err: *os.SyscallError{Err: syscall.Errno}}).
func errnoOf(err error) (uintptr, bool) {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		return uintptr(errno), true
	}
	return 0, false
}

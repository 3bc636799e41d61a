//go:build unix

package neterr

import "syscall"

// native is the running OS's table, from its own syscall constants (right
// on every architecture, including Linux mips whose numbers differ).
var native = table{
	uintptr(syscall.ECONNREFUSED):  Refused,
	uintptr(syscall.ECONNRESET):    Reset,
	uintptr(syscall.ECONNABORTED):  Reset,
	uintptr(syscall.ENETRESET):     Reset,
	uintptr(syscall.EPIPE):         Reset,
	uintptr(syscall.ENETUNREACH):   NetUnreachable,
	uintptr(syscall.ENETDOWN):      NetUnreachable,
	uintptr(syscall.EHOSTUNREACH):  HostUnreachable,
	uintptr(syscall.EHOSTDOWN):     HostUnreachable,
	uintptr(syscall.ETIMEDOUT):     TimedOut,
	uintptr(syscall.EADDRINUSE):    AddrInUse,
	uintptr(syscall.EADDRNOTAVAIL): AddrNotAvail,
	uintptr(syscall.EACCES):        Permission,
	uintptr(syscall.EPERM):         Permission,
	uintptr(syscall.EMSGSIZE):      MsgTooLong,
}

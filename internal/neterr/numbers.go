package neterr

// table maps an OS error number to its class; a missing number is Other.
type table map[uintptr]Class

func tableFor(goos string) table {
	switch goos {
	case "windows":
		return windowsNumbers
	case "darwin", "ios", "freebsd", "openbsd", "netbsd", "dragonfly":
		return bsdNumbers
	case "linux", "android":
		return linuxNumbers
	}
	return nil
}

// linuxNumbers are the generic Linux errnos (amd64, arm64, 386, arm, riscv64,
// …; mips and sparc differ, and there the running OS's table, native, is
// built from package syscall instead).
var linuxNumbers = table{
	111: Refused,         // ECONNREFUSED
	104: Reset,           // ECONNRESET
	103: Reset,           // ECONNABORTED
	102: Reset,           // ENETRESET
	32:  Reset,           // EPIPE (write after the peer reset)
	101: NetUnreachable,  // ENETUNREACH
	100: NetUnreachable,  // ENETDOWN
	113: HostUnreachable, // EHOSTUNREACH
	112: HostUnreachable, // EHOSTDOWN
	110: TimedOut,        // ETIMEDOUT
	98:  AddrInUse,       // EADDRINUSE
	99:  AddrNotAvail,    // EADDRNOTAVAIL
	13:  Permission,      // EACCES
	1:   Permission,      // EPERM (e.g. a local netfilter rule dropped the send)
	90:  MsgTooLong,      // EMSGSIZE
}

// bsdNumbers are the 4.4BSD errnos shared by macOS and the BSDs.
var bsdNumbers = table{
	61: Refused,         // ECONNREFUSED
	54: Reset,           // ECONNRESET
	53: Reset,           // ECONNABORTED
	52: Reset,           // ENETRESET
	32: Reset,           // EPIPE
	51: NetUnreachable,  // ENETUNREACH
	50: NetUnreachable,  // ENETDOWN
	65: HostUnreachable, // EHOSTUNREACH
	64: HostUnreachable, // EHOSTDOWN
	60: TimedOut,        // ETIMEDOUT
	48: AddrInUse,       // EADDRINUSE
	49: AddrNotAvail,    // EADDRNOTAVAIL
	13: Permission,      // EACCES
	1:  Permission,      // EPERM
	40: MsgTooLong,      // EMSGSIZE
}

// Windows: Winsock (WSAE…) codes from the socket calls, and the Win32
// (ERROR_…) codes that overlapped I/O completions report for the same
// conditions. os_windows.go checks these numbers against x/sys/windows.
const (
	wsaeACCES                  = 10013
	wsaeMSGSIZE                = 10040
	wsaeADDRINUSE              = 10048
	wsaeADDRNOTAVAIL           = 10049
	wsaeNETDOWN                = 10050
	wsaeNETUNREACH             = 10051
	wsaeNETRESET               = 10052
	wsaeCONNABORTED            = 10053
	wsaeCONNRESET              = 10054
	wsaeTIMEDOUT               = 10060
	wsaeCONNREFUSED            = 10061
	wsaeHOSTDOWN               = 10064
	wsaeHOSTUNREACH            = 10065
	errorACCESS_DENIED         = 5
	errorNETNAME_DELETED       = 64 // a reset seen by an overlapped receive
	errorNETWORK_ACCESS_DENIED = 65
	errorSEM_TIMEOUT           = 121 // a connect that timed out
	errorMORE_DATA             = 234 // a datagram larger than the buffer
	errorCONNECTION_REFUSED    = 1225
	errorADDRESS_ALREADY_ASSOC = 1227
	errorNETWORK_UNREACHABLE   = 1231
	errorHOST_UNREACHABLE      = 1232
	errorPORT_UNREACHABLE      = 1234
	errorCONNECTION_ABORTED    = 1236
	errorTIMEOUT               = 1460
)

var windowsNumbers = table{
	wsaeCONNREFUSED:            Refused,
	errorCONNECTION_REFUSED:    Refused,
	errorPORT_UNREACHABLE:      Refused,
	wsaeCONNRESET:              Reset,
	wsaeCONNABORTED:            Reset,
	wsaeNETRESET:               Reset,
	errorNETNAME_DELETED:       Reset,
	errorCONNECTION_ABORTED:    Reset,
	wsaeNETUNREACH:             NetUnreachable,
	wsaeNETDOWN:                NetUnreachable,
	errorNETWORK_UNREACHABLE:   NetUnreachable,
	wsaeHOSTUNREACH:            HostUnreachable,
	wsaeHOSTDOWN:               HostUnreachable,
	errorHOST_UNREACHABLE:      HostUnreachable,
	wsaeTIMEDOUT:               TimedOut,
	errorSEM_TIMEOUT:           TimedOut,
	errorTIMEOUT:               TimedOut,
	wsaeADDRINUSE:              AddrInUse,
	errorADDRESS_ALREADY_ASSOC: AddrInUse,
	wsaeADDRNOTAVAIL:           AddrNotAvail,
	wsaeACCES:                  Permission,
	errorACCESS_DENIED:         Permission,
	errorNETWORK_ACCESS_DENIED: Permission,
	wsaeMSGSIZE:                MsgTooLong,
	errorMORE_DATA:             MsgTooLong,
}

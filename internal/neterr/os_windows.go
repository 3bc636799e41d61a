package neterr

import "golang.org/x/sys/windows"

var native = windowsNumbers

// The numbers in windowsNumbers are Windows' own: this fails to compile
// (constant index out of range) if any differs from x/sys/windows.
func _() {
	var x [1]struct{}
	_ = x[windows.WSAEACCES-wsaeACCES]
	_ = x[windows.WSAEMSGSIZE-wsaeMSGSIZE]
	_ = x[windows.WSAEADDRINUSE-wsaeADDRINUSE]
	_ = x[windows.WSAEADDRNOTAVAIL-wsaeADDRNOTAVAIL]
	_ = x[windows.WSAENETDOWN-wsaeNETDOWN]
	_ = x[windows.WSAENETUNREACH-wsaeNETUNREACH]
	_ = x[windows.WSAENETRESET-wsaeNETRESET]
	_ = x[windows.WSAECONNABORTED-wsaeCONNABORTED]
	_ = x[windows.WSAECONNRESET-wsaeCONNRESET]
	_ = x[windows.WSAETIMEDOUT-wsaeTIMEDOUT]
	_ = x[windows.WSAECONNREFUSED-wsaeCONNREFUSED]
	_ = x[windows.WSAEHOSTDOWN-wsaeHOSTDOWN]
	_ = x[windows.WSAEHOSTUNREACH-wsaeHOSTUNREACH]
	_ = x[windows.ERROR_ACCESS_DENIED-errorACCESS_DENIED]
	_ = x[windows.ERROR_NETNAME_DELETED-errorNETNAME_DELETED]
	_ = x[windows.ERROR_NETWORK_ACCESS_DENIED-errorNETWORK_ACCESS_DENIED]
	_ = x[windows.ERROR_SEM_TIMEOUT-errorSEM_TIMEOUT]
	_ = x[windows.ERROR_MORE_DATA-errorMORE_DATA]
	_ = x[windows.ERROR_CONNECTION_REFUSED-errorCONNECTION_REFUSED]
	_ = x[windows.ERROR_ADDRESS_ALREADY_ASSOCIATED-errorADDRESS_ALREADY_ASSOC]
	_ = x[windows.ERROR_NETWORK_UNREACHABLE-errorNETWORK_UNREACHABLE]
	_ = x[windows.ERROR_HOST_UNREACHABLE-errorHOST_UNREACHABLE]
	_ = x[windows.ERROR_PORT_UNREACHABLE-errorPORT_UNREACHABLE]
	_ = x[windows.ERROR_CONNECTION_ABORTED-errorCONNECTION_ABORTED]
	_ = x[windows.ERROR_TIMEOUT-errorTIMEOUT]
}

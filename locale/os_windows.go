//go:build windows

package locale

import "golang.org/x/sys/windows"

// getUserDefaultUILanguage is kernel32's GetUserDefaultUILanguage: the
// language of the Windows user interface (what the technician reads),
// not the regional format.
var getUserDefaultUILanguage = windows.NewLazySystemDLL("kernel32.dll").NewProc("GetUserDefaultUILanguage")

func init() {
	osLanguage = func() string {
		if getUserDefaultUILanguage.Find() != nil {
			return ""
		}
		id, _, _ := getUserDefaultUILanguage.Call()
		return langIDTag(uint16(id))
	}
}

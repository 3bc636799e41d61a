/*
 * Test-only stub of bcryptprimitives.dll, for the Wine smoke test alone.
 *
 * Why: Go >= 1.22 fills its random numbers with ProcessPrng from
 * bcryptprimitives.dll (present since Windows 10) and dies at start-up
 * without it ("fatal error: bcryptprimitives.dll not found"). Debian's
 * Wine 8.0 has no such DLL. This stub answers ProcessPrng with
 * RtlGenRandom (advapi32 SystemFunction036), which Wine implements.
 * The test builds it with x86_64-w64-mingw32-gcc into its own temporary
 * WINEPREFIX only; it is never shipped, and real Windows 10+ has the DLL.
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buf, ULONG len);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
	while (len > 0) {
		ULONG n = len > 0x40000000 ? 0x40000000 : (ULONG)len;
		if (!SystemFunction036(data, n))
			return FALSE;
		data += n;
		len -= n;
	}
	return TRUE;
}

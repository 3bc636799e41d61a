package locale

// osLanguage returns the OS user-interface language tag where the OS keeps
// one outside the environment; per-OS files replace it ("" when unknown).
var osLanguage = func() string { return "" }

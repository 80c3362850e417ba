package wire

import (
	"fmt"
	"time"
)

// KST is Korea Standard Time, UTC+9. Korea has no daylight saving time, so a fixed zone is
// exact and needs no tzdata on the machine.
var KST = time.FixedZone("KST", 9*60*60)

// Layouts Korean vendors use. Every one is read and written in KST.
const (
	LayoutDateTime = "2006-01-02 15:04:05" // yyyy-MM-dd HH:mm:ss (Ssoda, Lunasoft reservations)
	LayoutMinute   = "2006-01-02 15:04"    // yyyy-MM-dd HH:mm (NHN reservations, ePost tracking)
	LayoutDate     = "20060102"            // yyyyMMdd (ePost reqYmd)
	LayoutCompact  = "20060102150405"      // yyyyMMddHHmmss (ePost resDate)
	LayoutDashDate = "2006-01-02"          // yyyy-MM-dd (Ssoda list filters)
)

// FormatKST formats t in KST with layout, whatever t's own location is.
func FormatKST(t time.Time, layout string) string {
	return t.In(KST).Format(layout)
}

// ParseKST parses s as a KST wall-clock time in layout.
func ParseKST(layout, s string) (time.Time, error) {
	t, err := time.ParseInLocation(layout, s, KST)
	if err != nil {
		return time.Time{}, fmt.Errorf("wire: time %q does not match %q", truncateForError(s), layout)
	}
	return t, nil
}

// ParseKSTAny parses s in the first of the vendor layouts it matches (LayoutDateTime,
// LayoutMinute, LayoutCompact, LayoutDate, LayoutDashDate).
func ParseKSTAny(s string) (time.Time, error) {
	for _, layout := range [...]string{LayoutDateTime, LayoutMinute, LayoutCompact, LayoutDate, LayoutDashDate} {
		if len(s) != len(layout) {
			continue
		}
		if t, err := time.ParseInLocation(layout, s, KST); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("wire: time %q matches no known layout", truncateForError(s))
}

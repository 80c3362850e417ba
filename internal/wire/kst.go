package wire

import (
	"fmt"
	"time"

	"github.com/kshop-dev/kshop"
)

// KST is kshop.KST(), Korea Standard Time (UTC+9, no daylight saving time), under a short name
// for the packages of this module.
var KST = kshop.KST()

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

// AppendKST appends t formatted in KST with layout to b, as FormatKST would write it.
func AppendKST(b []byte, t time.Time, layout string) []byte {
	return t.In(KST).AppendFormat(b, layout)
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

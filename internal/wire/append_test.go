package wire

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestAppendKSTWritesWhatFormatKSTReturns(t *testing.T) {
	t.Parallel()
	utc := time.Date(2026, 11, 21, 15, 30, 5, 0, time.UTC) // 2026-11-22 00:30:05 KST
	for _, layout := range []string{LayoutDateTime, LayoutMinute, LayoutDate, LayoutCompact, LayoutDashDate} {
		assert.Equal(t, `"`+FormatKST(utc, layout), string(AppendKST([]byte(`"`), utc, layout)), layout)
	}
	assert.Equal(t, "x2026-11-22 00:30:05", string(AppendKST([]byte("x"), utc.In(time.FixedZone("PST", -8*3600)), LayoutDateTime)))
}

package subscription

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCycleCodes(t *testing.T) {
	t.Parallel()
	want := []string{"1W", "2W", "3W", "4W", "1M", "2M", "3M", "4M", "5M", "6M", "1Y"}
	cycles := AllCycles()
	require.Len(t, cycles, len(want))
	for i, c := range cycles {
		assert.Equal(t, want[i], c.String())
		got, err := ParseCycle(want[i])
		require.NoError(t, err)
		assert.Equal(t, c, got)
		lower, err := ParseCycle(string(want[i][0]) + string(want[i][1]+'a'-'A'))
		require.NoError(t, err)
		assert.Equal(t, c, lower)
	}
	assert.Equal(t, 4, Cycle4W.Weeks())
	assert.Equal(t, 0, Cycle4W.Months())
	assert.Equal(t, 12, Cycle1Y.Months())
	assert.Equal(t, 6, Cycle6M.Months())
	assert.Equal(t, "Cycle(0)", Cycle(0).String())
}

func TestParseCycleRejects(t *testing.T) {
	t.Parallel()
	for _, in := range []string{"", "W", "0W", "5W", "7M", "12M", "2Y", "1D", " 1W", "1W ", "1w1", "１W", "01W"} {
		_, err := ParseCycle(in)
		problemOf(t, err, "Cycle", "%q", in)
	}
}

func TestCycleJSON(t *testing.T) {
	t.Parallel()
	b, err := json.Marshal(struct{ C Cycle }{Cycle2M})
	require.NoError(t, err)
	assert.JSONEq(t, `{"C":"2M"}`, string(b))
	var v struct{ C Cycle }
	require.NoError(t, json.Unmarshal([]byte(`{"C":"1y"}`), &v))
	assert.Equal(t, Cycle1Y, v.C)
	require.Error(t, json.Unmarshal([]byte(`{"C":"13M"}`), &v))
	_, err = json.Marshal(struct{ C Cycle }{Cycle(99)})
	require.Error(t, err)
}

func TestCycleAddTo(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		c      Cycle
		anchor Date
		want   []Date // n = 0, 1, 2, …
	}{
		{"1M from Jan 31 in a leap year clamps and keeps the anchor day", Cycle1M, d(2028, 1, 31),
			[]Date{d(2028, 1, 31), d(2028, 2, 29), d(2028, 3, 31), d(2028, 4, 30), d(2028, 5, 31), d(2028, 6, 30)}},
		{"1M from Jan 31 in a common year", Cycle1M, d(2027, 1, 31),
			[]Date{d(2027, 1, 31), d(2027, 2, 28), d(2027, 3, 31), d(2027, 4, 30)}},
		{"1M from Jan 30", Cycle1M, d(2026, 1, 30),
			[]Date{d(2026, 1, 30), d(2026, 2, 28), d(2026, 3, 30)}},
		{"2M from Dec 31 crosses the year", Cycle2M, d(2026, 12, 31),
			[]Date{d(2026, 12, 31), d(2027, 2, 28), d(2027, 4, 30), d(2027, 6, 30), d(2027, 8, 31)}},
		{"3M from Nov 30", Cycle3M, d(2027, 11, 30),
			[]Date{d(2027, 11, 30), d(2028, 2, 29), d(2028, 5, 30), d(2028, 8, 30)}},
		{"6M from Aug 31", Cycle6M, d(2027, 8, 31),
			[]Date{d(2027, 8, 31), d(2028, 2, 29), d(2028, 8, 31), d(2029, 2, 28)}},
		{"1Y from Feb 29 goes to Feb 28 and back to Feb 29", Cycle1Y, d(2028, 2, 29),
			[]Date{d(2028, 2, 29), d(2029, 2, 28), d(2030, 2, 28), d(2031, 2, 28), d(2032, 2, 29)}},
		{"1W across a month end", Cycle1W, d(2026, 1, 28),
			[]Date{d(2026, 1, 28), d(2026, 2, 4), d(2026, 2, 11)}},
		{"2W across Feb 29", Cycle2W, d(2028, 2, 22),
			[]Date{d(2028, 2, 22), d(2028, 3, 7), d(2028, 3, 21)}},
		{"4W", Cycle4W, d(2026, 12, 20),
			[]Date{d(2026, 12, 20), d(2027, 1, 17), d(2027, 2, 14)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			for n, want := range tt.want {
				assert.Equal(t, want, tt.c.AddTo(tt.anchor, n), "n=%d", n)
			}
		})
	}
	assert.Equal(t, d(2026, 1, 31), Cycle(0).AddTo(d(2026, 1, 31), 3), "invalid cycle leaves the anchor")
}

func FuzzParseCycle(f *testing.F) {
	for _, s := range []string{"1W", "4w", "6M", "1Y", "0W", "12M", "", "1\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseCycle(s)
		if err != nil {
			return
		}
		if !c.Valid() {
			t.Fatalf("ParseCycle(%q) returned invalid %d", s, c)
		}
		back, err := ParseCycle(c.String())
		if err != nil || back != c {
			t.Fatalf("ParseCycle(format(%v)) = %v, %v", c, back, err)
		}
	})
}

func FuzzCycleFormatParse(f *testing.F) {
	f.Add(uint8(1))
	f.Add(uint8(11))
	f.Add(uint8(0))
	f.Add(uint8(200))
	f.Fuzz(func(t *testing.T, v uint8) {
		c := Cycle(v)
		got, err := ParseCycle(c.String())
		if c.Valid() != (err == nil) {
			t.Fatalf("cycle %d: valid=%v but parse err=%v", v, c.Valid(), err)
		}
		if err == nil && got != c {
			t.Fatalf("parse(format(%d)) = %d", v, got)
		}
	})
}

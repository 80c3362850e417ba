package wire

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestThousands(t *testing.T) {
	t.Parallel()
	for n, want := range map[int64]string{0: "0", 7: "7", 999: "999", 1000: "1,000", 7500: "7,500", 1234000: "1,234,000",
		-1200: "-1,200", -999: "-999", math.MinInt64: "-9,223,372,036,854,775,808", math.MaxInt64: "9,223,372,036,854,775,807"} {
		assert.Equal(t, want, Thousands(n), "%d", n)
	}
}

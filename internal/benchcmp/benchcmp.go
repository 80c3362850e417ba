package benchcmp

import (
	"os"
	"testing"
)

// Pair runs one comparison under b: the SDK's fn as "kshop" and the hand-written baseline as
// "baseline". When the environment sets KSHOP_BENCH_FLIP=1 the baseline runs first, so that
// warm-up and machine drift favour neither side across rounds.
func Pair(b *testing.B, path string, kshop, baseline func(b *testing.B)) {
	b.Helper()
	b.Run(path, func(b *testing.B) {
		if os.Getenv("KSHOP_BENCH_FLIP") == "1" {
			b.Run("baseline", baseline)
			b.Run("kshop", kshop)
			return
		}
		b.Run("kshop", kshop)
		b.Run("baseline", baseline)
	})
}

package benchcmp_test

import (
	"encoding/json"
	"testing"

	"github.com/kshop-dev/kshop/internal/benchcmp"
)

// A package's comparisons live in its BenchmarkCompare, one Pair per measured path.
func ExamplePair() {
	_ = func(b *testing.B) { // func BenchmarkCompare(b *testing.B)
		v := map[string]string{"to": "01012345678"}
		benchcmp.Pair(b, "json.Marshal@none", func(b *testing.B) {
			for b.Loop() {
				_, _ = json.Marshal(v)
			}
		}, func(b *testing.B) {
			for b.Loop() {
				_, _ = json.Marshal(v)
			}
		})
	}
}

package benchcmp

import (
	"runtime"
	"testing"
	"time"
)

func BenchmarkCompare(b *testing.B) {
	Pair(b, "noop@none", func(b *testing.B) {
		for b.Loop() {
		}
	}, func(b *testing.B) {
		for b.Loop() {
		}
	})
}

func TestPairRunsBothSidesInOrder(t *testing.T) {
	var order []string
	res := testing.Benchmark(func(b *testing.B) {
		order = order[:0]
		Pair(b, "p", func(b *testing.B) {
			order = append(order, "kshop")
			for b.Loop() {
			}
		}, func(b *testing.B) {
			order = append(order, "baseline")
			for b.Loop() {
			}
		})
	})
	_ = res
	if len(order) < 2 {
		t.Fatalf("both sides must run, got %v", order)
	}
	t.Setenv("KSHOP_BENCH_FLIP", "1")
	var flipped []string
	testing.Benchmark(func(b *testing.B) {
		flipped = flipped[:0]
		Pair(b, "p", func(b *testing.B) {
			flipped = append(flipped, "kshop")
			for b.Loop() {
			}
		}, func(b *testing.B) {
			flipped = append(flipped, "baseline")
			for b.Loop() {
			}
		})
	})
	if len(flipped) < 2 || flipped[0] != "baseline" {
		t.Fatalf("KSHOP_BENCH_FLIP=1 must run the baseline first, got %v", flipped)
	}
	if order[0] != "kshop" {
		t.Fatalf("the SDK runs first by default, got %v", order)
	}
}

func TestPeakLiveSeesWhatTheCallHolds(t *testing.T) {
	const size = 8 << 20
	peak, held := PeakLive(func() any {
		buf := make([]byte, size)
		for i := range buf {
			buf[i] = byte(i)
		}
		time.Sleep(10 * time.Millisecond) // let the sampler see it
		return buf
	})
	// Within 1/16: whatever else was live before the call (another test's garbage under
	// -count or -shuffle) may be freed meanwhile and lower both by a little.
	if held < size-size/16 || peak < size-size/16 {
		t.Fatalf("an 8 MiB result must show in held and peak: peak %d, held %d", peak, held)
	}
	peak, held = PeakLive(func() any { return nil })
	if held > size/4 || peak > size/4 {
		t.Fatalf("a call holding nothing must show little: peak %d, held %d", peak, held)
	}
	// Memory held during the call only: the sampler alone can see it.
	peak, held = PeakLive(func() any {
		buf := make([]byte, size)
		for i := range buf {
			buf[i] = byte(i)
		}
		time.Sleep(50 * time.Millisecond)
		runtime.KeepAlive(buf)
		return nil
	})
	if peak < size-size/16 || held > size/4 {
		t.Fatalf("an 8 MiB working set dropped before returning must show in peak only: peak %d, held %d", peak, held)
	}
}

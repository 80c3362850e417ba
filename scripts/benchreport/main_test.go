package main

import (
	"bytes"
	"strings"
	"testing"
)

const sample = `# round 1 flip=0
goos: linux
goarch: amd64
pkg: github.com/kshop-dev/kshop/epost
cpu: Some CPU @ 2.0GHz
BenchmarkCompare/epost.InsertOrder@minimal/kshop-2   	    2882	    120000 ns/op	   22000 B/op	     248 allocs/op
BenchmarkCompare/epost.InsertOrder@minimal/baseline-2         	    3261	    100000 ns/op	   20000 B/op	     280 allocs/op
BenchmarkCompare/ssoda.Bulk1000x4@minimal/kshop-2   	   10	  50000000 ns/op	  20000 msg/s	 1000 B/op	 10 allocs/op
BenchmarkCompare/ssoda.Bulk1000x4@minimal/baseline-2	   10	  40000000 ns/op	  25000 msg/s	 1000 B/op	 10 allocs/op
BenchmarkCompare/ssoda.Bulk10000x4@minimal/kshop-2   	   1	  500000000 ns/op	  20000 msg/s	 1500000 peak-live-B
BenchmarkCompare/ledgersql.Claim@sqlite-c32/kshop-2   	    3247	    100696 ns/op	      9931 claims/s	     825 B/op	      15 allocs/op
BenchmarkCompare/ledgersql.Claim@sqlite-c32/baseline-2        	    3502	    233603 ns/op	      4281 claims/s	     338 B/op	      11 allocs/op
PASS
ok  	github.com/kshop-dev/kshop/epost	10.194s
# round 2 flip=1
BenchmarkCompare/epost.InsertOrder@minimal/baseline-2         	    3261	    110000 ns/op	   20000 B/op	     280 allocs/op
BenchmarkCompare/epost.InsertOrder@minimal/kshop-2   	    2882	    121000 ns/op	   22000 B/op	     248 allocs/op
BenchmarkCompare/ssoda.Bulk1000x4@minimal/baseline-2	   10	  40000000 ns/op	  25000 msg/s	 1000 B/op	 10 allocs/op
BenchmarkCompare/ssoda.Bulk1000x4@minimal/kshop-2   	   10	  45000000 ns/op	  22500 msg/s	 1000 B/op	 10 allocs/op
BenchmarkCompare/epost.InsertOrder@fake
# round 3 flip=0
BenchmarkCompare/epost.InsertOrder@minimal/kshop-2   	    2882	    130000 ns/op	   22000 B/op	     248 allocs/op
BenchmarkDue/due=2%-2        	     108	   3167548 ns/op	      4003 due	        15.84 ns/sub	       0 B/op	       0 allocs/op
BenchmarkDue/due=2%-2        	     108	   3000000 ns/op	      4003 due	        15.00 ns/sub	       0 B/op	       0 allocs/op
`

func TestParseReadsRoundsSidesAndMetrics(t *testing.T) {
	t.Parallel()
	rep, err := parse(strings.NewReader(sample))
	if err != nil {
		t.Fatal(err)
	}
	if rep.rounds != 3 {
		t.Fatalf("rounds = %d, want 3", rep.rounds)
	}
	want := []string{"epost.InsertOrder@minimal", "ssoda.Bulk1000x4@minimal", "ssoda.Bulk10000x4@minimal", "ledgersql.Claim@sqlite-c32"}
	if strings.Join(rep.paths, ",") != strings.Join(want, ",") {
		t.Fatalf("paths = %v, want %v", rep.paths, want)
	}
	io := rep.pairs["epost.InsertOrder@minimal"]
	if got := io.kshop[1][unitTime]; got != 120000 {
		t.Fatalf("round 1 kshop ns/op = %v", got)
	}
	if got := io.baseline[2][unitAllocs]; got != 280 {
		t.Fatalf("round 2 baseline allocs/op = %v", got)
	}
	if io.rounds() != 2 {
		t.Fatalf("paired rounds = %d, want 2 (round 3 has no baseline)", io.rounds())
	}
	r, ok := summarize(io.ratios(unitTime))
	if !ok || r.n != 2 || r.min != 1.1 || r.max != 1.2 || r.median != 1.15 {
		t.Fatalf("time ratio = %+v, want median 1.15 over [1.1, 1.2]", r)
	}
	bulk := rep.pairs["ssoda.Bulk1000x4@minimal"]
	if bulk.throughputUnit() != "msg/s" {
		t.Fatalf("throughput unit = %q, want msg/s", bulk.throughputUnit())
	}
	if tp, _ := summarize(bulk.ratios("msg/s")); tp.min != 0.8 || tp.max != 0.9 {
		t.Fatalf("throughput ratio = %+v, want [0.8, 0.9]", tp)
	}
	if got := rep.pairs["ssoda.Bulk10000x4@minimal"].kshop[1][unitPeakLive]; got != 1500000 {
		t.Fatalf("peak-live-B = %v", got)
	}
	if len(rep.singles) != 1 || rep.singles[0] != "BenchmarkDue/due=2%" || len(rep.single["BenchmarkDue/due=2%"]) != 2 {
		t.Fatalf("singles = %v %v", rep.singles, rep.single)
	}
}

func TestParseLineAndNames(t *testing.T) {
	t.Parallel()
	name, res, ok := parseLine("BenchmarkCompare/happytalk.Build@none/kshop-16 \t 119850 \t 2641 ns/op \t 800 B/op \t 12 allocs/op")
	if !ok || name != "BenchmarkCompare/happytalk.Build@none/kshop" || res[unitTime] != 2641 || res[unitBytes] != 800 || res[unitAllocs] != 12 {
		t.Fatalf("got %q %v %v", name, res, ok)
	}
	for _, bad := range []string{"BenchmarkCompare/x", "BenchmarkX 12", "BenchmarkX abc 1 ns/op", "BenchmarkX 1 x ns/op"} {
		if _, _, ok := parseLine(bad); ok {
			t.Fatalf("%q parsed", bad)
		}
	}
	for in, want := range map[string]string{"BenchmarkA-2": "BenchmarkA", "BenchmarkA": "BenchmarkA", "BenchmarkA/b-c": "BenchmarkA/b-c", "BenchmarkA-": "BenchmarkA-"} {
		if got := trimProcs(in); got != want {
			t.Fatalf("trimProcs(%q) = %q, want %q", in, got, want)
		}
	}
	if _, err := parse(strings.NewReader("# round x\n")); err == nil {
		t.Fatal("a bad round marker was accepted")
	}
}

func TestWritePrintsOneRowPerPath(t *testing.T) {
	t.Parallel()
	rep, err := parse(strings.NewReader(sample))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	rep.write(&out)
	text := out.String()
	for _, want := range []string{
		"| epost.InsertOrder@minimal | 2 | 121 µs / 105 µs | 1.15× [1.10–1.20] | 248 / 280 | 0.89× [0.89–0.89] |",
		"| 21.2k / 25.0k msg/s | 0.85× [0.80–0.90] |",
		"| 9.9k / 4.3k claims/s | 2.32× [2.32–2.32] |",
		"| ssoda.Bulk10000x4@minimal | 0 |",
		"1.4 MiB / –",
		"| BenchmarkDue/due=2% | 3.08 ms |",
		"15.42 ns/sub",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("table lacks %q:\n%s", want, text)
		}
	}
}

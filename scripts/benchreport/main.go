// Command benchreport turns the output of scripts/bench into one Markdown table of paired
// ratios. It reads Go benchmark output from standard input (or the files named as
// arguments) in which scripts/bench has marked each round with a line "# round N". Every
// comparison is a pair of sub-benchmarks BenchmarkCompare/<path>/kshop and
// BenchmarkCompare/<path>/baseline (see internal/benchcmp); for each path it prints the
// median of each side over the rounds and the ratio kshop/baseline computed within each
// round, as its median and [min–max] range. Other benchmark lines are listed after the table
// with their median values.
//
//	scripts/bench            # builds, runs the rounds, calls benchreport
//	go run ./scripts/benchreport < bench.txt
package main

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
)

// Units scripts/bench reports on (as the testing package and benchcmp users write them).
const (
	unitTime     = "ns/op"
	unitAllocs   = "allocs/op"
	unitBytes    = "B/op"
	unitPeakLive = "peak-live-B"
)

// throughputUnits are the rates a comparison may report, in the order looked for: bulk sends
// report messages a second, the SQL stores' claim benchmarks claims a second. A pair shows the
// first one it has in the throughput columns.
var throughputUnits = []string{"msg/s", "claims/s"}

// result is one benchmark line: its metrics by unit.
type result map[string]float64

// pair holds each round's result of both sides of one comparison.
type pair struct {
	kshop, baseline map[int]result // by round
}

// report is everything read.
type report struct {
	paths   []string         // comparison paths in first-seen order
	pairs   map[string]*pair // by path
	singles []string         // other benchmarks in first-seen order
	single  map[string][]result
	rounds  int
}

func newReport() *report {
	return &report{pairs: map[string]*pair{}, single: map[string][]result{}}
}

// parse reads benchmark output. Lines other than round markers and benchmark results
// (goos, pkg, PASS, logs) are ignored.
func parse(r io.Reader) (*report, error) {
	rep := newReport()
	round := 0
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if rest, ok := strings.CutPrefix(line, "# round "); ok {
			n, err := strconv.Atoi(strings.Fields(rest + " ")[0])
			if err != nil {
				return nil, fmt.Errorf("bad round marker %q", line)
			}
			round = n
			rep.rounds = max(rep.rounds, n)
			continue
		}
		if !strings.HasPrefix(line, "Benchmark") {
			continue
		}
		name, res, ok := parseLine(line)
		if !ok {
			continue // a benchmark's name echoed alone, or its log output
		}
		if rest, ok := strings.CutPrefix(name, "BenchmarkCompare/"); ok {
			i := strings.LastIndexByte(rest, '/')
			if i > 0 && (rest[i+1:] == "kshop" || rest[i+1:] == "baseline") {
				rep.add(rest[:i], rest[i+1:], round, res)
				continue
			}
		}
		if _, seen := rep.single[name]; !seen {
			rep.singles = append(rep.singles, name)
		}
		rep.single[name] = append(rep.single[name], res)
	}
	return rep, sc.Err()
}

func (rep *report) add(path, side string, round int, res result) {
	p := rep.pairs[path]
	if p == nil {
		p = &pair{kshop: map[int]result{}, baseline: map[int]result{}}
		rep.pairs[path] = p
		rep.paths = append(rep.paths, path)
	}
	if side == "kshop" {
		p.kshop[round] = res
	} else {
		p.baseline[round] = res
	}
}

// parseLine reads "BenchmarkX/y-2  1234  567 ns/op  89 B/op ..." into the name without its
// GOMAXPROCS suffix and the metrics.
func parseLine(line string) (string, result, bool) {
	f := strings.Fields(line)
	if len(f) < 4 || len(f)%2 != 0 {
		return "", nil, false
	}
	if _, err := strconv.ParseInt(f[1], 10, 64); err != nil {
		return "", nil, false
	}
	res := result{}
	for i := 2; i+1 < len(f); i += 2 {
		v, err := strconv.ParseFloat(f[i], 64)
		if err != nil {
			return "", nil, false
		}
		res[f[i+1]] = v
	}
	return trimProcs(f[0]), res, true
}

// trimProcs drops the "-N" the testing package appends when GOMAXPROCS is not 1.
func trimProcs(name string) string {
	i := strings.LastIndexByte(name, '-')
	if i < 0 || i == len(name)-1 {
		return name
	}
	for _, c := range name[i+1:] {
		if c < '0' || c > '9' {
			return name
		}
	}
	return name[:i]
}

// stats is a median with its range.
type stats struct {
	median, min, max float64
	n                int
}

func summarize(vals []float64) (stats, bool) {
	if len(vals) == 0 {
		return stats{}, false
	}
	s := slices.Clone(vals)
	slices.Sort(s)
	m := s[len(s)/2]
	if len(s)%2 == 0 {
		m = (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	return stats{median: m, min: s[0], max: s[len(s)-1], n: len(s)}, true
}

// sideValues are one side's values of a unit over the rounds.
func sideValues(rounds map[int]result, unit string) []float64 {
	var out []float64
	for _, r := range rounds {
		if v, ok := r[unit]; ok {
			out = append(out, v)
		}
	}
	return out
}

// ratios are kshop/baseline of a unit, within each round that has both.
func (p *pair) ratios(unit string) []float64 {
	var out []float64
	for round, k := range p.kshop {
		b, ok := p.baseline[round]
		if !ok {
			continue
		}
		kv, ok1 := k[unit]
		bv, ok2 := b[unit]
		if ok1 && ok2 && bv != 0 {
			out = append(out, kv/bv)
		}
	}
	return out
}

// rounds counts the rounds in which both sides ran.
func (p *pair) rounds() int {
	n := 0
	for round := range p.kshop {
		if _, ok := p.baseline[round]; ok {
			n++
		}
	}
	return n
}

func fmtTime(ns float64) string {
	switch {
	case ns >= 1e9:
		return fmt.Sprintf("%.2f s", ns/1e9)
	case ns >= 1e6:
		return fmt.Sprintf("%.2f ms", ns/1e6)
	case ns >= 1e3:
		return fmt.Sprintf("%.3g µs", ns/1e3)
	}
	return fmt.Sprintf("%.3g ns", ns)
}

func fmtBytes(b float64) string {
	switch {
	case b >= 1<<20:
		return fmt.Sprintf("%.1f MiB", b/(1<<20))
	case b >= 1<<10:
		return fmt.Sprintf("%.1f KiB", b/(1<<10))
	}
	return fmt.Sprintf("%.0f B", b)
}

func fmtCount(n float64) string {
	if n == math.Trunc(n) {
		return strconv.FormatFloat(n, 'f', 0, 64)
	}
	return strconv.FormatFloat(n, 'f', 1, 64)
}

// fmtMetric writes a whole number in full and anything else to 4 significant digits.
func fmtMetric(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return strconv.FormatFloat(v, 'g', 4, 64)
}

func fmtRate(r float64) string {
	if r >= 1e3 {
		return fmt.Sprintf("%.1fk", r/1e3)
	}
	return fmt.Sprintf("%.0f", r)
}

func fmtRatio(s stats) string {
	return fmt.Sprintf("%.2f× [%.2f–%.2f]", s.median, s.min, s.max)
}

// cell is "kshop / baseline" medians of a unit, or "" when neither side reports it.
func (p *pair) cell(unit string, format func(float64) string) string {
	k, okK := summarize(sideValues(p.kshop, unit))
	b, okB := summarize(sideValues(p.baseline, unit))
	if !okK && !okB {
		return ""
	}
	ks, bs := "–", "–"
	if okK {
		ks = format(k.median)
	}
	if okB {
		bs = format(b.median)
	}
	return ks + " / " + bs
}

// throughputUnit is the first of throughputUnits either side reports, "" for none.
func (p *pair) throughputUnit() string {
	for _, u := range throughputUnits {
		for _, side := range []map[int]result{p.kshop, p.baseline} {
			for _, r := range side {
				if _, ok := r[u]; ok {
					return u
				}
			}
		}
	}
	return ""
}

// throughputCells are the throughput columns: "kshop / baseline unit" and the ratio.
func (p *pair) throughputCells() (string, string) {
	u := p.throughputUnit()
	if u == "" {
		return "", ""
	}
	return p.cell(u, fmtRate) + " " + u, p.ratioCell(u)
}

func (p *pair) ratioCell(unit string) string {
	s, ok := summarize(p.ratios(unit))
	if !ok {
		return ""
	}
	return fmtRatio(s)
}

// write prints the table of pairs and then the other benchmarks.
func (rep *report) write(w io.Writer) {
	if len(rep.paths) > 0 {
		fmt.Fprintln(w, "| path | rounds | time/op kshop / baseline | time ratio | allocs/op kshop / baseline | allocs ratio | B/op kshop / baseline | B ratio | throughput kshop / baseline | throughput ratio | peak-live-B kshop / baseline |")
		fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|---|---|---|")
		for _, path := range rep.paths {
			p := rep.pairs[path]
			tp, tpRatio := p.throughputCells()
			fmt.Fprintf(w, "| %s | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", path, p.rounds(),
				p.cell(unitTime, fmtTime), p.ratioCell(unitTime),
				p.cell(unitAllocs, fmtCount), p.ratioCell(unitAllocs),
				p.cell(unitBytes, fmtBytes), p.ratioCell(unitBytes),
				tp, tpRatio,
				p.cell(unitPeakLive, fmtBytes))
		}
		fmt.Fprintln(w)
		fmt.Fprintln(w, "Ratios are kshop/baseline within each round (median [min–max]); for throughput (msg/s, claims/s), kshop's over the baseline's (above 1 is faster).")
	}
	if len(rep.singles) > 0 {
		if len(rep.paths) > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintln(w, "| benchmark | time/op | other metrics (median) |")
		fmt.Fprintln(w, "|---|---|---|")
		for _, name := range rep.singles {
			runs := rep.single[name]
			t, _ := summarize(valuesOf(runs, unitTime))
			var units []string
			for u := range runs[0] {
				if u != unitTime {
					units = append(units, u)
				}
			}
			slices.Sort(units)
			var extra []string
			for _, u := range units {
				s, _ := summarize(valuesOf(runs, u))
				extra = append(extra, fmtMetric(s.median)+" "+u)
			}
			fmt.Fprintf(w, "| %s | %s | %s |\n", name, fmtTime(t.median), strings.Join(extra, ", "))
		}
	}
}

func valuesOf(runs []result, unit string) []float64 {
	var out []float64
	for _, r := range runs {
		if v, ok := r[unit]; ok {
			out = append(out, v)
		}
	}
	return out
}

func main() {
	var in io.Reader = os.Stdin
	if len(os.Args) > 1 {
		var readers []io.Reader
		for _, name := range os.Args[1:] {
			f, err := os.Open(name)
			if err != nil {
				fmt.Fprintln(os.Stderr, "benchreport:", err)
				os.Exit(1)
			}
			defer f.Close()
			readers = append(readers, f)
		}
		in = io.MultiReader(readers...)
	}
	rep, err := parse(in)
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchreport:", err)
		os.Exit(1)
	}
	if len(rep.paths) == 0 && len(rep.singles) == 0 {
		fmt.Fprintln(os.Stderr, "benchreport: no benchmark results in the input")
		os.Exit(1)
	}
	rep.write(os.Stdout)
}

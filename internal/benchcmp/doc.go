// Package benchcmp gives the SDK's comparison benchmarks one shape, so scripts/bench can pair
// them: every comparison is a sub-benchmark of a package's BenchmarkCompare named after the path
// it measures ("ssoda.Send@minimal", "epost.InsertOrder@fake"), with two children, "kshop" and
// "baseline", run one after the other in the same process. scripts/bench runs the pairs in
// rounds, flipping their order every other round (KSHOP_BENCH_FLIP=1), and reports the paired
// ratios.
package benchcmp

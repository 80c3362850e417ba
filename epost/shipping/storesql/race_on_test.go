//go:build race

package storesql_test

// raceOn: the race detector instruments modernc.org/sqlite's translated C as well, which
// makes SQLite some twenty times slower; the SQLite sizes shrink so the package stays quick.
const raceOn = true

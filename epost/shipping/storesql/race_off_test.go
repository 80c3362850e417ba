//go:build !race

package storesql_test

const raceOn = false

package kshop

import "time"

var kst = time.FixedZone("KST", 9*60*60)

// KST returns Korea Standard Time, UTC+9, the zone every kshop package reads and writes vendor
// times in. Korea has no daylight saving time, so a fixed zone is exact and needs no tzdata on the
// machine. It returns the same *time.Location every time.
func KST() *time.Location { return kst }

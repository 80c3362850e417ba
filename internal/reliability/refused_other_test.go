//go:build !unix

package reliability_test

import (
	"net"
	"testing"
)

// reservePort returns a loopback address whose listener was just closed: connecting to it is
// refused. Without a bound-but-not-listening socket the port may be reused, which only matters
// when tests start servers at the same moment.
func reservePort(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	return addr
}

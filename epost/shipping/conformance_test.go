package shipping_test

import (
	"testing"

	"github.com/kshop-dev/kshop/epost/shipping"
	"github.com/kshop-dev/kshop/epost/shipping/shippingtest"
)

// The MemoryStore passes the Store conformance suite that the SQL store passes on SQLite and
// PostgreSQL (epost/shipping/storesql).
func TestMemoryStoreConformance(t *testing.T) {
	t.Parallel()
	shippingtest.Run(t, func(*testing.T) shipping.Store { return shipping.NewMemoryStore() })
}

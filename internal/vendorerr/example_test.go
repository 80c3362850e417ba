package vendorerr_test

import (
	"fmt"

	"github.com/kshop-dev/kshop/internal/vendorerr"
)

func Example() {
	fmt.Println(vendorerr.APIText("ssoda", "Send", 400, "400", "unknown template", false))
	fmt.Println(vendorerr.Retryable(503, false), vendorerr.Retryable(503, true))
	// Output:
	// ssoda: Send: HTTP 400, code 400: unknown template
	// true false
}

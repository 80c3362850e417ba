package fakefault_test

import (
	"fmt"

	"github.com/kshop-dev/kshop/internal/fakefault"
)

// A fake server queues faults per path and takes one use per request.
func ExampleQueue() {
	var faults fakefault.Queue[string]
	faults.Push("/kakao/send/alimtalk", 2, "drop after read")

	for i := 0; i < 3; i++ {
		f, ok := faults.Take("/kakao/send/alimtalk")
		fmt.Println(i, f, ok)
	}
	// Output:
	// 0 drop after read true
	// 1 drop after read true
	// 2  false
}

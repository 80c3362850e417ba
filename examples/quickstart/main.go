// Command quickstart is the first thing to run after cloning kshop. It runs offline and exits 0.
//
// This first version shows the foundation every vendor package builds on; it grows as the
// vendor packages land.
package main

import (
	"fmt"
	"os"

	"github.com/kshop-dev/kshop"
	"github.com/kshop-dev/kshop/internal/phone"
)

func main() {
	fmt.Printf("kshop-go %s\n", kshop.Version)
	n, err := phone.Parse("+82 10-1234-5678")
	if err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
	fmt.Printf("recipient %s (%s), as logs show it\n", n.Masked(), n.Kind())
}

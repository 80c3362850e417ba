package secret_test

import (
	"fmt"

	"github.com/kshop-dev/kshop/internal/secret"
)

type apiKey string

func (k apiKey) Format(f fmt.State, verb rune) { secret.Format(f, verb, secret.Mask(string(k))) }

// A type that formats itself through secret.Format prints only its mask, whatever the verb.
func ExampleFormat() {
	k := apiKey("sk-live-0123456789")
	fmt.Printf("%v %#v %q\n", k, k, k)
	// Output: REDACTED(18 chars) REDACTED(18 chars) "REDACTED(18 chars)"
}

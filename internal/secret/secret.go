package secret

import (
	"fmt"
	"io"
	"strconv"
)

// Mask renders a key as "REDACTED(n chars)", or `""` when it is empty, so a reader can tell a
// missing key from a present one without seeing it.
func Mask(key string) string {
	if key == "" {
		return `""`
	}
	return "REDACTED(" + strconv.Itoa(len(key)) + " chars)"
}

// Format writes text for every verb (it implements fmt.Formatter for a type whose fields hold
// secrets): %q quotes it; every other verb, %#v included, prints it as it is. Reflection never
// runs, so no field can leak through a verb the type forgot.
func Format(f fmt.State, verb rune, text string) {
	if verb == 'q' {
		text = strconv.Quote(text)
	}
	_, _ = io.WriteString(f, text)
}

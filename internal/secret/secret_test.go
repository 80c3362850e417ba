package secret

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
)

type creds struct{ Key string }

func (c creds) String() string                { return "creds{Key:" + Mask(c.Key) + "}" }
func (c creds) Format(f fmt.State, verb rune) { Format(f, verb, c.String()) }

func TestEveryVerbShowsOnlyTheMask(t *testing.T) {
	t.Parallel()
	c := creds{Key: "sk-live-0123456789"}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d", "%10v"} {
		out := fmt.Sprintf(verb, c)
		assert.NotContains(t, out, "0123456789", verb)
		assert.Contains(t, out, "REDACTED(18 chars)", verb)
	}
	assert.Contains(t, fmt.Sprintf("%v", []creds{c}), "REDACTED(18 chars)")
	assert.Contains(t, fmt.Sprintf("%+v", struct{ C creds }{c}), "REDACTED(18 chars)")
	assert.Equal(t, `""`, Mask(""))
}

package wire

import (
	"context"

	"github.com/kshop-dev/kshop"
)

// CheckContext returns a *kshop.ValidationError naming op when ctx is nil, as net/http refuses a
// nil context, so that every exported method that takes a context fails with a typed error
// instead of panicking deep inside the transport.
func CheckContext(ctx context.Context, op string) error {
	if ctx != nil {
		return nil
	}
	return &kshop.ValidationError{Op: op, Problems: []*kshop.FieldError{{
		Field: "ctx", Rule: kshop.RuleRequired, Detail: "pass context.Background() or a request's context",
	}}}
}

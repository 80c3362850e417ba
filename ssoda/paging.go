package ssoda

import (
	"context"
	"iter"
	"strings"

	"github.com/kshop-dev/kshop/internal/wire"
)

// maxPages bounds every All… iterator, so that a misbehaving server cannot make a listing
// endless even when each of its pages differs.
const maxPages = 10000

// paginate yields every item of every page, fetching page 1, 2, … until a page is shorter
// than limit (or empty). When a page repeats the previous page exactly (a server ignoring the
// page parameter) it yields ErrPagingStalled and stops. A fetch error is yielded and ends the
// iteration. key identifies an item for the repetition check.
func paginate[T any](ctx context.Context, op string, limit int, fetch func(ctx context.Context, page int) ([]T, error), key func(T) string) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		if err := wire.CheckContext(ctx, "ssoda."+op); err != nil {
			yield(zero, err)
			return
		}
		prev := ""
		for page := 1; page <= maxPages; page++ {
			if err := ctx.Err(); err != nil {
				yield(zero, err)
				return
			}
			items, err := fetch(ctx, page)
			if err != nil {
				yield(zero, err)
				return
			}
			if len(items) == 0 {
				return
			}
			sig := signature(items, key)
			if page > 1 && sig == prev {
				yield(zero, ErrPagingStalled)
				return
			}
			prev = sig
			for _, it := range items {
				if !yield(it, nil) {
					return
				}
			}
			if len(items) < limit {
				return
			}
		}
		yield(zero, ErrPagingStalled)
	}
}

func signature[T any](items []T, key func(T) string) string {
	var b strings.Builder
	for _, it := range items {
		b.WriteString(key(it))
		b.WriteByte(0)
	}
	return b.String()
}

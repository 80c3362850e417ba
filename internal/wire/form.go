package wire

import (
	"fmt"
	"net/url"

	"github.com/google/go-querystring/query"
)

// Values encodes a struct tagged with `url:"name,omitempty"` into url.Values, for query strings
// and application/x-www-form-urlencoded bodies. Times are not converted: format them with
// FormatKST into string fields first, because vendors expect KST wall-clock text.
func Values(v any) (url.Values, error) {
	vals, err := query.Values(v)
	if err != nil {
		return nil, fmt.Errorf("wire: encode form: %w", err)
	}
	return vals, nil
}

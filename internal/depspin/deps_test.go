// Package depspin keeps every dependency of the module in go.mod and go.sum while the packages
// that use them are being written. It has no code and will go once they exist.
package depspin

import (
	_ "github.com/RyuaNerin/go-krypto/seed"
	_ "github.com/google/go-querystring/query"
	_ "github.com/hashicorp/go-retryablehttp"
	_ "github.com/jarcoal/httpmock"
	_ "github.com/nyaruka/phonenumbers"
	_ "github.com/stretchr/testify/assert"
	_ "github.com/stretchr/testify/require"
	_ "go.uber.org/goleak"
	_ "golang.org/x/text/encoding/korean"
)

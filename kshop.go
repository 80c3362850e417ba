package kshop

import "github.com/kshop-dev/kshop/internal/kerr"

// Version is the SDK's version, sent in the User-Agent header as kshop-go/<Version>.
const Version = "0.1.0"

// ErrOutcomeUnknown is wrapped by every error of a non-idempotent call (an AlimTalk send, a
// parcel booking, a cancel) when the request may have reached the vendor but no conclusive
// answer came back. Every vendor package re-exports this same value.
var ErrOutcomeUnknown = kerr.ErrOutcomeUnknown

// APIError is the method set every vendor's *APIError implements: the HTTP status, the vendor's
// own result code, and whether trying again may succeed.
type APIError = kerr.APIError

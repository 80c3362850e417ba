// Package secret keeps API keys out of every way a value can be printed. Vendor packages give
// their Credentials and Client types String, GoString, Format, MarshalJSON and LogValue methods
// built from these helpers, so %v, %+v, %#v, %s, %q, encoding/json and log/slog all show only a
// key's length.
package secret

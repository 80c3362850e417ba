// Package reliability holds the SDK's black-box reliability suite: tests that use only the
// exported API of kshop, ssoda, epost, alimtalk, subscription and happytalk, as a user would,
// to check the README's first promise (a customer never gets the same message twice and a
// parcel is never booked twice because of the SDK) and that secrets and personal data never
// leak.
//
// The package has no code of its own. Its tests are:
//
//   - A scripted raw-TCP fault server on 127.0.0.1 (faultserver_test.go) that reads just
//     enough HTTP/1.1 to count the requests it fully received, and misbehaves on purpose:
//     refused connections, FIN or RST before the request is read, a close after a full read,
//     an answer after the client's deadline, 429 with Retry-After, 5xx with and without a
//     body, truncated bodies, HTML pages, vendor error codes, redirects, a status line
//     followed by silence, and a 5xx timed at the moment the caller's context ends.
//   - The fault matrix (cells_test.go): every non-idempotent call of every vendor client
//     through every fault, asserting the requests received, errors.Is(err,
//     kshop.ErrOutcomeUnknown) exactly when the outcome is unknown, and the per-message
//     alimtalk.Result status, plus thousands of randomly timed cancellations.
//   - The dispatcher end to end (dispatcher_test.go): alimtalk.Dispatcher with its
//     MemoryLedger over an ssoda client never sends a re-delivered event twice.
//   - Reconciliation against shapeless answers (reconcile_test.go): never "not found".
//   - Keep-alive races (keepalive_test.go): thousands of sends over connections the server
//     closes at random, with zero duplicates.
//   - A secret and personal-data scan (leaks_test.go) over every log line (slog JSON and
//     text handlers at debug level) and every error (Error, %v, %+v, %#v) of the whole
//     suite, and goleak over all of it.
//   - A bad-input table (badinput_test.go): every case gets a typed error and the server
//     receives nothing.
//   - Hostile answers (hostile_test.go): deep nesting, 10 MB bodies, gzip bombs, XML
//     entities, wrong JSON types and byte-order marks give no panic, no hang and no false
//     success.
//
// Everything runs in-process over loopback; nothing touches the internet. `go test -short`
// trims the randomized counts but never skips a cell.
package reliability

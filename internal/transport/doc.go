// Package transport is the HTTP layer every kshop vendor client uses. It is built on
// github.com/hashicorp/go-retryablehttp, configured so that a retry can never send a customer the
// same message twice or book the same parcel twice.
//
// Every call declares its Class:
//
//   - Idempotent calls (lists, lookups, tracking) are retried on transport errors, on 429 and on
//     5xx except 501, with exponential backoff and full jitter.
//   - NonIdempotent calls (sends, bookings, cancels) are retried only when the attempt provably
//     never reached the server — the request was not completely written (DNS, dial and TLS
//     failures, refused connections, a failed write; tracked per attempt with net/http/httptrace)
//     — or when the server answered 429. Any other failure after the request was written (a
//     timeout, a reset, EOF, a truncated body, a 5xx) ends the call with an *Error that wraps
//     kshop.ErrOutcomeUnknown and says why.
//
// Retry-After (seconds or an HTTP date) is honoured but capped at the maximum wait, and every
// wait ends when the context ends. After the last attempt the caller gets the last answer's
// status and body, never a bare "giving up". Bodies are read through a size limit and always
// closed. Logs go through log/slog (discarded by default) with secrets redacted and phone
// numbers masked; every error string this package builds is redacted the same way.
//
// The decision table, as implemented by decide:
//
//	situation                                   Idempotent      NonIdempotent
//	DNS/dial/TLS failure, refused, write failed retry            retry
//	reset/EOF/timeout after request written     retry           stop, outcome unknown
//	answer 429                                  retry           retry
//	answer 500, 502, 503, 504 (any 5xx but 501) retry           stop, outcome unknown
//	answer 501, 2xx, 3xx, 4xx but 429           return answer   return answer
//	body truncated while reading                retry           stop, outcome unknown
//	body larger than the limit                  stop, error     stop, outcome unknown
//	certificate error, bad scheme or header     stop, error     stop, error
//	context ended before the answer             stop, ctx error written: outcome unknown
//	                                                            unwritten: stop, ctx error
//	context ended during a backoff wait         stop, ctx error stop, ctx error (never sent)
package transport

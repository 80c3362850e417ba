// Package kshop is the root of the kshop SDK: Go clients and domain packages for the services a
// Korean online shop wires into its order flow.
//
// The work happens in the sub-packages:
//
//   - alimtalk: the provider-neutral Kakao AlimTalk domain (templates, #{var} rendering, Kakao's
//     rules, SMS failover, the Sender interface, the shop's auto-send dispatcher).
//   - ssoda: the Ssoda REST client, an alimtalk.Sender, with ssoda/ssodatest as a fake server.
//   - lunasoft: the Lunasoft AlimTalk client, an alimtalk.Sender, with its result webhook
//     handler and lunasoft/lunasofttest as a fake server.
//   - epost: Korea Post contract parcels (SEED-encrypted regData) and delivery tracking, with
//     epost/eposttest as a fake server; epost/shipping is the shop's Korea Post workflow
//     (waybills, reservations, order-line statuses, the two-hourly status sync).
//   - alimtalk/ledgersql, subscription/storesql, epost/shipping/storesql: durable state on the
//     caller's *sql.DB (PostgreSQL or SQLite), so several instances never send, charge or sync
//     the same thing twice.
//   - subscription: recurring delivery (정기배송) rounds, dates, holidays and billing retries.
//   - happytalk: Happytalk chat links with the customer's parameters.
//
// This package holds the error vocabulary every package shares, so one errors.Is or errors.As
// works across vendors:
//
//   - ErrOutcomeUnknown: a send, booking or cancel may have been carried out; reconcile first.
//   - ErrNotSent: nothing reached the vendor; sending again is safe.
//   - ErrBadResponse: the vendor's answer could not be understood.
//   - ErrInvalid, with *ValidationError and *FieldError: bad input, every problem reported at once
//     before anything was sent.
//   - APIError: the method set of every vendor's *APIError and *ResponseError.
//
// For example:
//
//	var apiErr kshop.APIError
//	switch {
//	case errors.Is(err, kshop.ErrOutcomeUnknown):
//		// the send may have happened: reconcile through the vendor's lookup, do not resend
//	case errors.Is(err, kshop.ErrInvalid):
//		// fix the input; nothing was sent
//	case errors.As(err, &apiErr) && apiErr.Retryable():
//		// the vendor refused for now; trying again later is safe
//	}
package kshop

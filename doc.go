// Package kshop is the root of the kshop SDK: Go clients and domain packages for the services a
// Korean online shop wires into its order flow.
//
// The work happens in the sub-packages:
//
//   - alimtalk: the provider-neutral Kakao AlimTalk domain (templates, #{var} rendering, Kakao's
//     rules, SMS failover, the Sender interface, the shop's auto-send dispatcher).
//   - ssoda: the Ssoda REST client, an alimtalk.Sender, with ssoda/ssodatest as a fake server.
//   - epost: Korea Post contract parcels (SEED-encrypted regData) and delivery tracking, with
//     epost/eposttest as a fake server.
//   - subscription: recurring delivery (정기배송) rounds, dates, holidays and billing retries.
//   - happytalk: Happytalk chat links with the customer's parameters.
//
// This package holds what every vendor package shares: the ErrOutcomeUnknown sentinel and the
// APIError interface, so one errors.Is or errors.As works across vendors:
//
//	var apiErr kshop.APIError
//	switch {
//	case errors.Is(err, kshop.ErrOutcomeUnknown):
//		// the send may have happened: reconcile through the vendor's list call, do not resend
//	case errors.As(err, &apiErr) && apiErr.Retryable():
//		// the vendor refused for now; trying again later is safe
//	}
package kshop

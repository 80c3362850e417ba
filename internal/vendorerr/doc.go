// Package vendorerr holds what the vendor packages' APIError and ResponseError types share:
// the retry rule, the text of a refusal and of an answer that could not be understood, and
// what a ResponseError unwraps to. Each vendor keeps its own exported types (their fields and
// docs differ); only the rules live here, so that they cannot drift apart.
package vendorerr

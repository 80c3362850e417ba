// Package hooks hands package alimtalk's message batch to package alimtalk/provider, which
// cannot reach alimtalk's unexported code and which alimtalk cannot import (provider imports
// alimtalk). alimtalk sets the variables in its init function; provider asserts them to the
// documented function types. Nothing else may use them.
package hooks

// PrepareBatch is alimtalk's batch preparation, of type
//
//	func(msgs []alimtalk.Message, src alimtalk.TemplateSource, lim alimtalk.Limits) (ready []alimtalk.Message, positions []int, results []alimtalk.Result)
var PrepareBatch any

// AlignResults is alimtalk's merge of a provider's answer, of type
//
//	func(msgs []alimtalk.Message, sent []alimtalk.Result, err error) []alimtalk.Result
var AlignResults any

// AlignResult is alimtalk's merge of a provider's Result for one prepared message, of type
//
//	func(m alimtalk.Message, r alimtalk.Result) alimtalk.Result
var AlignResult any

// OutcomeUnknown is alimtalk's test of whether an error says a message may have gone out, of
// type
//
//	func(err error) bool
var OutcomeUnknown any

// Package alimtalktest provides a recording fake alimtalk.Sender for tests of code that sends
// AlimTalk: give a *Sender to alimtalk.NewDispatcher (or to your own code in place of a
// provider client such as ssoda's) and inspect what would have been sent.
//
// The fake validates like a real provider client (provider.PrepareBatch: invalid messages
// fail alone with StatusInvalid; with WithTemplates it also renders and matches templates),
// records every message it is given with its outcome, and can be told to reject recipients
// (RejectPhone, RejectRef), to lose them with an unknown outcome (UnknownPhone, UnknownRef:
// the Result's Err wraps alimtalk.ErrOutcomeUnknown), or to fail whole calls (FailCalls). It
// never touches the network and is safe for concurrent use.
package alimtalktest

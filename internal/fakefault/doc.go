// Package fakefault holds what the SDK's fake vendor servers (ssodatest, eposttest) share for
// fault injection: a queue of injected faults and a way to drop a connection after the request
// was read, the failure that makes a send's outcome unknown.
package fakefault

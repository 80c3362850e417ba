package transport

// Class says whether a call may be repeated without changing its effect.
type Class int

const (
	// Idempotent calls (lists, lookups, tracking) may be repeated freely.
	Idempotent Class = iota + 1
	// NonIdempotent calls (sends, bookings, cancels) must never be repeated once the vendor may
	// have received them.
	NonIdempotent
)

// String names the class for logs.
func (c Class) String() string {
	switch c {
	case Idempotent:
		return "idempotent"
	case NonIdempotent:
		return "non-idempotent"
	default:
		return "invalid"
	}
}

package phone

// Kind is the class of a Korean number, decided by its prefix (libphonenumber's KR metadata). Vendor packages use it to decide what a field accepts: a recipient for AlimTalk must
// be Mobile, a sender may be Landline or Representative, a courier contact may be Personal.
type Kind int

// The kinds of Korean numbers. The zero Kind is Unknown, the kind of the zero Number.
const (
	// Unknown is the kind of the zero Number; Parse never returns it for a valid number.
	Unknown Kind = iota
	// Mobile is a cellphone: 010 (11 digits) and the legacy 011, 016, 017, 018, 019 (10 or 11).
	Mobile
	// Landline is a geographic fixed line: 02 (9–10 digits) and the area codes 031–033,
	// 041–044, 051–055, 061–064 (10–11 digits). The subscriber part never starts with 0.
	Landline
	// VoIP is an internet phone, 070 + 8 digits.
	VoIP
	// Personal is a 050x "safe number" (안심번호) that relays to a hidden real number:
	// 0505-123-4567 (11 digits) or 0504-1234-5678 (12 digits).
	Personal
	// Representative is a nationwide business number (전국대표번호, UAN): 8 digits, no
	// trunk 0, with the 15xx/16xx/18xx prefixes libphonenumber lists (1588-1234).
	Representative
	// TollFree is a free-phone number, 080 + 7 digits.
	TollFree
	// Premium is a premium-rate information line, 060 + 7 digits whose first digit is 2–9.
	// libphonenumber lists it as valid; it is kept separate so callers can refuse it.
	Premium
	// M2M is a machine-to-machine (IoT) line, 012 + 7–8 digits. libphonenumber calls these
	// MOBILE; they are kept separate because no person reads an AlimTalk or SMS sent there,
	// so IsMobile is false for them.
	M2M
)

// String returns a short lower-case name ("mobile", "landline", …) suitable for logs.
func (k Kind) String() string {
	switch k {
	case Mobile:
		return "mobile"
	case Landline:
		return "landline"
	case VoIP:
		return "voip"
	case Personal:
		return "personal"
	case Representative:
		return "representative"
	case TollFree:
		return "toll-free"
	case Premium:
		return "premium"
	case M2M:
		return "m2m"
	default:
		return "unknown"
	}
}

package phone

// This file is the Korean numbering plan as far as kshop needs it, after libphonenumber's KR
// metadata. Lengths
// here count the dialled national digits, trunk 0 included (the metadata counts without it).
// Where we deliberately differ from the metadata, the differential test lists the difference.

// maxNational is the longest national number we accept (050x + 8 digits).
const maxNational = 12

// block is one prefix range of the plan.
type block struct {
	kind Kind
	// prefixLen is the size of the first group when formatted: 3 for "010", 2 for "02",
	// 4 for "0505" and for "1588".
	prefixLen int
	// minLen and maxLen bound the total digits, prefix included.
	minLen, maxLen int
	// minFirstSubscriber is the lowest digit the subscriber part may start with: '1' for
	// landlines (a 0 there would be read as a trunk prefix), '2' for 060.
	minFirstSubscriber byte
	// placeholderCheck rejects subscriber parts of one repeated digit. Only for kinds that
	// belong to a person; businesses do buy numbers like 1588-8888.
	placeholderCheck bool
}

var (
	blockMobile010      = block{kind: Mobile, prefixLen: 3, minLen: 11, maxLen: 11, minFirstSubscriber: '0', placeholderCheck: true}
	blockMobileLegacy   = block{kind: Mobile, prefixLen: 3, minLen: 10, maxLen: 11, minFirstSubscriber: '0', placeholderCheck: true}
	blockM2M            = block{kind: M2M, prefixLen: 3, minLen: 10, maxLen: 11, minFirstSubscriber: '0', placeholderCheck: true}
	blockSeoul          = block{kind: Landline, prefixLen: 2, minLen: 9, maxLen: 10, minFirstSubscriber: '1'}
	blockArea           = block{kind: Landline, prefixLen: 3, minLen: 10, maxLen: 11, minFirstSubscriber: '1'}
	blockVoIP           = block{kind: VoIP, prefixLen: 3, minLen: 11, maxLen: 11, minFirstSubscriber: '0', placeholderCheck: true}
	blockPersonal       = block{kind: Personal, prefixLen: 4, minLen: 11, maxLen: 12, minFirstSubscriber: '0', placeholderCheck: true}
	blockTollFree       = block{kind: TollFree, prefixLen: 3, minLen: 10, maxLen: 10, minFirstSubscriber: '0'}
	blockPremium        = block{kind: Premium, prefixLen: 3, minLen: 10, maxLen: 10, minFirstSubscriber: '2'}
	blockRepresentative = block{kind: Representative, prefixLen: 4, minLen: 8, maxLen: 8, minFirstSubscriber: '0'}
)

// representativePrefixes are the nationwide business-number (UAN) prefixes of the metadata:
// 1(5(22|33|44|66|77|88|99)|6([07]0|44|6[0168]|88)|8(00|33|55|77|99)).
var representativePrefixes = [...]string{
	"1522", "1533", "1544", "1566", "1577", "1588", "1599",
	"1600", "1644", "1660", "1661", "1666", "1668", "1670", "1688",
	"1800", "1833", "1855", "1877", "1899",
}

func isRepresentativePrefix(d []byte) bool {
	if len(d) < 4 {
		return false
	}
	for _, p := range representativePrefixes {
		if string(d[:4]) == p { // no allocation: the compiler compares in place
			return true
		}
	}
	return false
}

// startsRepresentativePrefix reports whether a short digit string (fewer than 4 digits) could
// still grow into a representative prefix, so that "158" is too short rather than unknown.
func startsRepresentativePrefix(d []byte) bool {
	for _, p := range representativePrefixes {
		if len(d) <= len(p) && string(d) == p[:len(d)] {
			return true
		}
	}
	return false
}

// isAreaCode reports whether the two digits after the trunk 0 are a provincial area code:
// 31–33, 41–44, 51–55, 61–64.
func isAreaCode(a, b byte) bool {
	switch a {
	case '3':
		return b >= '1' && b <= '3'
	case '4', '6':
		return b >= '1' && b <= '4'
	case '5':
		return b >= '1' && b <= '5'
	}
	return false
}

// lookupTrunkBlock finds the block of a national number that starts with the trunk 0. It
// returns Length when the digits are too few to know the prefix, UnknownPrefix when no block
// starts with them.
func lookupTrunkBlock(d []byte) (block, Reason) {
	if len(d) < 3 {
		// Too short to see the whole prefix, unless the second digit already decides it.
		if len(d) == 2 {
			switch d[1] {
			case '0', '9':
				return block{}, UnknownPrefix
			case '2':
				return blockSeoul, 0
			}
		}
		return block{}, Length
	}
	switch second, third := d[1], d[2]; second {
	case '1':
		switch third {
		case '0':
			return blockMobile010, 0
		case '1', '6', '7', '8', '9':
			return blockMobileLegacy, 0
		case '2':
			return blockM2M, 0
		}
		// 013 and 014 were never assigned to subscribers; 015 paging ended in the 2000s.
		return block{}, UnknownPrefix
	case '2':
		return blockSeoul, 0
	case '3', '4', '5', '6':
		if isAreaCode(second, third) {
			return blockArea, 0
		}
		if third != '0' {
			return block{}, UnknownPrefix
		}
		switch second {
		case '5':
			if len(d) < 4 { // the fourth digit belongs to the 050x prefix group
				return block{}, Length
			}
			return blockPersonal, 0
		case '6':
			return blockPremium, 0
		}
		// 030 is toll-free in the metadata but unused in retail; 040 was never assigned.
		return block{}, UnknownPrefix
	case '7':
		if third == '0' {
			return blockVoIP, 0
		}
	case '8':
		if third == '0' {
			return blockTollFree, 0
		}
	}
	return block{}, UnknownPrefix
}

// check validates the full national digits d against block b.
func (b block) check(d []byte) Reason {
	if len(d) < b.minLen || len(d) > b.maxLen {
		return Length
	}
	sub := d[b.prefixLen:]
	if sub[0] < b.minFirstSubscriber {
		return InvalidSubscriber
	}
	if b.placeholderCheck && allSame(sub) {
		return RepeatedDigits
	}
	return 0
}

func allSame(d []byte) bool {
	for _, c := range d[1:] {
		if c != d[0] {
			return false
		}
	}
	return true
}

// resolution is the outcome of reading a digit string as a Korean number.
type resolution struct {
	national  [maxNational]byte
	length    int
	prefixLen int
	kind      Kind
	// reason is 0 when the number is valid. For MissingTrunkZero the fields above describe
	// the number the digits would be with the 0 restored (MaskIn masks such numbers).
	reason Reason
}

// resolve reads digits (no separators) as a Korean number. international says the input
// started with '+', so the digits must begin with the country code 82.
func resolve(d []byte, international bool) resolution {
	var r resolution
	if len(d) == 0 {
		r.reason = Empty
		return r
	}
	if international || d[0] == '8' {
		// National numbers never start with 8, so a leading 8 can only be a country code.
		if len(d) < 2 || d[0] != '8' || d[1] != '2' {
			if international {
				r.reason = CountryCode
			} else {
				r.reason = UnknownPrefix
			}
			return r
		}
		nsn := d[2:]
		// "+82 (0)10…" and the common mistake "+82 010…": drop one trunk 0.
		if len(nsn) > 0 && nsn[0] == '0' {
			nsn = nsn[1:]
		}
		if len(nsn) == 0 {
			r.reason = Length
			return r
		}
		if nsn[0] == '1' && len(nsn) == 8 && isRepresentativePrefix(nsn) {
			return resolveNational(nsn)
		}
		return resolveWithTrunk(nsn)
	}
	if d[0] == '0' {
		return resolveNational(d)
	}
	// No trunk 0: either a representative number or a number that lost its 0.
	if d[0] == '1' && (isRepresentativePrefix(d) || (len(d) < 4 && startsRepresentativePrefix(d))) {
		r = resolveNational(d)
		if r.reason == Length {
			if fixed := resolveWithTrunk(d); fixed.reason == 0 {
				fixed.reason = MissingTrunkZero
				return fixed
			}
		}
		return r
	}
	r = resolveWithTrunk(d)
	if r.reason == 0 {
		r.reason = MissingTrunkZero
	} else {
		// Only claim a missing 0 when restoring it yields a valid number.
		r = resolution{reason: UnknownPrefix}
	}
	return r
}

// resolveWithTrunk restores the trunk 0 in front of a national significant number.
func resolveWithTrunk(nsn []byte) resolution {
	if len(nsn) >= maxNational {
		var r resolution
		r.reason = lengthOrPrefix(nsn)
		return r
	}
	var buf [maxNational]byte
	buf[0] = '0'
	n := copy(buf[1:], nsn)
	return resolveNational(buf[:1+n])
}

// lengthOrPrefix classifies a digit string that is too long for any block: UnknownPrefix when
// its prefix is unknown anyway, else Length.
func lengthOrPrefix(nsn []byte) Reason {
	var buf [4]byte
	buf[0] = '0'
	n := copy(buf[1:], nsn)
	if _, reason := lookupTrunkBlock(buf[:1+n]); reason == UnknownPrefix {
		return UnknownPrefix
	}
	return Length
}

// resolveNational classifies national digits: with trunk 0, or a representative number.
func resolveNational(d []byte) resolution {
	var r resolution
	var b block
	if d[0] == '1' {
		if !isRepresentativePrefix(d) {
			if len(d) < 4 && startsRepresentativePrefix(d) {
				r.reason = Length
			} else {
				r.reason = UnknownPrefix
			}
			return r
		}
		b = blockRepresentative
	} else {
		var reason Reason
		b, reason = lookupTrunkBlock(d)
		if reason != 0 {
			r.reason = reason
			return r
		}
	}
	if len(d) > maxNational {
		r.reason = Length
		return r
	}
	if reason := b.check(d); reason != 0 {
		r.reason = reason
		return r
	}
	r.length = copy(r.national[:], d)
	r.prefixLen = b.prefixLen
	r.kind = b.kind
	return r
}

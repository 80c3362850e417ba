package phone_test

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/nyaruka/phonenumbers"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kshop-dev/kshop/internal/phone"
)

// The differential test checks our Korean-only classifier against libphonenumber's KR metadata
// (github.com/nyaruka/phonenumbers, the Go port) over numbers generated for every class of the
// plan. Each disagreement must be listed in knownDifferences with its reason; an undocumented
// disagreement fails the test, and so does a documented one that no generated number hits.

// verdicts shared by both sides: "INVALID" or a libphonenumber type name.
const invalid = "INVALID"

func ourVerdict(digits string) string {
	n, err := phone.Parse(digits)
	if err != nil {
		return invalid
	}
	switch n.Kind() {
	case phone.Mobile:
		return "MOBILE"
	case phone.Landline:
		return "FIXED_LINE"
	case phone.VoIP:
		return "VOIP"
	case phone.Personal:
		return "PERSONAL_NUMBER"
	case phone.Representative:
		return "UAN"
	case phone.TollFree:
		return "TOLL_FREE"
	case phone.Premium:
		return "PREMIUM_RATE"
	case phone.M2M:
		return "M2M" // our own kind; libphonenumber says MOBILE
	}
	return "kind " + n.Kind().String()
}

var libTypeNames = map[phonenumbers.PhoneNumberType]string{
	phonenumbers.FIXED_LINE:           "FIXED_LINE",
	phonenumbers.MOBILE:               "MOBILE",
	phonenumbers.FIXED_LINE_OR_MOBILE: "FIXED_LINE_OR_MOBILE",
	phonenumbers.TOLL_FREE:            "TOLL_FREE",
	phonenumbers.PREMIUM_RATE:         "PREMIUM_RATE",
	phonenumbers.SHARED_COST:          "SHARED_COST",
	phonenumbers.VOIP:                 "VOIP",
	phonenumbers.PERSONAL_NUMBER:      "PERSONAL_NUMBER",
	phonenumbers.PAGER:                "PAGER",
	phonenumbers.UAN:                  "UAN",
	phonenumbers.VOICEMAIL:            "VOICEMAIL",
}

func libParse(digits string) (*phonenumbers.PhoneNumber, string) {
	num, err := phonenumbers.Parse(digits, "KR")
	if err != nil || num.GetCountryCode() != 82 || !phonenumbers.IsValidNumberForRegion(num, "KR") {
		return nil, invalid
	}
	name, ok := libTypeNames[phonenumbers.GetNumberType(num)]
	if !ok {
		return num, fmt.Sprintf("type %d", phonenumbers.GetNumberType(num))
	}
	return num, name
}

// difference is one documented, deliberate disagreement with libphonenumber.
type difference struct {
	name   string
	digits *regexp.Regexp // the generated national digits it covers (whole string)
	ours   string
	lib    string // "" for any valid libphonenumber type
	reason string
}

var knownDifferences = []difference{
	{
		name: "010 with 10 digits", digits: regexp.MustCompile(`^010\d{7}$`), ours: invalid, lib: "MOBILE",
		reason: "every 010 number is 010-XXXX-XXXX; the metadata's 10-digit 010 range is a leftover of " +
			"the 01X migration and a 10-digit 010 is nearly always a typo (the issue demands 11 digits)",
	},
	{
		name: "0105x and 0122x sub-blocks", digits: regexp.MustCompile(`^(01059[7-9]\d{5}|0122[02-9]\d{5,6})$`),
		ours: "", lib: invalid,
		reason: "the metadata excludes a few unassigned sub-blocks; allocations inside 010/012 change " +
			"without notice and refusing a real customer's number costs more than accepting an unassigned one",
	},
	{
		name: "012 is M2M", digits: regexp.MustCompile(`^012\d{7,8}$`), ours: "M2M", lib: "MOBILE",
		reason: "012 is the machine-to-machine range; nobody reads AlimTalk there, so IsMobile must be false",
	},
	{
		name: "015 pagers", digits: regexp.MustCompile(`^015\d{7,8}$`), ours: invalid, lib: "PAGER",
		reason: "Korean paging service ended; a 015 contact number cannot reach anyone today",
	},
	{
		name: "030 toll-free", digits: regexp.MustCompile(`^030\d{7}$`), ours: invalid, lib: "TOLL_FREE",
		reason: "030 is not in research §4 and not seen in retail; toll-free contact numbers are 080",
	},
	{
		name: "area-code short numbers", digits: regexp.MustCompile(`^0(3[1-3]|[46][1-4]|5[1-5])1\d{2,3}$`),
		ours: invalid, lib: "FIXED_LINE",
		reason: "area code + 1xx(x) are local service numbers (e.g. 120), not subscriber lines a shop can call back",
	},
	{
		name: "placeholder subscriber digits", digits: regexp.MustCompile(`^(01[0-26-9]|070|050\d)(0+|1+|2+|3+|4+|5+|6+|7+|8+|9+)$`),
		ours: invalid, lib: "",
		reason: "010-0000-0000 / 010-1111-1111 style subscriber parts are form placeholders, not people",
	},
	{
		name: "carrier selection prefix 08x", digits: regexp.MustCompile(`^08([1-46-8]|5\d\d)\d+$`),
		ours: invalid, lib: "",
		reason: "libphonenumber strips 081–088 (and 085xx) as carrier-selection codes and validates the rest; " +
			"a contact number stored with a carrier prefix is not what shops or couriers dial",
	},
	{
		name:   "representative number with a trunk 0",
		digits: regexp.MustCompile(`^01(5(22|33|44|66|77|88|99)|6([07]0|44|6[0168]|88)|8(00|33|55|77|99))\d{4}$`),
		ours:   invalid, lib: "UAN",
		reason: "representative numbers are never dialled with a 0; 9 digits starting 015/016/018 are a " +
			"pager or a truncated mobile number, so we do not read them as 1588-xxxx",
	},
	{
		name: "missing trunk 0", digits: regexp.MustCompile(`^[1-9]\d+$`), ours: invalid, lib: "",
		reason: "a number without its leading 0 went through a spreadsheet or a numeric field; we report " +
			"MissingTrunkZero instead of silently repairing it (representative numbers have no 0 and agree)",
	},
}

// formatDifferences lists verdicts where our Format deliberately differs from libphonenumber's
// NATIONAL format.
var formatDifferences = map[string]string{
	"PERSONAL_NUMBER": "Koreans write 050x safe numbers with a 4-digit first group (0505-123-4567, " +
		"0504-1234-5678); libphonenumber writes 050-5123-4567 and 050-41234-5678",
}

// class is a family of generated numbers: every prefix crossed with every total length.
type class struct {
	name     string
	prefixes []string
	lengths  []int // total digits, prefix included
}

func seq(prefix string, from, to byte) []string {
	var out []string
	for c := from; c <= to; c++ {
		out = append(out, prefix+string(c))
	}
	return out
}

var generatedClasses = []class{
	{"mobile 010", []string{"010", "0105", "01059"}, []int{9, 10, 11, 12}},
	{"mobile legacy", []string{"011", "016", "017", "018", "019"}, []int{9, 10, 11, 12}},
	{"m2m 012", append([]string{"012"}, seq("0122", '0', '9')...), []int{9, 10, 11, 12}},
	{"landline seoul", []string{"02"}, []int{6, 7, 8, 9, 10, 11}},
	{"landline areas", []string{
		"031", "032", "033", "041", "042", "043", "044",
		"051", "052", "053", "054", "055", "061", "062", "063", "064",
	}, []int{6, 7, 8, 9, 10, 11, 12}},
	{"voip 070", []string{"070"}, []int{9, 10, 11, 12}},
	{"personal 050x", seq("050", '0', '9'), []int{10, 11, 12, 13}},
	{"representative", []string{
		"1522", "1533", "1544", "1566", "1577", "1588", "1599", "1600", "1644", "1660",
		"1661", "1666", "1668", "1670", "1688", "1800", "1833", "1855", "1877", "1899",
		"1500", "1555", "1650", "1811", "1900",
	}, []int{7, 8, 9}},
	{"toll free 080", []string{"080"}, []int{9, 10, 11}},
	{"premium 060", []string{"060"}, []int{9, 10, 11}},
	{"pager 015", []string{"015"}, []int{9, 10, 11, 12}},
	{"unassigned", []string{
		"013", "014", "030", "034", "039", "040", "045", "049", "056", "059", "065", "069",
		"071", "075", "079", "081", "082", "085", "088", "089", "090", "099", "001", "009",
	}, []int{9, 10, 11, 12}},
	{"missing trunk 0", []string{"10", "11", "16", "2", "31", "51", "70", "505", "80", "60"}, []int{8, 9, 10, 11}},
}

// placeholders are generated on purpose: random digits almost never repeat one digit.
var placeholders = []string{
	"01000000000", "01011111111", "01099999999", "0111111111", "07022222222", "050555555555", "01233333333",
}

const perShape = 30

func generateNumbers() []string {
	rng := rand.New(rand.NewPCG(20261122, 5)) // fixed seed: the same numbers on every run
	var out []string
	for _, c := range generatedClasses {
		for _, p := range c.prefixes {
			for _, total := range c.lengths {
				if total <= len(p) {
					continue
				}
				for range perShape {
					b := []byte(p)
					for len(b) < total {
						b = append(b, byte('0'+rng.IntN(10)))
					}
					out = append(out, string(b))
				}
			}
		}
	}
	return append(out, placeholders...)
}

func documented(digits, ours, lib string) (difference, bool) {
	for _, d := range knownDifferences {
		if !d.digits.MatchString(digits) {
			continue
		}
		if (d.ours == "" && ours != invalid || d.ours == ours) && (d.lib == "" && lib != invalid || d.lib == lib) {
			return d, true
		}
	}
	return difference{}, false
}

func TestDifferentialAgainstLibphonenumber(t *testing.T) {
	t.Parallel()
	numbers := generateNumbers()
	require.Greater(t, len(numbers), 5000)

	hits := map[string]int{}
	agreedByVerdict := map[string]int{}
	var undocumented []string
	for _, digits := range numbers {
		ours := ourVerdict(digits)
		libNum, lib := libParse(digits)
		if ours != lib {
			if d, ok := documented(digits, ours, lib); ok {
				hits[d.name]++
				continue
			}
			undocumented = append(undocumented, fmt.Sprintf("%s: ours %s, libphonenumber %s", digits, ours, lib))
			continue
		}
		agreedByVerdict[ours]++
		if ours == invalid {
			continue
		}
		ourNum, err := phone.Parse(digits)
		require.NoError(t, err)
		// The written forms people use must keep both verdicts.
		for _, written := range writtenForms(ourNum) {
			_, libWritten := libParse(written)
			if ourVerdict(written) != ours || libWritten != ours {
				undocumented = append(undocumented, fmt.Sprintf("%q: ours %s, libphonenumber %s, want %s",
					written, ourVerdict(written), libWritten, ours))
			}
		}
		assert.Equal(t, phonenumbers.Format(libNum, phonenumbers.E164), ourNum.E164(), digits)
		if _, differs := formatDifferences[ours]; differs {
			hits["format "+ours]++
			continue
		}
		assert.Equal(t, phonenumbers.Format(libNum, phonenumbers.NATIONAL), ourNum.Format(), digits)
	}

	sort.Strings(undocumented)
	if len(undocumented) > 60 {
		undocumented = append(undocumented[:60], fmt.Sprintf("… and %d more", len(undocumented)-60))
	}
	assert.Empty(t, undocumented, "undocumented differences:\n%s", strings.Join(undocumented, "\n"))

	for _, d := range knownDifferences {
		assert.Positive(t, hits[d.name], "documented difference %q is never exercised: remove or fix it", d.name)
	}
	for verdict := range formatDifferences {
		assert.Positive(t, hits["format "+verdict], "format difference for %s is never exercised", verdict)
	}
	// Agreement must cover every valid kind, so no class silently turned into a documented difference.
	for _, v := range []string{"MOBILE", "FIXED_LINE", "VOIP", "PERSONAL_NUMBER", "UAN", "TOLL_FREE", "PREMIUM_RATE", invalid} {
		assert.Positive(t, agreedByVerdict[v], "no generated number where both sides say %s", v)
	}
	t.Logf("agreed: %v; documented differences: %v", agreedByVerdict, hits)
}

// writtenForms renders a valid number the ways customers type it.
func writtenForms(n phone.Number) []string {
	f := n.Format()
	nsn := strings.TrimPrefix(n.E164(), "+82")
	return []string{
		f,
		strings.ReplaceAll(f, "-", "."),
		strings.ReplaceAll(f, "-", " "),
		n.E164(),
		"+82 " + nsn,
		"+82-" + nsn,
		"82" + nsn,
		"82-" + nsn,
	}
}

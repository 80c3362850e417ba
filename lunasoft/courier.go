package lunasoft

import (
	"sort"
	"strconv"
	"strings"
	"unicode"
)

// Carrier is a courier as Lunasoft numbers it: the carrier_code of delivery-tracking
// templates ("택배사 코드"). Its String is the code sent on the wire.
type Carrier int

// Lunasoft's published courier table (its parcel-tracking page documentation). Whether the
// jupiter API uses exactly this table is not confirmed (one caller maps 로젠 = 6 and 롯데 = 8):
// replace entries with CourierTable.Set if Lunasoft answers otherwise.
const (
	CarrierCJ        Carrier = 1  // CJ대한통운
	CarrierEpost     Carrier = 2  // 우체국택배 (Korea Post)
	CarrierHanjin    Carrier = 3  // 한진택배
	CarrierLotte     Carrier = 4  // 롯데택배
	CarrierKGB       Carrier = 5  // KGB택배
	CarrierKyungdong Carrier = 6  // 경동택배
	CarrierLogen     Carrier = 7  // 로젠택배
	CarrierKunyoung  Carrier = 9  // 건영택배
	CarrierFedEx     Carrier = 25 // FedEx
	CarrierDHL       Carrier = 26 // DHL
	CarrierEMS       Carrier = 30 // EMS
	CarrierUPS       Carrier = 38 // UPS
	CarrierUSPS      Carrier = 39 // USPS
)

// String returns the code as sent in carrier_code ("2").
func (c Carrier) String() string { return strconv.Itoa(int(c)) }

// Valid reports whether c fits carrier_code (text(2): 1 to 99).
func (c Carrier) Valid() bool { return c >= 1 && c <= 99 }

// CourierTable maps courier names, as shops write them ("우체국택배", "CJ대한통운", "epost"),
// to Lunasoft carrier codes. Names are compared without spaces, hyphens or dots and without
// case, and a trailing "택배" is optional. It is not safe for concurrent modification: build it
// before giving it to WithCouriers, then only read it.
type CourierTable struct {
	byName map[string]Carrier
	names  map[Carrier]string
}

// DefaultCouriers returns Lunasoft's published table with the usual spellings of each name.
func DefaultCouriers() *CourierTable {
	t := &CourierTable{byName: map[string]Carrier{}, names: map[Carrier]string{}}
	for _, e := range []struct {
		c     Carrier
		names []string
	}{
		{CarrierCJ, []string{"CJ대한통운", "CJ", "대한통운", "CJ GLS", "cjlogistics"}},
		{CarrierEpost, []string{"우체국택배", "우체국", "우편", "epost", "Korea Post", "koreapost"}},
		{CarrierHanjin, []string{"한진택배", "한진", "hanjin"}},
		{CarrierLotte, []string{"롯데택배", "롯데", "롯데글로벌로지스", "현대택배", "lotte"}},
		{CarrierKGB, []string{"KGB택배", "KGB"}},
		{CarrierKyungdong, []string{"경동택배", "경동", "kdexp"}},
		{CarrierLogen, []string{"로젠택배", "로젠", "logen"}},
		{CarrierKunyoung, []string{"건영택배", "건영"}},
		{CarrierFedEx, []string{"FedEx", "페덱스"}},
		{CarrierDHL, []string{"DHL"}},
		{CarrierEMS, []string{"EMS", "우체국EMS"}},
		{CarrierUPS, []string{"UPS"}},
		{CarrierUSPS, []string{"USPS"}},
	} {
		t.Set(e.c, e.names...)
	}
	return t
}

// Set maps every name to c (replacing an earlier mapping of the same name); the first name
// becomes c's display name. Use it to add a courier or to correct a code.
func (t *CourierTable) Set(c Carrier, names ...string) {
	if t.byName == nil {
		t.byName, t.names = map[string]Carrier{}, map[Carrier]string{}
	}
	for i, n := range names {
		if k := courierKey(n); k != "" {
			t.byName[k] = c
		}
		if i == 0 {
			t.names[c] = n
		}
	}
}

// Lookup returns the carrier for a name or a numeric code ("2" is accepted as it is).
func (t *CourierTable) Lookup(name string) (Carrier, bool) {
	if n, err := strconv.Atoi(strings.TrimSpace(name)); err == nil {
		c := Carrier(n)
		return c, c.Valid()
	}
	if t == nil {
		return 0, false
	}
	k := courierKey(name)
	if c, ok := t.byName[k]; ok {
		return c, true
	}
	if base, cut := strings.CutSuffix(k, "택배"); cut {
		c, ok := t.byName[base]
		return c, ok
	}
	c, ok := t.byName[k+"택배"]
	return c, ok
}

// Name returns the display name of c ("" when the table does not list it).
func (t *CourierTable) Name(c Carrier) string {
	if t == nil {
		return ""
	}
	return t.names[c]
}

// Carriers lists the table's carriers in code order.
func (t *CourierTable) Carriers() []Carrier {
	out := make([]Carrier, 0, len(t.names))
	for c := range t.names {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

func courierKey(name string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(name) {
		if unicode.IsSpace(r) || r == '-' || r == '.' || r == '_' || r == '(' || r == ')' {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Package wire holds the small encoding helpers every kshop vendor client shares:
//
//   - Code and FlexString decode JSON values that vendors send sometimes as strings and
//     sometimes as numbers (Ssoda's "code":"200" next to "code":200, Lunasoft's "0" and 0).
//   - KST, FormatKST and ParseKST handle Korea Standard Time (UTC+9, no DST) in the layouts
//     Korean vendors use, without needing tzdata on the machine.
//   - Values encodes request structs into url.Values (query strings and form bodies) with
//     github.com/google/go-querystring.
//   - Object, ParseRoot, ParseObject and ParseArray read vendors' JSON answers tolerantly but
//     never loosely: one level at a time, duplicate keys refused, truncated and malformed
//     bodies told apart, HTML pages recognised (LooksHTML).
//   - EUCKRLen counts the bytes a text takes in EUC-KR (CP949), the measure Korean carriers
//     use to choose between SMS (≤ 90 bytes) and LMS.
package wire

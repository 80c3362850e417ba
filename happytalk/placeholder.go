package happytalk

import "strings"

// placeholderIDs are the values code and templates put in a customer-ID slot when there is no
// customer: JavaScript and JSON stand-ins, Go/C nil printing, "no ID" numbers and the Korean
// words for guest. Compared after trimming spaces, ignoring case.
var placeholderIDs = []string{
	"undefined", "null", "(null)", "nil", "<nil>", "none", "nan", "false", "true",
	"[object object]", "unknown", "n/a", "anonymous", "anonymoususer", "guest",
	"0", "-1",
	"비회원", "게스트", "손님", "익명",
}

// isPlaceholderID reports whether id stands for "no customer": a blank (spaces only) value, a
// known stand-in, an extra one configured on the Builder, or an unfilled template variable
// such as "{고객ID}" (the guide's own notation), "${userId}", "#{id}" or "<%= id %>".
func isPlaceholderID(id string, extra []string) bool {
	t := strings.TrimSpace(id)
	if t == "" {
		return true
	}
	for _, p := range placeholderIDs {
		if strings.EqualFold(t, p) {
			return true
		}
	}
	for _, p := range extra {
		if strings.EqualFold(t, p) {
			return true
		}
	}
	return isTemplateVariable(t)
}

func isTemplateVariable(t string) bool {
	switch {
	case strings.HasPrefix(t, "{") && strings.HasSuffix(t, "}"),
		strings.HasPrefix(t, "${") && strings.HasSuffix(t, "}"),
		strings.HasPrefix(t, "#{") && strings.HasSuffix(t, "}"),
		strings.HasPrefix(t, "<%") && strings.HasSuffix(t, "%>"):
		return true
	}
	return false
}

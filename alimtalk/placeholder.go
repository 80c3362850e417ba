package alimtalk

import (
	"strings"
	"unicode/utf8"
)

// Placeholder syntax (a decision; Kakao publishes no grammar): a placeholder is "#{", a name,
// and "}". The name is at least one character that is not all white space, and holds no
// '{', '}', CR or LF. Everything else is allowed, because real templates use Korean names
// (#{고객명}), spaces (#{고객 이름}) and punctuation (#{order.no}); what a name can never
// hold is a brace or a line break. Names are taken verbatim (not trimmed), so the variables
// map must use the exact name. A "#{" that does not start a valid placeholder (for example
// "#{ }", "#{a" at the end of a line, "#{a{b}") is literal text.

const (
	placeholderOpen = "#{"
	// stackSegments is how many literal parts the render and match paths keep on the stack
	// before appending spills to the heap: enough for realistic templates (≤ 15 variables).
	stackSegments = 16
	// expectedSnippetRunes caps MismatchError.Expected.
	expectedSnippetRunes = 20
)

// placeholderAt reports whether s[i:] starts with a valid placeholder and returns its name
// and the index just after its closing brace.
func placeholderAt(s string, i int) (name string, end int, ok bool) {
	if i+1 >= len(s) || s[i] != '#' || s[i+1] != '{' {
		return "", 0, false
	}
	for j := i + 2; j < len(s); j++ {
		switch s[j] {
		case '}':
			name = s[i+2 : j]
			// A name starting with a printable ASCII character is not blank; only others
			// need the full check.
			if c := s[i+2]; name == "" || (c <= ' ' || c >= utf8.RuneSelf) && strings.TrimSpace(name) == "" {
				return "", 0, false
			}
			return name, j + 1, true
		case '{', '\n', '\r':
			return "", 0, false
		}
	}
	return "", 0, false
}

// parsePattern splits s into literal parts and placeholder names, appending to lits and
// names: lits gets one more entry than names (lits[0] name[0] lits[1] … lits[n]). Any scan
// of an unterminated "#{" stops at the next brace or line break, so parsing is linear.
func parsePattern(s string, lits, names []string) ([]string, []string) {
	litStart, i := 0, 0
	for {
		j := strings.Index(s[i:], placeholderOpen)
		if j < 0 {
			break
		}
		j += i
		name, end, ok := placeholderAt(s, j)
		if !ok {
			i = j + 1
			continue
		}
		lits = append(lits, s[litStart:j])
		names = append(names, name)
		litStart, i = end, end
	}
	return append(lits, s[litStart:]), names
}

// placeholderNames returns the distinct placeholder names of s in order of first appearance.
func placeholderNames(s string) []string {
	var litBuf, nameBuf [stackSegments]string
	_, names := parsePattern(s, litBuf[:0], nameBuf[:0])
	if len(names) == 0 {
		return nil
	}
	out := make([]string, 0, len(names))
	for _, n := range names {
		if !containsString(out, n) {
			out = append(out, n)
		}
	}
	return out
}

// placeholderCount returns how many placeholders s holds (repeats included).
func placeholderCount(s string) int {
	var litBuf, nameBuf [stackSegments]string
	_, names := parsePattern(s, litBuf[:0], nameBuf[:0])
	return len(names)
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// renderPattern fills every placeholder of pattern from vars. It appends the names of absent
// variables to missing (each once) and returns "" when any is missing. Extra entries in vars
// are ignored. The successful path makes one allocation, the result.
func renderPattern(pattern string, vars map[string]string, missing []string) (string, []string) {
	var litBuf, nameBuf [stackSegments]string
	lits, names := parsePattern(pattern, litBuf[:0], nameBuf[:0])
	if len(names) == 0 {
		return pattern, missing
	}
	size, absent := 0, false
	for _, l := range lits {
		size += len(l)
	}
	// The values replace the names in place, so each variable is looked up once.
	values := names
	for i, n := range names {
		v, ok := vars[n]
		if !ok {
			absent = true
			if !containsString(missing, n) {
				missing = append(missing, n)
			}
			continue
		}
		values[i] = v
		size += len(v)
	}
	if absent {
		return "", missing
	}
	var b strings.Builder
	b.Grow(size)
	for i, v := range values {
		b.WriteString(lits[i])
		b.WriteString(v)
	}
	b.WriteString(lits[len(lits)-1])
	return b.String(), missing
}

// matchPattern reports whether text equals pattern with each placeholder replaced by some
// string (any bytes, including newlines, "#{" and copies of the pattern's own literal text).
// It returns nil or the divergence.
//
// With the literal parts L0 … Ln around the placeholders, text must start with L0, end with
// Ln, and contain L1 … Ln-1 in order in between. Taking the leftmost occurrence of each
// middle literal is optimal (it leaves the most room for the rest), so one left-to-right pass
// with strings.Index decides the match without backtracking; the whole-string anchors handle
// the first and last literal. A template without placeholders must equal the text.
func matchPattern(pattern, text string) *MismatchError {
	var litBuf, nameBuf [stackSegments]string
	lits, _ := parsePattern(pattern, litBuf[:0], nameBuf[:0])
	return matchLiterals(lits, text)
}

// matchLiterals is matchPattern with the pattern's literal parts parsed already.
func matchLiterals(lits []string, text string) *MismatchError {
	first := lits[0]
	if len(lits) == 1 {
		if text == first {
			return nil
		}
		return prefixDivergence(text, first)
	}
	if !strings.HasPrefix(text, first) {
		return prefixDivergence(text, first)
	}
	pos := len(first)
	last := len(lits) - 1
	for k := 1; k < last; k++ {
		lit := lits[k]
		if lit == "" {
			continue
		}
		idx := strings.Index(text[pos:], lit)
		if idx < 0 {
			return literalDivergence(text, pos, lit, false)
		}
		pos += idx + len(lit)
	}
	tail := lits[last]
	if len(text)-pos >= len(tail) && strings.HasSuffix(text, tail) {
		return nil
	}
	return literalDivergence(text, pos, tail, true)
}

// prefixDivergence locates where text stops being lit (the template has no placeholder
// before lit, so it must be matched from the start of text).
func prefixDivergence(text, lit string) *MismatchError {
	n := 0
	for n < len(text) && n < len(lit) && text[n] == lit[n] {
		n++
	}
	n = runeStartBefore(lit, n)
	return newMismatch(text, n, lit[n:])
}

// literalDivergence locates where text stops matching when lit (which follows a
// placeholder) cannot be placed at or after pos: the end of the longest prefix of lit that
// does occur after pos. The prefix property is monotonic, so a binary search needs only
// O(log len(lit)) searches. When all of lit occurs (the last literal, found but not at the
// end), the text runs on after it. When nothing of the last literal occurs, the variable
// before it may have taken the rest of the text, so the text is reported as ending early.
func literalDivergence(text string, pos int, lit string, last bool) *MismatchError {
	rest := text[pos:]
	lo := 0 // lit[:lo] occurs in rest
	if strings.Contains(rest, lit) {
		lo = len(lit)
	} else {
		hi := len(lit) - 1 // lit[:hi+1] does not occur
		for lo < hi {
			mid := (lo + hi + 1) / 2
			if strings.Contains(rest, lit[:mid]) {
				lo = mid
			} else {
				hi = mid - 1
			}
		}
	}
	m := runeStartBefore(lit, lo)
	at := pos
	switch {
	case m > 0:
		at += strings.Index(rest, lit[:m]) + m
	case last:
		at = len(text)
	}
	return newMismatch(text, at, lit[m:])
}

// runeStartBefore moves i back to the start of the rune containing s[i].
func runeStartBefore(s string, i int) int {
	for i > 0 && i < len(s) && !utf8.RuneStart(s[i]) {
		i--
	}
	return i
}

// newMismatch builds the error for a divergence at byte offset at, where the template
// expects the literal text expected.
func newMismatch(text string, at int, expected string) *MismatchError {
	at = runeStartBefore(text, at)
	line, col := 1, 1
	lineStart := 0
	for i := 0; i < at; i++ {
		if text[i] == '\n' {
			line++
			lineStart = i + 1
		}
	}
	col += utf8.RuneCountInString(text[lineStart:at])
	return &MismatchError{
		Offset:    at,
		Line:      line,
		Column:    col,
		Expected:  truncateRunes(expected, expectedSnippetRunes),
		TextEnded: at >= len(text) && expected != "",
	}
}

// truncateRunes cuts s to at most n runes.
func truncateRunes(s string, n int) string {
	i := 0
	for count := 0; i < len(s); count++ {
		if count == n {
			return s[:i]
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return s
}

// compiledPattern is a template text parsed once for a run of messages (Preparer): its
// literal parts and placeholder names, and each literal's length in characters and first text
// fault under the multi-line rules, so that rendering a message reads only its values.
type compiledPattern struct {
	src         string
	lits, names []string
	litRunes    []int
	litFaults   []Reason
}

// compilePattern parses src. The result is never changed afterwards, so goroutines share it.
func compilePattern(src string) *compiledPattern {
	c := &compiledPattern{src: src}
	c.lits, c.names = parsePattern(src, nil, nil)
	c.litRunes = make([]int, len(c.lits))
	c.litFaults = make([]Reason, len(c.lits))
	for i, l := range c.lits {
		c.litRunes[i], c.litFaults[i] = scanText(l, true)
	}
	return c
}

// render is renderPattern(c.src, vars, missing) that also returns what scanText(text, true)
// would: the text's length in characters and its first fault. When every part is valid UTF-8
// the text's characters are the parts' characters in order, so the literals' figures are
// reused and only the values are scanned; otherwise bytes of neighbouring parts could join
// into other characters, and the whole text is scanned.
func (c *compiledPattern) render(vars map[string]string, missing []string) (text string, _ []string, n int, fault Reason) {
	if len(c.names) == 0 {
		return c.src, missing, c.litRunes[0], c.litFaults[0]
	}
	var valueBuf [stackSegments]string
	values := valueBuf[:0]
	size, absent := 0, false
	for _, name := range c.names {
		v, ok := vars[name]
		if !ok {
			absent = true
			if !containsString(missing, name) {
				missing = append(missing, name)
			}
		}
		values = append(values, v)
		size += len(v)
	}
	if absent {
		return "", missing, 0, 0
	}
	invalid := false
	part := func(runes int, f Reason) {
		n += runes
		if fault == 0 {
			fault = f
		}
		invalid = invalid || f == ReasonInvalidUTF8
	}
	for i, v := range values {
		size += len(c.lits[i])
		part(c.litRunes[i], c.litFaults[i])
		part(scanText(v, true))
	}
	last := len(c.lits) - 1
	size += len(c.lits[last])
	part(c.litRunes[last], c.litFaults[last])

	var b strings.Builder
	b.Grow(size)
	for i, v := range values {
		b.WriteString(c.lits[i])
		b.WriteString(v)
	}
	b.WriteString(c.lits[last])
	text = b.String()
	if invalid {
		n, fault = scanText(text, true)
	}
	return text, missing, n, fault
}

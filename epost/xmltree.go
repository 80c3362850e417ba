package epost

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/korean"
)

// The answers are read into a small element tree and looked up by name, case-insensitively,
// anywhere under the root: the manual shows its XML only as images, the root names of success
// answers are undocumented, and working callers disagree on letter case (canceledYn vs
// canceledyn). Unknown elements are simply never asked for.

// node is one XML element: its lower-cased local name, its own text (CDATA included, trimmed)
// and its child elements. The nodes of one answer live in one slice in document order, so a
// lookup is a scan of the element's own range (desc) and a parse costs a few allocations,
// not several per element.
type node struct {
	name     string
	text     string
	children []*node
	desc     []node // the element itself and every element under it, in document order
	raw      []byte // the whole answer, on the root only, for errors found after parsing

	// Offsets into the parse's text arena and the index after the element's last
	// descendant, used while parsing only.
	nameAt, nameEnd, textAt, textEnd, end int32
}

const (
	maxXMLDepth = 64
	maxXMLNodes = 100000
)

var bom = []byte("\xef\xbb\xbf")

// openElement is an element whose end tag has not been read yet.
type openElement struct {
	idx       int32    // index in the node slice
	textStart int32    // where its text starts in the text buffer
	name      xml.Name // as written, to check the end tag against
}

// parseXML reads body into a tree. It classifies what is not XML: an empty body, an HTML page,
// anything malformed or truncated. It never panics.
func parseXML(body []byte) (*node, ResponseProblem, string) {
	trimmed := bytes.TrimSpace(bytes.TrimPrefix(body, bom))
	if len(trimmed) == 0 {
		return nil, ProblemEmptyBody, ""
	}
	if looksLikeHTML(trimmed) {
		return nil, ProblemHTMLPage, ""
	}
	if trimmed[0] != '<' {
		return nil, ProblemMalformedXML, "not XML"
	}
	d := xml.NewDecoder(bytes.NewReader(trimmed))
	// Strict, so a mismatched or missing end tag is refused instead of silently repaired; the
	// HTML entities (&nbsp;) some messages carry are still read.
	d.Strict = true
	d.Entity = xml.HTMLEntity
	d.CharsetReader = charsetReader

	var (
		nodes   = make([]node, 0, estimateNodes(trimmed))
		openBuf [16]openElement
		stack   = openBuf[:0]
		textBuf []byte                          // the text of the open elements
		arena   = make([]byte, 0, len(trimmed)) // names and texts of the elements, one string at the end
	)
	// RawToken rather than Token: Token re-boxes every element to translate name spaces, which
	// the lookups ignore. What Token adds to strict parsing, end tags that must match their
	// start tags, is checked here with the names as written.
	for {
		tok, err := d.RawToken()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if truncated(err) {
				return nil, ProblemTruncated, "XML ends inside an element"
			}
			return nil, ProblemMalformedXML, syntaxDetail(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if len(nodes) > 0 && len(stack) == 0 {
				return nil, ProblemMalformedXML, "more than one root element"
			}
			if len(stack) >= maxXMLDepth || len(nodes) >= maxXMLNodes {
				return nil, ProblemMalformedXML, "too deeply nested or too large"
			}
			at := len(arena)
			arena = appendLower(arena, t.Name.Local)
			nodes = append(nodes, node{nameAt: int32(at), nameEnd: int32(len(arena))})
			stack = append(stack, openElement{idx: int32(len(nodes) - 1), textStart: int32(len(textBuf)), name: t.Name})
		case xml.EndElement:
			if len(stack) == 0 {
				return nil, ProblemMalformedXML, "unbalanced end tag"
			}
			top := stack[len(stack)-1]
			if t.Name != top.name {
				line, _ := d.InputPos()
				return nil, ProblemMalformedXML, fmt.Sprintf("syntax error on line %d", line)
			}
			n := &nodes[top.idx]
			n.textAt = int32(len(arena))
			arena = append(arena, bytes.TrimSpace(textBuf[top.textStart:])...)
			n.textEnd = int32(len(arena))
			n.end = int32(len(nodes))
			textBuf = textBuf[:top.textStart]
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				textBuf = append(textBuf, t...)
			}
		}
	}
	if len(nodes) == 0 {
		return nil, ProblemMalformedXML, "no element"
	}
	if len(stack) != 0 {
		n := &nodes[stack[0].idx]
		return nil, ProblemTruncated, "unclosed <" + string(arena[n.nameAt:n.nameEnd]) + ">"
	}
	link(nodes, string(arena))
	root := &nodes[0]
	if root.name == "html" {
		return nil, ProblemHTMLPage, ""
	}
	return root, 0, ""
}

// link fills in the names, texts, element ranges and child lists once the slice is final.
// Every element but the root is the child of exactly one element, so one slice holds every
// child list.
func link(nodes []node, text string) {
	kids := make([]*node, 0, len(nodes)-1)
	for i := range nodes {
		n := &nodes[i]
		n.name, n.text = text[n.nameAt:n.nameEnd], text[n.textAt:n.textEnd]
		n.desc = nodes[i:n.end:n.end]
		from := len(kids)
		for j := i + 1; j < int(n.end); j = int(nodes[j].end) {
			kids = append(kids, &nodes[j])
		}
		n.children = kids[from:len(kids):len(kids)]
	}
}

// estimateNodes guesses the element count from the end tags, so the node slice is usually
// allocated once; a wrong guess only costs a copy.
func estimateNodes(b []byte) int {
	n := bytes.Count(b, []byte("</")) + bytes.Count(b, []byte("/>")) + 1
	return min(n, maxXMLNodes)
}

// appendLower appends name lower-cased, without a temporary string for ASCII names.
func appendLower(dst []byte, name string) []byte {
	for i := 0; i < len(name); i++ {
		if name[i] >= utf8.RuneSelf {
			return append(dst, strings.ToLower(name)...)
		}
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}

// looksLikeHTML checks the first bytes for an HTML page, in any letter case and without
// copying: a doctype or <html> first, or an XML declaration followed soon by <html>.
func looksLikeHTML(b []byte) bool {
	if hasPrefixFold(b, "<!doctype html") || hasPrefixFold(b, "<html") {
		return true
	}
	if !hasPrefixFold(b, "<?xml") {
		return false
	}
	head := b[:min(len(b), 512)]
	for i := bytes.IndexByte(head, '<'); i >= 0; {
		if hasPrefixFold(head[i:], "<html") {
			return true
		}
		next := bytes.IndexByte(head[i+1:], '<')
		if next < 0 {
			break
		}
		i += 1 + next
	}
	return false
}

// hasPrefixFold reports whether b starts with prefix (lower-case ASCII) in any letter case.
func hasPrefixFold(b []byte, prefix string) bool {
	if len(b) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		c := b[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != prefix[i] {
			return false
		}
	}
	return true
}

// truncated reports a decoder error that means the document broke off.
func truncated(err error) bool {
	var se *xml.SyntaxError
	return errors.Is(err, io.ErrUnexpectedEOF) || errors.As(err, &se) && strings.HasPrefix(se.Msg, "unexpected EOF")
}

// syntaxDetail describes a decoder error without echoing the body.
func syntaxDetail(err error) string {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("syntax error on line %d", se.Line)
	}
	return "unreadable XML"
}

// charsetReader lets the decoder read EUC-KR declared documents; the service sends UTF-8,
// but Korean gateways and error pages sometimes do not.
func charsetReader(charset string, input io.Reader) (io.Reader, error) {
	switch strings.ToLower(strings.TrimSpace(charset)) {
	case "utf-8", "utf8", "":
		return input, nil
	case "euc-kr", "euckr", "cp949", "ks_c_5601-1987", "x-windows-949", "ms949":
		return korean.EUCKR.NewDecoder().Reader(input), nil
	}
	return nil, fmt.Errorf("unsupported charset %q", charset)
}

// find returns the first element named name (case-insensitively) in document order, n
// included, or nil.
func (n *node) find(name string) *node {
	if n == nil {
		return nil
	}
	q, folded := query(name)
	for i := range n.desc {
		if named(n.desc[i].name, q, folded) {
			return &n.desc[i]
		}
	}
	return nil
}

// findAll returns every element named name in document order, without looking inside a
// match (so a list entry's own sub-elements of the same name are not counted twice).
func (n *node) findAll(name string) []*node {
	if n == nil {
		return nil
	}
	q, folded := query(name)
	var out []*node
	for i := 0; i < len(n.desc); {
		m := &n.desc[i]
		if named(m.name, q, folded) {
			out = append(out, m)
			i += len(m.desc)
			continue
		}
		i++
	}
	return out
}

// query prepares a name to look up: the names the package asks for are ASCII and are compared
// with the stored (lower-cased) names in place; anything else is lower-cased once.
func query(name string) (string, bool) {
	for i := 0; i < len(name); i++ {
		if name[i] >= utf8.RuneSelf {
			return strings.ToLower(name), true
		}
	}
	return name, false
}

// named reports whether the stored name is the query q (lowered by query when folded).
func named(stored, q string, folded bool) bool {
	if folded {
		return stored == q
	}
	return equalLowerASCII(stored, q)
}

// equalLowerASCII reports whether lower equals the ASCII name lower-cased.
func equalLowerASCII(lower, name string) bool {
	if len(lower) != len(name) {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if lower[i] != c {
			return false
		}
	}
	return true
}

// value returns the text of the first element found under any of the names, or "".
func (n *node) value(names ...string) string {
	for _, name := range names {
		if m := n.find(name); m != nil {
			return m.text
		}
	}
	return ""
}

// has reports whether an element of that name exists.
func (n *node) has(name string) bool { return n.find(name) != nil }

// leaves collects every element without children as name → text (first occurrence wins), the
// forward-compatible Raw map of the results.
func (n *node) leaves() map[string]string {
	if n == nil {
		return map[string]string{}
	}
	count := 0
	for i := range n.desc {
		if len(n.desc[i].desc) == 1 {
			count++
		}
	}
	out := make(map[string]string, count)
	for i := range n.desc {
		if m := &n.desc[i]; len(m.desc) == 1 {
			if _, seen := out[m.name]; !seen {
				out[m.name] = m.text
			}
		}
	}
	return out
}

// entries returns the list entries named name; when there is none but the answer holds the
// entry's items directly (a one-entry answer flattened by a gateway), the root stands for the
// single entry.
func (n *node) entries(name string, probe string) []*node {
	if list := n.findAll(name); len(list) > 0 {
		return list
	}
	if n.has(probe) {
		return []*node{n}
	}
	return nil
}

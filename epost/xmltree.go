package epost

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"golang.org/x/text/encoding/korean"
)

// The answers are read into a small element tree and looked up by name, case-insensitively,
// anywhere under the root: the manual shows its XML only as images, the root names of success
// answers are undocumented, and working callers disagree on letter case (canceledYn vs
// canceledyn). Unknown elements are simply never asked for.

// node is one XML element: its lower-cased local name, its own text (CDATA included, trimmed)
// and its child elements.
type node struct {
	name     string
	text     string
	children []*node
	raw      []byte // the whole answer, on the root only, for errors found after parsing
}

const (
	maxXMLDepth = 64
	maxXMLNodes = 100000
)

// parseXML reads body into a tree. It classifies what is not XML: an empty body, an HTML page,
// anything malformed or truncated. It never panics.
func parseXML(body []byte) (*node, ResponseProblem, string) {
	trimmed := bytes.TrimSpace(bytes.TrimPrefix(body, []byte("\xef\xbb\xbf")))
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
		root  *node
		stack []*node
		texts []*strings.Builder
		count int
	)
	for {
		tok, err := d.Token()
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
			if root != nil && len(stack) == 0 {
				return nil, ProblemMalformedXML, "more than one root element"
			}
			count++
			if len(stack) >= maxXMLDepth || count > maxXMLNodes {
				return nil, ProblemMalformedXML, "too deeply nested or too large"
			}
			n := &node{name: strings.ToLower(t.Name.Local)}
			if len(stack) == 0 {
				root = n
			} else {
				parent := stack[len(stack)-1]
				parent.children = append(parent.children, n)
			}
			stack = append(stack, n)
			texts = append(texts, &strings.Builder{})
		case xml.EndElement:
			if len(stack) == 0 {
				return nil, ProblemMalformedXML, "unbalanced end tag"
			}
			top := stack[len(stack)-1]
			top.text = strings.TrimSpace(texts[len(texts)-1].String())
			stack, texts = stack[:len(stack)-1], texts[:len(texts)-1]
		case xml.CharData:
			if len(texts) > 0 {
				texts[len(texts)-1].Write(t)
			}
		}
	}
	if root == nil {
		return nil, ProblemMalformedXML, "no element"
	}
	if len(stack) != 0 {
		return nil, ProblemTruncated, "unclosed <" + stack[0].name + ">"
	}
	if root.name == "html" {
		return nil, ProblemHTMLPage, ""
	}
	return root, 0, ""
}

func looksLikeHTML(b []byte) bool {
	head := b
	if len(head) > 512 {
		head = head[:512]
	}
	lower := bytes.ToLower(head)
	return bytes.HasPrefix(lower, []byte("<!doctype html")) || bytes.HasPrefix(lower, []byte("<html")) ||
		(bytes.HasPrefix(lower, []byte("<?xml")) && bytes.Contains(lower, []byte("<html")))
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
	name = strings.ToLower(name)
	stack := []*node{n}
	for len(stack) > 0 {
		cur := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if cur.name == name {
			return cur
		}
		for i := len(cur.children) - 1; i >= 0; i-- {
			stack = append(stack, cur.children[i])
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
	name = strings.ToLower(name)
	var out []*node
	stack := []*node{n}
	for len(stack) > 0 {
		cur := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if cur.name == name {
			out = append(out, cur)
			continue
		}
		for i := len(cur.children) - 1; i >= 0; i-- {
			stack = append(stack, cur.children[i])
		}
	}
	return out
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
	out := map[string]string{}
	if n == nil {
		return out
	}
	stack := []*node{n}
	for len(stack) > 0 {
		cur := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if len(cur.children) == 0 {
			if _, seen := out[cur.name]; !seen {
				out[cur.name] = cur.text
			}
			continue
		}
		for i := len(cur.children) - 1; i >= 0; i-- {
			stack = append(stack, cur.children[i])
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

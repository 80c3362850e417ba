package alimtalk

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/kshop-dev/kshop/internal/wire"
)

var fuzzSeeds = []string{
	"",
	"plain text",
	"#{a}",
	"#{a}#{b}",
	"[#{shop}] #{name}님의 주문이 접수되었습니다.\n□주문번호 : #{orderNo}\n□결제금액 : #{amount}원",
	"#{} #{ } #{a\nb} #{a{b} ##{x}} #{",
	"ab#{x}ba",
	"#{고객 이름}님 #{고객 이름}",
	"\xff#{\xfe}\x00",
}

// FuzzRenderMatch: rendering with any values always produces a text the template matches,
// and rendering each placeholder as itself gives the template back.
func FuzzRenderMatch(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s, "값", "")
		f.Add(s, "#{a}", "님의 주문이")
	}
	f.Add("x#{a}y#{b}z", "y", "yz")
	f.Fuzz(func(t *testing.T, content, v1, v2 string) {
		tpl := Template{Content: content}
		names := tpl.Variables()
		vars := make(map[string]string, len(names))
		identity := make(map[string]string, len(names))
		for i, n := range names {
			switch i % 3 {
			case 0:
				vars[n] = v1
			case 1:
				vars[n] = v2
			default:
				vars[n] = v1 + n + v2
			}
			identity[n] = "#{" + n + "}"
		}
		text, err := tpl.Render(vars)
		if err != nil {
			t.Fatalf("render with every variable given failed: %v", err)
		}
		if err := tpl.Match(text); err != nil {
			t.Fatalf("rendered text does not match its template: %v\ncontent %q\ntext %q", err, content, text)
		}
		same, err := tpl.Render(identity)
		if err != nil || same != content {
			t.Fatalf("identity render changed the template: %q → %q (%v)", content, same, err)
		}
		if len(names) > 0 {
			_, err := tpl.Render(nil)
			if err == nil {
				t.Fatalf("render without variables succeeded for %q", content)
			}
		}
	})
}

// FuzzMatch: Match never panics, locates its divergence inside the text, and agrees with a
// regular expression built from the same template.
func FuzzMatch(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s, s)
		f.Add(s, "")
		f.Add(s, strings.ReplaceAll(s, "#{", "{"))
	}
	f.Add("ab#{x}ba", "aba")
	f.Add("#{a}\n#{b}", "x\ny\nz")
	f.Fuzz(func(t *testing.T, content, text string) {
		tpl := Template{Content: content}
		err := tpl.Match(text)
		if err != nil {
			me, ok := err.(*MismatchError)
			if !ok {
				t.Fatalf("Match returned %T", err)
			}
			if me.Offset < 0 || me.Offset > len(text) || me.Line < 1 || me.Column < 1 {
				t.Fatalf("bad location %+v for text of %d bytes", me, len(text))
			}
			if !utf8.ValidString(me.Expected) && utf8.ValidString(content) {
				t.Fatalf("expected snippet is not valid UTF-8: %q", me.Expected)
			}
		}
		// The regexp engine is O(len(text)·len(pattern)) here: compare on small inputs only.
		if !utf8.ValidString(content) || !utf8.ValidString(text) || len(content)+len(text) > 2048 {
			return
		}
		re, reErr := baselineRegexp(content)
		if reErr != nil {
			return // too large for the regexp engine; nothing to compare
		}
		if want := re.MatchString(text); want != (err == nil) {
			t.Fatalf("Match = %v, regexp = %v\ncontent %q\ntext %q", err, want, content, text)
		}
	})
}

// baselineRegexp builds the naive matcher: literal parts quoted, each placeholder (?s:.*).
func baselineRegexp(content string) (*regexp.Regexp, error) {
	lits, _ := parsePattern(content, nil, nil)
	var b strings.Builder
	b.WriteString("^")
	for i, l := range lits {
		if i > 0 {
			b.WriteString("(?s:.*)")
		}
		b.WriteString(regexp.QuoteMeta(l))
	}
	b.WriteString("$")
	return regexp.Compile(b.String())
}

// FuzzValidate: template and message validation never panic on any input.
func FuzzValidate(f *testing.F) {
	f.Add("#{a}", "WL", "이름", "https://x.kr/#{a}", "010-1234-5678", "TEXT", "제목")
	f.Add("", "AC", "채널 추가", "", "+82 10 1234 5678", "ITEM_LIST", "")
	f.Add("\xff", "TN", "", "\x00", "02-123-4567", "IMAGE", "#{x")
	f.Fuzz(func(t *testing.T, content, btnType, btnName, url, to, emphasis, title string) {
		tpl := Template{
			Code:     "T_0001",
			Content:  content,
			Emphasis: Emphasis(emphasis),
			Title:    title,
			Buttons:  []Button{{Type: ButtonType(btnType), Name: btnName, URLMobile: url, Phone: to}},
			ItemList: &ItemList{Items: []Item{{Title: title}}},
		}
		_ = tpl.Validate(Limits{})
		_ = ValidateButtons(tpl.Buttons, true, Limits{})
		m := Message{To: to, TemplateCode: "T_0001", Variables: map[string]string{"a": url}, Title: title,
			Failover: &Failover{Content: content, Subject: title, From: to}}
		_, _ = m.Prepare(&tpl, Limits{})
		_, _ = m.Prepare(nil, Limits{})
		_ = ValidateTemplateCode(content)
		_ = kindForLength(wire.EUCKRLenLenient(content), Limits{}.withDefaults())
	})
}

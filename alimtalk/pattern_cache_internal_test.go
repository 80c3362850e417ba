package alimtalk

import (
	"strconv"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A template put in a TemplateSet is parsed once: every Preparer renders from that parse, and
// concurrent ones share it without changing it (-race checks). A template changed after it
// was put in the set is parsed again, never rendered from the stale parse.
func TestTemplateSetTemplatesAreParsedOnce(t *testing.T) {
	t.Parallel()
	set := NewTemplateSet(Template{Code: "T", Content: "#{이름}님, 주문 #{주문번호} 접수"})
	tpl, ok := set.Template("T")
	require.True(t, ok)
	require.NotNil(t, tpl.compiled)
	assert.Equal(t, []string{"이름", "주문번호"}, tpl.compiled.names)

	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			p := NewPreparer(Limits{})
			m, err := p.Prepare(Message{To: "01012345678", TemplateCode: "T",
				Variables: map[string]string{"이름": "홍길동", "주문번호": strconv.Itoa(i)}}, tpl)
			assert.NoError(t, err)
			assert.Equal(t, "홍길동님, 주문 "+strconv.Itoa(i)+" 접수", m.Text)
			assert.Same(t, tpl.compiled, p.content, "the set's parse, not a new one")
		})
	}
	wg.Wait()

	changed := *tpl
	changed.Content = "#{이름}님 감사합니다"
	p := NewPreparer(Limits{})
	m, err := p.Prepare(Message{To: "01012345678", TemplateCode: "T", Variables: map[string]string{"이름": "홍길동"}}, &changed)
	require.NoError(t, err)
	assert.Equal(t, "홍길동님 감사합니다", m.Text)
	assert.NotSame(t, tpl.compiled, p.content)
}

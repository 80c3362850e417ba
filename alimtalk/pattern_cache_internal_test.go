package alimtalk

import (
	"strconv"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCompiledPatternsAreSharedAndBounded(t *testing.T) {
	t.Parallel()
	src := "#{이름}님, 주문 #{주문번호} 접수 (cache test)"
	first := compiledFor(src)
	assert.Same(t, first, compiledFor(src), "the second lookup parses nothing")
	assert.Equal(t, []string{"이름", "주문번호"}, first.names)

	// Concurrent Preparers render from one compiled text without changing it (-race checks).
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			p := NewPreparer(Limits{})
			tpl := &Template{Code: "T", Content: src}
			m, err := p.Prepare(Message{To: "01012345678", TemplateCode: "T",
				Variables: map[string]string{"이름": "홍길동", "주문번호": strconv.Itoa(i)}}, tpl)
			assert.NoError(t, err)
			assert.Equal(t, "홍길동님, 주문 "+strconv.Itoa(i)+" 접수 (cache test)", m.Text)
		})
	}
	wg.Wait()

	for i := range maxCompiledPatterns + 10 {
		c := compiledFor("text " + strconv.Itoa(i) + " #{v}")
		require.Equal(t, []string{"v"}, c.names)
	}
	compiledMu.RLock()
	n := len(compiledCache)
	compiledMu.RUnlock()
	assert.LessOrEqual(t, n, maxCompiledPatterns, "the cache stops growing at its bound")
	beyond := "beyond the bound #{v}"
	assert.NotSame(t, compiledFor(beyond), compiledFor(beyond), "past the bound each lookup compiles its own")
}

package search_test

import (
	"slices"
	"testing"

	"github.com/cloudmart/cloudmart/search"
)

func TestTokens(t *testing.T) {
	tests := []struct {
		text         string
		index, query []string
	}{
		{"PostgreSQL Backup-as-a-Service v2", []string{"postgresql", "backup", "as", "a", "service", "v2"}, []string{"postgresql", "backup", "as", "a", "service", "v2"}},
		{"数据安全", []string{"数据", "据安", "安全", "数", "据", "安", "全"}, []string{"数据", "据安", "安全"}},
		{"云 数据库", []string{"云", "数据", "据库", "数", "据", "库"}, []string{"云", "数据", "据库"}},
		{"Web应用防火墙WAF", []string{"web", "应用", "用防", "防火", "火墙", "应", "用", "防", "火", "墙", "waf"}, []string{"web", "应用", "用防", "防火", "火墙", "waf"}},
		{"データ保護", []string{"デー", "ータ", "タ保", "保護", "デ", "ー", "タ", "保", "護"}, nil},
		{"  ", nil, nil},
	}
	for _, tc := range tests {
		if got := search.IndexTokens(tc.text); !slices.Equal(got, tc.index) {
			t.Errorf("IndexTokens(%q) = %q, want %q", tc.text, got, tc.index)
		}
		if tc.query != nil {
			if got := search.QueryTokens(tc.text); !slices.Equal(got, tc.query) {
				t.Errorf("QueryTokens(%q) = %q, want %q", tc.text, got, tc.query)
			}
		}
	}
	if got := search.Document("数据 Data", "data 安全"); got != "数据 数 据 data 安全 安 全" {
		t.Errorf("Document = %q", got)
	}
}

// Every query token of a text is among the text's index tokens: a product is
// always found by any word of its own name.
func FuzzQueryTokensAreIndexed(f *testing.F) {
	f.Add("湖畔数据库备份 Backup 2026")
	f.Fuzz(func(t *testing.T, text string) {
		idx := search.IndexTokens(text)
		for _, q := range search.QueryTokens(text) {
			if !slices.Contains(idx, q) {
				t.Fatalf("query token %q of %q not indexed (%q)", q, text, idx)
			}
		}
	})
}

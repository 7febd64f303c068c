// Package search turns text into the tokens cloudmart's full-text index holds,
// the same way for both storage engines, so a query finds the same products on
// SQLite and on PostgreSQL.
//
// Latin-script text splits into words of letters and digits, lower-cased.
// Chinese (and other CJK) text has no spaces between words, and most Chinese
// words are two characters long (数据, 安全), which trigram indexes cannot
// match; so each run of CJK characters is indexed as its overlapping
// two-character pieces, plus each character alone. A query is cut the same
// way, except that a CJK run of two or more characters becomes only its pairs:
// "数据库" matches text that holds both 数据 and 据库, and a single character
// matches on its own.
package search

import (
	"strings"
	"unicode"
)

// IndexTokens returns the tokens to index for the text, without duplicates, in
// the order they first occur.
func IndexTokens(text string) []string { return tokens(text, true) }

// QueryTokens returns the tokens a query must all match, without duplicates.
func QueryTokens(query string) []string { return tokens(query, false) }

// MaxQueryTokens bounds the work of one query.
const MaxQueryTokens = 16

func tokens(text string, index bool) []string {
	var out []string
	seen := map[string]bool{}
	add := func(t string) {
		if t != "" && !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	var word strings.Builder
	var run []rune
	flushWord := func() {
		add(strings.ToLower(word.String()))
		word.Reset()
	}
	flushRun := func() {
		switch {
		case len(run) == 1:
			add(string(run))
		case len(run) > 1:
			for i := 0; i+1 < len(run); i++ {
				add(string(run[i : i+2]))
			}
			if index {
				for _, r := range run {
					add(string(r))
				}
			}
		}
		run = run[:0]
	}
	for _, r := range text {
		switch {
		case cjk(r):
			flushWord()
			run = append(run, r)
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			flushRun()
			word.WriteRune(r)
		default:
			flushWord()
			flushRun()
		}
	}
	flushWord()
	flushRun()
	if !index && len(out) > MaxQueryTokens {
		out = out[:MaxQueryTokens]
	}
	return out
}

// cjk reports whether r is written without spaces between words: Han,
// Hiragana, Katakana or Hangul, with their marks.
func cjk(r rune) bool {
	// ー (the long-vowel mark) and 々 (the repeat mark) are in no script's table.
	return r == 'ー' || r == '々' || unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul)
}

// Document is the text to index for the tokens, space-separated (both engines'
// simple tokenizers split it back into exactly these tokens).
func Document(texts ...string) string {
	var all []string
	seen := map[string]bool{}
	for _, t := range texts {
		for _, tok := range IndexTokens(t) {
			if !seen[tok] {
				seen[tok] = true
				all = append(all, tok)
			}
		}
	}
	return strings.Join(all, " ")
}

// Package search defines what an examiner's search (filing.SearchQuery) matches: the index
// terms of a filing, the words of a query, and the check that a filing answers a query. The
// stores keep an index of Terms (plus All for every filing) in the transaction of each write;
// text folds case, accents and full-width forms (golang.org/x/text), and Chinese, Japanese and
// Korean runs, written without spaces, are indexed by every suffix so that a word matches
// anywhere in them.
package search

import (
	"slices"
	"strings"
	"sync"
	"unicode"

	"github.com/ipfast/ipfast/shared/filing"
	"golang.org/x/text/cases"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
	"golang.org/x/text/width"
)

// All is the index term every filing has: a search without words walks it. The
// tokenizer never produces it.
const All = "*"

// maxTermRunes bounds an index term; query words are cut to the same length.
const maxTermRunes = 24

// Terms are the index terms of f, most significant first: the filing number (whole, from
// its type on, and its sequence), the booth, the mark text or title, then
// the applicants' names. Adapters that must bound what one write touches keep a prefix.
func Terms(f filing.Filing) []string { return WithNumber(f.FilingNumber, ContentTerms(f)) }

// WithNumber puts the terms of a filing number before content terms (ContentTerms): a store
// that numbers a filing inside its transaction computes the rest before it.
func WithNumber(filingNumber string, content []string) []string {
	out := []string{}
	// The number whole, from its type on ("tm-000042") and its sequence ("000042"): what people
	// type from a receipt. Not its prefix or type alone, which every filing of a kind shares.
	if number := cut(normalize(filingNumber)); number != "" {
		out = append(out, number)
		parts := strings.Split(number, "-")
		for i := 1; i < len(parts); i++ {
			out = append(out, strings.Join(parts[i:], "-"))
		}
	}
	for _, t := range content {
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

// ContentTerms are the terms of a filing other than its number's.
func ContentTerms(f filing.Filing) []string {
	var out []string
	seen := map[string]bool{}
	add := func(terms ...string) {
		for _, t := range terms {
			if t != "" && !seen[t] {
				seen[t] = true
				out = append(out, t)
			}
		}
	}
	// The booth whole: its hall and row ("3c") are a prefix of it.
	if booth := cut(normalize(strings.TrimSpace(f.Booth))); booth != "" {
		add(booth)
	}
	if f.Trademark != nil {
		add(indexTerms(f.Trademark.MarkText)...)
	}
	if f.Patent != nil {
		add(indexTerms(f.Patent.Title)...)
	}
	for _, a := range f.Applicants {
		add(indexTerms(a.Name)...)
	}
	return out
}

// Words are the normalised words of a search: each must match the start of a term.
func Words(q string) []string {
	var out []string
	for _, w := range words(normalize(q)) {
		out = append(out, cut(w.text))
	}
	return out
}

// Admits reports whether f answers the query: its filters hold and every word matches the
// start of one of f's terms.
func Admits(q filing.SearchQuery, f filing.Filing, words []string) bool {
	if !q.Filters(f) {
		return false
	}
	if len(words) == 0 {
		return true
	}
	terms := Terms(f)
	for _, w := range words {
		found := false
		for _, t := range terms {
			if strings.HasPrefix(t, w) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// folder normalises text for matching: compatibility forms (full-width letters, circled
// digits), case and accents fold away, so "ＡＢＣ", "abc" and "Ábc" are one word.
// A chain keeps state while it runs, so each caller takes its own from the pool.
var folders = sync.Pool{New: func() any {
	return transform.Chain(norm.NFKD, runes.Remove(runes.In(unicode.Mn)), width.Fold, cases.Fold(), norm.NFC)
}}

func normalize(s string) string {
	if ascii(s) { // most names and marks: folding is lower-casing
		return strings.ToLower(s)
	}
	folder := folders.Get().(transform.Transformer)
	defer folders.Put(folder)
	folder.Reset()
	out, _, err := transform.String(folder, s)
	if err != nil {
		return strings.ToLower(s)
	}
	return out
}

func ascii(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

type word struct {
	text string
	cjk  bool
}

// words splits normalised text into words: runs of letters and digits, joined by '-', '/', '.'
// or '&' inside a word ("3c-210", "a/s"), and runs of Han, kana or Hangul (which have no
// spaces) on their own.
func words(s string) []word {
	var out []word
	var cur []rune
	cjk := false
	flush := func() {
		for len(cur) > 0 && strings.ContainsRune("-/.&", cur[len(cur)-1]) {
			cur = cur[:len(cur)-1]
		}
		if len(cur) > 0 {
			out = append(out, word{string(cur), cjk})
		}
		cur = cur[:0]
	}
	for _, r := range s {
		isCJK := unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul)
		switch {
		case isCJK || unicode.IsLetter(r) || unicode.IsDigit(r):
			if len(cur) > 0 && isCJK != cjk {
				flush()
			}
			cjk = isCJK
			cur = append(cur, r)
		case len(cur) > 0 && !cjk && strings.ContainsRune("-/.&", r):
			cur = append(cur, r)
		default:
			flush()
		}
	}
	flush()
	return out
}

// indexTerms are the terms of one text: each word, the parts of a joined word, and every
// suffix of a CJK run (so that a search matches anywhere in "深圳市大疆创新科技有限公司").
func indexTerms(s string) []string {
	var out []string
	for _, w := range words(normalize(s)) {
		out = append(out, cut(w.text))
		r := []rune(w.text)
		if w.cjk {
			for i := 1; i < len(r); i++ {
				out = append(out, cut(string(r[i:])))
			}
			continue
		}
		if strings.ContainsAny(w.text, "-/.&") {
			for _, part := range strings.FieldsFunc(w.text, func(r rune) bool { return strings.ContainsRune("-/.&", r) }) {
				out = append(out, cut(part))
			}
		}
	}
	return out
}

func cut(s string) string {
	if r := []rune(s); len(r) > maxTermRunes {
		return string(r[:maxTermRunes])
	}
	return s
}

// Package similar finds registered marks close to a mark being filed (SPEC §15): the same text
// once case, width, spacing and traditional characters are set aside; the same toneless pinyin
// (Chinese characters compared by reading, every reading of a polyphonic character, and Latin
// letters as themselves: 华为 reads as HUAWEI); or a small edit distance relative to the length.
// A hint needs a class in common. Lookups go through indexes by normalised text, by reading and
// by the texts one or two characters shorter (a deletion neighbourhood, as SymSpell does), never
// through every mark, so that a hint costs microseconds with 100,000 known marks.
//
//go:generate go run gen_tables.go
package similar

import (
	"bytes"
	"cmp"
	"compress/gzip"
	_ "embed"
	"encoding/binary"
	"hash/maphash"
	"io"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode"

	"github.com/hbollon/go-edlib"
	"golang.org/x/text/unicode/norm"
)

// Mark is a mark with its Nice classes: a registered one the organiser loads, or a filing's.
type Mark struct {
	Text         string
	Classes      []int
	Owner        string
	Registration string
	// Ref is the caller's reference to it (a filing's id, a known mark's index).
	Ref string
}

// The reasons of a hint.
const (
	SameText   = "same_text"   // the same text, ignoring case, width, spacing and script
	SamePinyin = "same_pinyin" // the same toneless reading
	CloseText  = "close_text"  // a small edit distance relative to the length
)

// Hit is a known mark close to the one looked up, and why.
type Hit struct {
	Mark     Mark
	Reason   string
	Distance int   // for CloseText: the edit distance of the normalised texts
	Classes  []int // the classes in common
}

// Index finds the marks close to a text. It is safe for concurrent use once built.
type Index struct {
	marks  []Mark
	keys   []string           // each mark's normalised text
	byKey  map[string][]int32 // normalised text → marks
	byRead map[string][]int32 // each reading → marks
	// deleted holds (hash of the normalised text with one or two runes deleted, mark), sorted
	// by hash: one flat array, not millions of small slices.
	deleted []deletion
	seed    maphash.Seed
}

type deletion struct {
	hash uint64
	id   int32
}

// deletedOf calls f with each mark one of whose deletions hashes to h.
func (ix *Index) deletedOf(h uint64, f func(int32)) {
	i := sort.Search(len(ix.deleted), func(i int) bool { return ix.deleted[i].hash >= h })
	for ; i < len(ix.deleted) && ix.deleted[i].hash == h; i++ {
		f(ix.deleted[i].id)
	}
}

// MaxHits is how many hits Find returns at most: the closest.
const MaxHits = 10

// New indexes marks.
func New(marks []Mark) *Index {
	ix := &Index{marks: marks, keys: make([]string, len(marks)), byKey: map[string][]int32{}, byRead: map[string][]int32{},
		seed: maphash.MakeSeed()}
	for i, m := range marks {
		k := Normalize(m.Text)
		ix.keys[i] = k
		if k == "" {
			continue
		}
		id := int32(i)
		ix.byKey[k] = append(ix.byKey[k], id)
		for _, r := range Readings(k) {
			ix.byRead[r] = appendOnce(ix.byRead[r], id)
		}
		ix.deleteHashes(k, maxDistance(k), func(h uint64) { ix.deleted = append(ix.deleted, deletion{h, id}) })
	}
	slices.SortFunc(ix.deleted, func(a, b deletion) int {
		if c := cmp.Compare(a.hash, b.hash); c != 0 {
			return c
		}
		return cmp.Compare(a.id, b.id)
	})
	ix.deleted = slices.Compact(ix.deleted)
	return ix
}

func appendOnce(list []int32, id int32) []int32 {
	if n := len(list); n > 0 && list[n-1] == id {
		return list
	}
	return append(list, id)
}

// Len is how many marks the index holds.
func (ix *Index) Len() int { return len(ix.marks) }

// Find returns the marks close to text that share a class with classes, the closest reason
// first (same text, same reading, close text), each mark once.
func (ix *Index) Find(text string, classes []int) []Hit {
	k := Normalize(text)
	if k == "" || ix == nil {
		return nil
	}
	seen := map[int32]bool{}
	var out []Hit
	add := func(id int32, reason string, dist int) {
		if seen[id] {
			return
		}
		common := overlap(ix.marks[id].Classes, classes)
		if len(common) == 0 {
			return
		}
		seen[id] = true
		out = append(out, Hit{Mark: ix.marks[id], Reason: reason, Distance: dist, Classes: common})
	}
	for _, id := range ix.byKey[k] {
		add(id, SameText, 0)
	}
	for _, r := range Readings(k) {
		for _, id := range ix.byRead[r] {
			add(id, SamePinyin, 0)
		}
	}
	if max := maxDistance(k); max > 0 {
		// Within distance max, the two texts share a text made by deleting runes from each
		// (or one is such a text of the other).
		// (A hash collision only adds a candidate, which the distance then refuses.)
		var cands []int32
		collect := func(id int32) { cands = append(cands, id) }
		ix.deletedOf(maphash.String(ix.seed, k), collect)
		for _, d := range deletes(k, max) {
			ix.deletedOf(maphash.String(ix.seed, d), collect)
			cands = append(cands, ix.byKey[d]...)
		}
		sort.Slice(cands, func(i, j int) bool { return cands[i] < cands[j] })
		for i, id := range cands {
			if i > 0 && cands[i-1] == id || seen[id] {
				continue
			}
			other := ix.keys[id]
			limit := min(max, maxDistance(other))
			if limit == 0 {
				continue
			}
			if d := edlib.LevenshteinDistance(k, other); d > 0 && d <= limit {
				add(id, CloseText, d)
			}
		}
	}
	// The closest first (same text, same reading, then by distance), at most MaxHits.
	sort.SliceStable(out, func(i, j int) bool { return rank(out[i]) < rank(out[j]) })
	if len(out) > MaxHits {
		out = out[:MaxHits]
	}
	return out
}

func rank(h Hit) int {
	switch h.Reason {
	case SameText:
		return 0
	case SamePinyin:
		return 1
	}
	return 1 + h.Distance
}

// overlap is the classes a and b share, in a's order.
func overlap(a, b []int) []int {
	var out []int
	for _, x := range a {
		for _, y := range b {
			if x == y {
				out = append(out, x)
				break
			}
		}
	}
	return out
}

// maxDistance is the edit distance that still makes a text of that length close: none for
// short texts (up to 3 characters: two letters, or a two-character Chinese mark, would match
// too much), 1 up to 9 characters, 2 from 10.
func maxDistance(k string) int {
	switch n := len([]rune(k)); {
	case n <= 3:
		return 0
	case n <= 9:
		return 1
	}
	return 2
}

// deleteHashes calls f with the hash of each text made from k by deleting 1 to max (at most 2)
// runes, as maphash.String of that text would be, without making the texts (the index of
// 100,000 marks holds millions); a text may come more than once.
func (ix *Index) deleteHashes(k string, max int, f func(uint64)) {
	if max == 0 {
		return
	}
	offs := make([]int, 0, len(k)+1)
	for i := range k {
		offs = append(offs, i)
	}
	offs = append(offs, len(k))
	n := len(offs) - 1
	var h maphash.Hash
	h.SetSeed(ix.seed)
	for i := 0; i < n; i++ {
		h.Reset()
		h.WriteString(k[:offs[i]])
		h.WriteString(k[offs[i+1]:])
		f(h.Sum64())
		if max < 2 {
			continue
		}
		for j := i + 1; j < n; j++ {
			h.Reset()
			h.WriteString(k[:offs[i]])
			h.WriteString(k[offs[i+1]:offs[j]])
			h.WriteString(k[offs[j+1]:])
			f(h.Sum64())
		}
	}
}

// deletes are the texts made from k by deleting 1 to max runes (the deletion neighbourhood:
// two texts within edit distance max share one, or one is in the other's).
func deletes(k string, max int) []string {
	if max == 0 {
		return nil
	}
	rs := []rune(k)
	set := map[string]bool{}
	var walk func(rs []rune, left int)
	walk = func(rs []rune, left int) {
		for i := range rs {
			d := append(append([]rune{}, rs[:i]...), rs[i+1:]...)
			s := string(d)
			if !set[s] {
				set[s] = true
				if left > 1 && len(d) > 1 {
					walk(d, left-1)
				}
			}
		}
	}
	walk(rs, max)
	out := make([]string, 0, len(set))
	for s := range set {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

// Normalize is a mark's text as compared: NFKC (full-width letters and digits become
// half-width), lower case, traditional Chinese characters simplified, and only letters and
// digits kept (spaces, punctuation and symbols set aside).
func Normalize(s string) string {
	var b strings.Builder
	for _, r := range norm.NFKC.String(s) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(simplified(r)))
		}
	}
	return b.String()
}

// Readings are the toneless readings of a normalised text: its Chinese characters by pinyin
// (every combination of the readings of polyphonic ones, at most 16), its other letters and
// digits as themselves. A text without Chinese characters reads as itself.
func Readings(k string) []string {
	out := []string{""}
	han := false
	for _, r := range k {
		rs := readingsOf(r)
		if len(rs) == 0 {
			for i := range out {
				out[i] += string(r)
			}
			continue
		}
		han = true
		var next []string
		for _, prefix := range out {
			for _, p := range rs {
				if len(next) < 16 {
					next = append(next, prefix+p)
				}
			}
		}
		out = next
	}
	if !han {
		return []string{k}
	}
	return out
}

// The tables gen_tables.go writes, gzipped.
var (
	//go:embed pinyin.bin.gz
	pinyinGz []byte
	//go:embed t2s.bin.gz
	t2sGz []byte
	// pinyinBin and t2sBin are the tables as read, on first use.
	pinyinBin, t2sBin []byte
)

// The ranges of the tables gen_tables.go writes.
const firstHan, lastHan = 0x3400, 0x9FFF

var (
	tablesOnce sync.Once
	readingSet [][]string // the reading sets of pinyin.bin
	readingIx  []byte     // pinyin.bin's index: uint16 per character
)

func loadTables() {
	pinyinBin, t2sBin = gunzip(pinyinGz), gunzip(t2sGz)
	n := binary.LittleEndian.Uint32(pinyinBin)
	for _, line := range strings.Split(string(pinyinBin[4:4+n]), "\n") {
		readingSet = append(readingSet, strings.Fields(line))
	}
	readingIx = pinyinBin[4+n:]
}

// readingsOf is a character's toneless readings (none for a character that is not Chinese).
func readingsOf(r rune) []string {
	if r < firstHan || r > lastHan {
		return nil
	}
	tablesOnce.Do(loadTables)
	i := int(r-firstHan) * 2
	v := binary.LittleEndian.Uint16(readingIx[i:])
	if v == 0 {
		return nil
	}
	return readingSet[v-1]
}

// gunzip is an embedded table read (a table that does not read is a build that is broken).
func gunzip(b []byte) []byte {
	r, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		panic("similar: table: " + err.Error())
	}
	out, err := io.ReadAll(r)
	if err != nil {
		panic("similar: table: " + err.Error())
	}
	return out
}

// simplified is the simplified form of a traditional Chinese character (r itself otherwise):
// a binary search of t2s.bin's sorted pairs.
func simplified(r rune) rune {
	if r < firstHan {
		return r
	}
	tablesOnce.Do(loadTables)
	n := len(t2sBin) / 8
	i := sort.Search(n, func(i int) bool { return rune(binary.LittleEndian.Uint32(t2sBin[i*8:])) >= r })
	if i < n && rune(binary.LittleEndian.Uint32(t2sBin[i*8:])) == r {
		return rune(binary.LittleEndian.Uint32(t2sBin[i*8+4:]))
	}
	return r
}

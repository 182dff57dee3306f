//go:build ignore

// gen_tables writes the tables the similar-mark hints read (SPEC §15): pinyin.bin, the
// toneless readings of every character of U+3400–U+9FFF from github.com/mozillazg/go-pinyin
// (every reading of a polyphonic character), and t2s.bin.gz, the simplified form of each
// traditional character from github.com/longbridgeapp/opencc (t2s). The tables are generated
// rather than linked because the two libraries would add about 3.2 MB of dictionaries to the API
// function (its size budget); tables_test.go holds the tables equal to the libraries.
// Run: go generate ./shared/similar
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"log"
	"os"
	"sort"
	"strings"

	"github.com/longbridgeapp/opencc"
	"github.com/mozillazg/go-pinyin"
)

// The characters with readings: CJK Extension A and the Unified Ideographs.
const first, last = 0x3400, 0x9FFF

func main() {
	// pinyin.bin(.gz): a header (uint32 count of reading sets), the sets (each "syl syl\n"), then one
	// uint16 per character of first..last: 0 for none, else 1 + the index of its set.
	args := pinyin.NewArgs()
	args.Heteronym = true
	args.Style = pinyin.Normal
	sets := map[string]int{}
	var order []string
	index := make([]uint16, last-first+1)
	for r := rune(first); r <= last; r++ {
		readings := Readings(string(r), args)
		if len(readings) == 0 {
			continue
		}
		key := strings.Join(readings, " ")
		i, ok := sets[key]
		if !ok {
			i = len(order)
			sets[key] = i
			order = append(order, key)
		}
		index[r-first] = uint16(i + 1)
	}
	var b bytes.Buffer
	text := strings.Join(order, "\n")
	_ = binary.Write(&b, binary.LittleEndian, uint32(len(text)))
	b.WriteString(text)
	_ = binary.Write(&b, binary.LittleEndian, index)
	if err := os.WriteFile("pinyin.bin.gz", gz(b.Bytes()), 0o644); err != nil {
		log.Fatal(err)
	}

	// t2s.bin(.gz): pairs of uint32 (traditional, simplified), sorted, for every character whose
	// simplified form is one other character.
	conv, err := opencc.New("t2s")
	if err != nil {
		log.Fatal(err)
	}
	var pairs [][2]uint32
	for r := rune(first); r <= 0x2FFFF; r++ {
		if r > last && r < 0x20000 {
			continue
		}
		s, err := conv.Convert(string(r))
		if err != nil {
			log.Fatal(err)
		}
		if rs := []rune(s); len(rs) == 1 && rs[0] != r {
			pairs = append(pairs, [2]uint32{uint32(r), uint32(rs[0])})
		}
	}
	sort.Slice(pairs, func(i, j int) bool { return pairs[i][0] < pairs[j][0] })
	b.Reset()
	_ = binary.Write(&b, binary.LittleEndian, pairs)
	if err := os.WriteFile("t2s.bin.gz", gz(b.Bytes()), 0o644); err != nil {
		log.Fatal(err)
	}
	log.Printf("pinyin.bin: %d reading sets; t2s.bin: %d characters", len(order), len(pairs))
}

// gz is b gzipped (the tables are embedded compressed: the API function's size).
func gz(b []byte) []byte {
	var out bytes.Buffer
	w, _ := gzip.NewWriterLevel(&out, gzip.BestCompression)
	_, _ = w.Write(b)
	_ = w.Close()
	return out.Bytes()
}

// Readings are the distinct toneless readings of a one-character string, in go-pinyin's order.
func Readings(s string, args pinyin.Args) []string {
	var out []string
	for _, list := range pinyin.Pinyin(s, args) {
		for _, p := range list {
			p = strings.ReplaceAll(p, "ü", "v")
			dup := false
			for _, o := range out {
				dup = dup || o == p
			}
			if !dup && p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

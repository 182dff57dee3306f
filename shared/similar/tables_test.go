package similar

import (
	"strings"
	"testing"

	"github.com/longbridgeapp/opencc"
	"github.com/mozillazg/go-pinyin"
)

// TestTablesMatchLibraries: pinyin.bin and t2s.bin (gen_tables.go) say what go-pinyin and
// opencc say, for every character they cover (run go generate after updating either library).
func TestTablesMatchLibraries(t *testing.T) {
	args := pinyin.NewArgs()
	args.Heteronym = true
	args.Style = pinyin.Normal
	bad := 0
	for r := rune(firstHan); r <= lastHan && bad < 10; r++ {
		var want []string
		for _, list := range pinyin.Pinyin(string(r), args) {
			for _, p := range list {
				p = strings.ReplaceAll(p, "ü", "v")
				dup := false
				for _, o := range want {
					dup = dup || o == p
				}
				if !dup && p != "" {
					want = append(want, p)
				}
			}
		}
		if got := readingsOf(r); strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("%c (U+%04X): table %v, go-pinyin %v", r, r, got, want)
			bad++
		}
	}
	conv, err := opencc.New("t2s")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range "華為長城廣東體驗愛國車輛電腦龍鳳" {
		s, _ := conv.Convert(string(r))
		if got := string(simplified(r)); got != s {
			t.Errorf("%c: table %s, opencc %s", r, got, s)
		}
	}
	for _, r := range "华为abc123" {
		if simplified(r) != r {
			t.Errorf("%c changed", r)
		}
	}
}

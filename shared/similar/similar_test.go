package similar_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ipfast/ipfast/shared/similar"
)

var known = []similar.Mark{
	{Text: "HUAWEI", Classes: []int{9, 38}, Owner: "Huawei Technologies Co., Ltd.", Registration: "1234567", Ref: "0"},
	{Text: "华为", Classes: []int{9}, Owner: "华为技术有限公司", Registration: "7654321", Ref: "1"},
	{Text: "Voltara", Classes: []int{9}, Owner: "Voltara GmbH", Registration: "9000001", Ref: "2"},
	{Text: "AB", Classes: []int{9}, Owner: "AB Oy", Registration: "9000002", Ref: "3"},
	{Text: "長城", Classes: []int{12}, Owner: "长城汽车", Registration: "9000003", Ref: "4"},
	{Text: "Nike", Classes: []int{25}, Owner: "Nike, Inc.", Registration: "9000004", Ref: "5"},
	{Text: "PowerCellular Systems", Classes: []int{9}, Owner: "PCS Ltd", Registration: "9000005", Ref: "6"},
}

// TestHints is the table: case and width, the same reading, traditional and simplified
// characters, classes, short marks, and close spellings.
func TestHints(t *testing.T) {
	ix := similar.New(known)
	for _, tc := range []struct {
		text    string
		classes []int
		want    string // "ref:reason …" in order, "" for none
	}{
		{"HUAWEI", []int{9}, "0:same_text 1:same_pinyin"},
		{"Huawei", []int{9}, "0:same_text 1:same_pinyin"},
		{"ＨＵＡＷＥＩ", []int{9}, "0:same_text 1:same_pinyin"},
		{"hua wei", []int{38}, "0:same_text"},
		{"花为", []int{9}, "0:same_pinyin 1:same_pinyin"},
		{"华為", []int{9}, "1:same_text 0:same_pinyin"},
		{"华为", []int{25}, ""},            // class 9 vs 25: no overlap, no hint
		{"长城", []int{12}, "4:same_text"}, // 長城 registered in traditional characters
		{"AC", []int{9}, ""},             // a short mark does not match everything
		{"AB", []int{9}, "3:same_text"},  // though the same short mark does
		{"Voltarra", []int{9}, "2:close_text"},
		{"Voltaro", []int{9}, "2:close_text"},
		{"Voltxyz", []int{9}, ""},
		{"Nikes", []int{25}, "5:close_text"}, // 5 letters: one edit
		{"Mike", []int{25}, "5:close_text"},
		{"Mice", []int{25}, ""}, // two edits on four letters: not close
		{"PowerCelular Sistems", []int{9}, "6:close_text"},
		{"", []int{9}, ""},
	} {
		var got []string
		for _, h := range ix.Find(tc.text, tc.classes) {
			got = append(got, h.Mark.Ref+":"+h.Reason)
		}
		if strings.Join(got, " ") != tc.want {
			t.Errorf("%q in %v: %q, want %q", tc.text, tc.classes, strings.Join(got, " "), tc.want)
		}
	}
}

// TestReadings: every reading of a polyphonic character; Latin letters as themselves.
func TestReadings(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"华为", "huawei"},
		{"重庆", "zhongqing chongqing"},
		{"abc", "abc"},
		{"q5", "q5"},
		{"银行a", "yinxinga yinhanga yinhenga yinhanga"},
	} {
		got := strings.Join(similar.Readings(similar.Normalize(tc.in)), " ")
		for _, w := range strings.Fields(tc.want) {
			if !strings.Contains(" "+got+" ", " "+w+" ") {
				t.Errorf("%s: %q lacks %q", tc.in, got, w)
			}
		}
	}
}

func TestNormalize(t *testing.T) {
	for in, want := range map[string]string{"ＨＵＡＷＥＩ": "huawei", "Hua-Wei!": "huawei", "華為": "华为", " Ａ１ ": "a1", "Ⅻ": "xii"} {
		if got := similar.Normalize(in); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestManyMarks: with 100,000 known marks the index still finds the right ones (make bench
// measures the time; BenchmarkFind).
func TestManyMarks(t *testing.T) {
	marks := manyMarks(100000)
	ix := similar.New(marks)
	target := marks[4217].Text
	hits := ix.Find(strings.ToLower(target), marks[4217].Classes)
	if len(hits) == 0 || hits[0].Mark.Ref != "4217" || hits[0].Reason != similar.SameText {
		t.Errorf("same text %q among 100,000: %+v", target, hits)
	}
	typo := target[:2] + "q" + target[3:]
	found := false
	for _, h := range ix.Find(typo, marks[4217].Classes) {
		found = found || h.Mark.Ref == "4217" && h.Reason == similar.CloseText
	}
	if !found {
		t.Errorf("%q not close to %q among 100,000", typo, target)
	}
	if n := len(ix.Find(typo, marks[4217].Classes)); n > similar.MaxHits {
		t.Errorf("%d hits", n)
	}
}

// manyMarks are n marks like a register's: invented words of 4 to 12 letters, and Chinese marks
// of 2 to 4 characters, in one or two classes.
func manyMarks(n int) []similar.Mark {
	rng := rand.New(rand.NewPCG(1, 2))
	const letters = "abcdefghijklmnopqrstuvwxyz"
	han := []rune("华为长城海尔美的格力联想小米比亚迪阿里腾讯百度京东星光龙凤金银山水天地人和")
	out := make([]similar.Mark, n)
	for i := range out {
		var b strings.Builder
		if i%4 == 3 {
			for range 2 + rng.IntN(3) {
				b.WriteRune(han[rng.IntN(len(han))])
			}
		} else {
			for range 4 + rng.IntN(9) {
				b.WriteByte(letters[rng.IntN(26)])
			}
		}
		out[i] = similar.Mark{Text: strings.ToUpper(b.String()), Classes: []int{1 + rng.IntN(45)}, Ref: fmt.Sprint(i)}
		if i%2 == 0 {
			out[i].Classes = append(out[i].Classes, 9)
		}
	}
	return out
}

func BenchmarkNew(b *testing.B) {
	marks := manyMarks(100000)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		similar.New(marks)
	}
}

// BenchmarkFind looks up marks among 100,000 known ones (what a trademark's validate or submit
// adds) and reports the p50 and p99 of one lookup.
func BenchmarkFind(b *testing.B) {
	marks := manyMarks(100000)
	ix := similar.New(marks)
	texts := []string{marks[10].Text, "HUAWEI", "华为科技", marks[77].Text[:3] + "x" + marks[77].Text[4:], "Voltara Systems"}
	times := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		ix.Find(texts[i%len(texts)], []int{9})
		times = append(times, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)/2].Microseconds()), "p50-us")
	b.ReportMetric(float64(times[len(times)*99/100].Microseconds()), "p99-us")
}

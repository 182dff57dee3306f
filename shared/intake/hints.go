package intake

import (
	"strconv"
	"strings"
	"sync"

	"github.com/ipfast/ipfast/shared/filing"
	"github.com/ipfast/ipfast/shared/similar"
)

// The similar-mark hints (SPEC §15): a trademark whose text is close to a registered mark of the
// expo's knownMarks in a class they share gets a similar_mark warning (never an error) naming
// the mark and why, on validate and on submit.

// CodeSimilarMark is the warning's code.
const CodeSimilarMark = "similar_mark"

// hintIndexes are the indexes of each expo's known marks, built once per expo configuration.
var hintIndexes sync.Map // *filing.Expo → *hintIndex

type hintIndex struct {
	once sync.Once
	ix   *similar.Index
}

// KnownMarks is the index of an expo's known marks, built the first time it is asked for
// (WarmHints builds it ahead, so that no submit waits for it).
func KnownMarks(x *filing.Expo) *similar.Index {
	v, _ := hintIndexes.LoadOrStore(x, &hintIndex{})
	h := v.(*hintIndex)
	h.once.Do(func() {
		marks := make([]similar.Mark, len(x.KnownMarks))
		for i, m := range x.KnownMarks {
			marks[i] = similar.Mark{Text: m.Text, Classes: m.Classes, Owner: m.Owner, Registration: m.Registration, Ref: strconv.Itoa(i)}
		}
		h.ix = similar.New(marks)
	})
	return h.ix
}

// WarmHints builds the known-mark index of every expo of the deployment.
func (s *Service) WarmHints() {
	for _, x := range s.Expo.Expos() {
		if len(x.KnownMarks) > 0 {
			KnownMarks(x)
		}
	}
}

// markHints are the similar_mark warnings of a request at expo x.
func markHints(x *filing.Expo, r *filing.Request) []filing.Problem {
	if r.Trademark == nil || strings.TrimSpace(r.Trademark.MarkText) == "" || len(x.KnownMarks) == 0 {
		return nil
	}
	var classes []int
	for _, c := range r.Trademark.Classes {
		classes = append(classes, c.Class)
	}
	var out []filing.Problem
	for _, h := range KnownMarks(x).Find(r.Trademark.MarkText, classes) {
		out = append(out, SimilarWarning(h))
	}
	return out
}

// SimilarWarning is the warning of a hit on a registered mark.
func SimilarWarning(h similar.Hit) filing.Problem {
	var cls, clsZh []string
	for _, c := range h.Classes {
		cls = append(cls, strconv.Itoa(c))
		clsZh = append(clsZh, "第"+strconv.Itoa(c)+"类")
	}
	who, whoZh := "", ""
	if h.Mark.Registration != "" || h.Mark.Owner != "" {
		parts := []string{}
		if h.Mark.Registration != "" {
			parts = append(parts, "reg. "+h.Mark.Registration)
		}
		if h.Mark.Owner != "" {
			parts = append(parts, h.Mark.Owner)
		}
		who = " (" + strings.Join(parts, ", ") + ")"
		partsZh := []string{}
		if h.Mark.Registration != "" {
			partsZh = append(partsZh, "注册号"+h.Mark.Registration)
		}
		if h.Mark.Owner != "" {
			partsZh = append(partsZh, h.Mark.Owner)
		}
		whoZh = "（" + strings.Join(partsZh, "，") + "）"
	}
	reason, reasonZh := "the same text, ignoring case, width and spacing", "文字相同（不计大小写、全半角和空格）"
	switch h.Reason {
	case similar.SamePinyin:
		reason, reasonZh = "the same pinyin reading", "拼音读音相同"
	case similar.CloseText:
		reason, reasonZh = "a similar spelling", "拼写相近"
	}
	what, whatZh := "the registered mark", "已注册商标"
	return filing.Problem{Field: "/trademark/markText", Code: CodeSimilarMark,
		Message:   "Close to " + what + " \u201c" + h.Mark.Text + "\u201d" + who + " in class " + strings.Join(cls, ", ") + ": " + reason + ".",
		MessageZh: "与" + whatZh + "\u201c" + h.Mark.Text + "\u201d" + whoZh + "在" + strings.Join(clsZh, "、") + "近似：" + reasonZh + "。",
		Similar: &filing.SimilarMark{Text: h.Mark.Text, Owner: h.Mark.Owner, Registration: h.Mark.Registration, Classes: h.Classes,
			Reason: h.Reason}}
}

package pdf

import (
	"strings"
	"testing"
)

// TestLines: mixed Chinese and Latin text breaks into lines no wider than the column, between
// Chinese characters or at spaces, never before closing punctuation; a word wider than a line
// (a hash) breaks between its characters; nothing is lost.
func TestLines(t *testing.T) {
	d := newDoc("t")
	d.AddPage()
	d.font(10, false)
	for _, s := range []string{
		"Solid-state battery pack BX-9 with its liquid cooling plate 固态电池包BX-9及其液冷板，已于展会首次展出。",
		strings.Repeat("ab", 40),
		"《专利法》第二十四条第（二）项、《商标法》第二十六条：中国政府主办或者承认的国际展览会。",
		"Müller & Söhne GmbH · Germany 德国 (DE)",
	} {
		for _, w := range []float64{30, 60, 120} {
			lines := d.lines(s, w)
			var all strings.Builder
			for i, line := range lines {
				lw := 0.0
				text := ""
				for _, r := range line {
					lw += d.runWidth(r)
					text += r.text
				}
				if lw > w+0.01 {
					t.Errorf("%q at %v mm: line %d is %.1f mm wide: %q", s, w, i, lw, text)
				}
				if i > 0 && text != "" && strings.ContainsRune(noBreakBefore, []rune(text)[0]) {
					t.Errorf("%q at %v mm: line %d begins with %q", s, w, i, text)
				}
				all.WriteString(text)
			}
			if strings.ReplaceAll(all.String(), " ", "") != strings.ReplaceAll(s, " ", "") {
				t.Errorf("%q at %v mm lost text: %q", s, w, all.String())
			}
		}
	}
}

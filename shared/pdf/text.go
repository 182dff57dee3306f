// Package pdf writes ipfast's PDF documents: the exhibition display certificate and the filing
// receipt (SPEC §12), A4, in English and Chinese, with their fonts embedded (subsets of the
// glyphs used) so that every reader shows them and text extraction reads them.
//
// Latin text is set in Go Regular and Go Bold (golang.org/x/image/font/gofont), Chinese (and
// whatever else Go Regular lacks) in Droid Sans Fallback, which ships in fonts/ under the
// Apache License 2.0 (fonts/LICENSE). A line of mixed text switches font per run.
package pdf

import (
	_ "embed"
	"strings"
	"sync"
	"unicode"

	"codeberg.org/go-pdf/fpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"
)

//go:embed fonts/DroidSansFallbackFull.ttf
var cjkTTF []byte

// The fonts' names in a document.
const (
	latin     = "go"
	latinBold = "gob"
	cjk       = "droid"
)

var (
	goFont     *sfnt.Font
	goFontOnce sync.Once
)

// inLatin reports whether Go Regular has a glyph for r (its coverage decides the font of r).
func inLatin(r rune) bool {
	goFontOnce.Do(func() {
		f, err := sfnt.Parse(goregular.TTF)
		if err != nil {
			panic("pdf: Go Regular: " + err.Error())
		}
		goFont = f
	})
	if r < 0x80 {
		return true
	}
	var b sfnt.Buffer
	i, err := goFont.GlyphIndex(&b, r)
	return err == nil && i != 0
}

// doc is a document being written: fpdf with the fonts and the text layout of mixed scripts.
type doc struct {
	*fpdf.Fpdf
	size float64 // the current font size, points
	bold bool
}

func newDoc(title string) *doc {
	f := fpdf.New("P", "mm", "A4", "")
	f.SetCreator("ipfast", true)
	f.SetTitle(title, true)
	f.AddUTF8FontFromBytes(latin, "", goregular.TTF)
	f.AddUTF8FontFromBytes(latinBold, "", gobold.TTF)
	f.AddUTF8FontFromBytes(cjk, "", cjkTTF)
	f.SetMargins(18, 16, 18)
	f.SetAutoPageBreak(false, 16)
	d := &doc{Fpdf: f}
	d.font(10, false)
	return d
}

// font sets the size (points) and weight of the text that follows.
func (d *doc) font(size float64, bold bool) {
	d.size, d.bold = size, bold
	d.SetFont(latin, "", size)
}

// run is a stretch of text in one font.
type run struct {
	text string
	cjk  bool
}

func (d *doc) use(cjkRun bool) {
	switch {
	case cjkRun:
		d.SetFont(cjk, "", d.size)
	case d.bold:
		d.SetFont(latinBold, "", d.size)
	default:
		d.SetFont(latin, "", d.size)
	}
}

func (d *doc) runWidth(r run) float64 {
	d.use(r.cjk)
	return d.GetStringWidth(r.text)
}

// atom is what a line may not break inside: a word with its trailing space, or one Chinese
// character (with any closing punctuation that must stay on its line).
type atom struct {
	runs  []run
	space bool // ends in a space, which a line's end drops
}

// noBreakBefore are the characters a line may not begin with.
const noBreakBefore = "，。、；：？！）》」』】〕”’…·,.;:?!)]}%"

func atoms(s string) []atom {
	var out []atom
	var cur atom
	var word strings.Builder
	wordCJK := false
	flushWord := func() {
		if word.Len() > 0 {
			cur.runs = appendRun(cur.runs, run{word.String(), wordCJK})
			word.Reset()
		}
	}
	flush := func() {
		flushWord()
		if len(cur.runs) > 0 {
			out = append(out, cur)
		}
		cur = atom{}
	}
	for _, r := range s {
		c := !inLatin(r)
		switch {
		case r == ' ' || r == '\t' || r == '\n':
			flushWord()
			cur.runs = appendRun(cur.runs, run{" ", false})
			cur.space = true
			flush()
		case strings.ContainsRune(noBreakBefore, r):
			if word.Len() > 0 && wordCJK != c {
				flushWord()
			}
			wordCJK = c
			word.WriteRune(r)
		case c || unicode.Is(unicode.Han, r):
			// A Chinese character starts an atom of its own (lines break between any two).
			flush()
			wordCJK = true
			word.WriteRune(r)
		default:
			if word.Len() > 0 && wordCJK {
				flush()
			}
			wordCJK = false
			word.WriteRune(r)
		}
	}
	flush()
	return out
}

func appendRun(rs []run, r run) []run {
	if n := len(rs); n > 0 && rs[n-1].cjk == r.cjk {
		rs[n-1].text += r.text
		return rs
	}
	return append(rs, r)
}

// lines breaks s into lines no wider than w (mm) in the current font; a word wider than a
// line (a hash, an address) breaks between its characters.
func (d *doc) lines(s string, w float64) [][]run {
	var out [][]run
	var line []run
	used := 0.0
	for _, para := range strings.Split(s, "\n") {
		for _, a := range atoms(para) {
			aw := 0.0
			for _, r := range a.runs {
				aw += d.runWidth(r)
			}
			trimmed := aw
			if a.space {
				trimmed -= d.runWidth(run{" ", false})
			}
			if used+trimmed > w && used > 0 {
				out = append(out, trimLine(line))
				line, used = nil, 0
			}
			if trimmed > w { // too wide for any line: split it by characters
				for _, r := range a.runs {
					for _, ch := range r.text {
						cw := d.runWidth(run{string(ch), r.cjk})
						if used+cw > w && used > 0 {
							out = append(out, trimLine(line))
							line, used = nil, 0
						}
						line = appendRun(line, run{string(ch), r.cjk})
						used += cw
					}
				}
				continue
			}
			for _, r := range a.runs {
				line = appendRun(line, r)
			}
			used += aw
		}
		out = append(out, trimLine(line))
		line, used = nil, 0
	}
	return out
}

func trimLine(rs []run) []run {
	if n := len(rs); n > 0 && !rs[n-1].cjk {
		rs[n-1].text = strings.TrimRight(rs[n-1].text, " ")
		if rs[n-1].text == "" {
			rs = rs[:n-1]
		}
	}
	return rs
}

// lineHeight is the distance between baselines of the current size, mm.
func (d *doc) lineHeight() float64 { return d.size * 0.3528 * 1.35 }

// text writes s from (x, y) (the top of its first line) in a column w wide and returns the y
// below it.
func (d *doc) text(x, y, w float64, s string) float64 {
	lh := d.lineHeight()
	for _, line := range d.lines(s, w) {
		cx := x
		for _, r := range line {
			d.use(r.cjk)
			d.Text(cx, y+d.size*0.3528, r.text)
			cx += d.GetStringWidth(r.text)
		}
		y += lh
	}
	return y
}

// height is how tall text(x, y, w, s) would be, mm.
func (d *doc) height(w float64, s string) float64 {
	return float64(len(d.lines(s, w))) * d.lineHeight()
}

// width is the width of s on one line in the current font, mm.
func (d *doc) width(s string) float64 {
	total := 0.0
	for _, a := range atoms(s) {
		for _, r := range a.runs {
			total += d.runWidth(r)
		}
	}
	return total
}

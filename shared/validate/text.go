package validate

import (
	"reflect"
	"strconv"
	"strings"
	"sync"
	"unicode"
)

// InvalidRune reports whether r may not stand in a text field (SPEC §6 invalid_characters):
// a control character (U+0000–U+001F, U+007F–U+009F), a bidirectional control (U+202A–U+202E,
// U+2066–U+2069) or a zero-width character (U+200B–U+200D, U+2060, U+FEFF). They hide or
// reorder what an examiner reads, or make two marks look alike that differ.
func InvalidRune(r rune) bool {
	switch {
	case r <= 0x1F, r >= 0x7F && r <= 0x9F,
		r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069,
		r >= 0x200B && r <= 0x200D, r == 0x2060, r == 0xFEFF:
		return true
	}
	return false
}

// text reports invalid_characters at every string of the request that holds one.
func (c *checker) text() {
	var w stringWalker
	w.walk(reflect.ValueOf(c.r).Elem(), func(s string) bool { return strings.IndexFunc(s, InvalidRune) >= 0 },
		func(ptr string) { c.add(ptr, "invalid_characters") })
}

// stringWalker visits every string of a value (structs by their json names, slices by index,
// pointers followed), keeping the path as a stack so that a JSON Pointer is built only for a
// string that is reported: the walk runs on every validation and must not allocate per field.
type stringWalker struct {
	path  [8]pathStep // a request is at most 5 deep (/trademark/classes/0/terms/1)
	depth int
}

type pathStep struct {
	name  string
	index int // for a slice element; name is "" then
}

func (w *stringWalker) pointer() string {
	var b strings.Builder
	for _, p := range w.path[:w.depth] {
		b.WriteByte('/')
		if p.name != "" {
			b.WriteString(p.name)
		} else {
			b.WriteString(strconv.Itoa(p.index))
		}
	}
	return b.String()
}

func (w *stringWalker) push(p pathStep) {
	if w.depth == len(w.path) {
		panic("validate: a request nested deeper than the string walker's path")
	}
	w.path[w.depth] = p
	w.depth++
}

func (w *stringWalker) walk(v reflect.Value, bad func(string) bool, report func(ptr string)) {
	switch v.Kind() {
	case reflect.String:
		if s := v.String(); s != "" && bad(s) {
			report(w.pointer())
		}
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			w.walk(v.Elem(), bad, report)
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			w.push(pathStep{index: i})
			w.walk(v.Index(i), bad, report)
			w.depth--
		}
	case reflect.Struct:
		for _, f := range fieldsOf(v.Type()) {
			fv := v.Field(f.index)
			if f.name == "" { // embedded: its fields are inlined
				w.walk(fv, bad, report)
				continue
			}
			w.push(pathStep{name: f.name})
			w.walk(fv, bad, report)
			w.depth--
		}
	}
}

type jsonField struct {
	index int
	name  string // "" for an embedded struct whose fields are inlined
}

var fieldCache sync.Map // reflect.Type → []jsonField

// fieldsOf lists the exported fields of a struct type with their JSON names.
func fieldsOf(t reflect.Type) []jsonField {
	if fs, ok := fieldCache.Load(t); ok {
		return fs.([]jsonField)
	}
	var fs []jsonField
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch {
		case name == "-":
			continue
		case f.Anonymous && name == "":
			fs = append(fs, jsonField{index: i})
			continue
		case name == "":
			name = f.Name
		}
		fs = append(fs, jsonField{index: i, name: name})
	}
	fieldCache.Store(t, fs)
	return fs
}

// mixedScript reports whether a word of s mixes Latin letters with Cyrillic or Greek ones, as
// in "CАTL" with a Cyrillic А: such a mark or name looks like another and is not the same.
// A name that is Latin in one word and Cyrillic in another is not mixed.
func mixedScript(s string) bool {
	latin, other := false, false
	for _, r := range s {
		switch {
		case !unicode.IsLetter(r):
			latin, other = false, false // a new word
			continue
		case unicode.Is(unicode.Latin, r):
			latin = true
		case unicode.Is(unicode.Cyrillic, r), unicode.Is(unicode.Greek, r):
			other = true
		}
		if latin && other {
			return true
		}
	}
	return false
}

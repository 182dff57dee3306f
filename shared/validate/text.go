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
	eachString(reflect.ValueOf(c.r).Elem(), "", func(ptr, s string) {
		if strings.IndexFunc(s, InvalidRune) >= 0 {
			c.add(ptr, "invalid_characters")
		}
	})
}

// eachString calls fn with the JSON Pointer and value of every string in v (structs by their
// json names, slices by index, pointers followed).
func eachString(v reflect.Value, ptr string, fn func(ptr, s string)) {
	switch v.Kind() {
	case reflect.String:
		if v.Len() > 0 {
			fn(ptr, v.String())
		}
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			eachString(v.Elem(), ptr, fn)
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			eachString(v.Index(i), ptr+"/"+strconv.Itoa(i), fn)
		}
	case reflect.Struct:
		for _, f := range fieldsOf(v.Type()) {
			fv := v.Field(f.index)
			if f.name == "" { // embedded
				eachString(fv, ptr, fn)
				continue
			}
			eachString(fv, ptr+"/"+f.name, fn)
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

package validate

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"github.com/ipfast/ipfast/shared/filing"
)

// checkKeys walks the JSON text b alongside the Go type t it decodes into and reports the
// first key that occurs twice in one object (duplicate_key) or that is no field of the struct
// it belongs to when case counts (unknown_field), at its JSON Pointer. encoding/json accepts
// both (the last of two equal keys wins; `KIND` fills Kind), so a gateway and this service
// could read one body two ways.
//
// It scans the bytes itself rather than through json.Decoder.Token, which allocates for every
// token: this runs on every request. Text that is not JSON ends the scan without a finding (the
// decoder reports it).
func checkKeys(b []byte, t reflect.Type) error {
	s := keyScanner{b: b}
	s.value(t)
	return s.found
}

type keyScanner struct {
	b     []byte
	i     int
	path  []keyStep
	found error
}

// keyStep is one step of the path to where the scanner is: an object key or an array index.
type keyStep struct {
	key   []byte // nil for an index
	index int
}

func (s *keyScanner) pointer() string {
	var b strings.Builder
	for _, p := range s.path {
		b.WriteByte('/')
		if p.key != nil {
			b.WriteString(escapePointer(string(p.key)))
		} else {
			b.WriteString(strconv.Itoa(p.index))
		}
	}
	return b.String()
}

func (s *keyScanner) ws() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

// value scans one JSON value of type t (nil: any type). It returns false to stop the scan: a
// finding, or text that is not JSON.
func (s *keyScanner) value(t reflect.Type) bool {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	s.ws()
	if s.i >= len(s.b) {
		return false
	}
	switch s.b[s.i] {
	case '{':
		return s.object(t)
	case '[':
		return s.array(t)
	case '"':
		_, _, ok := s.str()
		return ok
	}
	for s.i < len(s.b) { // a number or a literal
		switch s.b[s.i] {
		case ',', ']', '}', ' ', '\t', '\n', '\r':
			return true
		}
		s.i++
	}
	return true
}

// str scans the string at s.i and returns its text between the quotes, unescaped.
func (s *keyScanner) str() ([]byte, bool, bool) {
	start := s.i
	s.i++
	escaped := false
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case '\\':
			escaped = true
			s.i += 2
			continue
		case '"':
			s.i++
			if !escaped {
				return s.b[start+1 : s.i-1], false, true
			}
			var text string
			if json.Unmarshal(s.b[start:s.i], &text) != nil {
				return nil, false, false
			}
			return []byte(text), true, true
		}
		s.i++
	}
	return nil, false, false
}

func (s *keyScanner) object(t reflect.Type) bool {
	s.i++ // {
	var fields map[string]reflect.Type
	if t != nil && t.Kind() == reflect.Struct {
		fields = jsonFieldTypes(t)
	}
	var seenBuf [16][]byte
	seen := seenBuf[:0]
	var seenSet map[string]bool // for objects with many keys (maps, unknown types)
	s.ws()
	if s.i < len(s.b) && s.b[s.i] == '}' {
		s.i++
		return true
	}
	for {
		s.ws()
		if s.i >= len(s.b) || s.b[s.i] != '"' {
			return false
		}
		key, _, ok := s.str()
		if !ok {
			return false
		}
		s.path = append(s.path, keyStep{key: key})
		dup := false
		if seenSet != nil {
			dup = seenSet[string(key)]
			seenSet[string(key)] = true
		} else {
			for _, k := range seen {
				dup = dup || bytes.Equal(k, key)
			}
			if seen = append(seen, key); len(seen) > 64 {
				seenSet = make(map[string]bool, 2*len(seen))
				for _, k := range seen {
					seenSet[string(k)] = true
				}
			}
		}
		if dup {
			s.found = keyError(filing.CodeDuplicateKey, s.pointer(), fmt.Sprintf("The key %q appears twice in one object", key))
			return false
		}
		var child reflect.Type
		switch {
		case fields != nil:
			ft, known := fields[string(key)]
			if !known {
				s.found = keyError(filing.CodeUnknownField, s.pointer(), fmt.Sprintf("Unknown field %q", key))
				return false
			}
			child = ft
		case t != nil && t.Kind() == reflect.Map:
			child = t.Elem()
		}
		s.ws()
		if s.i >= len(s.b) || s.b[s.i] != ':' {
			return false
		}
		s.i++
		if !s.value(child) {
			return false
		}
		s.path = s.path[:len(s.path)-1]
		if more, ok := s.next('}'); !more {
			return ok
		}
	}
}

// next reads what follows a member or an element: a comma (more follows) or the closing
// delimiter (the object or array ends, ok); anything else is not JSON.
func (s *keyScanner) next(closing byte) (more, ok bool) {
	s.ws()
	if s.i >= len(s.b) {
		return false, false
	}
	switch s.b[s.i] {
	case ',':
		s.i++
		return true, true
	case closing:
		s.i++
		return false, true
	}
	return false, false
}

func (s *keyScanner) array(t reflect.Type) bool {
	s.i++ // [
	var elem reflect.Type
	if t != nil && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) {
		elem = t.Elem()
	}
	s.ws()
	if s.i < len(s.b) && s.b[s.i] == ']' {
		s.i++
		return true
	}
	for n := 0; ; n++ {
		s.path = append(s.path, keyStep{index: n})
		if !s.value(elem) {
			return false
		}
		s.path = s.path[:len(s.path)-1]
		if more, ok := s.next(']'); !more {
			return ok
		}
	}
}

var fieldTypeCache sync.Map // reflect.Type → map[string]reflect.Type

// jsonFieldTypes maps the exact JSON names of a struct's fields (embedded structs inlined) to
// their types.
func jsonFieldTypes(t reflect.Type) map[string]reflect.Type {
	if m, ok := fieldTypeCache.Load(t); ok {
		return m.(map[string]reflect.Type)
	}
	m := map[string]reflect.Type{}
	for _, f := range fieldsOf(t) {
		ft := t.Field(f.index).Type
		if f.name == "" {
			for k, v := range jsonFieldTypes(ft) {
				m[k] = v
			}
			continue
		}
		m[f.name] = ft
	}
	fieldTypeCache.Store(t, m)
	return m
}

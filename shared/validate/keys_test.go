package validate

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"testing"
	"unicode/utf8"

	"github.com/ipfast/ipfast/shared/filing"
)

// FuzzCheckKeys compares the byte scanner of checkKeys with a plain reference built on
// json.Decoder.Token: on any text that encoding/json takes for a filing request, both find the
// same duplicate or unknown key at the same pointer, or both find none.
func FuzzCheckKeys(f *testing.F) {
	for _, seed := range []string{
		`{"kind":"trademark","trademark":{"classes":[{"class":9,"terms":["a","b"]}]}}`,
		`{"kind":"a","kind":"b"}`, `{"KIND":"a"}`, `{"applicants":[{"name":"x"},{"name":"y","Name":"z"}]}`,
		`{"trademark":{"classes":[{"class":1},{"class":2,"class":3}]}}`, `{"k\u0069nd":"x","kind":"y"}`,
		`{"a/b~c":1}`, `{"priorityClaims":[{"restoration":{"reason":"r","reason":"s"}}]}`, `[]`, `{}`, ` {"kind" : "x" } `,
	} {
		f.Add([]byte(seed))
	}
	t := reflect.TypeOf(filing.Request{})
	f.Fuzz(func(tt *testing.T, b []byte) {
		var probe any
		if !utf8.Valid(b) || json.Unmarshal(b, &probe) != nil {
			return // refused as invalid_encoding or malformed_json before keys matter
		}
		got, want := describe(checkKeys(b, t)), describe(referenceKeys(b, t))
		if got != want {
			tt.Fatalf("%q: scanner %s, reference %s", b, got, want)
		}
	})
}

func describe(err error) string {
	var fe *filing.Error
	if !errors.As(err, &fe) {
		return "none"
	}
	return fe.Code + " at " + fe.Problems[0].Field
}

// referenceKeys is the token-by-token walk checkKeys replaced (it allocated for every token).
func referenceKeys(b []byte, t reflect.Type) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	err := refWalk(dec, t, "")
	var fe *filing.Error
	if errors.As(err, &fe) {
		return err
	}
	return nil
}

func refWalk(dec *json.Decoder, t reflect.Type, ptr string) error {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	delim, ok := tok.(json.Delim)
	if !ok {
		return nil
	}
	switch delim {
	case '{':
		var fields map[string]reflect.Type
		if t != nil && t.Kind() == reflect.Struct {
			fields = jsonFieldTypes(t)
		}
		seen := map[string]bool{}
		for dec.More() {
			kt, err := dec.Token()
			if err != nil {
				return err
			}
			key, _ := kt.(string)
			at := ptr + "/" + escapePointer(key)
			if seen[key] {
				return keyError(filing.CodeDuplicateKey, at, fmt.Sprintf("The key %q appears twice in one object", key))
			}
			seen[key] = true
			var child reflect.Type
			switch {
			case fields != nil:
				ft, ok := fields[key]
				if !ok {
					return keyError(filing.CodeUnknownField, at, fmt.Sprintf("Unknown field %q", key))
				}
				child = ft
			case t != nil && t.Kind() == reflect.Map:
				child = t.Elem()
			}
			if err := refWalk(dec, child, at); err != nil {
				return err
			}
		}
	case '[':
		var elem reflect.Type
		if t != nil && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) {
			elem = t.Elem()
		}
		for i := 0; dec.More(); i++ {
			if err := refWalk(dec, elem, ptr+"/"+strconv.Itoa(i)); err != nil {
				return err
			}
		}
	}
	_, err = dec.Token()
	return err
}

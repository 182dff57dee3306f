package filing_test

import (
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/ipfast/ipfast/shared/filing"
)

// jsonKeys lists the JSON names of t's fields, and of the structs inside it, at any depth.
func jsonKeys(t reflect.Type, seen map[reflect.Type]bool, out map[string]bool) {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Map {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || seen[t] {
		return
	}
	seen[t] = true
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if !f.IsExported() || name == "-" || name == "" {
			continue
		}
		out[name] = true
		jsonKeys(f.Type, seen, out)
	}
}

func exampleKeys(v any, out map[string]bool) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			out[k] = true
			exampleKeys(e, out)
		}
	case []any:
		for _, e := range x {
			exampleKeys(e, out)
		}
	}
}

// TestExampleConfiguration: docs/expo.example.json loads, with its two expos, and it and
// docs/configuration.md name every key of the configuration (at any depth).
func TestExampleConfiguration(t *testing.T) {
	e, err := filing.LoadExpo("../../docs/expo.example.json")
	if err != nil {
		t.Fatal(err)
	}
	if all := e.Expos(); len(all) != 2 || all[1].ID != "AUTUMN2026" || e.Notifications.SMTP == nil || len(e.KnownMarks) == 0 {
		t.Errorf("the example configures %d expos, smtp %v, %d known marks", len(all), e.Notifications.SMTP, len(e.KnownMarks))
	}
	raw, err := os.ReadFile("../../docs/expo.example.json")
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	inExample := map[string]bool{}
	exampleKeys(v, inExample)
	doc, err := os.ReadFile("../../docs/configuration.md")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"expos": true}
	jsonKeys(reflect.TypeOf(filing.Expo{}), map[reflect.Type]bool{}, want)
	for k := range want {
		if !inExample[k] {
			t.Errorf("docs/expo.example.json lacks the key %q", k)
		}
		if !strings.Contains(string(doc), k) {
			t.Errorf("docs/configuration.md does not document %q", k)
		}
	}
}

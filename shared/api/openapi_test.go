package api_test

import (
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/ipfast/ipfast/shared/api"
	"github.com/ipfast/ipfast/shared/docapi"
	"go.yaml.in/yaml/v3"
)

// TestOpenAPIMatchesRoutes keeps api/openapi.yaml and the server's routes the same set.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	raw, err := os.ReadFile("../../api/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		OpenAPI string                               `yaml:"openapi"`
		Paths   map[string]map[string]map[string]any `yaml:"paths"`
	}
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("openapi.yaml does not parse: %v", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Errorf("openapi version %q", doc.OpenAPI)
	}
	documented := map[string]bool{}
	for path, ops := range doc.Paths {
		for method, op := range ops {
			if method == "parameters" {
				continue
			}
			documented[strings.ToUpper(method)+" "+path] = true
			if op["responses"] == nil {
				t.Errorf("%s %s has no responses", method, path)
			}
		}
	}
	served := map[string]bool{}
	// The API's routes and the certificates' route group (docapi, the documents function's).
	for _, r := range append(api.Routes(), docapi.Routes(&api.Server{}, nil)...) {
		served[r.Method+" "+r.Pattern] = true
	}
	for _, k := range keys(served) {
		if !documented[k] {
			t.Errorf("served but not in openapi.yaml: %s", k)
		}
	}
	for _, k := range keys(documented) {
		if !served[k] {
			t.Errorf("in openapi.yaml but not served: %s", k)
		}
	}
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

package functions_test

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// imports lists the module-internal and third-party imports of a package directory (tests
// left out).
func imports(t *testing.T, dir string) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	files, _ := filepath.Glob(filepath.Join(root, dir, "*.go"))
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		af, err := parser.ParseFile(token.NewFileSet(), f, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, im := range af.Imports {
			p, _ := strconv.Unquote(im.Path.Value)
			if strings.Contains(strings.SplitN(p, "/", 2)[0], ".") {
				out[p] = true
			}
		}
	}
	if len(files) == 0 {
		t.Fatalf("no Go files in %s", dir)
	}
	return out
}

// TestLayout checks the facts of the design card: the domain imports nothing but the standard
// library; no adapter imports another adapter (a mechanism spanning two, like the outbox, is its
// own package); the functions' main.go are wiring (≤ 40 lines); serve is ≤ 60 lines.
func TestLayout(t *testing.T) {
	if im := imports(t, "shared/filing"); len(im) != 0 {
		t.Errorf("the domain imports %v", im)
	}
	adapters := []string{"dynamo", "sqsq", "s3blob", "embedded"}
	for _, a := range adapters {
		for p := range imports(t, "shared/"+a) {
			for _, other := range append(adapters, "outbox", "local", "cloud", "api", "intake", "review", "sweep") {
				if other != a && p == "github.com/ipfast/ipfast/shared/"+other {
					t.Errorf("adapter %s imports %s", a, other)
				}
			}
		}
	}
	mains, _ := filepath.Glob(filepath.Join(root, "functions", "*", "main.go"))
	for _, m := range mains {
		b, _ := os.ReadFile(m)
		if n := strings.Count(string(b), "\n"); n > 40 {
			t.Errorf("%s is %d lines, not wiring only (≤ 40)", m, n)
		}
	}
	if len(mains) < 3 {
		t.Errorf("found %d functions", len(mains))
	}
	b, err := os.ReadFile(filepath.Join(root, "cmd", "ipfast", "main.go"))
	if err != nil {
		t.Fatal(err)
	}
	src := string(b)
	start := strings.Index(src, "\nfunc serve(")
	end := strings.Index(src[start+1:], "\n}\n")
	if start < 0 || end < 0 {
		t.Fatal("no serve function")
	}
	if n := strings.Count(src[start+1:start+1+end], "\n") + 1; n > 60 {
		t.Errorf("serve is %d lines of wiring (≤ 60)", n)
	}
}

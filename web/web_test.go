package web_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/ipfast/ipfast/web"
)

func get(t *testing.T, h http.Handler, path string, headers ...string) *http.Response {
	t.Helper()
	r := httptest.NewRequest("GET", path, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		r.Header.Set(headers[i], headers[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w.Result()
}

func body(t *testing.T, res *http.Response) string {
	t.Helper()
	var rd io.Reader = res.Body
	if res.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(res.Body)
		if err != nil {
			t.Fatal(err)
		}
		rd = zr
	}
	b, err := io.ReadAll(rd)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

var refRe = regexp.MustCompile(`(?:href|src)="(/[^"]+)"|from '(/[^']+)'|'(/[a-z0-9/]+\.[0-9a-f]{10}\.(?:js|css|svg))'`)

// TestAssets: every page names fingerprinted assets that are served compressed and cached for a
// year; pages and plain names revalidate with an ETag (304); each page preloads its module
// graph; every reference, followed from the pages, resolves; the service worker lists the
// kiosk's shell.
func TestAssets(t *testing.T) {
	h := web.Handler()
	seen := map[string]bool{}
	var follow func(from, path string)
	follow = func(from, path string) {
		if seen[path] {
			return
		}
		seen[path] = true
		res := get(t, h, path, "Accept-Encoding", "gzip, deflate, br")
		if res.StatusCode != 200 {
			t.Errorf("%s (from %s): %d", path, from, res.StatusCode)
			return
		}
		fingerprinted := regexp.MustCompile(`\.[0-9a-f]{10}\.`).MatchString(path)
		cc := res.Header.Get("Cache-Control")
		if fingerprinted != strings.Contains(cc, "immutable") || !fingerprinted && cc != "no-cache" {
			t.Errorf("%s: Cache-Control %q", path, cc)
		}
		if res.Header.Get("Content-Encoding") != "gzip" && !strings.HasSuffix(path, ".svg") {
			t.Errorf("%s is not compressed", path)
		}
		text := body(t, res)
		for _, m := range refRe.FindAllStringSubmatch(text, -1) {
			ref := m[1] + m[2] + m[3]
			if strings.HasPrefix(ref, "/v1/") || ref == "/sw.js" {
				continue
			}
			if !regexp.MustCompile(`\.[0-9a-f]{10}\.(js|css|svg)$`).MatchString(ref) {
				t.Errorf("%s refers to %s, not a fingerprinted name", path, ref)
			}
			follow(path, ref)
		}
	}
	for _, page := range []string{"/", "/examiner/", "/examiner/dashboard/", "/examiner/complaints/", "/status/someToken", "/verify/cert_x"} {
		follow("", page)
	}
	if len(seen) < 12 {
		t.Errorf("only %d assets reached from the pages", len(seen))
	}
	// The kiosk preloads every module it imports: one round trip for all of them.
	home := body(t, get(t, h, "/"))
	if n := strings.Count(home, `rel="modulepreload"`); n != 3 {
		t.Errorf("the kiosk preloads %d modules, want 3 (i18n, common, sha256; the complaint desk's load when needed):\n%s", n, home)
	}
	// Revalidation: an unchanged page is 304 with no body.
	res := get(t, h, "/")
	if r2 := get(t, h, "/", "If-None-Match", res.Header.Get("ETag")); r2.StatusCode != 304 || body(t, r2) != "" {
		t.Errorf("revalidating /: %d", r2.StatusCode)
	}
	// A browser that takes no gzip gets the plain bytes; the plain names still work.
	if r := get(t, h, "/app.js"); r.Header.Get("Content-Encoding") != "" || r.Header.Get("Cache-Control") != "no-cache" ||
		!strings.Contains(body(t, r), "serviceWorker") {
		t.Errorf("/app.js plain: %v", r.Header)
	}
	sw := body(t, get(t, h, "/sw.js"))
	for _, p := range []string{`"/"`, "/app.", "/i18n.", "/common.", "/sha256.", "/complaints.", "/complaint-strings.", "/kiosk-complaints.", "/favicon."} {
		if !strings.Contains(sw, p) {
			t.Errorf("the service worker's shell lacks %s", p)
		}
	}
	if r := get(t, h, "/nope.js"); r.StatusCode != 404 {
		t.Errorf("/nope.js: %d", r.StatusCode)
	}
	if r := get(t, h, "/examiner"); r.StatusCode != 301 || r.Header.Get("Location") != "/examiner/" {
		t.Errorf("/examiner: %d %s", r.StatusCode, r.Header.Get("Location"))
	}
	if !bytes.Contains([]byte(home), []byte("<script type=\"module\"")) {
		t.Errorf("the kiosk page has no script")
	}
}

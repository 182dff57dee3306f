package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// The pages' assets for slow booth networks: every script, style sheet and icon is served
// under a fingerprinted name ("/app.3f9c2a1b7e.js": its content's hash, with the references
// inside it rewritten to fingerprinted names too) that may be cached for a year, gzip-compressed
// when the browser takes it; the pages themselves (and the plain names) are revalidated with an
// ETag, so a reload that changed nothing costs one 304 per page. Each page lists its module
// graph as <link rel="modulepreload"> so the browser fetches every module in one round trip,
// and the kiosk's service worker (/sw.js, generated here with the kiosk's fingerprinted assets)
// opens the kiosk with its draft when the hall's network is down.

// asset is one response body, ready to send.
type asset struct {
	body, gz  []byte
	etag      string
	ctype     string
	immutable bool
}

type assetSet struct {
	byPath map[string]*asset // URL path → asset (plain and fingerprinted names)
	hashed map[string]string // plain URL path → fingerprinted URL path
}

var (
	assetsOnce  sync.Once
	assetsBuilt *assetSet
	assetsErr   error
)

// loadAssets builds the asset set once, on the first page request (not at start-up: the API
// function's cold start does not pay for it).
func loadAssets() (*assetSet, error) {
	assetsOnce.Do(func() { assetsBuilt, assetsErr = buildAssets(files) })
	return assetsBuilt, assetsErr
}

// The patterns of buildAssets, compiled with it on the first page request (not at start-up).
var (
	// refRe finds a quoted reference to an asset: '/i18n.js', "./common.js", "/app.css".
	refRe *regexp.Regexp
	// importRe finds a module's static imports (after rewriting: absolute paths).
	importRe *regexp.Regexp
	// scriptRe finds a page's module scripts.
	scriptRe *regexp.Regexp
)

// urlOf is where an embedded file is served: kiosk/x at /x, examiner/y at /examiner/y.
func urlOf(name string) string {
	if rest, ok := strings.CutPrefix(name, "kiosk/"); ok {
		return "/" + rest
	}
	return "/" + name
}

func buildAssets(fsys fs.FS) (*assetSet, error) {
	refRe = regexp.MustCompile(`(["'])(\.{0,2}/[A-Za-z0-9_./-]*\.(?:js|css|svg))(["'])`)
	importRe = regexp.MustCompile(`(?m)^\s*(?:import|\}\s*from|import\s[^'"\n]*from)\s*['"]([^'"]+)['"]|from\s+['"]([^'"]+)['"]`)
	scriptRe = regexp.MustCompile(`<script type="module" src="([^"]+)"`)
	src := map[string][]byte{} // URL path → original content
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		src[urlOf(name)] = b
		return nil
	})
	if err != nil {
		return nil, err
	}
	set := &assetSet{byPath: map[string]*asset{}, hashed: map[string]string{}}
	isPage := func(p string) bool { return strings.HasSuffix(p, ".html") }
	// rewrite points every reference of a file at the fingerprinted names known so far.
	rewrite := func(from string, b []byte) []byte {
		return refRe.ReplaceAllFunc(b, func(m []byte) []byte {
			sub := refRe.FindSubmatch(m)
			target := string(sub[2])
			if !strings.HasPrefix(target, "/") {
				target = path.Join(path.Dir(from), target)
			}
			if h, ok := set.hashed[target]; ok {
				return []byte(string(sub[1]) + h + string(sub[3]))
			}
			return m
		})
	}
	// Fingerprints depend on the fingerprints of what a file refers to: iterate until they
	// settle (the references form no cycle, so this takes the graph's depth plus one).
	for range 10 {
		changed := false
		for p, b := range src {
			if isPage(p) {
				continue
			}
			sum := sha256.Sum256(rewrite(p, b))
			ext := path.Ext(p)
			h := strings.TrimSuffix(p, ext) + "." + hex.EncodeToString(sum[:5]) + ext
			if set.hashed[p] != h {
				set.hashed[p], changed = h, true
			}
		}
		if !changed {
			break
		}
	}
	for p, b := range src {
		out := rewrite(p, b)
		if isPage(p) {
			out = preload(out, set, src)
		}
		a := newAsset(p, out, false)
		set.byPath[p] = a
		if h, ok := set.hashed[p]; ok {
			set.byPath[h] = newAsset(p, out, true)
		}
	}
	set.byPath["/sw.js"] = newAsset("/sw.js", serviceWorker(set), false)
	return set, nil
}

// preload adds <link rel="modulepreload"> for every module a page's scripts import, directly or
// not, before its first script.
func preload(page []byte, set *assetSet, src map[string][]byte) []byte {
	byHash := map[string]string{}
	for p, h := range set.hashed {
		byHash[h] = p
	}
	var mods []string
	var walk func(h string)
	walk = func(h string) {
		p, ok := byHash[h]
		if !ok || slices.Contains(mods, h) {
			return
		}
		mods = append(mods, h)
		for _, m := range importRe.FindAllStringSubmatch(string(src[p]), -1) {
			target := m[1] + m[2]
			if !strings.HasPrefix(target, "/") {
				target = path.Join(path.Dir(p), target)
			}
			if th, ok := set.hashed[target]; ok {
				walk(th)
			}
		}
	}
	for _, m := range scriptRe.FindAllSubmatch(page, -1) {
		walk(string(m[1]))
	}
	if len(mods) <= 1 {
		return page
	}
	var links strings.Builder
	for _, m := range mods[1:] { // the entry script itself is already requested
		links.WriteString(`<link rel="modulepreload" href="` + m + "\">\n")
	}
	i := bytes.Index(page, []byte("<script"))
	return slices.Concat(page[:i], []byte(links.String()), page[i:])
}

func newAsset(p string, body []byte, immutable bool) *asset {
	sum := sha256.Sum256(body)
	a := &asset{body: body, etag: `"` + hex.EncodeToString(sum[:8]) + `"`, immutable: immutable}
	a.ctype = mime.TypeByExtension(path.Ext(p))
	if a.ctype == "" {
		a.ctype = "application/octet-stream"
	}
	if strings.HasPrefix(a.ctype, "text/") || strings.Contains(a.ctype, "javascript") || strings.Contains(a.ctype, "svg") {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		zw.Write(body)
		zw.Close()
		if buf.Len() < len(body) {
			a.gz = buf.Bytes()
		}
	}
	return a
}

// serviceWorker is /sw.js: the kiosk's shell (its page and fingerprinted assets) cached under
// a name that changes with them. The certificates' screen (kiosk-certificates.js) is not in it:
// it shows what the server has, so it needs the network anyway, and the first load stays small.
func serviceWorker(set *assetSet) []byte {
	shell := []string{"/"}
	for _, p := range []string{"/app.css", "/app.js", "/common.js", "/i18n.js", "/sha256.js", "/complaints.js", "/complaint-strings.js", "/kiosk-complaints.js", "/favicon.svg"} {
		shell = append(shell, set.hashed[p])
	}
	list, _ := json.Marshal(shell)
	sum := sha256.Sum256(list)
	return []byte(strings.NewReplacer("__SHELL__", string(list), "__VERSION__", hex.EncodeToString(sum[:5])).Replace(swSource))
}

// swSource is the kiosk's service worker. The kiosk page is fetched from the network first (a
// new version shows at once when there is a network) and from the cache when there is none;
// fingerprinted assets never change, so the cache answers them first. The API is never
// cached: the kiosk keeps its draft itself and files it under its Idempotency-Key when the
// network returns.
const swSource = `// ipfast kiosk service worker (generated by the server: web/assets.go).
const CACHE = 'ipfast-__VERSION__';
const SHELL = __SHELL__;

self.addEventListener('install', (e) => {
  e.waitUntil(caches.open(CACHE).then((c) => c.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (e) => {
  e.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k.startsWith('ipfast-') && k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

self.addEventListener('fetch', (e) => {
  const url = new URL(e.request.url);
  if (e.request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (e.request.mode === 'navigate' && (url.pathname === '/' || url.pathname === '/index.html')) {
    e.respondWith(fetch(e.request).then((res) => {
      if (res.ok) { const copy = res.clone(); caches.open(CACHE).then((c) => c.put('/', copy)); }
      return res;
    }).catch(() => caches.match('/')));
    return;
  }
  if (SHELL.includes(url.pathname)) {
    e.respondWith(caches.match(url.pathname).then((hit) => hit || fetch(e.request)));
  }
});
`

// serveAsset answers a GET or HEAD for an asset path; false when there is none.
func serveAsset(w http.ResponseWriter, r *http.Request, p string) bool {
	set, err := loadAssets()
	if err != nil {
		http.Error(w, "assets: "+err.Error(), http.StatusInternalServerError)
		return true
	}
	a, ok := set.byPath[p]
	if !ok {
		return false
	}
	h := w.Header()
	h.Set("Content-Type", a.ctype)
	h.Set("ETag", a.etag)
	h.Set("Vary", "Accept-Encoding")
	if a.immutable {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "no-cache")
	}
	if match := r.Header.Get("If-None-Match"); match != "" && strings.Contains(match, a.etag) {
		w.WriteHeader(http.StatusNotModified)
		return true
	}
	body := a.body
	if a.gz != nil && acceptsGzip(r.Header.Get("Accept-Encoding")) {
		h.Set("Content-Encoding", "gzip")
		body = a.gz
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
	return true
}

func acceptsGzip(ae string) bool {
	for _, part := range strings.Split(ae, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(name), "gzip") || strings.TrimSpace(name) == "*" {
			return !strings.Contains(strings.ReplaceAll(params, " ", ""), "q=0") || strings.Contains(params, "q=0.")
		}
	}
	return false
}

// Package web holds the kiosk and examiner pages, embedded into the binary so that
// `ipfast serve` needs no files beside it.
package web

import (
	"crypto/rand"
	"embed"
	"encoding/hex"
	"net/http"
)

func requestID() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

//go:embed kiosk examiner
var files embed.FS

// With serves the API (api: /v1/ and /healthz) and the pages (everything else) together, as
// `ipfast serve` and the API function do: the pages call the API on their own origin.
func With(api http.Handler) *http.ServeMux {
	mux := http.NewServeMux()
	mux.Handle("/v1/", api)
	mux.Handle("/healthz", api)
	mux.Handle("/", Handler())
	return mux
}

// pages maps the pages' own addresses to their files.
var pages = map[string]string{
	"/": "/index.html", "/examiner/": "/examiner/index.html", "/examiner/dashboard/": "/examiner/dashboard/index.html",
	"/examiner/complaints/": "/examiner/complaints/index.html", "/examiner/enrolment/": "/examiner/enrolment/index.html",
}

// Handler serves the kiosk at /, the examiner console at /examiner/, the supervisor's
// dashboard at /examiner/dashboard/, the officers' complaint desk at /examiner/complaints/, the
// organiser's enrolment screen at /examiner/enrolment/ and their assets (assets.go).
func Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /", func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		if f, ok := pages[p]; ok {
			p = f
		} else if _, ok := pages[p+"/"]; ok {
			http.Redirect(w, r, p+"/", http.StatusMovedPermanently)
			return
		}
		if !serveAsset(w, r, p) {
			http.NotFound(w, r)
		}
	})
	// A filing's public status link (SPEC §5): one page for every token; it reads the token
	// from its own path and asks GET /v1/status/{token}.
	mux.HandleFunc("GET /status/{token}", func(w http.ResponseWriter, r *http.Request) {
		serveAsset(w, r, "/status.html")
	})
	// An exhibition display certificate's public verify page (SPEC §12): what its QR code opens.
	mux.HandleFunc("GET /verify/{id}", func(w http.ResponseWriter, r *http.Request) {
		serveAsset(w, r, "/verify.html")
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Request-Id", requestID()) // every answer has one (SPEC §3), pages too
		w.Header().Set("X-Content-Type-Options", "nosniff")
		// Only this origin's scripts and styles; documents may come from S3 (https) in AWS.
		w.Header().Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; "+
			"img-src 'self' data: blob: https:; connect-src 'self' https:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'")
		w.Header().Set("Referrer-Policy", "no-referrer")
		mux.ServeHTTP(w, r)
	})
}

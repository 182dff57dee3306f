// Package web holds the kiosk and examiner pages, embedded into the binary so that
// `ipfast serve` needs no files beside it.
package web

import (
	"crypto/rand"
	"embed"
	"encoding/hex"
	"io/fs"
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

// Handler serves the kiosk at / and the examiner console at /examiner/.
func Handler() http.Handler {
	kiosk, _ := fs.Sub(files, "kiosk")
	mux := http.NewServeMux()
	mux.Handle("/examiner/", http.FileServerFS(files))
	mux.Handle("/", http.FileServerFS(kiosk))
	// A filing's public status link (SPEC §5): one page for every token; it reads the token
	// from its own path and asks GET /v1/status/{token}.
	mux.HandleFunc("GET /status/{token}", func(w http.ResponseWriter, r *http.Request) {
		http.ServeFileFS(w, r, kiosk, "status.html")
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Request-Id", requestID()) // every answer has one (SPEC §3), pages too
		w.Header().Set("X-Content-Type-Options", "nosniff")
		// Only this origin's scripts and styles; documents may come from S3 (https) in AWS.
		w.Header().Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; "+
			"img-src 'self' data: blob: https:; connect-src 'self' https:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'")
		w.Header().Set("Referrer-Policy", "no-referrer")
		w.Header().Set("Cache-Control", "no-cache")
		mux.ServeHTTP(w, r)
	})
}

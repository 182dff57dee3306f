package api

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"sync"
)

// The reference lists (Nice, Locarno, countries) change only with a new release: each is
// encoded once, gzip-compressed for a browser that takes it (a kiosk on a slow booth network
// loads 40 KB instead of 150 KB), and revalidated with an ETag after an hour.
type static struct {
	body, gz []byte
	etag     string
}

var statics sync.Map // name → *static

func writeStatic(w http.ResponseWriter, r *http.Request, name string, value func() any) error {
	v, ok := statics.Load(name)
	if !ok {
		b, err := json.Marshal(value())
		if err != nil {
			return err
		}
		b = append(b, '\n')
		sum := sha256.Sum256(b)
		st := &static{body: b, etag: `"` + hex.EncodeToString(sum[:8]) + `"`}
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		zw.Write(b)
		zw.Close()
		st.gz = buf.Bytes()
		v, _ = statics.LoadOrStore(name, st)
	}
	st := v.(*static)
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "public, max-age=3600")
	h.Set("ETag", st.etag)
	h.Set("Vary", "Accept-Encoding")
	if strings.Contains(r.Header.Get("If-None-Match"), st.etag) {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	body := st.body
	if acceptsGzip(r.Header.Get("Accept-Encoding")) {
		h.Set("Content-Encoding", "gzip")
		body = st.gz
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	_, err := w.Write(body)
	return err
}

// acceptsGzip reports whether an Accept-Encoding header admits gzip (not with q=0).
func acceptsGzip(ae string) bool {
	for _, part := range strings.Split(ae, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if n := strings.TrimSpace(name); strings.EqualFold(n, "gzip") || n == "*" {
			q := strings.ReplaceAll(params, " ", "")
			return !strings.HasPrefix(q, "q=0") || strings.HasPrefix(q, "q=0.") && strings.Trim(q[4:], "0") != ""
		}
	}
	return false
}

package embedded

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ipfast/ipfast/shared/filing"
)

// Files is the local blob store of `ipfast serve`: bytes live in <dir>/objects/<sha256>
// (content-addressed, so a copy costs nothing and nothing is stored twice), and each key is a
// small file in <dir>/keys naming its object. Clients upload and download through URLs that
// the server signs with HMAC and that expire; Handler serves them.
type Files struct {
	dir string
	// base is where Handler is mounted: an absolute URL (http://127.0.0.1:8080/blobs), or a
	// path (/blobs) that the API completes with the address each client reached it at.
	base   string
	secret []byte
	clock  filing.Clock
	// mu orders a Put's placing of an object against GC's deleting of one: a placed object's
	// fresh modification time then keeps GC away from it.
	mu sync.Mutex
}

var _ filing.Blobs = (*Files)(nil)

// OpenFiles uses dir (created if needed) for blobs whose URLs start with base.
func OpenFiles(dir, base string, secret []byte, clock filing.Clock) (*Files, error) {
	if clock == nil {
		clock = filing.SystemClock{}
	}
	for _, d := range []string{"objects", "keys", "tmp"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o700); err != nil {
			return nil, fmt.Errorf("embedded: blobs: %w", err)
		}
	}
	return &Files{dir: dir, base: base, secret: secret, clock: clock}, nil
}

var keyRe = regexp.MustCompile(`^[A-Za-z0-9_-]+(/[A-Za-z0-9_.-]+)*$`)

// keyPath is where a key's record lives; keys never escape the store's directory.
func (f *Files) keyPath(key string) (string, error) {
	if !keyRe.MatchString(key) || len(key) > 512 {
		return "", filing.Errorf(filing.Invalid, "invalid_format", "blob key %q", key)
	}
	return filepath.Join(f.dir, "keys", filepath.FromSlash(key)), nil
}

type blobRecord struct {
	SHA256      string `json:"sha256"`
	Size        int64  `json:"size"`
	ContentType string `json:"contentType"`
}

func (f *Files) record(key string) (blobRecord, error) {
	var rec blobRecord
	p, err := f.keyPath(key)
	if err != nil {
		return rec, err
	}
	b, err := os.ReadFile(p)
	if errors.Is(err, fs.ErrNotExist) {
		return rec, filing.Errorf(filing.NotFound, filing.CodeNotFound, "no blob %q", key)
	}
	if err != nil {
		return rec, err
	}
	return rec, json.Unmarshal(b, &rec)
}

func (f *Files) writeRecord(key string, rec blobRecord) error {
	p, err := f.keyPath(key)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		return err
	}
	b, _ := json.Marshal(rec)
	tmp := p + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, p)
}

func (f *Files) sign(v url.Values) string {
	m := hmac.New(sha256.New, f.secret)
	m.Write([]byte(v.Encode()))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

func (f *Files) signedURL(op string, v url.Values, expires time.Time) string {
	v.Set("op", op)
	v.Set("exp", strconv.FormatInt(expires.Unix(), 10))
	v.Set("sig", f.sign(v))
	return f.base + "?" + v.Encode()
}

// UploadTarget implements filing.Blobs: a PUT to a signed URL that names the key, size,
// checksum and content type, so Handler refuses any other bytes.
func (f *Files) UploadTarget(ctx context.Context, key, contentType string, size int64, sha256hex string, ttl time.Duration) (filing.UploadTarget, error) {
	if _, err := f.keyPath(key); err != nil {
		return filing.UploadTarget{}, err
	}
	v := url.Values{"key": {key}, "size": {strconv.FormatInt(size, 10)}, "sha256": {sha256hex}, "type": {contentType}}
	return filing.UploadTarget{Method: http.MethodPut, URL: f.signedURL("put", v, f.clock.Now().Add(ttl)),
		Headers: map[string]string{"Content-Type": contentType}}, nil
}

// DownloadURL implements filing.Blobs.
func (f *Files) DownloadURL(ctx context.Context, key string, ttl time.Duration) (string, error) {
	if _, err := f.record(key); err != nil {
		return "", err
	}
	return f.signedURL("get", url.Values{"key": {key}}, f.clock.Now().Add(ttl)), nil
}

// Open implements filing.Blobs.
func (f *Files) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	rec, err := f.record(key)
	if err != nil {
		return nil, err
	}
	return os.Open(filepath.Join(f.dir, "objects", rec.SHA256))
}

// Stat implements filing.Blobs.
func (f *Files) Stat(ctx context.Context, key string) (int64, error) {
	rec, err := f.record(key)
	return rec.Size, err
}

// Copy implements filing.Blobs: the new key names the same object.
func (f *Files) Copy(ctx context.Context, from, to string) error {
	rec, err := f.record(from)
	if err != nil {
		return err
	}
	return f.writeRecord(to, rec)
}

// Delete implements filing.Blobs. Objects no key names any more stay until a sweep removes them.
func (f *Files) Delete(ctx context.Context, key string) error {
	p, err := f.keyPath(key)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// Put stores bytes under key after checking them against the declared size and checksum.
func (f *Files) Put(key, contentType string, size int64, sha256hex string, r io.Reader) error {
	if _, err := f.keyPath(key); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Join(f.dir, "tmp"), "upload-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(tmp, h), io.LimitReader(r, size+1))
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	sum := hex.EncodeToString(h.Sum(nil))
	if n != size || sum != sha256hex {
		return filing.Errorf(filing.Invalid, "attachment_invalid",
			"the uploaded bytes (%d bytes, sha256 %s) are not the declared ones (%d bytes, sha256 %s)", n, sum, size, sha256hex)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := os.Rename(tmp.Name(), filepath.Join(f.dir, "objects", sum)); err != nil {
		return err
	}
	return f.writeRecord(key, blobRecord{SHA256: sum, Size: n, ContentType: contentType})
}

// transferTimeout bounds one upload or download through Handler.
const transferTimeout = 20 * time.Minute

// Handler serves the signed upload (PUT) and download (GET) URLs. It answers 403 to a bad or
// expired signature and 400 to bytes other than those declared.
func (f *Files) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var rid [12]byte
		_, _ = rand.Read(rid[:])
		w.Header().Set("X-Request-Id", hex.EncodeToString(rid[:])) // every answer has one (SPEC §3)
		w.Header().Set("X-Content-Type-Options", "nosniff")
		v := r.URL.Query()
		sig := v.Get("sig")
		v.Del("sig")
		exp, err := strconv.ParseInt(v.Get("exp"), 10, 64)
		if !hmac.Equal([]byte(sig), []byte(f.sign(v))) || err != nil || f.clock.Now().Unix() > exp {
			blobProblem(w, http.StatusForbidden, "link_invalid", "this link is not valid or has expired: ask for a new one")
			return
		}
		key := v.Get("key")
		// A 25 MB file over the hall's Wi-Fi takes longer than the server's API deadlines.
		rc := http.NewResponseController(w)
		_ = rc.SetReadDeadline(time.Now().Add(transferTimeout))
		_ = rc.SetWriteDeadline(time.Now().Add(transferTimeout))
		switch {
		case v.Get("op") == "put" && r.Method == http.MethodPut:
			size, _ := strconv.ParseInt(v.Get("size"), 10, 64)
			if r.ContentLength >= 0 && r.ContentLength != size {
				blobProblem(w, http.StatusBadRequest, "attachment_invalid",
					fmt.Sprintf("the body is %d bytes, not the declared %d", r.ContentLength, size))
				return
			}
			if err := f.Put(key, v.Get("type"), size, v.Get("sha256"), r.Body); err != nil {
				if filing.ErrorKind(err) == filing.Invalid {
					blobProblem(w, http.StatusBadRequest, "attachment_invalid", err.(*filing.Error).Message)
					return
				}
				blobProblem(w, http.StatusInternalServerError, "internal", "the upload could not be stored")
				return
			}
			w.WriteHeader(http.StatusNoContent)
		case v.Get("op") == "get" && (r.Method == http.MethodGet || r.Method == http.MethodHead):
			rec, err := f.record(key)
			if err != nil {
				blobProblem(w, http.StatusNotFound, filing.CodeNotFound, "no such file")
				return
			}
			w.Header().Set("Content-Type", rec.ContentType)
			w.Header().Set("Cache-Control", "private, no-store")
			w.Header().Set("X-Content-Type-Options", "nosniff")
			http.ServeFile(w, r, filepath.Join(f.dir, "objects", rec.SHA256))
		default:
			blobProblem(w, http.StatusMethodNotAllowed, "method_not_allowed", r.Method+" is not allowed on this link")
		}
	})
}

// blobProblem answers an upload or download link with application/problem+json, as the API does.
func blobProblem(w http.ResponseWriter, status int, code, detail string) {
	b, _ := json.Marshal(map[string]any{"type": "https://ipfast.dev/problems/" + code, "title": http.StatusText(status),
		"status": status, "code": code, "detail": detail})
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}

// GC deletes objects that no key names any more and temporary files, both older than
// minAge (younger ones may belong to an upload in progress). It returns how many it deleted.
func (f *Files) GC(minAge time.Duration) (int, error) {
	named := map[string]bool{}
	err := filepath.WalkDir(filepath.Join(f.dir, "keys"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, ".tmp") {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		var rec blobRecord
		if json.Unmarshal(b, &rec) == nil {
			named[rec.SHA256] = true
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	n := 0
	cutoff := time.Now().Add(-minAge)
	for _, sub := range []string{"objects", "tmp"} {
		entries, err := os.ReadDir(filepath.Join(f.dir, sub))
		if err != nil {
			return n, err
		}
		for _, e := range entries {
			if sub == "objects" && named[e.Name()] {
				continue
			}
			p := filepath.Join(f.dir, sub, e.Name())
			f.mu.Lock()
			if info, err := os.Stat(p); err == nil && info.ModTime().Before(cutoff) && os.Remove(p) == nil {
				n++
			}
			f.mu.Unlock()
		}
	}
	return n, nil
}

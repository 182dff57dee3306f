package embedded_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ipfast/ipfast/shared/blobtest"
	"github.com/ipfast/ipfast/shared/embedded"
	"github.com/ipfast/ipfast/shared/filing"
)

func TestFilesConformance(t *testing.T) {
	blobtest.Run(t, func(t *testing.T) blobtest.Harness {
		var files *embedded.Files
		srv := httptest.NewServer(nil)
		t.Cleanup(srv.Close)
		var err error
		files, err = embedded.OpenFiles(t.TempDir(), srv.URL+"/blobs", []byte("blob-secret"), nil)
		if err != nil {
			t.Fatal(err)
		}
		srv.Config.Handler = files.Handler()
		return blobtest.Harness{Blobs: files, EnforcesUpload: true}
	})
}

func TestFilesRefuseKeysOutsideTheStore(t *testing.T) {
	files, err := embedded.OpenFiles(t.TempDir(), "http://127.0.0.1/blobs", []byte("s"), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"../etc/passwd", "uploads/../../x", "/abs", "uploads//x", ""} {
		if err := files.Copy(t.Context(), "uploads/a", key); err == nil {
			t.Errorf("key %q accepted", key)
		}
	}
}

// TestSlowUploadOutlivesServerTimeouts sends an upload slower than the server's read timeout
// (as a large file over poor Wi-Fi is slower than the API's deadlines): the blob handler
// extends its own deadline and the upload completes.
func TestSlowUploadOutlivesServerTimeouts(t *testing.T) {
	srv := httptest.NewUnstartedServer(nil)
	srv.Config.ReadTimeout = 200 * time.Millisecond
	srv.Start()
	t.Cleanup(srv.Close)
	files, err := embedded.OpenFiles(t.TempDir(), srv.URL+"/blobs", []byte("blob-secret"), nil)
	if err != nil {
		t.Fatal(err)
	}
	srv.Config.Handler = files.Handler()
	data := bytes.Repeat([]byte("%PDF-slow "), 1000)
	digest := sha256.Sum256(data)
	target, err := files.UploadTarget(t.Context(), "uploads/slow", "application/pdf", int64(len(data)), hex.EncodeToString(digest[:]), time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	pr, pw := io.Pipe()
	go func() {
		for i := 0; i < len(data); i += len(data) / 4 {
			time.Sleep(150 * time.Millisecond)
			_, _ = pw.Write(data[i:min(i+len(data)/4, len(data))])
		}
		pw.Close()
	}()
	req, _ := http.NewRequest(target.Method, target.URL, pr)
	req.ContentLength = int64(len(data))
	for k, v := range target.Headers {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNoContent {
		t.Fatalf("slow upload: %d", res.StatusCode)
	}
	if n, err := files.Stat(t.Context(), "uploads/slow"); err != nil || n != int64(len(data)) {
		t.Errorf("stored %d bytes, %v", n, err)
	}
}

// TestBlobKeyFindsLayout1Blobs: an attachment stored before expos were tenants keeps its key
// then ("filings/<id>"); filing.BlobKey finds it from today's key, and prefers today's when
// both exist.
func TestBlobKeyFindsLayout1Blobs(t *testing.T) {
	files, err := embedded.OpenFiles(t.TempDir(), "http://127.0.0.1:1/blobs", []byte("blob-secret"), nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	put := func(key, body string) {
		sum := sha256.Sum256([]byte(body))
		if err := files.Put(key, "application/pdf", int64(len(body)), hex.EncodeToString(sum[:]), strings.NewReader(body)); err != nil {
			t.Fatal(err)
		}
	}
	put("filings/att_old", "old bytes")
	if key, err := filing.BlobKey(ctx, files, filing.FiledKey("CISCE2026", "att_old")); err != nil || key != "filings/att_old" {
		t.Errorf("BlobKey of a layout-1 attachment = %q, %v", key, err)
	}
	put(filing.FiledKey("CISCE2026", "att_new"), "new bytes")
	if key, err := filing.BlobKey(ctx, files, filing.FiledKey("CISCE2026", "att_new")); err != nil || key != "filings/CISCE2026/att_new" {
		t.Errorf("BlobKey of today's attachment = %q, %v", key, err)
	}
	if _, err := filing.BlobKey(ctx, files, filing.FiledKey("CISCE2026", "att_none")); filing.ErrorKind(err) != filing.NotFound {
		t.Errorf("BlobKey of nothing: %v", err)
	}
}

// TestLayout1BlobsAreReadAndFiled: an upload stored before expos were tenants is still read
// and filed from its key then.
func TestLayout1BlobsAreReadAndFiled(t *testing.T) {
	files, err := embedded.OpenFiles(t.TempDir(), "http://127.0.0.1:1/blobs", []byte("blob-secret"), nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	body := "%PDF-1.7 old upload"
	sum := sha256.Sum256([]byte(body))
	if err := files.Put("uploads/att_old", "application/pdf", int64(len(body)), hex.EncodeToString(sum[:]), strings.NewReader(body)); err != nil {
		t.Fatal(err)
	}
	rc, err := filing.OpenBlob(ctx, files, filing.UploadKey("CISCE2026", "att_old"))
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(rc)
	rc.Close()
	if string(got) != body {
		t.Errorf("read %q", got)
	}
	if err := filing.CopyBlob(ctx, files, filing.UploadKey("CISCE2026", "att_old"), filing.FiledKey("CISCE2026", "att_old")); err != nil {
		t.Fatal(err)
	}
	if _, err := files.Stat(ctx, filing.FiledKey("CISCE2026", "att_old")); err != nil {
		t.Errorf("not filed under today's key: %v", err)
	}
	if _, err := filing.OpenBlob(ctx, files, filing.UploadKey("CISCE2026", "att_none")); filing.ErrorKind(err) != filing.NotFound {
		t.Errorf("missing: %v", err)
	}
}

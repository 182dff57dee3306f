// Package blobtest is the conformance suite of the filing.Blobs port: what every blob store
// (local files, S3) must do for attachments, driven over real HTTP for the client's side.
package blobtest

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ipfast/ipfast/shared/filing"
)

// Harness is a fresh, empty store.
type Harness struct {
	Blobs filing.Blobs
	// EnforcesUpload: the store itself refuses an upload whose bytes, size or expiry differ
	// from the target's (the local store does; gofakes3 checks no signatures or checksums,
	// where S3 would, so for it the server-side verification is the only guard).
	EnforcesUpload bool
}

var ctx = context.Background()

// Run runs the suite.
func Run(t *testing.T, newHarness func(t *testing.T) Harness) {
	t.Run("UploadThenRead", func(t *testing.T) { testRoundTrip(t, newHarness(t)) })
	t.Run("CopyAndDelete", func(t *testing.T) { testCopyDelete(t, newHarness(t)) })
	t.Run("Missing", func(t *testing.T) { testMissing(t, newHarness(t)) })
	t.Run("Tenancy", func(t *testing.T) { testTenancy(t, newHarness(t)) })
	t.Run("UploadGuards", func(t *testing.T) {
		h := newHarness(t)
		if !h.EnforcesUpload {
			t.Skip("this store does not check uploads itself (the server verifies bytes before use)")
		}
		testGuards(t, h)
	})
}

func randomBytes(t *testing.T, n int) ([]byte, string) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	return b, hex.EncodeToString(sum[:])
}

// Upload sends data as the target says and returns the HTTP status.
func Upload(target filing.UploadTarget, data []byte) (int, error) {
	var req *http.Request
	var err error
	switch target.Method {
	case http.MethodPut:
		req, err = http.NewRequest(http.MethodPut, target.URL, bytes.NewReader(data))
		if err != nil {
			return 0, err
		}
		for k, v := range target.Headers {
			req.Header.Set(k, v)
		}
	case http.MethodPost:
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		for k, v := range target.Fields {
			_ = mw.WriteField(k, v)
		}
		fw, _ := mw.CreateFormFile("file", "upload")
		_, _ = fw.Write(data)
		_ = mw.Close()
		req, err = http.NewRequest(http.MethodPost, target.URL, &body)
		if err != nil {
			return 0, err
		}
		req.Header.Set("Content-Type", mw.FormDataContentType())
	default:
		return 0, fmt.Errorf("unknown upload method %q", target.Method)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode, nil
}

func read(t *testing.T, b filing.Blobs, key string) []byte {
	t.Helper()
	r, err := b.Open(ctx, key)
	if err != nil {
		t.Fatalf("open %s: %v", key, err)
	}
	defer r.Close()
	got, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func put(t *testing.T, h Harness, key string, data []byte, sum string) {
	t.Helper()
	target, err := h.Blobs.UploadTarget(ctx, key, "application/pdf", int64(len(data)), sum, 5*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	status, err := Upload(target, data)
	if err != nil || status/100 != 2 {
		t.Fatalf("upload %s: %d %v", key, status, err)
	}
}

func testRoundTrip(t *testing.T, h Harness) {
	data, sum := randomBytes(t, 300<<10)
	put(t, h, "uploads/att_1", data, sum)
	if n, err := h.Blobs.Stat(ctx, "uploads/att_1"); err != nil || n != int64(len(data)) {
		t.Fatalf("stat: %d %v", n, err)
	}
	if got := read(t, h.Blobs, "uploads/att_1"); !bytes.Equal(got, data) {
		t.Fatalf("read back %d bytes that differ", len(got))
	}
	u, err := h.Blobs.DownloadURL(ctx, "uploads/att_1", time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	res, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !bytes.Equal(got, data) {
		t.Errorf("download: %d, %d bytes, equal %v", res.StatusCode, len(got), bytes.Equal(got, data))
	}
}

func testCopyDelete(t *testing.T, h Harness) {
	data, sum := randomBytes(t, 10<<10)
	put(t, h, "uploads/att_2", data, sum)
	if err := h.Blobs.Copy(ctx, "uploads/att_2", "filings/fil_1/att_2"); err != nil {
		t.Fatal(err)
	}
	if err := h.Blobs.Delete(ctx, "uploads/att_2"); err != nil {
		t.Fatal(err)
	}
	if _, err := h.Blobs.Stat(ctx, "uploads/att_2"); filing.ErrorKind(err) != filing.NotFound {
		t.Errorf("deleted blob: %v, want NotFound", err)
	}
	if got := read(t, h.Blobs, "filings/fil_1/att_2"); !bytes.Equal(got, data) {
		t.Errorf("the copy lost its bytes")
	}
	if err := h.Blobs.Delete(ctx, "uploads/att_2"); err != nil {
		t.Errorf("deleting twice: %v", err)
	}
}

func testMissing(t *testing.T, h Harness) {
	if _, err := h.Blobs.Open(ctx, "uploads/none"); filing.ErrorKind(err) != filing.NotFound {
		t.Errorf("open missing: %v", err)
	}
	if _, err := h.Blobs.Stat(ctx, "uploads/none"); filing.ErrorKind(err) != filing.NotFound {
		t.Errorf("stat missing: %v", err)
	}
}

func testGuards(t *testing.T, h Harness) {
	data, sum := randomBytes(t, 4<<10)
	other, _ := randomBytes(t, 4<<10)
	for name, c := range map[string]struct {
		body []byte
		ttl  time.Duration
	}{
		"other bytes":  {other, time.Minute},
		"shorter":      {data[:100], time.Minute},
		"expired link": {data, -time.Second},
	} {
		key := "uploads/guard"
		target, err := h.Blobs.UploadTarget(ctx, key, "application/pdf", int64(len(data)), sum, c.ttl)
		if err != nil {
			t.Fatal(err)
		}
		status, err := Upload(target, c.body)
		if err != nil || status/100 == 2 {
			t.Errorf("%s: accepted (%d %v)", name, status, err)
		}
		if _, err := h.Blobs.Stat(ctx, key); filing.ErrorKind(err) != filing.NotFound {
			t.Errorf("%s: something was stored", name)
		}
	}
	target, _ := h.Blobs.UploadTarget(ctx, "uploads/guard", "application/pdf", int64(len(data)), sum, time.Minute)
	target.URL += "0" // tampered signature
	if status, _ := Upload(target, data); status/100 == 2 {
		t.Errorf("tampered link accepted")
	}
}

// testTenancy: the same attachment id uploaded at once in two expos lands under each expo's
// keys (filing.UploadKey, filing.FiledKey): each reads and downloads its own bytes, filing and
// deleting one leaves the other alone, and a link whose key is changed to the other expo's
// reaches nothing (where the store checks its links).
func testTenancy(t *testing.T, h Harness) {
	const id = "att_same"
	data := map[string][]byte{}
	sums := map[string]string{}
	for _, expo := range []string{"TEST", "OTHER"} {
		data[expo], sums[expo] = randomBytes(t, 20<<10)
	}
	done := make(chan string, 2)
	for expo := range data {
		go func() {
			target, err := h.Blobs.UploadTarget(ctx, filing.UploadKey(expo, id), "application/pdf", int64(len(data[expo])), sums[expo], time.Minute)
			if err != nil {
				done <- err.Error()
				return
			}
			status, err := Upload(target, data[expo])
			if err != nil || status/100 != 2 {
				done <- fmt.Sprintf("upload in %s: %d %v", expo, status, err)
				return
			}
			done <- ""
		}()
	}
	for range data {
		if msg := <-done; msg != "" {
			t.Fatal(msg)
		}
	}
	for expo := range data {
		if got := read(t, h.Blobs, filing.UploadKey(expo, id)); !bytes.Equal(got, data[expo]) {
			t.Errorf("%s reads bytes that are not its own", expo)
		}
	}
	if err := h.Blobs.Copy(ctx, filing.UploadKey("TEST", id), filing.FiledKey("TEST", id)); err != nil {
		t.Fatal(err)
	}
	if err := h.Blobs.Delete(ctx, filing.UploadKey("TEST", id)); err != nil {
		t.Fatal(err)
	}
	if got := read(t, h.Blobs, filing.UploadKey("OTHER", id)); !bytes.Equal(got, data["OTHER"]) {
		t.Errorf("deleting TEST's upload changed OTHER's")
	}
	if _, err := h.Blobs.Stat(ctx, filing.FiledKey("OTHER", id)); filing.ErrorKind(err) != filing.NotFound {
		t.Errorf("filing TEST's attachment made one for OTHER: %v", err)
	}
	u, err := h.Blobs.DownloadURL(ctx, filing.FiledKey("TEST", id), time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if status, got := get(t, u); status != 200 || !bytes.Equal(got, data["TEST"]) {
		t.Errorf("TEST's download: %d, its own bytes %v", status, bytes.Equal(got, data["TEST"]))
	}
	if h.EnforcesUpload {
		// The link names TEST's key; pointed at OTHER's upload, it must not open it.
		forged := strings.Replace(u, "filings/TEST/", "uploads/OTHER/", 1)
		forged = strings.Replace(forged, "filings%2FTEST%2F", "uploads%2FOTHER%2F", 1)
		if forged == u {
			t.Fatalf("the link %s does not show its key", u)
		}
		if status, got := get(t, forged); status == 200 || bytes.Equal(got, data["OTHER"]) {
			t.Errorf("a link changed to OTHER's key opened it: %d", status)
		}
	}
}

func get(t *testing.T, u string) (int, []byte) {
	t.Helper()
	res, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, b
}

package api_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ipfast/ipfast/shared/embedded"
	"github.com/ipfast/ipfast/shared/filing"
	"github.com/ipfast/ipfast/shared/review"
)

// newFilesEnv is an env whose server also serves the local blob store at /blobs.
func newFilesEnv(t *testing.T) (*env, *embedded.Files) {
	t.Helper()
	c, db := newClockAndDB(t)
	files, err := embedded.OpenFiles(filepath.Join(t.TempDir(), "blobs"), "/blobs", []byte("blob-secret"), c)
	if err != nil {
		t.Fatal(err)
	}
	return newEnvWith(t, c, db, db, files), files
}

// jpegOf encodes a w×h JPEG: smooth (small) or noisy (large).
func jpegOf(t *testing.T, w, h int, noisy bool) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	noise := make([]byte, w*h)
	if noisy {
		_, _ = rand.Read(noise)
	}
	for y := range h {
		for x := range w {
			n := noise[y*w+x]
			img.Set(x, y, color.RGBA{uint8(x) ^ n, uint8(y) + n, 128, 255})
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func pngOf(t *testing.T, w, h int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, w, h))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func pdfOf(t *testing.T, n int) []byte {
	t.Helper()
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return append([]byte("%PDF-1.7\n"), b...)
}

func sum(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

type slot struct {
	ID     string `json:"id"`
	Upload struct {
		Method  string            `json:"method"`
		URL     string            `json:"url"`
		Headers map[string]string `json:"headers"`
	} `json:"upload"`
	ExpiresAt string `json:"expiresAt"`
}

// declare asks for an upload slot and returns the response.
func (e *env) declare(tok, role, contentType string, size int, sha string) resp {
	e.t.Helper()
	return e.do("POST", "/v1/uploads", tok,
		fmt.Sprintf(`{"role":%q,"contentType":%q,"size":%d,"sha256":%q}`, role, contentType, size, sha))
}

// slotFor declares data and returns the slot, without sending the bytes.
func (e *env) slotFor(tok, role, contentType string, data []byte) slot {
	e.t.Helper()
	r := e.declare(tok, role, contentType, len(data), sum(data))
	if r.status != http.StatusCreated {
		e.t.Fatalf("declare %s: %d %s", role, r.status, r.body)
	}
	var s slot
	r.json(e.t, &s)
	return s
}

// send PUTs body to a slot as it says and returns the status and body of the answer.
func (e *env) send(s slot, body []byte) (int, string) {
	e.t.Helper()
	req, err := http.NewRequest(s.Upload.Method, s.Upload.URL, bytes.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	for k, v := range s.Upload.Headers {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// upload declares data as role/contentType and sends it; it returns the attachment id.
func (e *env) upload(tok, role, contentType string, data []byte) string {
	e.t.Helper()
	s := e.slotFor(tok, role, contentType, data)
	if status, body := e.send(s, data); status/100 != 2 {
		e.t.Fatalf("upload %s: %d %s", role, status, body)
	}
	return s.ID
}

func figurative(ids ...string) string {
	b := strings.Replace(trademark, `"markType":"word","markText":"CATL"`, `"markType":"figurative"`, 1)
	return withAttachments(b, ids...)
}

func withAttachments(body string, ids ...string) string {
	if len(ids) == 0 {
		return body
	}
	return strings.Replace(body, `"language":`, `"attachments":["`+strings.Join(ids, `","`)+`"],"language":`, 1)
}

const utilityModel = `{"kind":"patent",
 "patent":{"type":"utility_model","title":"Battery tray clip","abstract":"A clip.","claims":["1. A clip."],
   "inventors":[{"name":"Zhang San","nationality":"CN"}]},
 "applicants":[{"name":"CATL","kind":"organization","nationality":"CN","domicile":"CN","address":"Ningde"}],
 "contact":{"name":"Li Wei","email":"li.wei@example.com"},"language":"en"}`

const design = `{"kind":"patent",
 "patent":{"type":"design","title":"Battery pack housing","locarnoClass":"13-02","briefDescription":"Housing of a battery pack; the front view shows the design points best.",
   "inventors":[{"name":"Zhang San","nationality":"CN"}]},
 "applicants":[{"name":"CATL","kind":"organization","nationality":"CN","domicile":"CN","address":"Ningde"}],
 "contact":{"name":"Li Wei","email":"li.wei@example.com"},"language":"zh"}`

// wantProblem asserts a 422 with code at field.
func wantProblem(t *testing.T, what string, r resp, field, code string) {
	t.Helper()
	if r.status != http.StatusUnprocessableEntity {
		t.Errorf("%s: %d %s, want 422 %s", what, r.status, r.body, code)
		return
	}
	for _, p := range r.problem(t).Errors {
		if p.Field == field && p.Code == code {
			return
		}
	}
	t.Errorf("%s: %s, want %s at %s", what, r.body, code, field)
}

func TestMarkImages(t *testing.T) {
	e, _ := newFilesEnv(t)
	tok := e.kiosk("EX-0001")

	good := jpegOf(t, 500, 500, false)
	if len(good) > 200<<10 {
		t.Fatalf("test image too big: %d", len(good))
	}
	id := e.upload(tok, "mark_image", "image/jpeg", good)
	r := e.submit(tok, "mark-good", figurative(id))
	if r.status != http.StatusCreated {
		t.Fatalf("figurative mark with a 500×500 JPEG: %d %s", r.status, r.body)
	}
	var f filing.Filing
	r.json(t, &f)
	if len(f.Documents) != 1 || f.Documents[0] != (filing.Document{ID: id, Role: "mark_image", ContentType: "image/jpeg",
		Size: int64(len(good)), SHA256: sum(good)}) {
		t.Errorf("documents of the filing: %+v", f.Documents)
	}
	receipt := e.do("GET", "/v1/filings/"+f.ID+"/receipt", tok, "", "Accept", "text/html")
	if receipt.status != 200 || !strings.Contains(string(receipt.body), "Mark image 商标图样 · image/jpeg") ||
		!strings.Contains(string(receipt.body), sum(good)) {
		t.Errorf("the receipt does not list the mark image: %d", receipt.status)
	}

	// Refused: each with its code.
	small := jpegOf(t, 300, 300, false)
	wantProblem(t, "300×300 JPEG", e.submit(tok, "mark-small", figurative(e.upload(tok, "mark_image", "image/jpeg", small))),
		"/attachments/0", "mark_image_invalid")
	large := jpegOf(t, 1000, 1000, true)
	if len(large) < 250<<10 {
		t.Fatalf("noisy test image too small: %d", len(large))
	}
	wantProblem(t, "JPEG over 200 KB (declared)", e.declare(tok, "mark_image", "image/jpeg", len(large), sum(large)),
		"/size", "mark_image_invalid")
	wantProblem(t, "PNG declared as JPEG", e.submit(tok, "mark-png",
		figurative(e.upload(tok, "mark_image", "image/jpeg", pngOf(t, 500, 500)))), "/attachments/0", "attachment_invalid")
	wantProblem(t, "PDF declared as JPEG", e.submit(tok, "mark-pdf",
		figurative(e.upload(tok, "mark_image", "image/jpeg", pdfOf(t, 1000)))), "/attachments/0", "attachment_invalid")
	wantProblem(t, "PNG declared as PNG", e.declare(tok, "mark_image", "image/png", 1000, sum([]byte("x"))),
		"/contentType", "mark_image_invalid")
	// Without an image at all.
	wantProblem(t, "figurative without image", e.submit(tok, "mark-none", figurative()), "/attachments", "mark_image_required")
}

func TestUploadGuards(t *testing.T) {
	e, _ := newFilesEnv(t)
	tok := e.kiosk("EX-0001")
	data := jpegOf(t, 600, 600, false)

	// Bytes other than the declared ones are refused at the upload, and nothing is stored.
	s := e.slotFor(tok, "mark_image", "image/jpeg", data)
	other := append([]byte(nil), data...)
	other[len(other)/2] ^= 0xFF
	if status, body := e.send(s, other); status != http.StatusBadRequest || !strings.Contains(body, "attachment_invalid") {
		t.Errorf("bytes with another sha256: %d %s", status, body)
	}
	wantProblem(t, "filing with the refused upload", e.submit(tok, "k1", figurative(s.ID)), "/attachments/0", "attachment_unknown")
	// The right bytes then go through, and the same id files.
	if status, body := e.send(s, data); status != http.StatusNoContent {
		t.Fatalf("the declared bytes: %d %s", status, body)
	}
	if r := e.submit(tok, "k2", figurative(s.ID)); r.status != http.StatusCreated {
		t.Fatalf("filing: %d %s", r.status, r.body)
	}
	// The upload serves one filing: another filing may not use it; a retry of the first replays.
	wantProblem(t, "an upload another filing uses", e.submit(tok, "k3", figurative(s.ID)), "/attachments/0", "attachment_unknown")
	if r := e.submit(tok, "k2", figurative(s.ID)); r.status != http.StatusCreated || r.header.Get("Idempotent-Replayed") != "true" {
		t.Errorf("retry of the filing: %d %s", r.status, r.body)
	}

	// Another exhibitor's upload is unknown.
	theirs := e.upload(e.kiosk("EX-0002"), "mark_image", "image/jpeg", data)
	wantProblem(t, "another exhibitor's upload", e.submit(tok, "k4", figurative(theirs)), "/attachments/0", "attachment_unknown")
	wantProblem(t, "no such upload", e.submit(tok, "k5", figurative("att_nope")), "/attachments/0", "attachment_unknown")

	// An upload link is refused once expired (15 minutes).
	s = e.slotFor(tok, "mark_image", "image/jpeg", data)
	e.clock.Set("2026-06-23T02:16:00Z")
	if status, body := e.send(s, data); status != http.StatusForbidden {
		t.Errorf("expired upload link: %d %s", status, body)
	}
	// A tampered link is refused.
	s = e.slotFor(tok, "mark_image", "image/jpeg", data)
	s.Upload.URL = strings.Replace(s.Upload.URL, "size=", "size=1", 1)
	if status, _ := e.send(s, data); status != http.StatusForbidden {
		t.Errorf("tampered upload link: %d", status)
	}

	// Declarations that break the rules.
	wantProblem(t, "unknown role", e.declare(tok, "selfie", "image/jpeg", 10, sum(data)), "/role", "invalid_enum")
	wantProblem(t, "JPEG drawings", e.declare(tok, "drawings", "image/jpeg", 10, sum(data)), "/contentType", "attachment_invalid")
	wantProblem(t, "PDF over 25 MB", e.declare(tok, "description", "application/pdf", 26<<20, sum(data)), "/size", "attachment_invalid")
	wantProblem(t, "bad sha256", e.declare(tok, "description", "application/pdf", 10, "abc"), "/sha256", "invalid_format")
	wantProblem(t, "no size", e.declare(tok, "description", "application/pdf", 0, sum(data)), "/size", "required")
	if r := e.do("POST", "/v1/uploads", tok, `{"role":"description","contentType":"application/pdf","size":1,"sha256":"`+sum(data)+`","x":1}`); r.status != 400 && r.status != 422 {
		t.Errorf("unknown field: %d", r.status)
	}
	if r := e.declare(e.examiner(), "description", "application/pdf", 10, sum(data)); r.status != http.StatusForbidden {
		t.Errorf("examiner declaring an upload: %d", r.status)
	}
}

// download fetches an attachment link as tok and returns the bytes (nil and the status if refused).
func (e *env) download(tok, filingID, attID string) ([]byte, int) {
	e.t.Helper()
	r := e.do("GET", "/v1/filings/"+filingID+"/attachments/"+attID, tok, "")
	if r.status != http.StatusOK {
		return nil, r.status
	}
	var d filing.DownloadLink
	r.json(e.t, &d)
	res, err := http.Get(d.URL)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		e.t.Fatalf("download link: %d %s", res.StatusCode, b)
	}
	return b, r.status
}

func TestPatentAttachmentsExamined(t *testing.T) {
	e, _ := newFilesEnv(t)
	tok := e.kiosk("EX-0001")
	wantProblem(t, "utility model without drawings", e.submit(tok, "um-0", utilityModel), "/attachments", "drawings_required")
	wantProblem(t, "design without views", e.submit(tok, "d-0", design), "/attachments", "views_required")

	drawings := pdfOf(t, 300<<10)
	desc := pdfOf(t, 10<<10)
	um := e.mustFile(tok, "um-1", withAttachments(utilityModel, e.upload(tok, "drawings", "application/pdf", drawings),
		e.upload(tok, "description", "application/pdf", desc)))
	front, side := jpegOf(t, 800, 600, true), pngOf(t, 640, 480)
	d := e.mustFile(tok, "d-1", withAttachments(design, e.upload(tok, "views", "image/jpeg", front),
		e.upload(tok, "views", "image/png", side)))
	if len(um.Documents) != 2 || len(d.Documents) != 2 || d.Documents[1].ContentType != "image/png" {
		t.Fatalf("documents: %+v %+v", um.Documents, d.Documents)
	}

	// The owning kiosk downloads its files; another kiosk and an examiner without the lease get 404.
	if b, _ := e.download(tok, um.ID, um.Documents[0].ID); sum(b) != sum(drawings) {
		t.Errorf("the kiosk's download differs")
	}
	if _, status := e.download(e.kiosk("EX-0002"), um.ID, um.Documents[0].ID); status != http.StatusNotFound {
		t.Errorf("another kiosk: %d", status)
	}
	if _, status := e.download(e.examiner(), um.ID, um.Documents[0].ID); status != http.StatusNotFound {
		t.Errorf("an examiner without the lease: %d", status)
	}

	// The examiner who leases each filing gets exactly the uploaded bytes.
	for _, c := range []struct {
		queue string
		f     filing.Filing
		want  [][]byte
	}{{"patent-utility-model", um, [][]byte{drawings, desc}}, {"patent-design", d, [][]byte{front, side}}} {
		ex := e.examinerNamed("examiner-" + c.queue)
		r := e.do("POST", "/v1/queues/"+c.queue+"/lease", ex, "")
		var g review.Grant
		r.json(t, &g)
		if r.status != 200 || g.Filing.ID != c.f.ID || len(g.Filing.Documents) != len(c.want) {
			t.Fatalf("lease %s: %d %s", c.queue, r.status, r.body)
		}
		for i, doc := range g.Filing.Documents {
			b, status := e.download(ex, c.f.ID, doc.ID)
			if status != 200 || sum(b) != sum(c.want[i]) || doc.SHA256 != sum(c.want[i]) {
				t.Errorf("%s: examiner's download %d differs (status %d)", c.queue, i, status)
			}
		}
		if _, status := e.download(e.examinerNamed("someone-else"), c.f.ID, g.Filing.Documents[0].ID); status != http.StatusNotFound {
			t.Errorf("an examiner who does not hold the lease: %d", status)
		}
		if _, status := e.download(ex, c.f.ID, "att_nope"); status != http.StatusNotFound {
			t.Errorf("an attachment the filing lacks: %d", status)
		}
	}
}

func TestAmendmentKeepsAndAddsAttachments(t *testing.T) {
	e, _ := newFilesEnv(t)
	tok := e.kiosk("EX-0001")
	first := e.upload(tok, "drawings", "application/pdf", pdfOf(t, 1000))
	um := e.mustFile(tok, "um-1", withAttachments(utilityModel, first))
	ex := e.examiner()
	var g review.Grant
	e.do("POST", "/v1/queues/patent-utility-model/lease", ex, "").json(t, &g)
	r := e.do("POST", "/v1/filings/"+um.ID+"/decision", ex, `{"leaseToken":"`+g.LeaseToken+
		`","outcome":"request_correction","reasons":[{"code":"document_missing","field":"/attachments"}]}`)
	if r.status != 200 {
		t.Fatalf("request correction: %d %s", r.status, r.body)
	}
	poa := pdfOf(t, 2000)
	added := e.upload(tok, "power_of_attorney", "application/pdf", poa)
	r = e.do("POST", "/v1/filings/"+um.ID+"/amendments", tok, withAttachments(utilityModel, first, added), "Idempotency-Key", "amend-1")
	var f filing.Filing
	r.json(t, &f)
	if r.status != 200 || len(f.Documents) != 2 || f.Documents[1].ID != added || f.FilingNumber != um.FilingNumber {
		t.Fatalf("amendment: %d %s", r.status, r.body)
	}
	if b, _ := e.download(tok, um.ID, added); sum(b) != sum(poa) {
		t.Errorf("the added attachment's download differs")
	}
	// The added upload now serves this filing only.
	wantProblem(t, "reuse of an amendment's upload", e.submit(tok, "um-2", withAttachments(utilityModel, added)),
		"/attachments/0", "attachment_unknown")
}

func TestValidateChecksUploads(t *testing.T) {
	e, _ := newFilesEnv(t)
	tok := e.kiosk("EX-0001")
	data := jpegOf(t, 500, 500, false)
	s := e.slotFor(tok, "mark_image", "image/jpeg", data)
	wantProblem(t, "validate before the bytes arrived", e.do("POST", "/v1/validate", tok, figurative(s.ID)),
		"/attachments/0", "attachment_unknown")
	e.send(s, data)
	if r := e.do("POST", "/v1/validate", tok, figurative(s.ID)); r.status != 200 {
		t.Errorf("validate after the upload: %d %s", r.status, r.body)
	}
	// Validating stores nothing: the upload still files.
	if r := e.submit(tok, "k", figurative(s.ID)); r.status != 201 {
		t.Errorf("file after validate: %d %s", r.status, r.body)
	}
}

func TestUnusedUploadsAreForgotten(t *testing.T) {
	e, files := newFilesEnv(t)
	tok := e.kiosk("EX-0001")
	data := pdfOf(t, 5000)
	unused := e.upload(tok, "drawings", "application/pdf", data)
	used := e.upload(tok, "drawings", "application/pdf", pdfOf(t, 5000))
	um := e.mustFile(tok, "um", withAttachments(utilityModel, used))

	e.clock.Set("2026-06-24T01:59:00Z") // 23:59 later: nothing is forgotten yet
	if n, err := e.svc.SweepUploads(ctx); err != nil || n != 0 {
		t.Fatalf("sweep before a day: %d %v", n, err)
	}
	e.clock.Set("2026-06-24T02:01:00Z")
	if n, err := e.svc.SweepUploads(ctx); err != nil || n != 1 {
		t.Fatalf("sweep after a day: %d %v", n, err)
	}
	if _, err := files.Stat(ctx, filing.UploadKey(e.svc.Expo.ID, unused)); filing.ErrorKind(err) != filing.NotFound {
		t.Errorf("the unused upload's bytes are still there: %v", err)
	}
	if n, err := files.GC(0); err != nil || n != 1 {
		t.Errorf("GC of the unnamed object: %d %v", n, err)
	}
	wantProblem(t, "a forgotten upload", e.submit(tok, "late", withAttachments(utilityModel, unused)), "/attachments/0", "attachment_unknown")
	// The filed one stays, byte for byte.
	if b, _ := e.download(tok, um.ID, used); len(b) != 5009 {
		t.Errorf("the filed attachment is gone: %d bytes", len(b))
	}
}

var ctx = context.Background()

// TestSoundMarkSample: a sound mark files with its WAV or MP3 sample, judged by content; a
// sample whose bytes are something else is attachment_invalid; common aliases of the audio
// types are taken.
func TestSoundMarkSample(t *testing.T) {
	e, _ := newFilesEnv(t)
	tok := e.kiosk("EX-0001")
	sound := func(ids ...string) string {
		b := strings.Replace(trademark, `"markType":"word","markText":"CATL"`,
			`"markType":"sound","description":"Numbered notation: 1 3 5 | 5 - 3 1"`, 1)
		return withAttachments(b, ids...)
	}
	wantProblem(t, "no sample", e.submit(tok, "s-0", sound()), "/attachments", "sound_sample_required")
	wav := append([]byte("RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00\x01\x00\x40\x1f\x00\x00\x80\x3e\x00\x00\x02\x00\x10\x00data\x00\x00\x00\x00"), make([]byte, 64)...)
	f := e.mustFile(tok, "s-1", sound(e.upload(tok, "sound_sample", "audio/x-wav", wav)))
	if len(f.Documents) != 1 || f.Documents[0].ContentType != "audio/wav" || f.Documents[0].Role != "sound_sample" {
		t.Errorf("documents %+v", f.Documents)
	}
	fake := e.upload(tok, "sound_sample", "audio/mpeg", pdfOf(t, 1000))
	wantProblem(t, "a PDF declared as MP3", e.submit(tok, "s-2", sound(fake)), "/attachments/0", "attachment_invalid")
	if r := e.declare(tok, "sound_sample", "audio/mpeg", 6<<20, strings.Repeat("a", 64)); r.status != http.StatusUnprocessableEntity {
		t.Errorf("a 6 MB sample declared: %d", r.status)
	}
}

// TestLabelledViews: a design's views carry what they show (front, rear, … reference) from
// their declaration to the filing's documents; only views take a label, and only a known one.
func TestLabelledViews(t *testing.T) {
	e, _ := newFilesEnv(t)
	tok := e.kiosk("EX-0001")
	view := pngOf(t, 640, 480)
	declare := func(role, label string) resp {
		body := fmt.Sprintf(`{"role":%q,"contentType":"image/png","size":%d,"sha256":%q,"label":%q}`, role, len(view), sum(view), label)
		return e.do("POST", "/v1/uploads", tok, body)
	}
	wantProblem(t, "a label on a power of attorney", declare("power_of_attorney", "front"), "/label", "not_allowed")
	wantProblem(t, "an unknown label", declare("views", "side"), "/label", "invalid_enum")
	var ids []string
	for _, label := range []string{"front", "perspective"} {
		r := declare("views", label)
		var s slot
		r.json(t, &s)
		if r.status != http.StatusCreated {
			t.Fatalf("declare %s: %d %s", label, r.status, r.body)
		}
		if status, body := e.send(s, view); status/100 != 2 {
			t.Fatalf("send: %d %s", status, body)
		}
		ids = append(ids, s.ID)
	}
	d := e.mustFile(tok, "d-labels", withAttachments(design, ids...))
	if len(d.Documents) != 2 || d.Documents[0].Label != "front" || d.Documents[1].Label != "perspective" {
		t.Errorf("documents: %+v", d.Documents)
	}
	r := e.do("GET", "/v1/filings/"+d.ID+"/receipt", tok, "")
	if !strings.Contains(string(r.body), "front") && !strings.Contains(string(r.body), "主视图") {
		t.Errorf("the receipt does not name the views")
	}
}

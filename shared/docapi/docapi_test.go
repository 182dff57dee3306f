package docapi_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ipfast/ipfast/shared/api"
	"github.com/ipfast/ipfast/shared/auth"
	"github.com/ipfast/ipfast/shared/certs"
	"github.com/ipfast/ipfast/shared/docapi"
	"github.com/ipfast/ipfast/shared/embedded"
	"github.com/ipfast/ipfast/shared/exhibits"
	"github.com/ipfast/ipfast/shared/filing"
)

var secret = []byte("docapi-test-secret")

type env struct {
	t     *testing.T
	base  string
	clock *filing.ManualClock
}

func newEnv(t *testing.T) *env {
	expo := filing.DefaultExpo()
	dir := t.TempDir()
	clock := &filing.ManualClock{}
	clock.Set("2026-06-23T02:00:00Z")
	db, err := embedded.Open(filepath.Join(dir, "ipfast.db"), embedded.Options{Queues: expo.AllQueues(), Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	files, err := embedded.OpenFiles(filepath.Join(dir, "blobs"), "/blobs", []byte("k"), clock)
	if err != nil {
		t.Fatal(err)
	}
	keys, err := certs.LocalKeyring(dir, clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	srv := api.NewServer(expo, api.Backend{Store: db, Queue: db, Blobs: files, Clock: clock}, auth.NewVerifier(secret, clock.Now),
		slog.New(slog.NewJSONHandler(io.Discard, nil)), "")
	srv.Extra = docapi.Routes(srv, exhibits.New(expo, db, srv.Intake, keys, clock))
	mux := http.NewServeMux()
	mux.Handle("/blobs", files.Handler())
	mux.Handle("/", srv.Handler())
	hs := httptest.NewServer(mux)
	t.Cleanup(hs.Close)
	return &env{t: t, base: hs.URL, clock: clock}
}

func (e *env) token(p filing.Principal) string {
	tok, err := auth.Sign(secret, p, e.clock.Now(), time.Hour)
	if err != nil {
		e.t.Fatal(err)
	}
	return tok
}

func (e *env) do(method, path, tok string, body any) (int, map[string]any) {
	e.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, e.base+path, rd)
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	var out map[string]any
	b, _ := io.ReadAll(res.Body)
	_ = json.Unmarshal(b, &out)
	return res.StatusCode, out
}

// photo uploads a PNG as tok's exhibit_photo through the API and the blob link.
func (e *env) photo(tok string) (string, string) {
	e.t.Helper()
	var b bytes.Buffer
	_ = png.Encode(&b, image.NewGray(image.Rect(0, 0, 640, 480)))
	data := b.Bytes()
	sum := sha256.Sum256(data)
	status, slot := e.do("POST", "/v1/uploads", tok, map[string]any{"role": "exhibit_photo", "contentType": "image/png", "size": len(data), "sha256": hex.EncodeToString(sum[:])})
	if status != 201 {
		e.t.Fatalf("upload slot: %d %v", status, slot)
	}
	up := slot["upload"].(map[string]any)
	req, _ := http.NewRequest(up["method"].(string), up["url"].(string), bytes.NewReader(data))
	for k, v := range up["headers"].(map[string]any) {
		req.Header.Set(k, v.(string))
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil || res.StatusCode/100 != 2 {
		e.t.Fatalf("PUT: %v %v", res, err)
	}
	res.Body.Close()
	return slot["id"].(string), hex.EncodeToString(sum[:])
}

// TestCertificatesHTTP walks SPEC §12 over HTTP: an officer records an exhibit with a photo and
// issues its certificate (201 with payload, signature, QR); anyone reads it (valid) and
// verifies it by QR text or payload and signature; GET /v1/keys lists the key; a kiosk may not
// issue (403); a supervisor revokes it and it verifies as revoked.
func TestCertificatesHTTP(t *testing.T) {
	e := newEnv(t)
	officer := e.token(filing.Principal{Subject: "officer-li", Role: filing.RoleOfficer})
	kiosk := e.token(filing.Principal{Subject: "kiosk-1A-101", Role: filing.RoleKiosk, Exhibitor: "EX-0001", Booth: "1A-101"})
	supervisor := e.token(filing.Principal{Subject: "supervisor-1", Role: filing.RoleSupervisor})
	photo, sum := e.photo(officer)
	status, ex := e.do("POST", "/v1/exhibits", officer, map[string]any{"exhibitor": "EX-0001", "booth": "1A-101",
		"exhibit": "Battery pack BX-9", "firstDisplayDate": "2026-06-22", "photos": []string{photo}})
	if status != 201 || ex["state"] != "confirmed" {
		t.Fatalf("record: %d %v", status, ex)
	}
	id := ex["id"].(string)
	if status, p := e.do("POST", "/v1/exhibits/"+id+"/certificate", kiosk, nil); status != 403 || p["code"] != "forbidden" {
		t.Errorf("a kiosk issuing: %d %v", status, p)
	}
	status, c := e.do("POST", "/v1/exhibits/"+id+"/certificate", officer, nil)
	if status != 201 || c["certificateNumber"] != "CISCE2026-EC-000001" || c["signature"] == nil || !strings.Contains(c["qr"].(string), "/verify/") {
		t.Fatalf("issue: %d %v", status, c)
	}
	payload := c["payload"].(map[string]any)
	if photos := payload["photos"].([]any); len(photos) != 1 || photos[0] != sum {
		t.Errorf("payload photos: %v, want [%s]", photos, sum)
	}
	cid := c["id"].(string)
	if status, got := e.do("GET", "/v1/certificates/"+cid, "", nil); status != 200 || got["valid"] != true {
		t.Errorf("public read: %d %v", status, got)
	}
	if status, v := e.do("POST", "/v1/certificates/verify", "", map[string]any{"qr": c["qr"]}); status != 200 || v["valid"] != true {
		t.Errorf("verify by QR: %d %v", status, v)
	}
	if status, v := e.do("POST", "/v1/certificates/verify", "", map[string]any{"payload": payload, "signature": c["signature"]}); status != 200 || v["valid"] != true {
		t.Errorf("verify by payload and signature: %d %v", status, v)
	}
	payload["booth"] = "1A-102"
	if _, v := e.do("POST", "/v1/certificates/verify", "", map[string]any{"payload": payload, "signature": c["signature"]}); v["valid"] != false {
		t.Errorf("a changed payload: %v", v)
	}
	if status, k := e.do("GET", "/v1/keys", "", nil); status != 200 || len(k["keys"].([]any)) != 1 {
		t.Errorf("keys: %d %v", status, k)
	}
	if status, l := e.do("GET", "/v1/certificates", kiosk, nil); status != 200 || len(l["items"].([]any)) != 1 {
		t.Errorf("the exhibitor's certificates: %d %v", status, l)
	}
	if status, _ := e.do("POST", "/v1/certificates/"+cid+"/revoke", officer, map[string]any{"reason": "x"}); status != 403 {
		t.Errorf("an officer revoking: %d", status)
	}
	if status, _ := e.do("POST", "/v1/certificates/"+cid+"/revoke", supervisor, map[string]any{"reason": "issued for the wrong booth"}); status != 200 {
		t.Errorf("revoke: %d", status)
	}
	if _, v := e.do("POST", "/v1/certificates/verify", "", map[string]any{"qr": c["qr"]}); v["valid"] != false || v["revoked"] != true {
		t.Errorf("after revocation: %v", v)
	}
	if status, p := e.do("GET", "/v1/certificates/cert_nope", "", nil); status != 404 || p["code"] != "not_found" {
		t.Errorf("no certificate: %d %v", status, p)
	}
	// A kiosk declares its own exhibit; an officer confirms it.
	status, d := e.do("POST", "/v1/exhibits", kiosk, map[string]any{"exhibitor": "EX-0001", "booth": "1A-101", "exhibit": "Charger C-2", "firstDisplayDate": "2026-06-23"})
	if status != 201 || d["state"] != "declared" {
		t.Fatalf("declare: %d %v", status, d)
	}
	// The officers' list of what booths declared; the kiosk's own exhibits.
	if status, l := e.do("GET", "/v1/exhibits?state=declared", officer, nil); status != 200 || len(l["items"].([]any)) != 1 ||
		l["items"].([]any)[0].(map[string]any)["id"] != d["id"] {
		t.Errorf("declared exhibits: %d %v", status, l)
	}
	if status, l := e.do("GET", "/v1/exhibits?exhibitor=EX-0002", kiosk, nil); status != 200 || len(l["items"].([]any)) != 2 {
		t.Errorf("the kiosk's exhibits (its own, whatever it asks): %d %v", status, l)
	}
	if status, p := e.do("GET", "/v1/exhibits?state=lost", officer, nil); status != 422 || !strings.Contains(fmt.Sprint(p["errors"]), "invalid_enum") {
		t.Errorf("an unknown state: %d %v", status, p)
	}
	examiner := e.token(filing.Principal{Subject: "examiner-1", Role: filing.RoleExaminer})
	if status, _ := e.do("GET", "/v1/exhibits", examiner, nil); status != 403 {
		t.Errorf("an examiner listing exhibits: %d", status)
	}
	if status, got := e.do("POST", "/v1/exhibits/"+d["id"].(string)+"/confirm", officer, nil); status != 200 || got["state"] != "confirmed" {
		t.Errorf("confirm: %d %v", status, got)
	}
	if _, l := e.do("GET", "/v1/exhibits?state=declared", officer, nil); len(l["items"].([]any)) != 0 {
		t.Errorf("declared after confirming: %v", l)
	}
	if status, p := e.do("POST", "/v1/exhibits", officer, map[string]any{"exhibitor": "EX-0001", "booth": "1A-101", "exhibit": "X", "firstDisplayDate": "2026-07-01"}); status != 422 || p["code"] != "validation" {
		t.Errorf("a first display after the expo: %d %v", status, p)
	}
}

// TestFileWithCertificate: the exhibitor files a trademark naming its certificate in the
// exhibition claim: accepted, with no exhibition evidence left to send; another exhibitor naming
// it, or a claim of another first display, is exhibition_certificate_mismatch; revoked, it is
// refused too.
func TestFileWithCertificate(t *testing.T) {
	e := newEnv(t)
	officer := e.token(filing.Principal{Subject: "officer-li", Role: filing.RoleOfficer})
	kiosk := e.token(filing.Principal{Subject: "kiosk-1A-101", Role: filing.RoleKiosk, Exhibitor: "EX-0001", Booth: "1A-101"})
	other := e.token(filing.Principal{Subject: "kiosk-2B-202", Role: filing.RoleKiosk, Exhibitor: "EX-0002", Booth: "2B-202"})
	_, ex := e.do("POST", "/v1/exhibits", officer, map[string]any{"exhibitor": "EX-0001", "booth": "1A-101", "exhibit": "Battery pack BX-9", "firstDisplayDate": "2026-06-22"})
	_, c := e.do("POST", "/v1/exhibits/"+ex["id"].(string)+"/certificate", officer, nil)
	cid := c["id"].(string)
	filingWith := func(cert, date string) map[string]any {
		return map[string]any{"kind": "trademark",
			"trademark":  map[string]any{"markType": "word", "markText": "VOLTARA", "classes": []any{map[string]any{"class": 9, "terms": []string{"Batteries, electric"}}}},
			"applicants": []any{map[string]any{"name": "Voltara Ltd", "kind": "organization", "nationality": "CN", "domicile": "CN", "address": "Ningde"}},
			"exhibition": map[string]any{"expo": "CISCE2026", "firstDisplayDate": date, "booth": "1A-101", "certificate": cert},
			"contact":    map[string]any{"name": "Li Wei", "email": "li@example.com"}, "language": "en"}
	}
	file := func(tok, key string, body map[string]any) (int, map[string]any) {
		req, _ := json.Marshal(body)
		r, _ := http.NewRequest("POST", e.base+"/v1/filings", bytes.NewReader(req))
		r.Header.Set("Authorization", "Bearer "+tok)
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("Idempotency-Key", key)
		res, err := http.DefaultClient.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var out map[string]any
		_ = json.NewDecoder(res.Body).Decode(&out)
		return res.StatusCode, out
	}
	mismatch := func(what string, status int, p map[string]any) {
		t.Helper()
		if status != 422 || !strings.Contains(fmt.Sprint(p["errors"]), "exhibition_certificate_mismatch") {
			t.Errorf("%s: %d %v", what, status, p)
		}
	}
	status, f := file(kiosk, "with-cert", filingWith(cid, "2026-06-22"))
	if status != 201 || len(f["deadlines"].([]any)) != 0 {
		t.Fatalf("filed with its certificate: %d %v", status, f)
	}
	status, p := file(other, "theirs", filingWith(cid, "2026-06-22"))
	mismatch("another exhibitor's certificate", status, p)
	status, p = file(kiosk, "other-date", filingWith(cid, "2026-06-23"))
	mismatch("another first display", status, p)
	supervisor := e.token(filing.Principal{Subject: "supervisor-1", Role: filing.RoleSupervisor})
	e.do("POST", "/v1/certificates/"+cid+"/revoke", supervisor, map[string]any{"reason": "wrong exhibit"})
	status, p = file(kiosk, "revoked", filingWith(cid, "2026-06-22"))
	mismatch("a revoked certificate", status, p)
}

// TestCertificateDocuments: the 201 names the PDF and the QR code; both are public; the PDF is a
// PDF, the QR code an SVG; an unknown certificate's PDF is 404.
func TestCertificateDocuments(t *testing.T) {
	e := newEnv(t)
	officer := e.token(filing.Principal{Subject: "officer-li", Role: filing.RoleOfficer})
	_, ex := e.do("POST", "/v1/exhibits", officer, map[string]any{"exhibitor": "EX-0001", "booth": "1A-101",
		"exhibit": "固态电池包 BX-9", "firstDisplayDate": "2026-06-22"})
	status, c := e.do("POST", "/v1/exhibits/"+ex["id"].(string)+"/certificate", officer, nil)
	cid, _ := c["id"].(string)
	if status != 201 || c["pdf"] != "/v1/certificates/"+cid+".pdf" || c["qrCode"] != "/v1/certificates/"+cid+".svg" {
		t.Fatalf("issue: %d pdf %v qrCode %v", status, c["pdf"], c["qrCode"])
	}
	get := func(path string) (*http.Response, []byte) {
		res, err := http.Get(e.base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res, b
	}
	res, b := get(c["pdf"].(string))
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(b, []byte("%PDF-")) ||
		!strings.Contains(res.Header.Get("Content-Disposition"), "CISCE2026-EC-000001.pdf") {
		t.Errorf("PDF: %d %s %.20q", res.StatusCode, res.Header.Get("Content-Type"), b)
	}
	res, b = get(c["qrCode"].(string))
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/svg+xml" || !bytes.HasPrefix(b, []byte("<svg ")) {
		t.Errorf("QR code: %d %s %.20q", res.StatusCode, res.Header.Get("Content-Type"), b)
	}
	if res, _ = get("/v1/certificates/cert_nope.pdf"); res.StatusCode != 404 {
		t.Errorf("no certificate's PDF: %d", res.StatusCode)
	}
	if status, got := e.do("GET", "/v1/certificates/"+cid, "", nil); status != 200 || got["pdf"] != c["pdf"] || got["valid"] != true {
		t.Errorf("read: %d %v", status, got)
	}
}

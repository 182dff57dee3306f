package exhibits_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"image"
	"image/png"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ipfast/ipfast/shared/certs"
	"github.com/ipfast/ipfast/shared/embedded"
	"github.com/ipfast/ipfast/shared/exhibits"
	"github.com/ipfast/ipfast/shared/filing"
	"github.com/ipfast/ipfast/shared/intake"
)

var ctx = context.Background()

type env struct {
	svc     *exhibits.Service
	intake  *intake.Service
	files   *embedded.Files
	keys    *certs.Keyring
	clock   *filing.ManualClock
	officer filing.Principal
	kiosk   filing.Principal
	super   filing.Principal
}

func newEnv(t *testing.T) env {
	expo := filing.DefaultExpo()
	dir := t.TempDir()
	db, err := embedded.Open(filepath.Join(dir, "ipfast.db"), embedded.Options{Queues: expo.AllQueues(), DefaultExpo: expo.ID})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	clock := &filing.ManualClock{}
	clock.Set("2026-06-23T02:00:00Z")
	files, err := embedded.OpenFiles(filepath.Join(dir, "blobs"), "/blobs", []byte("k"), clock)
	if err != nil {
		t.Fatal(err)
	}
	in := intake.New(expo, db, clock)
	in.Blobs = files
	keys := &certs.Keyring{}
	if _, err := keys.Rotate(clock.Now()); err != nil {
		t.Fatal(err)
	}
	return env{svc: exhibits.New(expo, db, in, keys, clock), intake: in, files: files, keys: keys, clock: clock,
		officer: filing.Principal{Subject: "officer-li", Role: filing.RoleOfficer},
		kiosk:   filing.Principal{Subject: "kiosk-1A-101", Role: filing.RoleKiosk, Exhibitor: "EX-0001", Booth: "1A-101"},
		super:   filing.Principal{Subject: "supervisor-1", Role: filing.RoleSupervisor}}
}

// photo uploads a PNG photo for p and returns its id and sha256.
func (e env) photo(t *testing.T, p filing.Principal) (string, string) {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, 640, 480))); err != nil {
		t.Fatal(err)
	}
	data := b.Bytes()
	sum := sha256.Sum256(data)
	slot, err := e.intake.CreateUpload(ctx, p, intake.UploadRequest{Role: filing.RoleExhibitPhoto, ContentType: "image/png", Size: int64(len(data)), SHA256: hex.EncodeToString(sum[:])})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.files.Put(filing.UploadKey("CISCE2026", slot.ID), "image/png", int64(len(data)), hex.EncodeToString(sum[:]), bytes.NewReader(data)); err != nil {
		t.Fatal(err)
	}
	return slot.ID, hex.EncodeToString(sum[:])
}

func req(photos ...string) *filing.ExhibitRequest {
	return &filing.ExhibitRequest{Exhibitor: "EX-0001", Booth: "1A-101", Exhibit: "Battery pack BX-9 with finned cooling plate",
		FirstDisplayDate: "2026-06-22", Photos: photos}
}

// TestRecordIssueVerify: an officer records an exhibit with a photo and issues its
// certificate; the payload names the exhibition, exhibitor, booth, exhibit, first display and
// the photo's sha256; it verifies by id, by QR text and by payload and signature; a changed
// payload does not; revoked, it verifies as revoked.
func TestRecordIssueVerify(t *testing.T) {
	e := newEnv(t)
	id, sum := e.photo(t, e.officer)
	ex, err := e.svc.Record(ctx, e.officer, req(id))
	if err != nil || ex.State != filing.ExhibitConfirmed || len(ex.Documents) != 1 {
		t.Fatalf("record: %+v %v", ex, err)
	}
	c, err := e.svc.Issue(ctx, e.officer, ex.ID, "https://ipfast.example")
	if err != nil {
		t.Fatal(err)
	}
	p := c.Payload
	if c.CertificateNumber != "CISCE2026-EC-000001" || p.CertificateNumber != c.CertificateNumber || p.Exhibition.NameZh != "第四届中国国际供应链促进博览会" ||
		p.Exhibition.City != "Beijing" || p.Exhibitor.ID != "EX-0001" || p.Booth != "1A-101" || p.FirstDisplayDate != "2026-06-22" ||
		len(p.Photos) != 1 || p.Photos[0] != sum || p.IssuedAt != "2026-06-23T10:00:00+08:00" || p.Issuer != "officer-li" ||
		!strings.Contains(p.Exhibition.LegalBasis, "24") {
		t.Errorf("payload: %+v", p)
	}
	if !strings.HasPrefix(c.QR, "https://ipfast.example/verify/"+c.ID+"#ey") {
		t.Errorf("QR %q", c.QR)
	}
	v, err := e.svc.Certificate(ctx, c.ID)
	if err != nil || !v.Valid || v.Revoked {
		t.Errorf("by id: %+v %v", v, err)
	}
	if v, _ := e.svc.Verify(ctx, exhibits.VerifyRequest{QR: c.QR}); !v.Valid {
		t.Errorf("by QR: %+v", v)
	}
	raw, _ := json.Marshal(c.Payload)
	if v, _ := e.svc.Verify(ctx, exhibits.VerifyRequest{Payload: raw, Signature: c.Signature}); !v.Valid {
		t.Errorf("by payload and signature: %+v", v)
	}
	changed := strings.Replace(string(raw), `"booth":"1A-101"`, `"booth":"1A-102"`, 1)
	if v, _ := e.svc.Verify(ctx, exhibits.VerifyRequest{Payload: json.RawMessage(changed), Signature: c.Signature}); v.Valid {
		t.Errorf("a changed payload verifies")
	}
	parts := strings.Split(c.Signature, ".")
	for i := range parts[2] {
		b := []byte(parts[2])
		b[i] ^= 1
		if b[i] == '.' {
			continue
		}
		if v, _ := e.svc.Verify(ctx, exhibits.VerifyRequest{QR: parts[0] + "." + parts[1] + "." + string(b)}); v.Valid {
			t.Fatalf("signature character %d changed verifies", i)
		}
	}
	if _, err := e.svc.Revoke(ctx, e.officer, c.ID, "wrong booth"); filing.ErrorKind(err) != filing.Forbidden {
		t.Errorf("an officer revoking: %v", err)
	}
	if _, err := e.svc.Revoke(ctx, e.super, c.ID, "issued for the wrong booth"); err != nil {
		t.Fatal(err)
	}
	if v, _ := e.svc.Verify(ctx, exhibits.VerifyRequest{QR: c.QR}); v.Valid || !v.Revoked {
		t.Errorf("revoked: %+v", v)
	}
	if _, err := e.svc.Revoke(ctx, e.super, c.ID, "again"); filing.ErrorCode(err) != filing.CodeInvalidTransition {
		t.Errorf("revoking twice: %v", err)
	}
}

// TestDeclaredThenConfirmed: a kiosk declares its own exhibit (not another booth's); no
// certificate before an officer confirms it; a non-qualifying expo issues none; a key
// rotation keeps the earlier certificate valid.
func TestDeclaredThenConfirmed(t *testing.T) {
	e := newEnv(t)
	other := *req()
	other.Booth = "9Z-999"
	if _, err := e.svc.Record(ctx, e.kiosk, &other); filing.ErrorKind(err) != filing.Forbidden {
		t.Errorf("a kiosk declaring another booth's exhibit: %v", err)
	}
	late := *req()
	late.FirstDisplayDate = "2026-06-24"
	if _, err := e.svc.Record(ctx, e.kiosk, &late); filing.ErrorKind(err) != filing.Invalid {
		t.Errorf("a first display tomorrow: %v", err)
	}
	ex, err := e.svc.Record(ctx, e.kiosk, req())
	if err != nil || ex.State != filing.ExhibitDeclared {
		t.Fatalf("declare: %+v %v", ex, err)
	}
	if _, err := e.svc.Issue(ctx, e.officer, ex.ID, "https://x"); filing.ErrorCode(err) != filing.CodeInvalidTransition {
		t.Errorf("issuing for a declared exhibit: %v", err)
	}
	if _, err := e.svc.Issue(ctx, e.kiosk, ex.ID, "https://x"); filing.ErrorKind(err) != filing.Forbidden {
		t.Errorf("a kiosk issuing: %v", err)
	}
	if _, err := e.svc.Confirm(ctx, e.officer, ex.ID); err != nil {
		t.Fatal(err)
	}
	first, err := e.svc.Issue(ctx, e.officer, ex.ID, "https://x")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.keys.Rotate(e.clock.Now()); err != nil {
		t.Fatal(err)
	}
	second, err := e.svc.Issue(ctx, e.officer, ex.ID, "https://x")
	if err != nil || second.KeyID == first.KeyID || second.CertificateNumber != "CISCE2026-EC-000002" {
		t.Fatalf("after rotation: %+v %v", second, err)
	}
	for _, c := range []filing.Certificate{first, second} {
		if v, _ := e.svc.Verify(ctx, exhibits.VerifyRequest{QR: c.QR}); !v.Valid {
			t.Errorf("%s after rotation: %+v", c.CertificateNumber, v)
		}
	}
	list, err := e.svc.List(ctx, e.kiosk, "")
	if err != nil || len(list) != 2 {
		t.Errorf("the exhibitor's certificates: %d %v", len(list), err)
	}
	e.svc.Expo.Qualifying = false
	if _, err := e.svc.Issue(ctx, e.officer, ex.ID, "https://x"); filing.ErrorCode(err) != filing.CodeExhibitionNotQualifying {
		t.Errorf("at a non-qualifying expo: %v", err)
	}
}

// TestIndependentVerifier: a verifier written only from docs/certificates.md — the standard
// library, the QR text and the JWK set of GET /v1/keys — verifies a certificate, and refuses it
// with one byte changed.
func TestIndependentVerifier(t *testing.T) {
	e := newEnv(t)
	ex, err := e.svc.Record(ctx, e.officer, req())
	if err != nil {
		t.Fatal(err)
	}
	c, err := e.svc.Issue(ctx, e.officer, ex.ID, "https://ipfast.example")
	if err != nil {
		t.Fatal(err)
	}
	jwks, err := json.Marshal(map[string]any{"keys": e.svc.PublicKeys()})
	if err != nil {
		t.Fatal(err)
	}
	payload, err := verifyFromDocs(c.QR, jwks)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		CertificateNumber string `json:"certificateNumber"`
		Exhibition        struct {
			NameZh string `json:"nameZh"`
		} `json:"exhibition"`
	}
	if json.Unmarshal(payload, &got) != nil || got.CertificateNumber != c.CertificateNumber || got.Exhibition.NameZh == "" {
		t.Errorf("payload %s", payload)
	}
	i := strings.Index(c.QR, "#") + 10
	tampered := c.QR[:i] + string(c.QR[i]^1) + c.QR[i+1:]
	if _, err := verifyFromDocs(tampered, jwks); err == nil {
		t.Errorf("a changed QR verifies")
	}
}

// TestCertificateNamesTheDirectorysExhibitor: the exhibitor's name on a certificate is the
// directory's, the entry put over the API (SPEC §18) over the configuration's.
func TestCertificateNamesTheDirectorysExhibitor(t *testing.T) {
	e := newEnv(t)
	e.svc.Expo.Exhibitors = []filing.ExhibitorEntry{{ID: "EX-0001", Booth: "1A-101", Name: "Voltara (from the file)"}}
	if err := e.svc.Store.(filing.EnrolmentStore).PutExhibitor(ctx, "CISCE2026", filing.Exhibitor{ID: "EX-0001", Name: "Voltara GmbH", Booth: "1A-101"}); err != nil {
		t.Fatal(err)
	}
	id, _ := e.photo(t, e.officer)
	ex, err := e.svc.Record(ctx, e.officer, req(id))
	if err != nil {
		t.Fatal(err)
	}
	c, err := e.svc.Issue(ctx, e.officer, ex.ID, "https://ipfast.example")
	if err != nil || c.Payload.Exhibitor.Name != "Voltara GmbH" {
		t.Errorf("the certificate's exhibitor: %+v %v", c.Payload.Exhibitor, err)
	}
}

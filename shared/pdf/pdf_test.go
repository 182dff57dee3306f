package pdf_test

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ipfast/ipfast/shared/certs"
	"github.com/ipfast/ipfast/shared/filing"
	"github.com/ipfast/ipfast/shared/pdf"
	"github.com/ipfast/ipfast/shared/receipt"
)

// poppler is the path of a poppler-utils program (pdftotext, pdftoppm). make test installs
// them (scripts/pdftools.sh); a plain `go test` on a machine without them fails and says so.
func poppler(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("%s is needed to check the PDFs (Debian poppler-utils; make test installs it): %v", name, err)
	}
	return p
}

// text is the text pdftotext extracts from a PDF.
func text(t *testing.T, doc []byte) string {
	t.Helper()
	cmd := exec.Command(poppler(t, "pdftotext"), "-enc", "UTF-8", "-", "-")
	cmd.Stdin = bytes.NewReader(doc)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

// has reports whether the extracted text has want, also where a line break fell inside it.
func has(text, want string) bool {
	return strings.Contains(text, want) || strings.Contains(strings.ReplaceAll(text, "\n", ""), want) ||
		strings.Contains(strings.ReplaceAll(text, "\n", " "), want)
}

// render writes a PDF's pages as PNG (150 dpi) into $IPFAST_PDF_PAGES (make screenshots:
// docs/screenshots) or a temporary directory, named name-1.png, …, and returns how many.
func render(t *testing.T, doc []byte, name string) int {
	t.Helper()
	dir := os.Getenv("IPFAST_PDF_PAGES")
	if dir == "" {
		dir = t.TempDir()
	}
	src := filepath.Join(t.TempDir(), name+".pdf")
	if err := os.WriteFile(src, doc, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(poppler(t, "pdftoppm"), "-png", "-r", "110", src, filepath.Join(dir, name)).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v %s", err, out)
	}
	pages, _ := filepath.Glob(filepath.Join(dir, name+"-*.png"))
	return len(pages)
}

// fonts is what pdffonts says of a PDF: each font's line.
func fonts(t *testing.T, doc []byte) string {
	t.Helper()
	src := filepath.Join(t.TempDir(), "f.pdf")
	if err := os.WriteFile(src, doc, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(poppler(t, "pdffonts"), src).Output()
	if err != nil {
		t.Fatalf("pdffonts: %v", err)
	}
	return string(out)
}

func sampleCertificate(t *testing.T, revoked bool) filing.Certificate {
	t.Helper()
	x := filing.DefaultExpo()
	e := filing.ExhibitRecord{ID: "exh_1", Expo: x.ID, ExhibitRequest: filing.ExhibitRequest{
		Exhibitor: "EX-0042", Booth: "1A-101", FirstDisplayDate: "2026-06-22", Photos: []string{"att_1", "att_2"},
		Exhibit: "Solid-state battery pack BX-9 with its liquid cooling plate 固态电池包BX-9及其液冷板"},
		Documents: []filing.Document{{ID: "att_1", SHA256: strings.Repeat("ab", 32)}, {ID: "att_2", SHA256: strings.Repeat("c4", 32)}}}
	at := time.Date(2026, 6, 23, 2, 0, 0, 0, time.UTC)
	p := filing.NewPayload(x, e, "cert_01J0EXAMPLE", filing.CertificateNumber(x.NumberPrefix, 1), "深圳储能科技有限公司 Shenzhen Energy Storage Co., Ltd.", at, "officer-li")
	k, err := certs.NewKey(at)
	if err != nil {
		t.Fatal(err)
	}
	ring := &certs.Keyring{Keys: []certs.Key{k}}
	raw, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	jws, kid, err := ring.Sign(raw)
	if err != nil {
		t.Fatal(err)
	}
	c := filing.Certificate{ID: p.ID, CertificateNumber: p.CertificateNumber, Expo: x.ID, ExhibitID: e.ID, Exhibitor: e.Exhibitor,
		Payload: p, Signature: jws, KeyID: kid, QR: certs.QRText("https://ipfast.example.org", p.ID, jws)}
	if revoked {
		c.Revoked, c.RevokedAt, c.RevokedBy, c.RevokedReason = true, "2026-06-24T09:30:00Z", "supervisor-wang", "issued for the wrong booth 展位有误"
	}
	return c
}

func TestCertificate(t *testing.T) {
	x := filing.DefaultExpo()
	for _, tc := range []struct {
		name    string
		revoked bool
	}{{"certificate-pdf", false}, {"certificate-revoked-pdf", true}} {
		t.Run(tc.name, func(t *testing.T) {
			c := sampleCertificate(t, tc.revoked)
			var b bytes.Buffer
			if err := pdf.Certificate(&b, c, x.Location()); err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(b.Bytes(), []byte("%PDF-")) {
				t.Fatalf("not a PDF: %q", b.Bytes()[:16])
			}
			got := text(t, b.Bytes())
			for _, want := range []string{"CISCE2026-EC-000001", "第四届中国国际供应链促进博览会", "展会展出证明", "北京",
				"固态电池包BX-9及其液冷板", "深圳储能科技有限公司", "1A-101", "2026-06-22", strings.Repeat("ab", 32), "《商标法》第二十六条"} {
				if !has(got, want) {
					t.Errorf("the certificate's text lacks %q:\n%s", want, got)
				}
			}
			if strings.Contains(got, "REVOKED") != tc.revoked {
				t.Errorf("revoked %v, but the text says otherwise:\n%s", tc.revoked, got)
			}
			// Every font embedded (a subset: only the glyphs used, see TestSubset).
			f := fonts(t, b.Bytes())
			if strings.Count(f, "Identity-H       yes") != 3 {
				t.Errorf("fonts not embedded:\n%s", f)
			}
			if n := render(t, b.Bytes(), tc.name); n != 1 {
				t.Errorf("%d pages, want 1", n)
			}
		})
	}
}

func TestReceipt(t *testing.T) {
	x := filing.DefaultExpo()
	f := filing.Filing{ID: "fil_1", FilingNumber: "CISCE2026-TM-000123", State: filing.StateQueued,
		FiledAt: "2026-06-23T02:00:01Z", FilingDate: "2026-06-23", Expo: x.ID, Exhibitor: "EX-0042", Booth: "1A-101",
		Request: filing.Request{Kind: "trademark", Language: "zh",
			Trademark: &filing.Trademark{MarkType: "word", MarkText: "青藤 QINGTENG", Classes: []filing.NiceClass{
				{Class: 9, Terms: []string{"电池", "充电器", "Batteries, electric", "Chargers for electric batteries"}},
				{Class: 35, Terms: []string{"广告", "Advertising"}}}},
			Applicants: []filing.Applicant{{Name: "深圳储能科技有限公司", Nationality: "CN"}, {Name: "Müller & Söhne GmbH", Nationality: "DE"}},
			Exhibition: &filing.Exhibition{Expo: x.ID, FirstDisplayDate: "2026-06-22", Booth: "1A-101", Certificate: "cert_01J0EXAMPLE"}},
		Documents: []filing.Document{{Role: filing.RoleMarkImage, ContentType: "image/png", Size: 48213, SHA256: strings.Repeat("0f", 32)}},
		Fees:      filing.Fees{Currency: "CNY", Items: []filing.FeeItem{{Code: filing.FeeTrademarkClass, Class: 9, Amount: 300}, {Code: filing.FeeTrademarkClass, Class: 35, Amount: 300}}, Total: 600}}
	rc := receipt.New(f, x, "https://ipfast.example.org/status/Zm9vYmFyYmF6cXV4")
	var b bytes.Buffer
	if err := pdf.Receipt(&b, rc); err != nil {
		t.Fatal(err)
	}
	got := text(t, b.Bytes())
	for _, want := range []string{"CISCE2026-TM-000123", "申请受理回执", "第四届中国国际供应链促进博览会", "青藤 QINGTENG",
		"深圳储能科技有限公司", "Müller & Söhne GmbH", "第9类", "充电器", "合计", "600", "2026-06-23"} {
		if !has(got, want) {
			t.Errorf("the receipt's text lacks %q:\n%s", want, got)
		}
	}
	if n := render(t, b.Bytes(), "receipt-pdf"); n < 1 {
		t.Errorf("no pages rendered")
	}
}

// TestSubset: the fonts are embedded as subsets (the glyphs a document uses), so a certificate
// with Chinese text is tens of kilobytes, not the 4 MB of the Chinese font.
func TestSubset(t *testing.T) {
	x := filing.DefaultExpo()
	var b bytes.Buffer
	if err := pdf.Certificate(&b, sampleCertificate(t, false), x.Location()); err != nil {
		t.Fatal(err)
	}
	if b.Len() > 200<<10 {
		t.Errorf("the certificate is %d bytes: its fonts are not subset", b.Len())
	}
	t.Logf("certificate PDF: %d bytes", b.Len())
}

// TestLongCertificate: an exhibit described in 500 Chinese characters makes a payload too long
// for a QR code: the QR code then opens the verify page (online), and the text wraps over the
// lines without leaving the page.
func TestLongCertificate(t *testing.T) {
	x := filing.DefaultExpo()
	c := sampleCertificate(t, false)
	c.Payload.Exhibit = strings.Repeat("固态电池包液冷板", 62) + "展品"
	c.QR = "https://ipfast.example.org/verify/" + c.ID + "#" + strings.Repeat("A", 3000)
	var b bytes.Buffer
	if err := pdf.Certificate(&b, c, x.Location()); err != nil {
		t.Fatal(err)
	}
	got := text(t, b.Bytes())
	if strings.Contains(got, "offline") || !has(got, "https://ipfast.example.org/verify/"+c.ID) || !has(got, c.Payload.Exhibit) {
		t.Errorf("a certificate too long for an offline QR code:\n%s", got)
	}
	dir := t.TempDir()
	t.Setenv("IPFAST_PDF_PAGES", dir)
	if n := render(t, b.Bytes(), "long"); n < 1 {
		t.Errorf("no pages")
	}
}

package filing

import (
	"fmt"
	"time"
)

// Exhibition display certificates (SPEC §12): an officer sees an exhibit at its booth and
// records it (or confirms what the booth's kiosk declared); for a confirmed exhibit at a
// qualifying expo the officer issues a certificate of its first display, signed with the
// deployment's key, that the exhibitor later files as the evidence of an exhibition claim
// (Patent Law Art. 24(2): within 2 months of filing; Trademark Law Art. 26: within 3).

// ExhibitRequest is the body of POST /v1/exhibits.
type ExhibitRequest struct {
	Exhibitor        string   `json:"exhibitor" validate:"required,max=64"`
	Booth            string   `json:"booth" validate:"required,max=32"`
	Exhibit          string   `json:"exhibit" validate:"required,max=500"`
	FirstDisplayDate string   `json:"firstDisplayDate" validate:"required,date"`
	Photos           []string `json:"photos,omitempty" validate:"max=10,dive,required,max=64"`
}

// ExhibitState is where a recorded exhibit stands: declared by its booth's kiosk, or confirmed
// by an officer who saw it (recorded by an officer, it is confirmed at once).
type ExhibitState string

// The states of an exhibit.
const (
	ExhibitDeclared  ExhibitState = "declared"
	ExhibitConfirmed ExhibitState = "confirmed"
)

// ExhibitRecord is an exhibit as recorded: what was shown, where and since when, with its
// photos (their documents carry the sha256 that goes into the certificate).
type ExhibitRecord struct {
	ID    string       `json:"id"`
	Expo  string       `json:"expo"`
	State ExhibitState `json:"state"`
	ExhibitRequest
	Documents   []Document `json:"documents,omitempty"`
	RecordedBy  string     `json:"recordedBy"`
	RecordedAt  string     `json:"recordedAt"`
	ConfirmedBy string     `json:"confirmedBy,omitempty"`
	ConfirmedAt string     `json:"confirmedAt,omitempty"`
	// Certificates are the ids of the certificates issued for it, oldest first.
	Certificates []string `json:"certificates,omitempty"`
	Version      int      `json:"version"`
}

// CertificatePayload is what a certificate says and its signature covers (SPEC §12).
// docs/certificates.md describes every field for verifiers.
type CertificatePayload struct {
	// Format is the payload's format version: 1.
	Format            int                   `json:"v"`
	ID                string                `json:"id"`
	CertificateNumber string                `json:"certificateNumber"`
	Exhibition        CertificateExhibition `json:"exhibition"`
	Exhibitor         CertificateExhibitor  `json:"exhibitor"`
	Booth             string                `json:"booth"`
	Exhibit           string                `json:"exhibit"`
	FirstDisplayDate  string                `json:"firstDisplayDate"`
	// Photos are the SHA-256 (hex) of the exhibit's photos, in the order recorded.
	Photos   []string `json:"photos"`
	IssuedAt string   `json:"issuedAt"`
	// Issuer is the officer who issued it, and the organiser (the expo) it speaks for.
	Issuer string `json:"issuer"`
}

// CertificateExhibition is the exhibition a certificate speaks of.
type CertificateExhibition struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	NameZh     string `json:"nameZh,omitempty"`
	City       string `json:"city"`
	CityZh     string `json:"cityZh,omitempty"`
	StartDate  string `json:"startDate"`
	EndDate    string `json:"endDate"`
	LegalBasis string `json:"legalBasis"`
	// LegalBasisZh is the legal basis in Chinese, when the expo gives it.
	LegalBasisZh string `json:"legalBasisZh,omitempty"`
}

// CertificateExhibitor is the exhibitor a certificate names.
type CertificateExhibitor struct {
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
}

// CertificateFormat is the payload format this code writes.
const CertificateFormat = 1

// Certificate is an issued certificate: its payload, the signature over it (a compact JWS whose
// payload is the payload's exact bytes), and whether it was revoked.
type Certificate struct {
	ID                string             `json:"id"`
	CertificateNumber string             `json:"certificateNumber"`
	Expo              string             `json:"expo"`
	ExhibitID         string             `json:"exhibit"`
	Exhibitor         string             `json:"exhibitor"`
	Payload           CertificatePayload `json:"payload"`
	// Signature is the compact JWS (header.payload.signature) of the payload.
	Signature string `json:"signature"`
	KeyID     string `json:"kid"`
	// QR is what the certificate's QR code holds: its verify address with the JWS after "#".
	QR            string `json:"qr"`
	Revoked       bool   `json:"revoked"`
	RevokedAt     string `json:"revokedAt,omitempty"`
	RevokedBy     string `json:"revokedBy,omitempty"`
	RevokedReason string `json:"revokedReason,omitempty"`
	Version       int    `json:"version"`
}

// CertificateNumber is the n-th certificate number of an expo: "CISCE2026-EC-000001".
func CertificateNumber(prefix string, n int) string { return fmt.Sprintf("%s-EC-%06d", prefix, n) }

// The errors of the certificates (SPEC §12).
const (
	CodeExhibitionNotQualifying = "exhibition_not_qualifying"
	CodeCertificateMismatch     = "exhibition_certificate_mismatch"
)

// NewPayload is the payload of certificate id, numbered number, for exhibit e at expo x,
// issued at the instant at by issuer; exhibitorName is the directory's name, if any.
func NewPayload(x *Expo, e ExhibitRecord, id, number, exhibitorName string, at time.Time, issuer string) CertificatePayload {
	photos := []string{}
	for _, p := range e.Photos {
		for _, d := range e.Documents {
			if d.ID == p {
				photos = append(photos, d.SHA256)
			}
		}
	}
	return CertificatePayload{Format: CertificateFormat, ID: id, CertificateNumber: number,
		Exhibition: CertificateExhibition{ID: x.ID, Name: x.Name, NameZh: x.NameZh, City: x.City, CityZh: x.CityZh,
			StartDate: x.StartDate, EndDate: x.EndDate, LegalBasis: x.LegalBasis, LegalBasisZh: x.LegalBasisZh},
		Exhibitor: CertificateExhibitor{ID: e.Exhibitor, Name: exhibitorName}, Booth: e.Booth, Exhibit: e.Exhibit,
		FirstDisplayDate: e.FirstDisplayDate, Photos: photos, IssuedAt: x.Local(at).Format(time.RFC3339), Issuer: issuer}
}

// CheckExhibit checks what a record of an exhibit says against its expo: a first display
// date within the expo's dates and not after today (the expo's date).
func CheckExhibit(x *Expo, r ExhibitRequest, today Date) []Problem {
	var out []Problem
	d, err := ParseDate(r.FirstDisplayDate)
	if err != nil {
		return nil // the structural check reports it
	}
	start, _ := ParseDate(x.StartDate)
	end, _ := ParseDate(x.EndDate)
	if d.Before(start) || end.Before(d) {
		out = append(out, Problem{Field: "/firstDisplayDate", Code: "exhibition_date_outside_expo",
			Message: "The first display date is not within the exhibition's dates", MessageZh: "首次展出日期不在展会举办期间内"})
	}
	if today.Before(d) {
		out = append(out, Problem{Field: "/firstDisplayDate", Code: "exhibition_date_in_future",
			Message: "The first display date is after today", MessageZh: "首次展出日期晚于今日"})
	}
	return out
}

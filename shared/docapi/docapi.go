// Package docapi is the HTTP glue of the documents (SPEC §12): exhibits, the exhibition display
// certificates (JSON, PDF, QR code), their verification and the public keys, and the filing
// receipt (HTML, PDF), as a route group of the API (api.Server.Extra locally; the documents
// function in AWS mounts it alone, so the API function links none of it: not the signing code,
// not the PDF writer and its fonts).
package docapi

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/ipfast/ipfast/shared/certs"
	"github.com/ipfast/ipfast/shared/secrets"

	"github.com/ipfast/ipfast/shared/api"
	"github.com/ipfast/ipfast/shared/exhibits"
	"github.com/ipfast/ipfast/shared/filing"
	"github.com/ipfast/ipfast/shared/pdf"
	"github.com/ipfast/ipfast/shared/receipt"
)

var (
	recorders = []string{filing.RoleKiosk, filing.RoleOfficer, filing.RoleSupervisor}
	officers  = []string{filing.RoleOfficer, filing.RoleSupervisor}
)

// Routes are the documents' routes: the receipts' (Receipts), the exports, the notification
// outbox, enrolment (Enrolment) and the certificates' on svc, served by srv (for its base
// address).
func Routes(srv *api.Server, svc *exhibits.Service) []api.Route {
	h := handlers{srv: srv, svc: svc}
	return append(append(append(append(Receipts(srv), Exports(srv)...), Notifications(srv)...), Enrolment(srv)...), []api.Route{
		{Method: "POST", Pattern: "/v1/exhibits", Roles: recorders, Handle: h.record},
		{Method: "GET", Pattern: "/v1/exhibits", Roles: recorders, Handle: h.exhibits},
		{Method: "GET", Pattern: "/v1/exhibits/{id}", Roles: recorders, Handle: h.exhibit},
		{Method: "POST", Pattern: "/v1/exhibits/{id}/confirm", Roles: officers, Handle: h.confirm},
		{Method: "POST", Pattern: "/v1/exhibits/{id}/certificate", Roles: officers, Handle: h.issue},
		{Method: "GET", Pattern: "/v1/certificates", Roles: recorders, Handle: h.list},
		{Method: "GET", Pattern: "/v1/certificates/{id}", Handle: h.certificate},
		{Method: "POST", Pattern: "/v1/certificates/verify", Handle: h.verify},
		{Method: "POST", Pattern: "/v1/certificates/{id}/revoke", Roles: []string{filing.RoleSupervisor}, Handle: h.revoke},
		{Method: "GET", Pattern: "/v1/keys", Handle: h.keys},
	}...)
}

// Receipts is the filing receipt's route (SPEC §5, §12): GET /v1/filings/{id}/receipt, a
// printable HTML page or, with Accept: application/pdf, a PDF.
func Receipts(srv *api.Server) []api.Route {
	h := handlers{srv: srv}
	return []api.Route{{Method: "GET", Pattern: "/v1/filings/{id}/receipt",
		Roles: []string{filing.RoleKiosk, filing.RoleExaminer, filing.RoleSupervisor}, Handle: h.receipt}}
}

type handlers struct {
	srv *api.Server
	svc *exhibits.Service
}

// The media types of the documents.
const (
	typeHTML = "text/html"
	typePDF  = "application/pdf"
)

// receipt answers GET /v1/filings/{id}/receipt: the bilingual receipt with the filing number,
// date and time, applicants, subject, classes, fees, follow-up deadlines and a QR code of the
// filing's status link, as HTML (the default) or PDF.
func (h handlers) receipt(w http.ResponseWriter, r *http.Request, p filing.Principal) error {
	as := negotiate(r.Header.Get("Accept"), typeHTML, typePDF)
	if as == "" {
		return filing.Errorf(filing.NotAcceptable, "not_acceptable", "the receipt is served as text/html or application/pdf")
	}
	f, x, err := h.srv.Filing(r, p)
	if err != nil {
		return err
	}
	// The QR code opens the filing's public status page (SPEC §5), which any phone may read. A
	// filing made before status links existed has none: its QR names the filing's API address.
	statusURL := f.StatusURL
	if statusURL == "" {
		statusURL = h.srv.BaseURL(r) + "/v1/filings/" + f.ID
	}
	rc := receipt.New(f, x, statusURL)
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Vary", "Accept")
	if as == typePDF {
		return writePDF(w, f.FilingNumber+"-receipt.pdf", func(b io.Writer) error { return pdf.Receipt(b, rc) })
	}
	page, err := rc.HTML()
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	// The receipt is one self-contained document: its own inline style and SVG, nothing else.
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "+
		"base-uri 'none'; form-action 'none'; frame-ancestors 'self'")
	w.WriteHeader(http.StatusOK)
	_, err = io.WriteString(w, page)
	return err
}

// writePDF writes the document write makes as an application/pdf response named name: made
// whole first, so that a failure is an error response and not half a file.
func writePDF(w http.ResponseWriter, name string, write func(io.Writer) error) error {
	var b bytes.Buffer
	if err := write(&b); err != nil {
		return err
	}
	w.Header().Set("Content-Type", typePDF)
	w.Header().Set("Content-Length", strconv.Itoa(b.Len()))
	w.Header().Set("Content-Disposition", `inline; filename="`+name+`"`)
	w.WriteHeader(http.StatusOK)
	_, err := w.Write(b.Bytes())
	return err
}

// negotiate is the media type of offers (in the server's order of preference) that an Accept
// header prefers (RFC 9110 §12.5.1: the most specific range decides a type's quality), or ""
// when it accepts none. No Accept header accepts anything.
func negotiate(accept string, offers ...string) string {
	if strings.TrimSpace(accept) == "" {
		return offers[0]
	}
	best, bestQ := "", 0.0
	for _, offer := range offers {
		q, specificity := 0.0, -1
		for _, part := range strings.Split(accept, ",") {
			fields := strings.Split(part, ";")
			mt := strings.ToLower(strings.TrimSpace(fields[0]))
			rq := 1.0
			for _, f := range fields[1:] {
				if k, v, ok := strings.Cut(strings.TrimSpace(f), "="); ok && strings.EqualFold(strings.TrimSpace(k), "q") {
					if n, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
						rq = n
					}
				}
			}
			sp := -1
			switch {
			case mt == offer:
				sp = 2
			case strings.HasSuffix(mt, "/*") && strings.HasPrefix(offer, strings.TrimSuffix(mt, "*")):
				sp = 1
			case mt == "*/*":
				sp = 0
			}
			if sp > specificity {
				q, specificity = rq, sp
			}
		}
		if q > bestQ {
			best, bestQ = offer, q
		}
	}
	return best
}

func (h handlers) record(w http.ResponseWriter, r *http.Request, p filing.Principal) error {
	var req filing.ExhibitRequest
	if err := api.ReadJSON(w, r, &req, false); err != nil {
		return err
	}
	e, err := h.svc.Record(r.Context(), p, &req)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/v1/exhibits/"+e.ID)
	return api.WriteJSON(w, http.StatusCreated, e)
}

func (h handlers) exhibits(w http.ResponseWriter, r *http.Request, p filing.Principal) error {
	q := r.URL.Query()
	items, err := h.svc.Exhibits(r.Context(), p, q.Get("exhibitor"), q.Get("state"))
	if err != nil {
		return err
	}
	return api.WriteJSON(w, http.StatusOK, map[string]any{"items": items})
}

func (h handlers) exhibit(w http.ResponseWriter, r *http.Request, p filing.Principal) error {
	e, err := h.svc.GetExhibit(r.Context(), p, r.PathValue("id"))
	if err != nil {
		return err
	}
	return api.WriteJSON(w, http.StatusOK, e)
}

func (h handlers) confirm(w http.ResponseWriter, r *http.Request, p filing.Principal) error {
	e, err := h.svc.Confirm(r.Context(), p, r.PathValue("id"))
	if err != nil {
		return err
	}
	return api.WriteJSON(w, http.StatusOK, e)
}

func (h handlers) issue(w http.ResponseWriter, r *http.Request, p filing.Principal) error {
	c, err := h.svc.Issue(r.Context(), p, r.PathValue("id"), h.srv.BaseURL(r))
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/v1/certificates/"+c.ID)
	return api.WriteJSON(w, http.StatusCreated, linksOf(c))
}

func (h handlers) list(w http.ResponseWriter, r *http.Request, p filing.Principal) error {
	list, err := h.svc.List(r.Context(), p, r.URL.Query().Get("exhibitor"))
	if err != nil {
		return err
	}
	items := make([]certificateView, len(list))
	for i, c := range list {
		items[i] = linksOf(c)
	}
	return api.WriteJSON(w, http.StatusOK, map[string]any{"items": items})
}

// certificate is GET /v1/certificates/{id}: public, the certificate with "valid";
// /v1/certificates/{id}.pdf is its PDF, /v1/certificates/{id}.svg its QR code.
func (h handlers) certificate(w http.ResponseWriter, r *http.Request, _ filing.Principal) error {
	id := r.PathValue("id")
	format := ""
	if base, ext, ok := strings.Cut(id, "."); ok && (ext == "pdf" || ext == "svg") {
		id, format = base, ext
	}
	v, err := h.svc.Certificate(r.Context(), id)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-cache") // a revocation shows at once
	c := *v.Certificate
	switch format {
	case "pdf":
		loc := h.srv.Intake.Expo.Location()
		if x, ok := h.srv.Intake.Expo.Tenant(c.Expo); ok {
			loc = x.Location()
		}
		return writePDF(w, c.CertificateNumber+".pdf", func(b io.Writer) error { return pdf.Certificate(b, c, loc) })
	case "svg":
		code, err := receipt.QRCode(c.QR)
		if err != nil { // too long for a QR code: it opens the verify page, which checks online
			if code, err = receipt.QRCode(strings.SplitN(c.QR, "#", 2)[0]); err != nil {
				return err
			}
		}
		w.Header().Set("Content-Type", "image/svg+xml")
		w.Header().Set("Content-Security-Policy", "default-src 'none'")
		_, err = io.WriteString(w, receipt.QRSVG(code, 0, "QR code "+c.CertificateNumber))
		return err
	}
	return api.WriteJSON(w, http.StatusOK, view(v))
}

// certificateView is a certificate as clients read it: its fields, the addresses of its PDF and
// QR code, and (publicly) "valid" and why not.
type certificateView struct {
	filing.Certificate
	PDF    string `json:"pdf"`
	QRCode string `json:"qrCode"`
	Valid  *bool  `json:"valid,omitempty"`
	Reason string `json:"reason,omitempty"`
}

func linksOf(c filing.Certificate) certificateView {
	return certificateView{Certificate: c, PDF: "/v1/certificates/" + c.ID + ".pdf", QRCode: "/v1/certificates/" + c.ID + ".svg"}
}

func view(v exhibits.Verdict) certificateView {
	cv := linksOf(*v.Certificate)
	cv.Valid, cv.Reason = &v.Valid, v.Reason
	return cv
}

func (h handlers) verify(w http.ResponseWriter, r *http.Request, _ filing.Principal) error {
	var req exhibits.VerifyRequest
	if err := api.ReadJSON(w, r, &req, false); err != nil {
		return err
	}
	v, err := h.svc.Verify(r.Context(), req)
	if err != nil {
		return err
	}
	return api.WriteJSON(w, http.StatusOK, v)
}

func (h handlers) revoke(w http.ResponseWriter, r *http.Request, p filing.Principal) error {
	var b struct {
		Reason string `json:"reason"`
	}
	if err := api.ReadJSON(w, r, &b, false); err != nil {
		return err
	}
	c, err := h.svc.Revoke(r.Context(), p, r.PathValue("id"), b.Reason)
	if err != nil {
		return err
	}
	return api.WriteJSON(w, http.StatusOK, linksOf(c))
}

func (h handlers) keys(w http.ResponseWriter, r *http.Request, _ filing.Principal) error {
	w.Header().Set("Cache-Control", "public, max-age=300")
	return api.WriteJSON(w, http.StatusOK, map[string]any{"keys": h.svc.PublicKeys()})
}

// The environment variables of the certificates' signing keys in AWS (SPEC §12): a keyring
// (docs/certificates.md) or the {"seed"} template.yaml generates.
const (
	EnvCertificateKeysARN = "IPFAST_CERTIFICATE_KEYS_ARN" // the Secrets Manager secret
	EnvCertificateKeys    = "IPFAST_CERTIFICATE_KEYS"     // the value itself: tests only
)

// Secrets are the AWS deployment's token secret and certificate keys: the secrets
// IPFAST_TOKEN_SECRET_ARN and IPFAST_CERTIFICATE_KEYS_ARN name (IPFAST_TOKEN_SECRET and
// IPFAST_CERTIFICATE_KEYS in tests), the keys read as certs.FromSecret reads them and read again
// as certs.Reloading says, so that a rotation (`ipfast keys rotate -secret-arn`) reaches every
// instance: a new key's certificates verify everywhere at once, and every instance signs with
// it within 5 minutes.
func Secrets(ctx context.Context, cfg aws.Config) ([]byte, *certs.Reloading, error) {
	token, err := secrets.TokenSecret(ctx, cfg)
	if err != nil {
		return nil, nil, err
	}
	load := func() (*certs.Keyring, error) {
		value, made := os.Getenv(EnvCertificateKeys), time.Time{}
		if value == "" {
			var err error
			if value, made, err = secrets.Read(ctx, cfg, os.Getenv(EnvCertificateKeysARN)); err != nil {
				return nil, err
			}
		}
		return certs.FromSecret(value, made)
	}
	keys, err := certs.NewReloading(load, nil)
	return token, keys, err
}

// Package exhibits is the workstation of the exhibition display certificates (SPEC §12): an
// officer records an exhibit seen at its booth (or confirms one the booth's kiosk declared), and
// issues for it, at a qualifying expo, a certificate of its first display signed with the
// deployment's key; anyone verifies a certificate by id or from its QR code; a supervisor
// revokes one.
package exhibits

import (
	"context"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/ipfast/ipfast/shared/certs"
	"github.com/ipfast/ipfast/shared/filing"
	"github.com/ipfast/ipfast/shared/validate"
)

// Uploads are the photos exhibits name (the intake service's, which checks their bytes as it
// does a filing's).
type Uploads interface {
	OwnUploads(ctx context.Context, p filing.Principal, own string, ids []string) (map[string]filing.Upload, error)
	KeepUploads(ctx context.Context, own string, ups map[string]filing.Upload) error
}

// Signer signs and verifies certificates: the deployment's keyring (certs.Keyring).
type Signer interface {
	Sign(payload []byte) (jws, kid string, err error)
	Verify(jws string) (payload []byte, kid string, err error)
	Public() []certs.PublicKey
}

// Service is the certificates' workstation of a deployment.
type Service struct {
	Expo    *filing.Expo // the default expo (its Expos are the tenants)
	Store   filing.ExhibitStore
	Uploads Uploads // nil: no photo is usable
	Keys    Signer
	Clock   filing.Clock
}

// New makes the service with the system clock when clock is nil.
func New(expo *filing.Expo, store filing.ExhibitStore, uploads Uploads, keys Signer, clock filing.Clock) *Service {
	if clock == nil {
		clock = filing.SystemClock{}
	}
	return &Service{Expo: expo, Store: store, Uploads: uploads, Keys: keys, Clock: clock}
}

func isStaff(p filing.Principal) bool {
	return p.Role == filing.RoleOfficer || p.Role == filing.RoleSupervisor
}

func forbidden(what string) error {
	return filing.Errorf(filing.Forbidden, filing.CodeForbidden, "your role may not %s", what)
}

// Record records an exhibit: confirmed at once when an officer records it, declared when its
// booth's kiosk does (a kiosk records only for its own exhibitor and booth). Its photos are the
// recorder's exhibit_photo uploads, kept with it.
func (s *Service) Record(ctx context.Context, p filing.Principal, r *filing.ExhibitRequest) (filing.ExhibitRecord, error) {
	kiosk := p.Role == filing.RoleKiosk
	if !kiosk && !isStaff(p) {
		return filing.ExhibitRecord{}, forbidden("record exhibits")
	}
	if kiosk && (r.Exhibitor != p.Exhibitor || r.Booth != p.Booth) {
		return filing.ExhibitRecord{}, filing.Errorf(filing.Forbidden, filing.CodeForbidden, "a kiosk declares the exhibits of its own exhibitor and booth only")
	}
	x, err := s.Expo.Serving(p.Expo)
	if err != nil {
		return filing.ExhibitRecord{}, err
	}
	now := s.Clock.Now()
	ups := map[string]filing.Upload{}
	if s.Uploads != nil && len(r.Photos) > 0 {
		if ups, err = s.Uploads.OwnUploads(ctx, p, "", r.Photos); err != nil {
			return filing.ExhibitRecord{}, err
		}
	}
	if res := validate.CheckExhibit(r, x, x.LocalDate(now), validate.AttachmentsOf(ups)); len(res.Problems) > 0 {
		return filing.ExhibitRecord{}, validate.Error(res.Problems)
	}
	if len(ups) > 0 {
		if err := s.Uploads.KeepUploads(ctx, "", ups); err != nil {
			return filing.ExhibitRecord{}, err
		}
	}
	at := x.Local(now).Format(time.RFC3339)
	e := filing.ExhibitRecord{ID: filing.NewID("exh_", now), Expo: x.ID, State: filing.ExhibitConfirmed, ExhibitRequest: *r,
		RecordedBy: p.Subject, RecordedAt: at, Version: 1}
	if kiosk {
		e.State = filing.ExhibitDeclared
	} else {
		e.ConfirmedBy, e.ConfirmedAt = p.Subject, at
	}
	for _, id := range r.Photos {
		if u, ok := ups[id]; ok {
			e.Documents = append(e.Documents, filing.DocumentOf(u))
		}
	}
	if err := s.Store.CreateExhibit(ctx, e, filing.UploadClaim{Owner: filing.Uploader(p), IDs: r.Photos}); err != nil {
		return filing.ExhibitRecord{}, err
	}
	return e, nil
}

// GetExhibit returns an exhibit for staff, or for the kiosk of its exhibitor.
func (s *Service) GetExhibit(ctx context.Context, p filing.Principal, id string) (filing.ExhibitRecord, error) {
	x, err := s.Expo.Serving(p.Expo)
	if err != nil {
		return filing.ExhibitRecord{}, err
	}
	e, err := s.Store.GetExhibit(ctx, x.ID, id)
	if err != nil {
		return filing.ExhibitRecord{}, err
	}
	if !isStaff(p) && !(p.Role == filing.RoleKiosk && e.Exhibitor == p.Exhibitor) {
		return filing.ExhibitRecord{}, filing.ErrNotFound
	}
	return e, nil
}

// Confirm confirms a declared exhibit (an officer who saw it at the booth).
func (s *Service) Confirm(ctx context.Context, p filing.Principal, id string) (filing.ExhibitRecord, error) {
	if !isStaff(p) {
		return filing.ExhibitRecord{}, forbidden("confirm exhibits")
	}
	e, err := s.GetExhibit(ctx, p, id)
	if err != nil {
		return filing.ExhibitRecord{}, err
	}
	if e.State != filing.ExhibitDeclared {
		return filing.ExhibitRecord{}, filing.Errorf(filing.Conflict, filing.CodeInvalidTransition, "the exhibit is %s already", e.State)
	}
	x, _ := s.Expo.Serving(p.Expo)
	e.State, e.ConfirmedBy, e.ConfirmedAt, e.Version = filing.ExhibitConfirmed, p.Subject, x.Local(s.Clock.Now()).Format(time.RFC3339), e.Version+1
	if err := s.Store.UpdateExhibit(ctx, e); err != nil {
		return filing.ExhibitRecord{}, err
	}
	return e, nil
}

// Issue issues a certificate for a confirmed exhibit at a qualifying expo, signed with the
// current key; base is the public address its QR code opens (…/verify/{id}).
func (s *Service) Issue(ctx context.Context, p filing.Principal, exhibitID, base string) (filing.Certificate, error) {
	if !isStaff(p) {
		return filing.Certificate{}, forbidden("issue certificates")
	}
	x, err := s.Expo.Serving(p.Expo)
	if err != nil {
		return filing.Certificate{}, err
	}
	if !x.Qualifying {
		return filing.Certificate{}, filing.Errorf(filing.Conflict, filing.CodeExhibitionNotQualifying,
			"%s is not an exhibition sponsored or recognised by the government: no certificate of display is issued for it", x.Name)
	}
	e, err := s.GetExhibit(ctx, p, exhibitID)
	if err != nil {
		return filing.Certificate{}, err
	}
	if e.State != filing.ExhibitConfirmed {
		return filing.Certificate{}, filing.Errorf(filing.Conflict, filing.CodeInvalidTransition, "the exhibit is %s: an officer confirms it first", e.State)
	}
	now := s.Clock.Now()
	store, _ := s.Store.(filing.ExhibitorDirectory)
	if x, err = filing.WithDirectory(ctx, store, x); err != nil {
		return filing.Certificate{}, err
	}
	name := ""
	for _, d := range x.Exhibitors {
		if d.ID == e.Exhibitor {
			name = d.Name
		}
	}
	id := filing.NewID("cert_", now)
	e.Certificates = append(slices.Clone(e.Certificates), id)
	e.Version++
	return s.Store.IssueCertificate(ctx, x.NumberPrefix+"-EC", e, func(number string) (filing.Certificate, error) {
		payload := filing.NewPayload(x, e, id, number, name, now, p.Subject)
		b, err := json.Marshal(payload)
		if err != nil {
			return filing.Certificate{}, err
		}
		jws, kid, err := s.Keys.Sign(b)
		if err != nil {
			return filing.Certificate{}, err
		}
		return filing.Certificate{ID: id, CertificateNumber: number, Expo: x.ID, ExhibitID: e.ID, Exhibitor: e.Exhibitor,
			Payload: payload, Signature: jws, KeyID: kid, QR: certs.QRText(base, id, jws), Version: 1}, nil
	})
}

// Verdict is what a verification finds (SPEC §12): valid is true when the signature holds
// with a key of this deployment and the certificate is not revoked.
type Verdict struct {
	Valid       bool                `json:"valid"`
	Revoked     bool                `json:"revoked"`
	Reason      string              `json:"reason,omitempty"`
	Certificate *filing.Certificate `json:"certificate,omitempty"`
}

// Certificate returns a certificate by id (public: anyone with the id) with its verdict.
func (s *Service) Certificate(ctx context.Context, id string) (Verdict, error) {
	c, err := s.Store.GetCertificate(ctx, id)
	if err != nil {
		return Verdict{}, err
	}
	return s.judge(c, c.Signature), nil
}

// judge checks jws against the keys and the stored certificate c.
func (s *Service) judge(c filing.Certificate, jws string) Verdict {
	v := Verdict{Certificate: &c, Revoked: c.Revoked}
	payload, _, err := s.Keys.Verify(jws)
	var got filing.CertificatePayload
	switch {
	case err != nil:
		v.Reason = "the signature does not verify"
	case json.Unmarshal(payload, &got) != nil || !reflect.DeepEqual(got, c.Payload):
		v.Reason = "the signed payload is not this certificate's"
	case c.Revoked:
		v.Reason = "revoked: " + c.RevokedReason
	default:
		v.Valid = true
	}
	return v
}

// VerifyRequest is the body of POST /v1/certificates/verify: the QR code's text, or the
// payload with its signature (the JWS).
type VerifyRequest struct {
	QR        string          `json:"qr,omitempty"`
	Payload   json.RawMessage `json:"payload,omitempty"`
	Signature string          `json:"signature,omitempty"`
}

// Verify checks a certificate given as its QR text or as payload and signature: the signature
// must hold with a key of this deployment, a payload given must be the one signed, and the
// certificate it names must exist here and not be revoked. A changed byte anywhere is invalid.
func (s *Service) Verify(ctx context.Context, r VerifyRequest) (Verdict, error) {
	jws := r.Signature
	if r.QR != "" {
		jws = certs.JWSOf(r.QR)
	}
	if jws == "" {
		return Verdict{}, validate.Error([]filing.Problem{validate.NewProblem("/qr", "required", "")})
	}
	payload, _, err := s.Keys.Verify(jws)
	if err != nil {
		return Verdict{Reason: "the signature does not verify"}, nil
	}
	var p filing.CertificatePayload
	if err := json.Unmarshal(payload, &p); err != nil {
		return Verdict{Reason: "the signed payload is not a certificate"}, nil
	}
	if len(r.Payload) > 0 {
		var given filing.CertificatePayload
		if err := json.Unmarshal(r.Payload, &given); err != nil || !reflect.DeepEqual(given, p) {
			return Verdict{Reason: "the payload given is not the one signed"}, nil
		}
	}
	c, err := s.Store.GetCertificate(ctx, p.ID)
	if filing.ErrorKind(err) == filing.NotFound {
		return Verdict{Reason: "no certificate of this deployment has this id"}, nil
	}
	if err != nil {
		return Verdict{}, err
	}
	return s.judge(c, jws), nil
}

// Revoke revokes a certificate (a supervisor, with a reason): from then on it verifies as
// revoked. Revoking it again is invalid_transition.
func (s *Service) Revoke(ctx context.Context, p filing.Principal, id, reason string) (filing.Certificate, error) {
	if p.Role != filing.RoleSupervisor {
		return filing.Certificate{}, forbidden("revoke certificates")
	}
	if strings.TrimSpace(reason) == "" {
		return filing.Certificate{}, validate.Error([]filing.Problem{validate.NewProblem("/reason", "required", "")})
	}
	x, err := s.Expo.Serving(p.Expo)
	if err != nil {
		return filing.Certificate{}, err
	}
	c, err := s.Store.GetCertificate(ctx, id)
	if err != nil {
		return filing.Certificate{}, err
	}
	if c.Expo != x.ID {
		return filing.Certificate{}, filing.ErrNotFound // another expo's
	}
	if c.Revoked {
		return filing.Certificate{}, filing.Errorf(filing.Conflict, filing.CodeInvalidTransition, "the certificate is revoked already")
	}
	c.Revoked, c.RevokedAt, c.RevokedBy, c.RevokedReason, c.Version = true, x.Local(s.Clock.Now()).Format(time.RFC3339), p.Subject, reason, c.Version+1
	if err := s.Store.UpdateCertificate(ctx, c); err != nil {
		return filing.Certificate{}, err
	}
	return c, nil
}

// List returns a kiosk's certificates (its exhibitor's), or for staff those of an exhibitor.
func (s *Service) List(ctx context.Context, p filing.Principal, exhibitor string) ([]filing.Certificate, error) {
	x, err := s.Expo.Serving(p.Expo)
	if err != nil {
		return nil, err
	}
	switch {
	case p.Role == filing.RoleKiosk:
		exhibitor = p.Exhibitor
	case !isStaff(p):
		return nil, forbidden("list certificates")
	case exhibitor == "":
		return nil, validate.Error([]filing.Problem{validate.NewProblem("exhibitor", "required", "")})
	}
	return s.Store.ListCertificates(ctx, x.ID, exhibitor)
}

// Exhibits lists an expo's exhibits, oldest first (GET /v1/exhibits): a kiosk its own booth's
// exhibitor's; staff any exhibitor's, or those in a state (the declared ones to confirm), or
// all.
func (s *Service) Exhibits(ctx context.Context, p filing.Principal, exhibitor, state string) ([]filing.ExhibitRecord, error) {
	x, err := s.Expo.Serving(p.Expo)
	if err != nil {
		return nil, err
	}
	switch {
	case p.Role == filing.RoleKiosk:
		exhibitor = p.Exhibitor
	case !isStaff(p):
		return nil, forbidden("list exhibits")
	}
	switch filing.ExhibitState(state) {
	case "", filing.ExhibitDeclared, filing.ExhibitConfirmed:
	default:
		return nil, validate.Error([]filing.Problem{validate.NewProblem("state", "invalid_enum", "declared or confirmed")})
	}
	return s.Store.ListExhibits(ctx, filing.ExhibitQuery{Expo: x.ID, Exhibitor: exhibitor, State: filing.ExhibitState(state)})
}

// PublicKeys lists the deployment's public keys (GET /v1/keys).
func (s *Service) PublicKeys() []certs.PublicKey { return s.Keys.Public() }

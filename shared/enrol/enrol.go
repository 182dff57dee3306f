// Package enrol is the organiser's enrolment (SPEC §18): a supervisor enrols a booth's kiosk or
// a member of staff and gets a one-time set-up code (and the link a printed QR code carries);
// the kiosk or person exchanges it once for a token whose subject is the enrolee; a kiosk renews
// its token while in use; revoking an enrolee cuts off its tokens (Revocations, which the HTTP
// layer asks on every request).
package enrol

import (
	"context"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/ipfast/ipfast/shared/filing"
	"github.com/ipfast/ipfast/shared/validate"
)

// TokenTTL is how long a token from a set-up code or a renewal is valid (SPEC §18: at most 14
// days). A day: a kiosk in use renews it long before; a tablet left unused needs a new code.
const TokenTTL = 24 * time.Hour

// Signer issues the deployment's tokens (auth.Verifier signs with the secret it verifies with).
type Signer interface {
	Sign(p filing.Principal, now time.Time, ttl time.Duration) (string, error)
}

// Service enrols kiosks and staff of the deployment's expos.
type Service struct {
	Expo      *filing.Expo // the deployment (its expos)
	Store     filing.EnrolmentStore
	Tokens    Signer
	Clock     filing.Clock
	PublicURL string // the base of setupUrl ("" : relative links)
}

// New returns the enrolment service.
func New(expo *filing.Expo, store filing.EnrolmentStore, tokens Signer, clock filing.Clock, publicURL string) *Service {
	if clock == nil {
		clock = filing.SystemClock{}
	}
	return &Service{Expo: expo, Store: store, Tokens: tokens, Clock: clock, PublicURL: strings.TrimRight(publicURL, "/")}
}

// Setup is what enrolling gives the supervisor: the enrolee's id and its one-time code.
type Setup struct {
	ID             string `json:"id"`
	SetupCode      string `json:"setupCode"`
	SetupURL       string `json:"setupUrl"`
	SetupExpiresAt string `json:"setupExpiresAt"`
}

// Token is what a set-up code or a renewal gives.
type Token struct {
	Token     string `json:"token"`
	ExpiresAt string `json:"expiresAt"`
}

// KioskRequest is POST /v1/kiosks.
type KioskRequest struct {
	Exhibitor string `json:"exhibitor"`
	Booth     string `json:"booth"`
	Label     string `json:"label"`
	// Base is where the setupUrl points (the address the supervisor reached the server at);
	// "" takes the service's PublicURL.
	Base string `json:"-"`
}

// StaffRequest is POST /v1/staff.
type StaffRequest struct {
	Role string `json:"role"`
	Name string `json:"name"`
	Base string `json:"-"` // as KioskRequest.Base
}

func (s *Service) supervisor(p filing.Principal) (*filing.Expo, error) {
	if p.Role != filing.RoleSupervisor {
		return nil, filing.Errorf(filing.Forbidden, filing.CodeForbidden, "only a supervisor enrols and revokes")
	}
	x, ok := s.Expo.Tenant(p.Expo)
	if !ok {
		return nil, filing.Errorf(filing.Forbidden, filing.CodeForbidden, "this deployment serves no expo %q", p.Expo)
	}
	return x, nil
}

func invalid(field, code, param string) error {
	return validate.Error([]filing.Problem{validate.NewProblem(field, code, param)})
}

// setupURL is the page a set-up code opens: the kiosk page, or the examiner console for staff,
// at base ("" : the service's PublicURL, "" again: a relative link).
func (s *Service) setupURL(kind, code, base string) string {
	page := "/"
	if kind == filing.EnroleeStaff {
		page = "/examiner/"
	}
	if base == "" {
		base = s.PublicURL
	}
	return strings.TrimRight(base, "/") + page + "#setup=" + url.QueryEscape(code)
}

func (s *Service) enrol(ctx context.Context, e filing.Enrolee, base string) (Setup, error) {
	now := s.Clock.Now()
	code, hash := filing.NewSetupCode(e.Kind)
	expires := now.Add(filing.SetupCodeTTL).Truncate(time.Second)
	if err := s.Store.Enrol(ctx, e, filing.SetupCode{Hash: hash, Expo: e.Expo, Enrolee: e.ID, ExpiresAt: expires}); err != nil {
		return Setup{}, err
	}
	return Setup{ID: e.ID, SetupCode: code, SetupURL: s.setupURL(e.Kind, code, base), SetupExpiresAt: expires.UTC().Format(time.RFC3339)}, nil
}

// EnrolKiosk enrols a kiosk for a booth of an exhibitor.
func (s *Service) EnrolKiosk(ctx context.Context, p filing.Principal, req KioskRequest) (Setup, error) {
	x, err := s.supervisor(p)
	if err != nil {
		return Setup{}, err
	}
	req.Exhibitor, req.Booth, req.Label = strings.TrimSpace(req.Exhibitor), strings.TrimSpace(req.Booth), strings.TrimSpace(req.Label)
	switch {
	case req.Exhibitor == "":
		return Setup{}, invalid("/exhibitor", "required", "")
	case req.Booth == "":
		return Setup{}, invalid("/booth", "required", "")
	case len(req.Label) > 100:
		return Setup{}, invalid("/label", "too_long", "100")
	}
	now := s.Clock.Now()
	return s.enrol(ctx, filing.Enrolee{ID: filing.NewID("ksk_", now), Expo: x.ID, Kind: filing.EnroleeKiosk, Role: filing.RoleKiosk,
		Exhibitor: req.Exhibitor, Booth: req.Booth, Label: req.Label, CreatedAt: x.Stamp(now), CreatedBy: p.Subject}, req.Base)
}

// EnrolStaff enrols an examiner, officer or supervisor.
func (s *Service) EnrolStaff(ctx context.Context, p filing.Principal, req StaffRequest) (Setup, error) {
	x, err := s.supervisor(p)
	if err != nil {
		return Setup{}, err
	}
	req.Name = strings.TrimSpace(req.Name)
	switch {
	case req.Role != filing.RoleExaminer && req.Role != filing.RoleOfficer && req.Role != filing.RoleSupervisor:
		return Setup{}, invalid("/role", "invalid_enum", "examiner, officer, supervisor")
	case req.Name == "":
		return Setup{}, invalid("/name", "required", "")
	case len(req.Name) > 100:
		return Setup{}, invalid("/name", "too_long", "100")
	}
	now := s.Clock.Now()
	return s.enrol(ctx, filing.Enrolee{ID: filing.NewID("stf_", now), Expo: x.ID, Kind: filing.EnroleeStaff, Role: req.Role,
		Name: req.Name, CreatedAt: x.Stamp(now), CreatedBy: p.Subject}, req.Base)
}

// principalOf is the caller a token of e speaks for.
func principalOf(e filing.Enrolee) filing.Principal {
	name := e.Name
	if e.Kind == filing.EnroleeKiosk {
		name = e.Label
	}
	return filing.Principal{Subject: e.ID, Role: e.Role, Exhibitor: e.Exhibitor, Booth: e.Booth, Expo: e.Expo, Name: name}
}

func (s *Service) token(e filing.Enrolee) (Token, error) {
	now := s.Clock.Now()
	tok, err := s.Tokens.Sign(principalOf(e), now, TokenTTL)
	if err != nil {
		return Token{}, err
	}
	return Token{Token: tok, ExpiresAt: now.Add(TokenTTL).UTC().Format(time.RFC3339)}, nil
}

// Exchange gives the token of the enrolee a set-up code names, once (POST /v1/kiosks/setup
// with kind kiosk, POST /v1/staff/setup with kind staff): a code of the other kind (unknown
// here, and left unused), used, expired, unknown or of a revoked enrolee is 410
// setup_code_invalid.
func (s *Service) Exchange(ctx context.Context, kind, code string) (Token, error) {
	code = strings.TrimSpace(code)
	if code == "" || len(code) > 100 {
		return Token{}, filing.ErrSetupCodeInvalid
	}
	e, err := s.Store.RedeemSetupCode(ctx, filing.HashSetupCode(kind, code), s.Clock.Now())
	if err != nil {
		return Token{}, err
	}
	if e.Kind != kind { // never: the kind is in the hash
		return Token{}, filing.ErrSetupCodeInvalid
	}
	return s.token(e)
}

// Renew gives an enrolled caller a fresh token (POST /v1/kiosks/renew): refused (401
// token_revoked) once the enrolee is revoked.
func (s *Service) Renew(ctx context.Context, p filing.Principal) (Token, error) {
	x, ok := s.Expo.Tenant(p.Expo)
	if !ok {
		return Token{}, filing.Errorf(filing.Unauthorized, filing.CodeUnauthorized, "this deployment serves no expo %q", p.Expo)
	}
	e, err := s.Store.GetEnrolee(ctx, x.ID, p.Subject)
	if filing.ErrorKind(err) == filing.NotFound {
		return Token{}, filing.Errorf(filing.Forbidden, filing.CodeForbidden, "only an enrolled kiosk or person renews its token")
	}
	if err != nil {
		return Token{}, err
	}
	if e.Revoked {
		return Token{}, ErrRevoked
	}
	return s.token(e)
}

// Revoke revokes an enrolee of a kind (POST /v1/kiosks/{id}/revoke, POST /v1/staff/{id}/revoke).
func (s *Service) Revoke(ctx context.Context, p filing.Principal, kind, id string) (filing.Enrolee, error) {
	x, err := s.supervisor(p)
	if err != nil {
		return filing.Enrolee{}, err
	}
	e, err := s.Store.GetEnrolee(ctx, x.ID, id)
	if err != nil {
		return filing.Enrolee{}, err
	}
	if e.Kind != kind {
		return filing.Enrolee{}, filing.ErrNotFound
	}
	return s.Store.Revoke(ctx, x.ID, id, p.Subject, s.Clock.Now())
}

// List lists an expo's enrolees of a kind (GET /v1/kiosks, GET /v1/staff), oldest first.
func (s *Service) List(ctx context.Context, p filing.Principal, kind string) ([]filing.Enrolee, error) {
	x, err := s.supervisor(p)
	if err != nil {
		return nil, err
	}
	return s.Store.ListEnrolees(ctx, x.ID, kind)
}

// CodeTokenRevoked answers every request with a token of a revoked enrolee (401).
const CodeTokenRevoked = "token_revoked"

// ErrRevoked is the error for a revoked enrolee's token.
var ErrRevoked = filing.Errorf(filing.Unauthorized, CodeTokenRevoked, "this device or person was revoked by the organiser: set it up again with a new code")

// Revocations tells the HTTP layer whether a token's enrolee was revoked, reading the store at
// most once per MaxStale per enrolee and process (0: on every request), and records when each
// enrolee was last seen (at most once a minute). Tokens whose subject is not an enrolee's
// (`ipfast token`, for demos and tests) are not enrolled and so never revoked.
type Revocations struct {
	Store    filing.EnrolmentStore
	Clock    filing.Clock
	MaxStale time.Duration

	mu    sync.Mutex
	known map[string]seen // expo \0 id → what the store said, and when
}

type seen struct {
	revoked          bool
	readAt, recorded time.Time
}

// Enrolled reports whether a token subject is an enrolee's id.
func Enrolled(subject string) bool {
	return strings.HasPrefix(subject, "ksk_") || strings.HasPrefix(subject, "stf_")
}

// Check is nil for a caller whose token may act, ErrRevoked for a revoked enrolee's.
func (r *Revocations) Check(ctx context.Context, expo string, p filing.Principal) error {
	if r == nil || !Enrolled(p.Subject) {
		return nil
	}
	now := time.Now()
	if r.Clock != nil {
		now = r.Clock.Now()
	}
	k := expo + "\x00" + p.Subject
	r.mu.Lock()
	if r.known == nil {
		r.known = map[string]seen{}
	}
	s, ok := r.known[k]
	r.mu.Unlock()
	if !ok || r.MaxStale <= 0 || now.Sub(s.readAt) >= r.MaxStale {
		e, err := r.Store.GetEnrolee(ctx, expo, p.Subject)
		if filing.ErrorKind(err) == filing.NotFound {
			return ErrRevoked // an enrolee's id the store does not know: never let it act
		}
		if err != nil {
			return err
		}
		s.revoked, s.readAt = e.Revoked, now
	}
	if !s.revoked && now.Sub(s.recorded) >= time.Minute {
		if err := r.Store.Seen(ctx, expo, p.Subject, now); err == nil {
			s.recorded = now
		}
	}
	r.mu.Lock()
	r.known[k] = s
	r.mu.Unlock()
	if s.revoked {
		return ErrRevoked
	}
	return nil
}

// Directory returns the caller's expo's exhibitor directory (GET /v1/exhibitors): the
// configuration's entries and those put over the API, by id. Supervisors and officers read it.
func (s *Service) Directory(ctx context.Context, p filing.Principal) ([]filing.Exhibitor, error) {
	if p.Role != filing.RoleSupervisor && p.Role != filing.RoleOfficer {
		return nil, filing.Errorf(filing.Forbidden, filing.CodeForbidden, "only officers and supervisors read the exhibitor directory")
	}
	x, ok := s.Expo.Tenant(p.Expo)
	if !ok {
		return nil, filing.Errorf(filing.Forbidden, filing.CodeForbidden, "this deployment serves no expo %q", p.Expo)
	}
	return filing.DirectoryOf(ctx, s.Store, x)
}

// validExhibitorID is an exhibitor id: 1-40 letters, digits, '.', '_' or '-' ("EX-0001").
func validExhibitorID(id string) bool {
	if id == "" || len(id) > 40 {
		return false
	}
	for _, c := range id {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// PutExhibitor stores an entry of the caller's expo's exhibitor directory (PUT
// /v1/exhibitors/{id}; supervisors): it replaces the entry of that id, the configuration's
// too, and is returned as the directory now shows it.
func (s *Service) PutExhibitor(ctx context.Context, p filing.Principal, id string, req filing.ExhibitorRequest) (filing.Exhibitor, error) {
	x, err := s.supervisor(p)
	if err != nil {
		return filing.Exhibitor{}, err
	}
	if !validExhibitorID(id) {
		return filing.Exhibitor{}, invalid("/id", "invalid_format", "")
	}
	req.Name, req.NameZh, req.Booth = strings.TrimSpace(req.Name), strings.TrimSpace(req.NameZh), strings.TrimSpace(req.Booth)
	req.Country = strings.ToUpper(strings.TrimSpace(req.Country))
	if c := req.Contact; c != nil {
		c.Name, c.Email, c.Phone = strings.TrimSpace(c.Name), strings.TrimSpace(c.Email), strings.TrimSpace(c.Phone)
	}
	if res := validate.CheckExhibitor(&req); len(res.Problems) > 0 {
		return filing.Exhibitor{}, validate.Error(res.Problems)
	}
	e := filing.Exhibitor{ID: id, Name: req.Name, NameZh: req.NameZh, Booth: req.Booth, Country: req.Country, Contact: req.Contact,
		Source: filing.SourceDirectory, UpdatedAt: x.Stamp(s.Clock.Now()), UpdatedBy: p.Subject}
	if err := s.Store.PutExhibitor(ctx, x.ID, e); err != nil {
		return filing.Exhibitor{}, err
	}
	return e, nil
}

// OrganiserName is the name of the supervisor `ipfast serve` enrols for the organiser.
const OrganiserName = "Organiser (ipfast serve)"

// OrganiserSetup gives a fresh set-up code for the organiser's supervisor of the default expo
// (what `ipfast serve` prints as a link): for the one enrolled at an earlier start if it is not
// revoked (its earlier codes stay single-use and expire), else for a newly enrolled one.
func (s *Service) OrganiserSetup(ctx context.Context) (Setup, error) {
	x := s.Expo
	staff, err := s.Store.ListEnrolees(ctx, x.ID, filing.EnroleeStaff)
	if err != nil {
		return Setup{}, err
	}
	for i := len(staff) - 1; i >= 0; i-- {
		e := staff[i]
		if e.Name != OrganiserName || e.Role != filing.RoleSupervisor || e.CreatedBy != "ipfast serve" || e.Revoked {
			continue
		}
		code, hash := filing.NewSetupCode(e.Kind)
		expires := s.Clock.Now().Add(filing.SetupCodeTTL).Truncate(time.Second)
		if err := s.Store.AddSetupCode(ctx, filing.SetupCode{Hash: hash, Expo: x.ID, Enrolee: e.ID, ExpiresAt: expires}); err != nil {
			return Setup{}, err
		}
		return Setup{ID: e.ID, SetupCode: code, SetupURL: s.setupURL(e.Kind, code, ""), SetupExpiresAt: expires.UTC().Format(time.RFC3339)}, nil
	}
	now := s.Clock.Now()
	return s.enrol(ctx, filing.Enrolee{ID: filing.NewID("stf_", now), Expo: x.ID, Kind: filing.EnroleeStaff, Role: filing.RoleSupervisor,
		Name: OrganiserName, CreatedAt: x.Stamp(now), CreatedBy: "ipfast serve"}, "")
}

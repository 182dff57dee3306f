// Package intake is the kiosks' service (the exhibitors' workstation): it takes a kiosk and a
// request, runs the rules, prices and routes the filing, and keeps it through the Store port,
// all within the kiosk's expo. It is the same code behind the local server and the Lambda
// functions; only the adapters differ.
package intake

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/ipfast/ipfast/shared/filing"
	"github.com/ipfast/ipfast/shared/metrics"
	"github.com/ipfast/ipfast/shared/validate"
)

// Service files, lists and changes filings on behalf of kiosks: the exhibitors' workstation.
// Examiners' review is package review's, the sweep package sweep's.
type Service struct {
	Expo  *filing.Expo
	Store filing.Store
	Clock filing.Clock
	// IdempotencyTTL is how long an Idempotency-Key is remembered (SPEC: at least 24 h).
	IdempotencyTTL time.Duration
	// Blobs holds attachments (nil: no uploads; every attachment id is unknown).
	Blobs filing.Blobs
	// UploadTTL is how long an upload target takes bytes; UploadKeep how long an upload no
	// filing uses is kept; DownloadTTL how long a download link works.
	UploadTTL, UploadKeep, DownloadTTL time.Duration
	// Metrics counts filings created, replays and validation failures (nil: nothing).
	Metrics metrics.Recorder

	exhibitorLocks *sync.Map // expo \0 exhibitor → *sync.Mutex (see lockExhibitor), shared by every expo's copy
}

// New returns a Service with the defaults filled in.
func New(expo *filing.Expo, store filing.Store, clock filing.Clock) *Service {
	if clock == nil {
		clock = filing.SystemClock{}
	}
	// Keys outlive the expo week so that a kiosk retrying a draft from the first day on the
	// last day still gets its filing back rather than a second one.
	return &Service{Expo: expo, Store: store, Clock: clock, IdempotencyTTL: 7 * 24 * time.Hour,
		UploadTTL: DefaultUploadTTL, UploadKeep: DefaultUploadKeep, DownloadTTL: DefaultDownloadTTL,
		exhibitorLocks: &sync.Map{}}
}

// Assessment is the outcome of checking a request without storing it.
type Assessment struct {
	Valid    bool             `json:"valid"`
	Fees     filing.Fees      `json:"fees"`
	Warnings []filing.Problem `json:"warnings"`
	Queue    string           `json:"queue,omitempty"`
	problems []filing.Problem
}

// Check runs every rule against r as if filed now, stores nothing, and returns a validation
// error listing every problem, or the assessment with fees and warnings.
func (s *Service) Check(ctx context.Context, p filing.Principal, r *filing.Request) (Assessment, error) {
	s, err := s.kiosk(p)
	if err != nil {
		return Assessment{}, err
	}
	ups, err := s.uploads(ctx, p.Exhibitor, "", r.Attachments)
	if err != nil {
		return Assessment{}, err
	}
	a, err := s.assess(ctx, p, r, s.Expo.LocalDate(s.Clock.Now()), ups)
	if err != nil {
		return Assessment{}, err
	}
	if len(a.problems) > 0 {
		return a, validate.Error(a.problems)
	}
	return a, nil
}

// CertificateReader reads exhibition display certificates (a store that keeps them:
// filing.ExhibitStore).
type CertificateReader interface {
	GetCertificate(ctx context.Context, id string) (filing.Certificate, error)
}

func (s *Service) assess(ctx context.Context, p filing.Principal, r *filing.Request, filingDate filing.Date, ups map[string]filing.Upload) (Assessment, error) {
	env := validate.Env{Expo: s.Expo, FilingDate: filingDate, Attachments: validate.AttachmentsOf(ups), Exhibitor: p.Exhibitor}
	if x := r.Exhibition; x != nil && x.Certificate != "" {
		if cr, ok := s.Store.(CertificateReader); ok {
			c, err := cr.GetCertificate(ctx, x.Certificate)
			switch {
			case err == nil:
				env.Certificate = &c
			case filing.ErrorKind(err) != filing.NotFound:
				return Assessment{}, fmt.Errorf("intake: exhibition certificate: %w", err)
			}
		}
	}
	res := validate.Check(r, env)
	a := Assessment{Valid: len(res.Problems) == 0, Warnings: append(res.Warnings, markHints(s.Expo, r)...), problems: res.Problems}
	if a.Warnings == nil {
		a.Warnings = []filing.Problem{}
	}
	a.Fees = s.Expo.FeesOf(r, filingDate)
	if a.Valid {
		a.Queue = s.Expo.Route(r, filingDate)
	}
	return a, nil
}

// kiosk checks that p is a kiosk and returns the service of p's expo: every read and write
// that follows is that expo's (SPEC §14).
func (s *Service) kiosk(p filing.Principal) (*Service, error) {
	if p.Role != filing.RoleKiosk || p.Exhibitor == "" {
		return nil, filing.Errorf(filing.Forbidden, filing.CodeForbidden, "only a kiosk may do this")
	}
	return s.For(p.Expo)
}

// For returns the service of one expo of the deployment ("" for the default expo): the same
// store and settings, with that expo's configuration. An expo the deployment does not serve
// is Unauthorized (a token names it; the verifier refuses such tokens before they get here).
func (s *Service) For(expo string) (*Service, error) {
	x, err := s.Expo.Serving(expo)
	if err != nil || x == s.Expo {
		return s, err
	}
	c := *s
	c.Expo = x
	return &c, nil
}

// Hash is the idempotency hash of a request: of its canonical JSON, so that the same content
// sent with other whitespace or key order counts as the same body.
func Hash(r *filing.Request) string {
	b, err := json.Marshal(r)
	if err != nil {
		panic("intake: request does not marshal: " + err.Error())
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// Submit files r for the calling kiosk under an Idempotency-Key. The same key with the same
// request returns the filing made the first time (replayed=true), also when the two arrive at
// once; the same key with another request is an Invalid error idempotency_key_reused. A request
// that breaks a rule stores nothing and consumes no filing number.
func (s *Service) Submit(ctx context.Context, p filing.Principal, key string, r *filing.Request) (filing.Filing, bool, error) {
	s, err := s.kiosk(p)
	if err != nil {
		return filing.Filing{}, false, err
	}
	if key == "" || len(key) > 128 {
		return filing.Filing{}, false, filing.Errorf(filing.Malformed, filing.CodeIdempotencyRequired,
			"the Idempotency-Key header (1-128 characters) is required")
	}
	now := s.Clock.Now()
	local := now.In(s.Expo.Location())
	filingDate := filing.DateOf(local)
	hash := Hash(r)
	ups, err := s.uploads(ctx, p.Exhibitor, "", r.Attachments)
	if err != nil {
		return filing.Filing{}, false, err
	}
	a, err := s.assess(ctx, p, r, filingDate, ups)
	if err != nil {
		return filing.Filing{}, false, err
	}
	if !a.Valid {
		// A retry of a request that was filed before (perhaps just before midnight, when a
		// period still ran) must get its filing back, not a refusal.
		f, err := s.Store.Lookup(ctx, s.Expo.ID, p.Exhibitor, key, hash, now)
		switch {
		case err == nil:
			metrics.Of(s.Metrics).Record(metrics.IdempotentReplays, 1, s.Expo.ID)
			return f.KioskView(), true, nil
		case filing.ErrorCode(err) == filing.CodeIdempotencyReused:
			return filing.Filing{}, false, err
		case filing.ErrorKind(err) != filing.NotFound:
			return filing.Filing{}, false, fmt.Errorf("intake: lookup idempotency key: %w", err)
		}
		s.countFailures(a.problems)
		return filing.Filing{}, false, validate.Error(a.problems)
	}
	f := filing.Filing{
		ID:          filing.NewID("fil_", now),
		StatusToken: filing.NewStatusToken(),
		State:       filing.StateQueued,
		FiledAt:     local.Format(time.RFC3339),
		FilingDate:  filingDate.String(),
		Expo:        s.Expo.ID,
		Exhibitor:   p.Exhibitor,
		Booth:       p.Booth,
		Queue:       a.Queue,
		Request:     *r,
		Documents:   documents(r, ups),
		Fees:        a.Fees,
		Warnings:    a.Warnings,
		Version:     1,
	}
	ev := filing.NewEvent(filing.ActorOf(p), local)
	if err := s.keep(ctx, "", ups); err != nil {
		return filing.Filing{}, false, err
	}
	out, replayed, err := s.Store.Create(ctx, filing.NewFiling{
		Filing: f, Counter: s.Expo.NumberPrefix + "-" + r.TypeCode(), Exhibitor: p.Exhibitor,
		Key: key, Hash: hash, Expires: now.Add(s.IdempotencyTTL), Now: now, Event: ev,
	})
	if err != nil {
		switch filing.ErrorCode(err) {
		case filing.CodeIdempotencyReused:
			return filing.Filing{}, false, err
		case filing.CodeAttachmentUnknown:
			// Another filing took an upload meanwhile.
			return filing.Filing{}, false, s.takenError(r, err)
		}
		return filing.Filing{}, false, fmt.Errorf("intake: create: %w", err)
	}
	if replayed {
		metrics.Of(s.Metrics).Record(metrics.IdempotentReplays, 1, s.Expo.ID)
	} else {
		metrics.Of(s.Metrics).Record(metrics.FilingsCreated, 1, s.Expo.ID, KindOf(r), out.Queue)
	}
	return out.KioskView(), replayed, nil
}

// KindOf names a request's kind for the figures: trademark, or the patent's type.
func KindOf(r *filing.Request) string {
	if r.Patent != nil && r.Patent.Type != "" {
		return r.Patent.Type
	}
	return r.Kind
}

// countFailures counts a refused submission once per validation code it broke.
func (s *Service) countFailures(problems []filing.Problem) {
	for i, pr := range problems {
		first := true
		for _, before := range problems[:i] {
			first = first && before.Code != pr.Code
		}
		if first {
			metrics.Of(s.Metrics).Record(metrics.ValidationFailures, 1, s.Expo.ID, pr.Code)
		}
	}
}

// takenError is the validation error for a store's ErrUploadTaken: attachment_unknown at
// the upload's place in the request.
func (s *Service) takenError(r *filing.Request, err error) error {
	var probs []filing.Problem
	var taken *filing.UploadTakenError
	errors.As(err, &taken)
	for i, id := range r.Attachments {
		if taken != nil && id == taken.ID {
			probs = append(probs, validate.NewProblem("/attachments/"+strconv.Itoa(i), filing.CodeAttachmentUnknown, ""))
		}
	}
	if len(probs) == 0 {
		probs = append(probs, validate.NewProblem("/attachments", filing.CodeAttachmentUnknown, ""))
	}
	return validate.Error(probs)
}

// Amend replaces the content of a filing whose correction was requested and sends it back to
// its queue, keeping its number and filing date. The new content passes every rule as of the
// filing date, and stays of the same kind and type. Under the same Idempotency-Key the same
// amendment returns the filing again; another body is idempotency_key_reused.
func (s *Service) Amend(ctx context.Context, p filing.Principal, id, key string, r *filing.Request) (filing.Filing, error) {
	s, err := s.kiosk(p)
	if err != nil {
		return filing.Filing{}, err
	}
	if key == "" || len(key) > 128 {
		return filing.Filing{}, filing.Errorf(filing.Malformed, filing.CodeIdempotencyRequired,
			"the Idempotency-Key header (1-128 characters) is required")
	}
	hash := Hash(r)
	for attempt := 0; ; attempt++ {
		stored, err := s.Store.Get(ctx, s.Expo.ID, id)
		if err != nil {
			return filing.Filing{}, err
		}
		if stored.Exhibitor != p.Exhibitor {
			return filing.Filing{}, filing.ErrNotFound
		}
		if a := stored.Amendment; a != nil && a.Key == key {
			if a.Hash != hash {
				return filing.Filing{}, filing.Errorf(filing.Invalid, filing.CodeIdempotencyReused,
					"this Idempotency-Key was already used with a different body")
			}
			return stored.KioskView(), nil // a retry of the amendment that went through
		}
		f := stored
		ev, err := filing.Apply(&f, filing.ActAmend, filing.ActorOf(p), s.local(s.Clock.Now()), filing.Change{})
		if err != nil {
			return filing.Filing{}, err
		}
		filingDate, err := filing.ParseDate(f.FilingDate)
		if err != nil {
			return filing.Filing{}, fmt.Errorf("intake: filing %s has no filing date: %w", id, err)
		}
		ups, err := s.uploads(ctx, p.Exhibitor, f.ID, r.Attachments)
		if err != nil {
			return filing.Filing{}, err
		}
		a, err := s.assess(ctx, p, r, filingDate, ups)
		if err != nil {
			return filing.Filing{}, err
		}
		probs := a.problems
		if r.Kind != f.Kind || r.TypeCode() != f.TypeCode() {
			probs = append(probs, validate.NewProblem("/kind", "not_allowed", ""))
		}
		if len(probs) > 0 {
			return filing.Filing{}, validate.Error(probs)
		}
		if err := s.keep(ctx, f.ID, ups); err != nil {
			return filing.Filing{}, err
		}
		f.Request, f.Documents, f.Fees, f.Warnings = *r, documents(r, ups), a.Fees, a.Warnings
		f.RespondBy, f.Amendment = "", &filing.Amendment{Key: key, Hash: hash}
		err = s.Store.Update(ctx, f, ev, true) // back to the same queue
		if err == nil {
			return f.KioskView(), nil
		}
		if filing.ErrorCode(err) == filing.CodeAttachmentUnknown {
			return filing.Filing{}, s.takenError(r, err)
		}
		if filing.ErrorCode(err) != filing.CodeVersionConflict || attempt >= 3 {
			return filing.Filing{}, fmt.Errorf("intake: amend %s: %w", id, err)
		}
	}
}

// Get returns a filing of the calling kiosk's exhibitor; another exhibitor's is NotFound, so
// ids cannot be probed. (Examiners read filings through review.Get.)
func (s *Service) Get(ctx context.Context, p filing.Principal, id string) (filing.Filing, error) {
	s, err := s.kiosk(p)
	if err != nil {
		return filing.Filing{}, err
	}
	f, err := s.Store.Get(ctx, s.Expo.ID, id)
	if err != nil {
		return filing.Filing{}, err
	}
	if f.Exhibitor != p.Exhibitor {
		return filing.Filing{}, filing.ErrNotFound
	}
	return f.KioskView(), nil
}

// List returns the calling kiosk's filings, newest first.
func (s *Service) List(ctx context.Context, p filing.Principal, q filing.ListQuery) (filing.Page, error) {
	s, err := s.kiosk(p)
	if err != nil {
		return filing.Page{}, err
	}
	q.Expo, q.Exhibitor = s.Expo.ID, p.Exhibitor
	if q.Limit <= 0 {
		q.Limit = 20
	}
	page, err := s.Store.List(ctx, q)
	for i := range page.Items {
		page.Items[i] = page.Items[i].KioskView()
	}
	return page, err
}

// History returns the audit trail of a filing the caller may see.
func (s *Service) History(ctx context.Context, p filing.Principal, id string) ([]filing.Event, error) {
	if _, err := s.Get(ctx, p, id); err != nil {
		return nil, err
	}
	s, err := s.kiosk(p)
	if err != nil {
		return nil, err
	}
	return s.Store.History(ctx, s.Expo.ID, id)
}

// Withdraw withdraws a filing of the calling kiosk (from queued or correction_requested).
func (s *Service) Withdraw(ctx context.Context, p filing.Principal, id string) (filing.Filing, error) {
	s, err := s.kiosk(p)
	if err != nil {
		return filing.Filing{}, err
	}
	for attempt := 0; ; attempt++ {
		// The stored filing, never the kiosk's view of it: a view lacks what the kiosk is not
		// shown (the last amendment's key), and writing it back would lose that.
		f, err := s.Store.Get(ctx, s.Expo.ID, id)
		if err != nil {
			return filing.Filing{}, err
		}
		if f.Exhibitor != p.Exhibitor {
			return filing.Filing{}, filing.ErrNotFound
		}
		ev, err := filing.Apply(&f, filing.ActWithdraw, filing.ActorOf(p), s.local(s.Clock.Now()), filing.Change{})
		if err != nil {
			return filing.Filing{}, err
		}
		f.RespondBy = ""
		err = s.Store.Update(ctx, f, ev, false)
		if err == nil {
			return f.KioskView(), nil
		}
		// Someone changed the filing meanwhile (an examiner leased it): decide again on what
		// it is now.
		if filing.ErrorCode(err) != filing.CodeVersionConflict || attempt >= 3 {
			return filing.Filing{}, fmt.Errorf("intake: withdraw %s: %w", id, err)
		}
	}
}

// Status is the public status of the filing whose status link has token (SPEC §5): no token
// of the API is needed, nothing personal is shown, and an unknown token is NotFound.
func (s *Service) Status(ctx context.Context, token string) (filing.Status, error) {
	f, err := s.Store.ByStatusToken(ctx, token)
	if err != nil {
		return filing.Status{}, err
	}
	x, ok := s.Expo.Tenant(f.Expo)
	if !ok {
		x = s.Expo // an expo no longer configured: the filing's status still shows
	}
	evs, err := s.Store.History(ctx, f.Expo, f.ID)
	if err != nil {
		return filing.Status{}, err
	}
	last := f.FiledAt
	if len(evs) > 0 {
		last = evs[len(evs)-1].At
	}
	return filing.StatusOf(f, x, last), nil
}

func (s *Service) stamp(t time.Time) string { return s.Expo.Stamp(t) }

func (s *Service) local(t time.Time) time.Time { return s.Expo.Local(t) }

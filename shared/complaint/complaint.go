// Package complaint is the complaint desk's workstation (SPEC §11): complainants file and
// supplement complaints from their kiosk (or an officer registers a walk-in rights holder),
// the respondent's kiosk sees a complaint from its acceptance on and answers it, officers ask
// for supplements, accept and decide. Every change goes through filing.ApplyComplaint and is
// stored with its audit event; the windows come from the caller's expo.
package complaint

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/ipfast/ipfast/shared/filing"
	"github.com/ipfast/ipfast/shared/validate"
)

// Uploads tells which of the uploads a complainant names they may use, as the rules see them
// (the intake service checks a kiosk's uploads as it does a filing's).
type Uploads interface {
	Usable(ctx context.Context, p filing.Principal, ids []string) (map[string]validate.Attachment, error)
}

// Service is the complaint desk of a deployment.
type Service struct {
	Expo           *filing.Expo // the deployment's default expo (its Expos are the tenants)
	Store          filing.ComplaintStore
	Uploads        Uploads // nil: no upload is usable
	Clock          filing.Clock
	IdempotencyTTL time.Duration
}

// New makes the service with the default idempotency period (24 h) and the system clock when
// clock is nil.
func New(expo *filing.Expo, store filing.ComplaintStore, uploads Uploads, clock filing.Clock) *Service {
	if clock == nil {
		clock = filing.SystemClock{}
	}
	return &Service{Expo: expo, Store: store, Uploads: uploads, Clock: clock, IdempotencyTTL: 24 * time.Hour}
}

func isStaff(p filing.Principal) bool {
	return p.Role == filing.RoleOfficer || p.Role == filing.RoleSupervisor
}

func forbidden(what string) error {
	return filing.Errorf(filing.Forbidden, filing.CodeForbidden, "your role may not %s", what)
}

// filer is who files for p: a kiosk's exhibitor, an officer's subject.
func filer(p filing.Principal) string {
	if p.Role == filing.RoleKiosk {
		return p.Exhibitor
	}
	return p.Subject
}

// Hash is the idempotency hash of a complaint request (of its canonical JSON).
func Hash(r *filing.ComplaintRequest) string {
	b, err := json.Marshal(r)
	if err != nil {
		panic("complaint: request does not marshal: " + err.Error())
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// Submit files a complaint for a kiosk (its exhibitor complains) or an officer (a walk-in
// rights holder) under an Idempotency-Key, with the semantics of filings: the same key and
// body return the complaint made first (replayed), another body is idempotency_key_reused, a
// complaint that breaks a rule stores nothing and uses no number.
func (s *Service) Submit(ctx context.Context, p filing.Principal, key string, r *filing.ComplaintRequest) (filing.Complaint, bool, error) {
	if p.Role != filing.RoleKiosk && !isStaff(p) {
		return filing.Complaint{}, false, forbidden("file a complaint")
	}
	x, err := s.Expo.Serving(p.Expo)
	if err != nil {
		return filing.Complaint{}, false, err
	}
	if key == "" || len(key) > 128 {
		return filing.Complaint{}, false, filing.Errorf(filing.Malformed, filing.CodeIdempotencyRequired,
			"the Idempotency-Key header (1-128 characters) is required")
	}
	now := s.Clock.Now()
	local := x.Local(now)
	env := validate.ComplaintEnv{Today: x.LocalDate(now), Attachments: map[string]validate.Attachment{}}
	if len(x.Exhibitors) > 0 {
		env.Booths = map[string]bool{}
		for _, e := range x.Exhibitors {
			env.Booths[e.Booth] = true
		}
	}
	probe := filing.Complaint{ComplaintRequest: *r}
	if s.Uploads != nil {
		if env.Attachments, err = s.Uploads.Usable(ctx, p, probe.UploadIDs()); err != nil {
			return filing.Complaint{}, false, err
		}
	}
	if res := validate.CheckComplaint(r, env); len(res.Problems) > 0 {
		return filing.Complaint{}, false, validate.Error(res.Problems)
	}
	c := filing.Complaint{ID: filing.NewID("cpl_", now), State: filing.ComplaintSubmitted, ReceivedAt: local.Format(time.RFC3339),
		Expo: x.ID, Filer: filer(p), ComplaintRequest: *r, Version: 1}
	ev := filing.Event{At: local.Format(time.RFC3339), Actor: p.Subject, Role: p.Role, Action: string(filing.CActSubmit),
		ToState: filing.State(filing.ComplaintSubmitted)}
	out, replayed, err := s.Store.CreateComplaint(ctx, filing.NewComplaint{Complaint: c, Counter: x.NumberPrefix + "-CP",
		Filer: filer(p), Key: key, Hash: Hash(r), Expires: now.Add(s.IdempotencyTTL), Now: now, Event: ev})
	if err != nil {
		return filing.Complaint{}, false, err
	}
	return out.ViewAt(now), replayed, nil
}

// view is a complaint as p may see it, or NotFound: its filer and staff see it whole, the
// respondent's kiosk (its booth) masked and only from the acceptance on.
func (s *Service) view(c filing.Complaint, p filing.Principal, now time.Time) (filing.Complaint, error) {
	switch {
	case isStaff(p), p.Role == filing.RoleKiosk && c.Filer == p.Exhibitor:
		return c.ViewAt(now), nil
	case p.Role == filing.RoleKiosk && c.Respondent.Booth == p.Booth && c.VisibleToRespondent():
		return c.RespondentView(now), nil
	}
	return filing.Complaint{}, filing.ErrNotFound
}

// Get returns a complaint with its history, as p may see it.
func (s *Service) Get(ctx context.Context, p filing.Principal, id string) (filing.Complaint, error) {
	x, err := s.Expo.Serving(p.Expo)
	if err != nil {
		return filing.Complaint{}, err
	}
	c, err := s.Store.GetComplaint(ctx, x.ID, id)
	if err != nil {
		return filing.Complaint{}, err
	}
	v, err := s.view(c, p, s.Clock.Now())
	if err != nil {
		return filing.Complaint{}, err
	}
	if v.History, err = s.Store.ComplaintHistory(ctx, x.ID, id); err != nil {
		return filing.Complaint{}, err
	}
	return v, nil
}

// List pages through the complaints p may see, newest first: a kiosk's own (as complainant)
// or those against its booth (as respondent, from acceptance on); staff any, by the state
// they show (answer_overdue and refused included).
func (s *Service) List(ctx context.Context, p filing.Principal, as string, state filing.ComplaintState, limit int, cursor string) (filing.ComplaintPage, error) {
	x, err := s.Expo.Serving(p.Expo)
	if err != nil {
		return filing.ComplaintPage{}, err
	}
	q := filing.ComplaintQuery{Expo: x.ID, Limit: max(limit, 1), Cursor: cursor}
	switch {
	case p.Role == filing.RoleKiosk && as == "respondent":
		q.Booth = p.Booth
	case p.Role == filing.RoleKiosk:
		q.Filer = p.Exhibitor
	case !isStaff(p):
		return filing.ComplaintPage{}, forbidden("list complaints")
	}
	// A shown state that is not stored is read from the state it is stored as.
	stored := state
	switch state {
	case filing.ComplaintAnswerOverdue:
		stored = filing.ComplaintAccepted
	case filing.ComplaintRefused:
		stored = "" // stored refused, or incomplete past its window
	}
	q.State = stored
	now := s.Clock.Now()
	out := filing.ComplaintPage{Items: []filing.Complaint{}}
	for {
		page, err := s.Store.ListComplaints(ctx, q)
		if err != nil {
			return out, err
		}
		for _, c := range page.Items {
			v, err := s.view(c, p, now)
			if err != nil || state != "" && v.State != state {
				continue
			}
			out.Items = append(out.Items, v)
		}
		// Filtering may leave a page short: go on until it is full or the list ends.
		if len(out.Items) >= q.Limit || page.NextCursor == "" {
			if len(out.Items) > q.Limit {
				out.Items = out.Items[:q.Limit]
			}
			if page.NextCursor != "" && len(out.Items) > 0 {
				out.NextCursor = encodeCursor(out.Items[len(out.Items)-1].ID)
			}
			return out, nil
		}
		q.Cursor = page.NextCursor
	}
}

// Act does one action on a complaint for p, after who may do it and what it carries is
// checked; change sets what the action records besides the state (an answer, a decision).
func (s *Service) act(ctx context.Context, p filing.Principal, id string, a filing.ComplaintAction, note string,
	may func(c filing.Complaint) bool, change func(c *filing.Complaint, at time.Time) error) (filing.Complaint, error) {
	x, err := s.Expo.Serving(p.Expo)
	if err != nil {
		return filing.Complaint{}, err
	}
	c, err := s.Store.GetComplaint(ctx, x.ID, id)
	if err != nil {
		return filing.Complaint{}, err
	}
	now := s.Clock.Now()
	if _, err := s.view(c, p, now); err != nil {
		return filing.Complaint{}, err
	}
	if !may(c) {
		return filing.Complaint{}, forbidden(string(a) + " this complaint")
	}
	if change != nil {
		if err := change(&c, now); err != nil {
			return filing.Complaint{}, err
		}
	}
	ev, err := filing.ApplyComplaint(&c, a, x.Complaints, filing.ActorOf(p), x.Local(now), note)
	if err != nil {
		return filing.Complaint{}, err
	}
	if err := s.Store.UpdateComplaint(ctx, c, ev); err != nil {
		return filing.Complaint{}, err
	}
	return s.Get(ctx, p, id)
}

func (s *Service) complainant(p filing.Principal) func(filing.Complaint) bool {
	return func(c filing.Complaint) bool {
		return c.Filer == filer(p) && (p.Role == filing.RoleKiosk || isStaff(p))
	}
}

func staff(p filing.Principal) func(filing.Complaint) bool {
	return func(filing.Complaint) bool { return isStaff(p) }
}

// RequestSupplement asks the complainant for what is missing (validation codes of SPEC §11).
func (s *Service) RequestSupplement(ctx context.Context, p filing.Principal, id string, missing []string, note string) (filing.Complaint, error) {
	if len(missing) == 0 {
		return filing.Complaint{}, validate.Error([]filing.Problem{validate.NewProblem("/missing", "required", "")})
	}
	for i, m := range missing {
		if !slices.Contains(SupplementCodes, m) {
			return filing.Complaint{}, validate.Error([]filing.Problem{validate.NewProblem(fmt.Sprintf("/missing/%d", i), "invalid_enum", "")})
		}
	}
	return s.act(ctx, p, id, filing.CActRequestSupplement, note, staff(p), func(c *filing.Complaint, _ time.Time) error {
		c.Missing = slices.Clone(missing)
		return nil
	})
}

// SupplementCodes are what an officer may ask a complainant to supplement: the validation codes
// of SPEC §11 (its own, the attachments', and a required field).
var SupplementCodes = []string{filing.CodeRightCertificateRequired, filing.CodeRightNotInForce, filing.CodeProceedingsPending,
	"power_of_attorney_required", filing.CodeRespondentUnknown, filing.CodeExhibitRequired, filing.CodeAttachmentUnknown,
	"attachment_invalid", "required"}

// Supplement adds attachments and grounds to an incomplete complaint, which is submitted again.
func (s *Service) Supplement(ctx context.Context, p filing.Principal, id string, attachments []string, grounds string) (filing.Complaint, error) {
	return s.act(ctx, p, id, filing.CActSupplement, "", s.complainant(p), func(c *filing.Complaint, _ time.Time) error {
		for _, a := range attachments {
			if !slices.Contains(c.Attachments, a) {
				c.Attachments = append(c.Attachments, a)
			}
		}
		if grounds != "" {
			c.Grounds = grounds
		}
		c.Missing = nil
		return nil
	})
}

// Withdraw withdraws a complaint for its complainant.
func (s *Service) Withdraw(ctx context.Context, p filing.Principal, id string) (filing.Complaint, error) {
	return s.act(ctx, p, id, filing.CActWithdraw, "", s.complainant(p), nil)
}

// Accept accepts a complete complaint: the respondent sees it and its window to answer runs.
func (s *Service) Accept(ctx context.Context, p filing.Principal, id, note string) (filing.Complaint, error) {
	return s.act(ctx, p, id, filing.CActAccept, note, staff(p), nil)
}

// Answer takes the respondent's written answer, once; an answer after the window is taken
// and marked late.
func (s *Service) Answer(ctx context.Context, p filing.Principal, id, statement string, attachments []string) (filing.Complaint, error) {
	if statement == "" {
		return filing.Complaint{}, validate.Error([]filing.Problem{validate.NewProblem("/statement", "required", "")})
	}
	respondent := func(c filing.Complaint) bool { return p.Role == filing.RoleKiosk && c.Respondent.Booth == p.Booth }
	return s.act(ctx, p, id, filing.CActAnswer, "", respondent, func(c *filing.Complaint, now time.Time) error {
		c.Answer = &filing.ComplaintAnswer{Statement: statement, Attachments: attachments, At: now.Format(time.RFC3339),
			Late: c.StateAt(now) == filing.ComplaintAnswerOverdue}
		return nil
	})
}

// Decide records an officer's decision with its measures.
func (s *Service) Decide(ctx context.Context, p filing.Principal, id, outcome string, measures []string, note string) (filing.Complaint, error) {
	if probs := filing.CheckDecision(outcome, measures); len(probs) > 0 {
		return filing.Complaint{}, validate.Error(probs)
	}
	return s.act(ctx, p, id, filing.CActDecide, note, staff(p), func(c *filing.Complaint, now time.Time) error {
		c.Decision = &filing.ComplaintDecision{Outcome: outcome, Measures: measures, Note: note, DecidedAt: now.Format(time.RFC3339), Officer: p.Subject}
		return nil
	})
}

// RefuseLapsed stores as refused, in every expo, the incomplete complaints whose supplement
// window has passed (they read as refused already), and reports how many.
func (s *Service) RefuseLapsed(ctx context.Context) (int, error) {
	n := 0
	now := s.Clock.Now()
	for _, x := range s.Expo.Expos() {
		q := filing.ComplaintQuery{Expo: x.ID, State: filing.ComplaintIncomplete, Limit: 100}
		for {
			page, err := s.Store.ListComplaints(ctx, q)
			if err != nil {
				return n, err
			}
			for _, c := range page.Items {
				if c.StateAt(now) != filing.ComplaintRefused {
					continue
				}
				ev, err := filing.ApplyComplaint(&c, filing.CActRefuse, x.Complaints, filing.System, x.Local(now), "the supplement window passed")
				if err != nil {
					continue
				}
				if err := s.Store.UpdateComplaint(ctx, c, ev); filing.ErrorCode(err) == filing.CodeVersionConflict {
					continue // changed meanwhile: the next run looks again
				} else if err != nil {
					return n, err
				}
				n++
			}
			if page.NextCursor == "" {
				break
			}
			q.Cursor = page.NextCursor
		}
	}
	return n, nil
}

// encodeCursor is the cursor after a complaint, as the stores write it.
func encodeCursor(id string) string { return base64.RawURLEncoding.EncodeToString([]byte(id)) }

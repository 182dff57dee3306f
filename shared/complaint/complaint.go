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
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ipfast/ipfast/shared/filing"
	"github.com/ipfast/ipfast/shared/validate"
)

// Uploads are the uploads complaints name (the intake service's, which checks their bytes as
// it does a filing's).
type Uploads interface {
	// OwnUploads are the uploads of p (filing.Uploader) among ids that the complaint own
	// ("" for a new one) may use, checked; missing ids are attachment_unknown.
	OwnUploads(ctx context.Context, p filing.Principal, own string, ids []string) (map[string]filing.Upload, error)
	// KeepUploads copies their bytes to where they last, before the complaint is stored.
	KeepUploads(ctx context.Context, own string, ups map[string]filing.Upload) error
	// DocumentLink is a download link to a kept document of expo.
	DocumentLink(ctx context.Context, expo string, doc filing.Document) (filing.DownloadLink, error)
}

// Service is the complaint desk of a deployment.
type Service struct {
	Expo           *filing.Expo // the deployment's default expo (its Expos are the tenants)
	Store          filing.ComplaintStore
	Uploads        Uploads // nil: no upload is usable
	Clock          filing.Clock
	IdempotencyTTL time.Duration
	// Directory reads the exhibitor directory's entries put over the API (nil: the store's,
	// when it keeps them; api.NewServer gives the AWS functions a filing.DirectoryCache).
	Directory filing.ExhibitorDirectory
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

// filer is who files for p: a kiosk's exhibitor, or the staff member registering a walk-in
// rights holder (filing.Uploader: their uploads are theirs too).
func filer(p filing.Principal) string { return filing.Uploader(p) }

// uploads are the uploads of p among ids for the complaint own, as s.Uploads has them.
func (s *Service) uploads(ctx context.Context, p filing.Principal, own string, ids []string) (map[string]filing.Upload, error) {
	if s.Uploads == nil || len(ids) == 0 {
		return map[string]filing.Upload{}, nil
	}
	return s.Uploads.OwnUploads(ctx, p, own, ids)
}

// keep keeps the bytes of ups and lists them as documents, in the order of ids.
func (s *Service) keep(ctx context.Context, own string, ids []string, ups map[string]filing.Upload) ([]filing.Document, error) {
	if len(ups) == 0 {
		return nil, nil
	}
	if err := s.Uploads.KeepUploads(ctx, own, ups); err != nil {
		return nil, err
	}
	var docs []filing.Document
	for _, id := range ids {
		if u, ok := ups[id]; ok {
			docs = append(docs, filing.DocumentOf(u))
		}
	}
	return docs, nil
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

// serving is the caller's expo with its whole exhibitor directory (the configuration's and the
// one put over the API, when the store keeps one: SPEC §18).
func (s *Service) serving(ctx context.Context, expo string) (*filing.Expo, error) {
	x, err := s.Expo.Serving(expo)
	if err != nil {
		return nil, err
	}
	return s.withDirectory(ctx, x)
}

func (s *Service) withDirectory(ctx context.Context, x *filing.Expo) (*filing.Expo, error) {
	dir := s.Directory
	if dir == nil {
		dir, _ = s.Store.(filing.ExhibitorDirectory)
	}
	return filing.WithDirectory(ctx, dir, x)
}

// Submit files a complaint for a kiosk (its exhibitor complains) or an officer (a walk-in
// rights holder) under an Idempotency-Key, with the semantics of filings: the same key and
// body return the complaint made first (replayed), another body is idempotency_key_reused, a
// complaint that breaks a rule stores nothing and uses no number.
func (s *Service) Submit(ctx context.Context, p filing.Principal, key string, r *filing.ComplaintRequest) (filing.Complaint, bool, error) {
	if p.Role != filing.RoleKiosk && !isStaff(p) {
		return filing.Complaint{}, false, forbidden("file a complaint")
	}
	x, err := s.serving(ctx, p.Expo)
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
	ids := (&filing.Complaint{ComplaintRequest: *r}).UploadIDs()
	ups, err := s.uploads(ctx, p, "", ids)
	if err != nil {
		return filing.Complaint{}, false, err
	}
	env.Attachments = validate.AttachmentsOf(ups)
	if res := validate.CheckComplaint(r, env); len(res.Problems) > 0 {
		// A retry of a complaint stored before (its uploads are its own now, so they read as
		// unknown) gets the complaint back, not a refusal.
		c, err := s.Store.LookupComplaint(ctx, x.ID, filer(p), key, Hash(r), now)
		switch {
		case err == nil:
			v := c.ViewAt(now)
			if v.History, err = s.Store.ComplaintHistory(ctx, x.ID, v.ID); err != nil {
				return filing.Complaint{}, false, err
			}
			return v, true, nil
		case filing.ErrorKind(err) != filing.NotFound:
			return filing.Complaint{}, false, err
		}
		return filing.Complaint{}, false, validate.Error(res.Problems)
	}
	docs, err := s.keep(ctx, "", ids, ups)
	if err != nil {
		return filing.Complaint{}, false, err
	}
	c := filing.Complaint{ID: filing.NewID("cpl_", now), State: filing.ComplaintSubmitted, ReceivedAt: local.Format(time.RFC3339),
		Expo: x.ID, Filer: filer(p), ComplaintRequest: *r, Documents: docs, Version: 1}
	ev := filing.Event{At: local.Format(time.RFC3339), Actor: p.Subject, Role: p.Role, Action: string(filing.CActSubmit),
		ToState: filing.State(filing.ComplaintSubmitted)}
	out, replayed, err := s.Store.CreateComplaint(ctx, filing.NewComplaint{Complaint: c, Counter: x.NumberPrefix + "-CP",
		Filer: filer(p), Key: key, Hash: Hash(r), Expires: now.Add(s.IdempotencyTTL), Now: now, Event: withNotices(x, c, ev)})
	if err != nil {
		return filing.Complaint{}, false, err
	}
	v := out.ViewAt(now)
	if v.History, err = s.Store.ComplaintHistory(ctx, x.ID, v.ID); err != nil {
		return filing.Complaint{}, false, err
	}
	return v, replayed, nil
}

// view is a complaint as p may see it, or NotFound: its filer and staff see it whole, the
// respondent's kiosk masked and only from the acceptance on.
func (s *Service) view(x *filing.Expo, c filing.Complaint, p filing.Principal, now time.Time) (filing.Complaint, error) {
	switch {
	case isStaff(p), p.Role == filing.RoleKiosk && c.Filer == filer(p):
		return c.ViewAt(now), nil
	case isRespondent(x, c, p) && c.VisibleToRespondent():
		return c.RespondentView(now), nil
	}
	return filing.Complaint{}, filing.ErrNotFound
}

// isRespondent reports whether p is the kiosk of the respondent (SPEC §11): of the booth named,
// or of the exhibitor the expo's directory lists at that booth.
func isRespondent(x *filing.Expo, c filing.Complaint, p filing.Principal) bool {
	if p.Role != filing.RoleKiosk {
		return false
	}
	return c.Respondent.Booth == p.Booth || slices.Contains(boothsOf(x, p.Exhibitor), c.Respondent.Booth)
}

// boothsOf are the booths the expo's directory lists for an exhibitor.
// withNotices is ev with the messages it makes (SPEC §17), which the store writes with it: the
// complainant's, and from accepted on the respondent's, to the contact email the exhibitor
// directory gives for the booth (none when it gives none).
func withNotices(x *filing.Expo, c filing.Complaint, ev filing.Event) filing.Event {
	ev.Notices = filing.ComplaintNotices(c, ev, RespondentEmail(x, c.Respondent.Booth))
	return ev
}

// RespondentEmail is the contact email of the exhibitor at booth in the expo's directory ("" if
// it has none).
func RespondentEmail(x *filing.Expo, booth string) string {
	for _, e := range x.Exhibitors {
		if e.Booth == booth && e.Contact != nil {
			return e.Contact.Email
		}
	}
	return ""
}

func boothsOf(x *filing.Expo, exhibitor string) []string {
	var out []string
	for _, e := range x.Exhibitors {
		if e.ID == exhibitor && exhibitor != "" {
			out = append(out, e.Booth)
		}
	}
	return out
}

// Get returns a complaint with its history, as p may see it.
func (s *Service) Get(ctx context.Context, p filing.Principal, id string) (filing.Complaint, error) {
	x, err := s.serving(ctx, p.Expo)
	if err != nil {
		return filing.Complaint{}, err
	}
	c, err := s.Store.GetComplaint(ctx, x.ID, id)
	if err != nil {
		return filing.Complaint{}, err
	}
	v, err := s.view(x, c, p, s.Clock.Now())
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
	x, err := s.serving(ctx, p.Expo)
	if err != nil {
		return filing.ComplaintPage{}, err
	}
	q := filing.ComplaintQuery{Expo: x.ID, Limit: max(limit, 1), Cursor: cursor}
	switch {
	case p.Role == filing.RoleKiosk && as == "respondent":
		q.Booth = p.Booth
		if other := slices.DeleteFunc(boothsOf(x, p.Exhibitor), func(b string) bool { return b == p.Booth }); len(other) > 0 {
			q.Booth = "" // the exhibitor has more booths: every complaint, filtered by view below
		}
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
			v, err := s.view(x, c, p, now)
			if err != nil || state != "" && v.State != state || as == "respondent" && !isRespondent(x, c, p) {
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
	may func(c filing.Complaint) bool, change func(c *filing.Complaint, at time.Time) (filing.UploadClaim, error)) (filing.Complaint, error) {
	x, err := s.serving(ctx, p.Expo)
	if err != nil {
		return filing.Complaint{}, err
	}
	c, err := s.Store.GetComplaint(ctx, x.ID, id)
	if err != nil {
		return filing.Complaint{}, err
	}
	now := s.Clock.Now()
	if _, err := s.view(x, c, p, now); err != nil {
		return filing.Complaint{}, err
	}
	if !may(c) {
		return filing.Complaint{}, forbidden(string(a) + " this complaint")
	}
	var claim filing.UploadClaim
	if change != nil {
		// What the change records (an answer's, a decision's time) reads in the expo's time.
		if claim, err = change(&c, x.Local(now)); err != nil {
			return filing.Complaint{}, err
		}
	}
	ev, err := filing.ApplyComplaint(&c, a, x.Complaints, filing.ActorOf(p), x.Local(now), note)
	if err != nil {
		return filing.Complaint{}, err
	}
	if err := s.Store.UpdateComplaint(ctx, c, withNotices(x, c, ev), claim); err != nil {
		return filing.Complaint{}, err
	}
	return s.Get(ctx, p, id)
}

// complainant: the complaint's own kiosk, or for a walk-in rights holder any officer or
// supervisor at the desk (the holder comes back to whoever is there).
func (s *Service) complainant(p filing.Principal) func(filing.Complaint) bool {
	return func(c filing.Complaint) bool {
		if isStaff(p) {
			return strings.HasPrefix(c.Filer, "staff:")
		}
		return p.Role == filing.RoleKiosk && c.Filer == filer(p)
	}
}

// added checks the uploads a supplement or an answer adds (field names their list) and keeps
// them: their documents, and the claim to store with the change.
func (s *Service) added(ctx context.Context, p filing.Principal, c filing.Complaint, field string, ids, roles []string) ([]filing.Document, filing.UploadClaim, error) {
	claim := filing.UploadClaim{Owner: filer(p), IDs: ids}
	ups, err := s.uploads(ctx, p, c.ID, ids)
	if err != nil {
		return nil, claim, err
	}
	if probs := validate.CheckAttachments(field, ids, validate.AttachmentsOf(ups), roles); len(probs) > 0 {
		return nil, claim, validate.Error(probs)
	}
	docs, err := s.keep(ctx, c.ID, ids, ups)
	return docs, claim, err
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
	return s.act(ctx, p, id, filing.CActRequestSupplement, note, staff(p), func(c *filing.Complaint, _ time.Time) (filing.UploadClaim, error) {
		c.Missing = slices.Clone(missing)
		return filing.UploadClaim{}, nil
	})
}

// SupplementCodes are what an officer may ask a complainant to supplement: the validation codes
// of SPEC §11 (its own, the attachments', and the structural codes of §6).
var SupplementCodes = []string{filing.CodeRightCertificateRequired, filing.CodeRightNotInForce, filing.CodeProceedingsPending,
	"power_of_attorney_required", filing.CodeRespondentUnknown, filing.CodeExhibitRequired, filing.CodeAttachmentUnknown,
	"attachment_invalid", "required", "invalid_format", "too_long", "not_allowed", "invalid_enum", "country_code_invalid", "date_invalid"}

// Supplement adds attachments (the complainant's uploads) and grounds to an incomplete
// complaint, which is submitted again.
func (s *Service) Supplement(ctx context.Context, p filing.Principal, id string, attachments []string, grounds string) (filing.Complaint, error) {
	if len(attachments) == 0 && grounds == "" {
		return filing.Complaint{}, validate.Error([]filing.Problem{validate.NewProblem("/attachments", "required", "")})
	}
	if n := utf8.RuneCountInString(grounds); n > 5000 {
		return filing.Complaint{}, validate.Error([]filing.Problem{validate.NewProblem("/grounds", "too_long", "5000")})
	}
	return s.act(ctx, p, id, filing.CActSupplement, "", s.complainant(p), func(c *filing.Complaint, _ time.Time) (filing.UploadClaim, error) {
		var fresh []string
		for _, a := range attachments {
			if !slices.Contains(c.UploadIDs(), a) && !slices.Contains(fresh, a) {
				fresh = append(fresh, a)
			}
		}
		docs, claim, err := s.added(ctx, p, *c, "/attachments", fresh, validate.SupplementRoles)
		if err != nil {
			return claim, err
		}
		c.Attachments = append(c.Attachments, fresh...)
		c.Documents = append(c.Documents, docs...)
		if grounds != "" {
			c.Grounds = grounds
		}
		c.Missing = nil
		return claim, nil
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

// Answer takes the respondent's written answer with its evidence (the respondent's uploads),
// once; an answer after the window is taken and marked late.
func (s *Service) Answer(ctx context.Context, p filing.Principal, id, statement string, attachments []string) (filing.Complaint, error) {
	switch n := utf8.RuneCountInString(strings.TrimSpace(statement)); {
	case n == 0:
		return filing.Complaint{}, validate.Error([]filing.Problem{validate.NewProblem("/statement", "required", "")})
	case n > 5000:
		return filing.Complaint{}, validate.Error([]filing.Problem{validate.NewProblem("/statement", "too_long", "5000")})
	}
	x, err := s.serving(ctx, p.Expo)
	if err != nil {
		return filing.Complaint{}, err
	}
	respondent := func(c filing.Complaint) bool { return isRespondent(x, c, p) }
	return s.act(ctx, p, id, filing.CActAnswer, "", respondent, func(c *filing.Complaint, now time.Time) (filing.UploadClaim, error) {
		if c.State != filing.ComplaintAccepted {
			// Judged by the state machine before any upload is looked at.
			return filing.UploadClaim{}, filing.Errorf(filing.Conflict, filing.CodeInvalidTransition, "a complaint that is %s cannot be answered", c.StateAt(now))
		}
		docs, claim, err := s.added(ctx, p, *c, "/attachments", attachments, validate.AnswerRoles)
		if err != nil {
			return claim, err
		}
		c.Answer = &filing.ComplaintAnswer{Statement: statement, Attachments: attachments, Documents: docs, At: now.Format(time.RFC3339),
			Late: c.StateAt(now) == filing.ComplaintAnswerOverdue}
		return claim, nil
	})
}

// Decide records an officer's decision with its measures.
func (s *Service) Decide(ctx context.Context, p filing.Principal, id, outcome string, measures []string, note string) (filing.Complaint, error) {
	if probs := filing.CheckDecision(outcome, measures); len(probs) > 0 {
		return filing.Complaint{}, validate.Error(probs)
	}
	return s.act(ctx, p, id, filing.CActDecide, note, staff(p), func(c *filing.Complaint, now time.Time) (filing.UploadClaim, error) {
		c.Decision = &filing.ComplaintDecision{Outcome: outcome, Measures: measures, Note: note, DecidedAt: now.Format(time.RFC3339), Officer: p.Subject}
		return filing.UploadClaim{}, nil
	})
}

// RefuseLapsed stores as refused, in every expo, the incomplete complaints whose supplement
// window has passed (they read as refused already), and reports how many.
func (s *Service) RefuseLapsed(ctx context.Context) (int, error) {
	n := 0
	now := s.Clock.Now()
	for _, x := range s.Expo.Expos() {
		x, err := s.withDirectory(ctx, x)
		if err != nil {
			return n, err
		}
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
				if err := s.Store.UpdateComplaint(ctx, c, withNotices(x, c, ev), filing.UploadClaim{}); filing.ErrorCode(err) == filing.CodeVersionConflict {
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

// Download returns a link to a document of a complaint that p may see: the complaint's own
// documents and the answer's, as p's view of the complaint lists them.
func (s *Service) Download(ctx context.Context, p filing.Principal, id, attachment string) (filing.DownloadLink, error) {
	c, err := s.Get(ctx, p, id)
	if err != nil {
		return filing.DownloadLink{}, err
	}
	docs := slices.Clone(c.Documents)
	if c.Answer != nil {
		docs = append(docs, c.Answer.Documents...)
	}
	for _, d := range docs {
		if d.ID == attachment && s.Uploads != nil {
			return s.Uploads.DocumentLink(ctx, c.Expo, d)
		}
	}
	return filing.DownloadLink{}, filing.Errorf(filing.NotFound, filing.CodeNotFound, "no such attachment")
}

// each calls fn with every complaint of expo (stored state), newest first.
func (s *Service) each(ctx context.Context, expo string, fn func(c filing.Complaint)) error {
	q := filing.ComplaintQuery{Expo: expo, Limit: 100}
	for {
		page, err := s.Store.ListComplaints(ctx, q)
		if err != nil {
			return err
		}
		for _, c := range page.Items {
			fn(c)
		}
		if page.NextCursor == "" {
			return nil
		}
		q.Cursor = page.NextCursor
	}
}

// RespondentEntry is a line of the respondents' ledger: an exhibitor complained about, with how
// many complaints against it were accepted and how many ended as an infringement.
type RespondentEntry struct {
	Exhibitor     string `json:"exhibitor"`
	Booth         string `json:"booth"`
	Name          string `json:"name"`
	Complaints    int    `json:"complaints"`
	Infringements int    `json:"infringements"`
}

// ComplainantEntry is a line of the complainants' ledger: a rights holder, how many complaints
// it filed and how many were decided no_infringement (a signal, never a sanction).
type ComplainantEntry struct {
	Name           string `json:"name"`
	Nationality    string `json:"nationality"`
	Complaints     int    `json:"complaints"`
	NoInfringement int    `json:"noInfringement"`
}

// staffOnly refuses all but officers and supervisors.
func staffOnly(p filing.Principal, what string) error {
	if !isStaff(p) {
		return forbidden(what)
	}
	return nil
}

// RespondentLedger lists, across every expo of the deployment, the exhibitors complaints were
// accepted against, most infringements first. An exhibitor is known by its id in the expo's
// directory (by booth), else by its name, else by the booth of that expo; the booth and name
// shown are the latest.
func (s *Service) RespondentLedger(ctx context.Context, p filing.Principal) ([]RespondentEntry, error) {
	if err := staffOnly(p, "read the ledgers"); err != nil {
		return nil, err
	}
	byKey := map[string]*RespondentEntry{}
	var order []string
	for _, x := range s.Expo.Expos() {
		x, err := s.withDirectory(ctx, x)
		if err != nil {
			return nil, err
		}
		dir := map[string]filing.ExhibitorEntry{}
		for _, e := range x.Exhibitors {
			dir[e.Booth] = e
		}
		err = s.each(ctx, x.ID, func(c filing.Complaint) {
			if !c.VisibleToRespondent() {
				return // never accepted: nothing was put to the exhibitor
			}
			e := RespondentEntry{Exhibitor: dir[c.Respondent.Booth].ID, Booth: c.Respondent.Booth, Name: c.Respondent.Name}
			if e.Name == "" {
				e.Name = dir[c.Respondent.Booth].Name
			}
			k := "id " + e.Exhibitor
			switch {
			case e.Exhibitor != "":
			case e.Name != "":
				k = "name " + strings.ToLower(strings.Join(strings.Fields(e.Name), " "))
			default:
				k = "booth " + x.ID + " " + e.Booth
			}
			cur, ok := byKey[k]
			if !ok {
				cur = &e
				byKey[k] = cur
				order = append(order, k)
			}
			cur.Complaints++
			if c.Decision != nil && c.Decision.Outcome == filing.OutcomeInfringement {
				cur.Infringements++
			}
		})
		if err != nil {
			return nil, err
		}
	}
	out := make([]RespondentEntry, 0, len(order))
	for _, k := range order {
		out = append(out, *byKey[k])
	}
	// sort.SliceStable rather than slices: no sorting code instantiated per entry type (the API
	// function's size budget).
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Infringements != out[j].Infringements {
			return out[i].Infringements > out[j].Infringements
		}
		return out[i].Complaints > out[j].Complaints
	})
	return out, nil
}

// ComplainantLedger lists, across every expo of the deployment, the rights holders who filed
// complaints (by name and nationality), most decided no_infringement first.
func (s *Service) ComplainantLedger(ctx context.Context, p filing.Principal) ([]ComplainantEntry, error) {
	if err := staffOnly(p, "read the ledgers"); err != nil {
		return nil, err
	}
	byKey := map[string]*ComplainantEntry{}
	var order []string
	for _, x := range s.Expo.Expos() {
		err := s.each(ctx, x.ID, func(c filing.Complaint) {
			k := strings.ToLower(strings.Join(strings.Fields(c.Complainant.Name), " ")) + "|" + c.Complainant.Nationality
			cur, ok := byKey[k]
			if !ok {
				cur = &ComplainantEntry{Name: c.Complainant.Name, Nationality: c.Complainant.Nationality}
				byKey[k] = cur
				order = append(order, k)
			}
			cur.Complaints++
			if c.Decision != nil && c.Decision.Outcome == filing.OutcomeNoInfringement {
				cur.NoInfringement++
			}
		})
		if err != nil {
			return nil, err
		}
	}
	out := make([]ComplainantEntry, 0, len(order))
	for _, k := range order {
		out = append(out, *byKey[k])
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].NoInfringement != out[j].NoInfringement {
			return out[i].NoInfringement > out[j].NoInfringement
		}
		return out[i].Complaints > out[j].Complaints
	})
	return out, nil
}

// BoothMeasures are the measures the organiser's floor staff carry out at one booth: those
// decided for an infringement, and those proposed for an answer that is overdue.
type BoothMeasures struct {
	Booth      string          `json:"booth"`
	Exhibitor  string          `json:"exhibitor,omitempty"`
	Name       string          `json:"name,omitempty"`
	Measures   []string        `json:"measures"`
	Complaints []MeasureSource `json:"complaints"`
}

// MeasureSource is a complaint behind a booth's measures.
type MeasureSource struct {
	ID              string   `json:"id"`
	ComplaintNumber string   `json:"complaintNumber"`
	State           string   `json:"state"`
	Measures        []string `json:"measures"`
	// Proposed is true for the measures Guidelines Art. 14 proposes for an overdue answer,
	// which an officer has not decided yet.
	Proposed bool   `json:"proposed"`
	Since    string `json:"since"`
}

// Measures lists, for the caller's expo, the booths with measures to carry out, by booth.
func (s *Service) Measures(ctx context.Context, p filing.Principal) ([]BoothMeasures, error) {
	if err := staffOnly(p, "read the measures"); err != nil {
		return nil, err
	}
	x, err := s.serving(ctx, p.Expo)
	if err != nil {
		return nil, err
	}
	dir := map[string]filing.ExhibitorEntry{}
	for _, e := range x.Exhibitors {
		dir[e.Booth] = e
	}
	now := s.Clock.Now()
	byBooth := map[string]*BoothMeasures{}
	err = s.each(ctx, x.ID, func(c filing.Complaint) {
		v := c.ViewAt(now)
		src := MeasureSource{ID: c.ID, ComplaintNumber: c.ComplaintNumber, State: string(v.State)}
		switch {
		case v.Decision != nil && v.Decision.Outcome == filing.OutcomeInfringement:
			src.Measures, src.Since = v.Decision.Measures, v.Decision.DecidedAt
		case v.State == filing.ComplaintAnswerOverdue:
			src.Measures, src.Proposed, src.Since = v.ProposedMeasures, true, v.RespondBy
		default:
			return
		}
		b := byBooth[c.Respondent.Booth]
		if b == nil {
			b = &BoothMeasures{Booth: c.Respondent.Booth, Exhibitor: dir[c.Respondent.Booth].ID, Name: c.Respondent.Name, Measures: []string{}}
			if b.Name == "" {
				b.Name = dir[c.Respondent.Booth].Name
			}
			byBooth[c.Respondent.Booth] = b
		}
		b.Complaints = append(b.Complaints, src)
		for _, m := range src.Measures {
			if !slices.Contains(b.Measures, m) {
				b.Measures = append(b.Measures, m)
			}
		}
	})
	if err != nil {
		return nil, err
	}
	out := make([]BoothMeasures, 0, len(byBooth))
	for _, b := range byBooth {
		sort.Slice(b.Measures, func(i, j int) bool {
			return slices.Index(filing.Measures, b.Measures[i]) < slices.Index(filing.Measures, b.Measures[j])
		})
		out = append(out, *b)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Booth < out[j].Booth })
	return out, nil
}

// Figures are the complaint figures of /v1/stats (SPEC §11).
type Figures struct {
	ByState map[filing.ComplaintState]int `json:"byState"`
	// ForeignShare is the share of complaints whose complainant is not of mainland China.
	ForeignShare float64 `json:"foreignShare"`
	// ConfirmedShare is the share of decided complaints decided as an infringement.
	ConfirmedShare float64 `json:"confirmedShare"`
	// MedianAcceptedToDecidedSeconds is the median time from acceptance to decision (0: none).
	MedianAcceptedToDecidedSeconds float64 `json:"medianAcceptedToDecidedSeconds"`
}

// Figures counts the complaints of the caller's expo, by the state they show now.
func (s *Service) Figures(ctx context.Context, p filing.Principal) (Figures, error) {
	f := Figures{ByState: map[filing.ComplaintState]int{}}
	if err := staffOnly(p, "read the complaint figures"); err != nil {
		return f, err
	}
	x, err := s.serving(ctx, p.Expo)
	if err != nil {
		return f, err
	}
	now := s.Clock.Now()
	total, foreign, decided, confirmed := 0, 0, 0, 0
	var spans []float64
	err = s.each(ctx, x.ID, func(c filing.Complaint) {
		total++
		f.ByState[c.StateAt(now)]++
		if c.Complainant.Nationality != "CN" {
			foreign++
		}
		if c.Decision == nil {
			return
		}
		decided++
		if c.Decision.Outcome == filing.OutcomeInfringement {
			confirmed++
		}
		a, aerr := time.Parse(time.RFC3339, c.AcceptedAt)
		d, derr := time.Parse(time.RFC3339, c.Decision.DecidedAt)
		if aerr == nil && derr == nil {
			spans = append(spans, d.Sub(a).Seconds())
		}
	})
	if err != nil {
		return f, err
	}
	if total > 0 {
		f.ForeignShare = float64(foreign) / float64(total)
	}
	if decided > 0 {
		f.ConfirmedShare = float64(confirmed) / float64(decided)
	}
	if n := len(spans); n > 0 {
		slices.Sort(spans)
		f.MedianAcceptedToDecidedSeconds = spans[n/2]
		if n%2 == 0 {
			f.MedianAcceptedToDecidedSeconds = (spans[n/2-1] + spans[n/2]) / 2
		}
	}
	return f, nil
}

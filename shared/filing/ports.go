package filing

import (
	"context"
	"io"
	"sync"
	"time"
)

// Store keeps filings with their audit trails, idempotency records and number counters.
// Every adapter (embedded bbolt, DynamoDB) passes the storetest conformance suite.
//
// The store is shared by every expo of the deployment and keeps them apart (SPEC §14): each
// filing and upload belongs to the expo it names (Filing.Expo, Upload.Expo); every read takes
// the expo it reads in and answers NotFound for another expo's filing or upload; idempotency
// records, exhibitor and state listings and pending uploads are per expo; numbers are per
// counter, and counters are per expo by their prefix.
type Store interface {
	// Create stores a new filing in one atomic step. It takes the next number of the counter
	// n.Counter (so numbers have no gaps: nothing else consumes one), sets n.Filing's
	// FilingNumber to "<Counter>-<6-digit sequence>", writes the filing, the idempotency
	// record (n.Filing.Expo, n.Exhibitor, n.Key) and n.Event, and makes the filing's delivery to n.Filing.Queue
	// durable: once Create returns, the filing reaches that queue even if the process dies.
	//
	// Create also claims every upload that n.Filing.Documents names for the filing, in the same
	// step: an upload that does not exist, is another exhibitor's or another expo's, or serves
	// another filing makes
	// Create write nothing and return ErrUploadTaken.
	//
	// If the idempotency record exists and has not expired, nothing is written: with the same
	// n.Hash Create returns the filing stored then and replayed=true; with another hash it
	// returns an Invalid error with code idempotency_key_reused.
	Create(ctx context.Context, n NewFiling) (f Filing, replayed bool, err error)

	// Lookup returns the filing an unexpired idempotency record points to. It returns an Invalid
	// error with code idempotency_key_reused if the record was made with another hash, and a
	// NotFound error if there is no such record.
	Lookup(ctx context.Context, expo, exhibitor, key, hash string, now time.Time) (Filing, error)

	// Get returns the filing of that expo with that id, or a NotFound error (also for another
	// expo's filing).
	Get(ctx context.Context, expo, id string) (Filing, error)

	// List returns an exhibitor's filings in expo q.Expo, newest first, a page at a time.
	List(ctx context.Context, q ListQuery) (Page, error)

	// ListByState returns every exhibitor's filings of expo q.Expo in one state, oldest first,
	// a page at a time (q.Exhibitor is ignored; q.State is required). The sweeper and
	// statistics use it.
	ListByState(ctx context.Context, q ListQuery) (Page, error)

	// Search returns the filings of expo q.Expo that q admits (SearchQuery.Admits), newest
	// first, a page at a time, through indexes of search.Terms (plus search.All for every
	// filing) kept in the same transaction as each write: not by reading every filing.
	Search(ctx context.Context, q SearchQuery) (Page, error)

	// Counts returns an expo's running figures, kept with CountsDelta in the same
	// transaction as each write.
	Counts(ctx context.Context, expo string) (Counts, error)

	// Update replaces a filing whose stored version is f.Version-1 and appends ev to its
	// history, atomically. With requeue, it also makes the filing's delivery to f.Queue durable,
	// as Create does (an amendment sends the filing back for review; a release or an expired
	// lease does not, since the queue still holds its message). Uploads that f.Documents names
	// and the stored version does not are claimed as Create claims them. A different stored version is
	// a Conflict with code version_conflict; a missing filing, or one of another expo than
	// f.Expo, is NotFound.
	Update(ctx context.Context, f Filing, ev Event, requeue bool) error

	// Create and Update keep the search index and the counts (Search, Counts) in the same
	// transaction as the filing.
	//
	// ByStatusToken returns the filing whose public status token (Filing.StatusToken, stored
	// by Create) is token, whichever expo it belongs to: the token is the link's credential.
	// An unknown token is NotFound.
	ByStatusToken(ctx context.Context, token string) (Filing, error)

	// History returns a filing's audit events, oldest first (NotFound if there is no filing).
	History(ctx context.Context, expo, id string) ([]Event, error)

	// CreateUpload stores a new upload slot.
	CreateUpload(ctx context.Context, u Upload) error
	// GetUpload returns an upload slot of that expo (NotFound if there is none, it was
	// forgotten, or it is another expo's).
	GetUpload(ctx context.Context, expo, id string) (Upload, error)
	// PendingUploads counts an exhibitor's uploads in an expo that no filing uses and that are
	// still usable at now, and adds up their declared sizes (the upload quota of SPEC §3).
	PendingUploads(ctx context.Context, expo, exhibitor string, now time.Time) (int, int64, error)
	// RecordCheck stores the outcome of checking an upload's bytes, changing nothing else.
	RecordCheck(ctx context.Context, id, checked string, width, height int) error
}

// ComplaintStore keeps the complaint desk's complaints (SPEC §11). Every adapter passes the
// complaint sections of the storetest conformance suite.
type ComplaintStore interface {
	// CreateComplaint stores a new complaint in one atomic step: it takes the next number of
	// the counter n.Counter ("<PREFIX>-CP", so numbers have no gaps), sets ComplaintNumber,
	// writes the complaint, the idempotency record (expo, n.Filer, n.Key) and n.Event, and claims
	// the uploads it names (Complaint.UploadIDs) as Store.Create claims a filing's, n.Filer
	// being their exhibitor (ErrUploadTaken otherwise, nothing written). With an
	// unexpired record nothing is written: the same n.Hash returns the complaint stored then and
	// replayed=true; another hash is Invalid with code idempotency_key_reused.
	CreateComplaint(ctx context.Context, n NewComplaint) (c Complaint, replayed bool, err error)
	// LookupComplaint returns the complaint an unexpired idempotency record (expo, filer, key)
	// names when hash matches (idempotency_key_reused when it does not; NotFound for none).
	LookupComplaint(ctx context.Context, expo, filer, key, hash string, now time.Time) (Complaint, error)
	// GetComplaint returns a complaint of that expo (NotFound for none, or another expo's).
	GetComplaint(ctx context.Context, expo, id string) (Complaint, error)
	// UpdateComplaint replaces a complaint whose stored version is c.Version-1, appends ev to
	// its history and claims the uploads claim names for it (a supplement's, an answer's),
	// atomically (version_conflict otherwise; NotFound for none; ErrUploadTaken for an upload
	// that is not claim.Owner's, or that another filing or complaint took, nothing written).
	UpdateComplaint(ctx context.Context, c Complaint, ev Event, claim UploadClaim) error
	// ComplaintHistory returns a complaint's events, oldest first.
	ComplaintHistory(ctx context.Context, expo, id string) ([]Event, error)
	// ListComplaints returns an expo's complaints that q selects, newest first, a page at a
	// time.
	ListComplaints(ctx context.Context, q ComplaintQuery) (ComplaintPage, error)
}

// ExhibitStore keeps the exhibits officers record and the certificates issued for them
// (SPEC §12).
type ExhibitStore interface {
	// CreateExhibit stores a new exhibit record and claims its photos (claim.Owner's uploads,
	// claimed as a filing's are: ErrUploadTaken, nothing written), atomically.
	CreateExhibit(ctx context.Context, e ExhibitRecord, claim UploadClaim) error
	// GetExhibit returns an exhibit of that expo (NotFound for none, or another expo's).
	GetExhibit(ctx context.Context, expo, id string) (ExhibitRecord, error)
	// UpdateExhibit replaces an exhibit whose stored version is e.Version-1 (version_conflict
	// otherwise; NotFound for none).
	UpdateExhibit(ctx context.Context, e ExhibitRecord) error
	// IssueCertificate takes the next number of counter ("<PREFIX>-EC": gap-free per expo),
	// has sign make the certificate with it, and stores the certificate and e (whose stored
	// version must be e.Version-1, else version_conflict), atomically. An error of sign stores
	// nothing and uses no number.
	IssueCertificate(ctx context.Context, counter string, e ExhibitRecord, sign func(number string) (Certificate, error)) (Certificate, error)
	// GetCertificate returns a certificate by id, of any expo (certificates are public by id).
	GetCertificate(ctx context.Context, id string) (Certificate, error)
	// UpdateCertificate replaces a certificate whose stored version is c.Version-1 (a revocation).
	UpdateCertificate(ctx context.Context, c Certificate) error
	// ListCertificates returns an exhibitor's certificates in an expo, oldest first.
	ListCertificates(ctx context.Context, expo, exhibitor string) ([]Certificate, error)
	// ListExhibits returns an expo's exhibits that q selects, oldest first: an exhibitor's, or
	// those in a state (the declared ones an officer is to confirm), or both.
	ListExhibits(ctx context.Context, q ExhibitQuery) ([]ExhibitRecord, error)
}

// ExhibitQuery selects exhibits of an expo: by exhibitor, by state, or both ("" selects all).
type ExhibitQuery struct {
	Expo      string
	Exhibitor string
	State     ExhibitState
}

// Selects reports whether q selects e.
func (q ExhibitQuery) Selects(e ExhibitRecord) bool {
	return e.Expo == q.Expo && (q.Exhibitor == "" || e.Exhibitor == q.Exhibitor) && (q.State == "" || e.State == q.State)
}

// UploadClaim names uploads a change makes a complaint's own: Owner's (Uploader), by id.
type UploadClaim struct {
	Owner string
	IDs   []string
}

// Uploader is whose uploads a principal makes: a kiosk's exhibitor's, a staff member's own
// ("staff:" and the subject, so that no exhibitor id can name them).
func Uploader(p Principal) string {
	if p.Role == RoleKiosk {
		return p.Exhibitor
	}
	return "staff:" + p.Subject
}

// NewComplaint is what ComplaintStore.CreateComplaint needs.
type NewComplaint struct {
	Complaint Complaint
	Counter   string // "<PREFIX>-CP": numbers are per expo
	Filer     string // the idempotency scope: the kiosk's exhibitor, or the officer
	Key       string // the Idempotency-Key
	Hash      string // hash of the canonical request
	Expires   time.Time
	Now       time.Time
	Event     Event
}

// ComplaintQuery selects complaints of an expo: by stored state, by who filed them (Filer),
// by the respondent's booth; empty fields select all.
type ComplaintQuery struct {
	Expo   string
	State  ComplaintState
	Filer  string
	Booth  string
	Limit  int
	Cursor string
}

// ComplaintPage is one page of complaints, newest first.
type ComplaintPage struct {
	Items      []Complaint `json:"items"`
	NextCursor string      `json:"nextCursor"`
}

// NewFiling is what Store.Create needs.
type NewFiling struct {
	Filing    Filing
	Counter   string // e.g. "CISCE2026-TM": numbers are per expo and type
	Exhibitor string
	Key       string    // the Idempotency-Key
	Hash      string    // hash of the canonical request
	Expires   time.Time // when the idempotency record may be forgotten
	Now       time.Time // the instant of the request, by the service's clock
	Event     Event
}

// ListQuery selects a page of one exhibitor's filings.
type ListQuery struct {
	Expo      string
	Exhibitor string
	State     State // "" for all
	Limit     int
	Cursor    string // opaque, from a previous Page
}

// Page is one page of filings, newest first.
type Page struct {
	Items      []Filing `json:"items"`
	NextCursor string   `json:"nextCursor"` // "" on the last page
}

// Queue is a set of named review queues with visibility timeouts (SQS semantics): a received
// message is invisible to others until its visibility ends, then it is delivered again; a
// message received more than the queue's receive limit moves to the queue's dead letters.
// Every adapter (embedded, SQS) passes the queuetest conformance suite.
type Queue interface {
	// Send adds a message to a queue (NotFound with code queue_not_found for an unknown queue).
	Send(ctx context.Context, queue string, m Message) error
	// Receive leases the oldest visible message for visibility, waiting up to wait for one;
	// ok is false when none came.
	Receive(ctx context.Context, queue string, visibility, wait time.Duration) (d Delivery, ok bool, err error)
	// Extend sets a leased message's visibility to end visibility from now; a receipt that is
	// no longer current is a Conflict with code lease_lost.
	Extend(ctx context.Context, queue, receipt string, visibility time.Duration) error
	// Release makes a leased message visible again at once (lease_lost as for Extend).
	Release(ctx context.Context, queue, receipt string) error
	// Ack deletes a leased message (lease_lost as for Extend).
	Ack(ctx context.Context, queue, receipt string) error
	// Stats describes a queue.
	Stats(ctx context.Context, queue string) (QueueStats, error)
}

// Message is what a review queue carries: a reference to a filing.
type Message struct {
	ID       string    `json:"id"`
	FilingID string    `json:"filingId"`
	SentAt   time.Time `json:"sentAt"`
}

// Delivery is a received message with its lease. Its ID names the physical message: the
// same across redeliveries of that message, different for a duplicate sent again.
type Delivery struct {
	Message
	Receipt      string
	ReceiveCount int
	VisibleAt    time.Time // when the lease ends
}

// QueueStats are the figures of GET /v1/queues.
type QueueStats struct {
	Name             string `json:"name"`
	Depth            int    `json:"depth"`
	InFlight         int    `json:"inFlight"`
	OldestAgeSeconds int    `json:"oldestAgeSeconds"`
	DeadLetters      int    `json:"deadLetters"`
}

// Clock tells the time; tests and demos (IPFAST_CLOCK_START) move it.
type Clock interface{ Now() time.Time }

// SystemClock is the real clock.
type SystemClock struct{}

// Now is time.Now.
func (SystemClock) Now() time.Time { return time.Now() }

// ManualClock stands still until set: for tests of date rules and lease ends.
type ManualClock struct {
	mu sync.Mutex
	t  time.Time
}

// Now is the time last set.
func (c *ManualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Set moves the clock to an RFC 3339 instant; it panics on a malformed one (tests only).
func (c *ManualClock) Set(rfc3339 string) {
	t, err := time.Parse(time.RFC3339, rfc3339)
	if err != nil {
		panic("filing: ManualClock.Set: " + err.Error())
	}
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// OffsetClock runs in real time from a chosen start instant.
type OffsetClock struct{ Offset time.Duration }

// StartingAt returns a clock that reads start now and runs on in real time.
func StartingAt(start time.Time) OffsetClock { return OffsetClock{Offset: time.Until(start)} }

// Now is the real time moved by the offset.
func (c OffsetClock) Now() time.Time { return time.Now().Add(c.Offset) }

// Blobs stores attachment bytes under keys. Clients upload directly, through a target the
// adapter signs; the server reads the bytes back to check them. Every adapter (local files,
// S3) passes the blobtest conformance suite.
type Blobs interface {
	// UploadTarget returns how a client uploads exactly size bytes whose SHA-256 is sha256hex
	// to key, for the next ttl.
	UploadTarget(ctx context.Context, key, contentType string, size int64, sha256hex string, ttl time.Duration) (UploadTarget, error)
	// Open reads a blob (NotFound if there is none).
	Open(ctx context.Context, key string) (io.ReadCloser, error)
	// Stat returns a blob's size (NotFound if there is none).
	Stat(ctx context.Context, key string) (int64, error)
	// Copy copies a blob to another key.
	Copy(ctx context.Context, from, to string) error
	// Delete removes a blob; deleting a missing blob is not an error.
	Delete(ctx context.Context, key string) error
	// DownloadURL returns a URL that reads the blob for the next ttl.
	DownloadURL(ctx context.Context, key string, ttl time.Duration) (string, error)
}

// UploadTarget tells a client how to send a file: a PUT to URL with Headers, or a multipart
// POST to URL with Fields and a "file" part (SPEC §5).
type UploadTarget struct {
	Method  string            `json:"method"`
	URL     string            `json:"url"`
	Headers map[string]string `json:"headers,omitempty"`
	Fields  map[string]string `json:"fields,omitempty"`
}

// AuditEntry is one event of an expo's audit log that belongs to no filing: an export
// (SPEC §13) — who, when, what it selected and how many filings it held.
type AuditEntry struct {
	ID     string            `json:"id"`
	Expo   string            `json:"expo"`
	At     string            `json:"at"`
	Actor  string            `json:"actor"`
	Role   string            `json:"role"`
	Action string            `json:"action"`
	Filter map[string]string `json:"filter,omitempty"`
	Count  int               `json:"count"`
}

// AuditLog keeps an expo's audit log. Every adapter passes the audit section of the storetest
// conformance suite.
type AuditLog interface {
	// AppendAudit stores an entry (its ID time-ordered, unique).
	AppendAudit(ctx context.Context, e AuditEntry) error
	// AuditTrail returns an expo's entries, newest first, at most limit.
	AuditTrail(ctx context.Context, expo string, limit int) ([]AuditEntry, error)
}

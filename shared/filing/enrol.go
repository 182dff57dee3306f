package filing

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"sort"
	"sync"
	"time"
)

// Enrolment (SPEC §18): the organiser enrols the kiosks of the booths and the staff of the IP
// window, and hands each a one-time set-up code instead of a raw token. The code is exchanged
// once for a token whose subject is the enrolee's id; revoking the enrolee cuts off every token
// it holds.

// The kinds of enrolee.
const (
	EnroleeKiosk = "kiosk"
	EnroleeStaff = "staff"
)

// Enrolee is a kiosk or a person the organiser enrolled.
type Enrolee struct {
	ID   string `json:"id"` // the sub of its tokens: "ksk_…" for a kiosk, "stf_…" for a person
	Expo string `json:"expo"`
	Kind string `json:"kind"` // EnroleeKiosk or EnroleeStaff
	// Role is the role its tokens carry: kiosk for a kiosk; examiner, officer or supervisor.
	Role      string `json:"role"`
	Exhibitor string `json:"exhibitor,omitempty"` // a kiosk's exhibitor and booth
	Booth     string `json:"booth,omitempty"`
	Label     string `json:"label,omitempty"` // a kiosk's label ("the tablet at the counter")
	Name      string `json:"name,omitempty"`  // a person's name
	CreatedAt string `json:"createdAt"`
	CreatedBy string `json:"createdBy"` // the supervisor who enrolled it
	// LastSeenAt is when one of its tokens was last used (recorded at most once a minute).
	LastSeenAt string `json:"lastSeenAt,omitempty"`
	Revoked    bool   `json:"revoked"`
	RevokedAt  string `json:"revokedAt,omitempty"`
	RevokedBy  string `json:"revokedBy,omitempty"`
}

// SortEnrolees orders enrolees oldest first (ids are time-ordered only within a kind's
// prefix: by creation, then id).
func SortEnrolees(es []Enrolee) {
	sort.SliceStable(es, func(i, j int) bool {
		if es[i].CreatedAt != es[j].CreatedAt {
			return es[i].CreatedAt < es[j].CreatedAt
		}
		return es[i].ID < es[j].ID
	})
}

// SetupCodeTTL is how long a set-up code can be exchanged (SPEC §18: 24 hours).
const SetupCodeTTL = 24 * time.Hour

// SetupCode is what a store keeps of a set-up code: its hash, never the code.
type SetupCode struct {
	Hash      string    // HashSetupCode of the code
	Expo      string    // the enrolee's expo
	Enrolee   string    // the enrolee's id
	ExpiresAt time.Time // the code is refused from this second on
}

// ValidAt reports whether a code expiring at expires can still be exchanged at now: before its
// expiry second, to the second.
func ValidAt(expires, now time.Time) bool { return now.Unix() < expires.Unix() }

// NewSetupCode makes a set-up code for an enrolee of a kind (128 random bits, URL-safe) and its
// hash.
func NewSetupCode(kind string) (code, hash string) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("filing: no randomness: " + err.Error())
	}
	code = base64.RawURLEncoding.EncodeToString(b[:])
	return code, HashSetupCode(kind, code)
}

// HashSetupCode is the stored form of a set-up code of an enrolee of a kind (SHA-256, hex).
// The code carries 128 random bits, so a plain hash cannot be reversed by guessing; the kind
// is in it so that a code given at the other kind's endpoint is unknown there and stays unused.
func HashSetupCode(kind, code string) string {
	sum := sha256.Sum256([]byte("ipfast setup code\x00" + kind + "\x00" + code))
	return hex.EncodeToString(sum[:])
}

// CodeSetupInvalid answers a set-up code that is unknown, used, expired or whose enrolee was
// revoked (410): the four are not told apart, so that the answer says nothing to a guesser.
const CodeSetupInvalid = "setup_code_invalid"

// ErrSetupCodeInvalid is the error for every set-up code that cannot be exchanged.
var ErrSetupCodeInvalid = Errorf(Gone, CodeSetupInvalid, "this set-up code is used, expired or unknown: ask the organiser's desk for a new one")

// EnrolmentStore keeps enrolees and their set-up codes (SPEC §18).
type EnrolmentStore interface {
	// Enrol stores a new enrolee with its first set-up code, atomically (Conflict if the id
	// is taken).
	Enrol(ctx context.Context, e Enrolee, code SetupCode) error
	// AddSetupCode stores another set-up code for an existing enrolee of code.Expo (a tablet
	// set up again); NotFound for none.
	AddSetupCode(ctx context.Context, code SetupCode) error
	// RedeemSetupCode uses the code whose hash is hash: the first use before its expiry
	// returns the enrolee; every other (used, expired, unknown, enrolee revoked) is
	// ErrSetupCodeInvalid. Concurrent uses of one code: exactly one succeeds, on every
	// instance of the deployment.
	RedeemSetupCode(ctx context.Context, hash string, now time.Time) (Enrolee, error)
	// GetEnrolee returns an enrolee of that expo (NotFound for none, or another expo's).
	GetEnrolee(ctx context.Context, expo, id string) (Enrolee, error)
	// ListEnrolees returns an expo's enrolees of a kind ("" for both), oldest first.
	ListEnrolees(ctx context.Context, expo, kind string) ([]Enrolee, error)
	// Revoke marks an enrolee revoked by whom at at and returns it; revoking again changes
	// nothing (the first time stays). NotFound for none.
	Revoke(ctx context.Context, expo, id, by string, at time.Time) (Enrolee, error)
	// Seen records that the enrolee's token was used at at; it never moves LastSeenAt back.
	Seen(ctx context.Context, expo, id string, at time.Time) error
	// PutExhibitor stores an expo's exhibitor directory entry, replacing the one of its id.
	PutExhibitor(ctx context.Context, expo string, e Exhibitor) error
	ExhibitorDirectory
}

// Exhibitor is an entry of an expo's exhibitor directory (SPEC §18): given in the
// configuration (`exhibitors`) or over the API (PUT /v1/exhibitors/{id}), which replaces the
// configuration's entry of the same id.
type Exhibitor struct {
	ID      string   `json:"id"`
	Name    string   `json:"name"`
	NameZh  string   `json:"nameZh,omitempty"`
	Booth   string   `json:"booth"`
	Country string   `json:"country,omitempty"`
	Contact *Contact `json:"contact,omitempty"`
	// Source is where the entry comes from: SourceConfig or SourceDirectory.
	Source    string `json:"source"`
	UpdatedAt string `json:"updatedAt,omitempty"` // when and by whom it was last put over the API
	UpdatedBy string `json:"updatedBy,omitempty"`
}

// Where a directory entry comes from.
const (
	SourceConfig    = "config"
	SourceDirectory = "directory"
)

// ExhibitorRequest is PUT /v1/exhibitors/{id}.
type ExhibitorRequest struct {
	Name    string   `json:"name" validate:"required,max=200"`
	NameZh  string   `json:"nameZh" validate:"max=200"`
	Booth   string   `json:"booth" validate:"required,max=32"`
	Country string   `json:"country" validate:"omitempty,country"`
	Contact *Contact `json:"contact" validate:"omitempty"`
}

// ExhibitorDirectory reads the exhibitor entries given over the API.
type ExhibitorDirectory interface {
	// ListExhibitors returns an expo's entries put over the API, by id.
	ListExhibitors(ctx context.Context, expo string) ([]Exhibitor, error)
}

// DirectoryOf is an expo's exhibitor directory, by id: the entries put over the API and the
// configuration's of every other id. A nil dir gives the configuration's.
func DirectoryOf(ctx context.Context, dir ExhibitorDirectory, x *Expo) ([]Exhibitor, error) {
	var stored []Exhibitor
	if dir != nil {
		var err error
		if stored, err = dir.ListExhibitors(ctx, x.ID); err != nil {
			return nil, err
		}
	}
	put := map[string]bool{}
	out := make([]Exhibitor, 0, len(x.Exhibitors)+len(stored))
	for _, e := range stored {
		e.Source = SourceDirectory
		put[e.ID] = true
		out = append(out, e)
	}
	for _, e := range x.Exhibitors {
		if !put[e.ID] {
			out = append(out, Exhibitor{ID: e.ID, Name: e.Name, NameZh: e.NameZh, Booth: e.Booth, Country: e.Country, Contact: e.Contact, Source: SourceConfig})
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].ID != out[j].ID {
			return out[i].ID < out[j].ID
		}
		return out[i].Booth < out[j].Booth
	})
	return out, nil
}

// WithDirectory is x with its Exhibitors the whole directory (DirectoryOf): what the complaint
// desk and the certificates read. A nil dir gives x itself.
func WithDirectory(ctx context.Context, dir ExhibitorDirectory, x *Expo) (*Expo, error) {
	if dir == nil {
		return x, nil
	}
	all, err := DirectoryOf(ctx, dir, x)
	if err != nil {
		return nil, err
	}
	y := *x
	y.Exhibitors = make([]ExhibitorEntry, len(all))
	for i, e := range all {
		y.Exhibitors[i] = ExhibitorEntry{ID: e.ID, Booth: e.Booth, Name: e.Name, NameZh: e.NameZh, Country: e.Country, Contact: e.Contact}
	}
	return &y, nil
}

// DirectoryCache reads each expo's directory entries from Dir at most once per MaxStale (what
// a process of a deployment with many may trust: an entry put on one instance is seen on every
// other within MaxStale).
type DirectoryCache struct {
	Dir      ExhibitorDirectory
	Clock    Clock // nil: the system clock
	MaxStale time.Duration

	mu   sync.Mutex
	read map[string]directoryRead
}

type directoryRead struct {
	at      time.Time
	entries []Exhibitor
}

// ListExhibitors implements ExhibitorDirectory.
func (c *DirectoryCache) ListExhibitors(ctx context.Context, expo string) ([]Exhibitor, error) {
	now := time.Now()
	if c.Clock != nil {
		now = c.Clock.Now()
	}
	c.mu.Lock()
	r, ok := c.read[expo]
	c.mu.Unlock()
	if ok && now.Sub(r.at) < c.MaxStale && !now.Before(r.at) {
		return r.entries, nil
	}
	entries, err := c.Dir.ListExhibitors(ctx, expo)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.read == nil {
		c.read = map[string]directoryRead{}
	}
	c.read[expo] = directoryRead{at: now, entries: entries}
	c.mu.Unlock()
	return entries, nil
}

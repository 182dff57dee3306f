package filing

import (
	"crypto/rand"
	"encoding/base32"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"time"
)

// Request is what an exhibitor submits (SPEC §4): the body of POST /v1/filings, /v1/validate
// and amendments. Struct tags hold the structural rules (go-playground/validator); the domain
// rules live in package validate.
type Request struct {
	Kind           string          `json:"kind" validate:"required,oneof=patent trademark"`
	Patent         *Patent         `json:"patent,omitempty"`
	Trademark      *Trademark      `json:"trademark,omitempty"`
	Applicants     []Applicant     `json:"applicants" validate:"required,max=30,dive"`
	Agent          *Agent          `json:"agent,omitempty"`
	PriorityClaims []PriorityClaim `json:"priorityClaims,omitempty" validate:"max=10,dive"`
	Exhibition     *Exhibition     `json:"exhibition,omitempty"`
	Attachments    []string        `json:"attachments,omitempty" validate:"max=50,dive,required,max=64"`
	Contact        *Contact        `json:"contact" validate:"required"`
	Language       string          `json:"language" validate:"required,oneof=zh en"`
}

// Patent is the patent part of a Request.
type Patent struct {
	Type         string   `json:"type" validate:"required,oneof=invention utility_model design"`
	Title        string   `json:"title" validate:"required,max=500"`
	Abstract     string   `json:"abstract,omitempty" validate:"max=5000"`
	Claims       []string `json:"claims,omitempty" validate:"max=100,dive,max=5000"`
	LocarnoClass string   `json:"locarnoClass,omitempty"`
	// BriefDescription is a design's brief description (简要说明, Patent Law Art. 27).
	BriefDescription string     `json:"briefDescription,omitempty" validate:"max=1000"`
	Inventors        []Inventor `json:"inventors" validate:"required,max=100,dive"`
}

// Inventor is a natural person named as inventor or designer.
type Inventor struct {
	Name        string `json:"name" validate:"required,max=500"`
	Nationality string `json:"nationality" validate:"required,country"`
}

// Trademark is the trademark part of a Request.
type Trademark struct {
	MarkType    string      `json:"markType" validate:"required,oneof=word figurative combined three_dimensional color sound"`
	MarkText    string      `json:"markText,omitempty" validate:"max=100"`
	ColorClaim  []string    `json:"colorClaim,omitempty" validate:"max=20,dive,max=100"`
	Description string      `json:"description,omitempty" validate:"max=2000"`
	Classes     []NiceClass `json:"classes" validate:"max=45,dive"`
}

// NiceClass is one class of goods or services with its terms.
type NiceClass struct {
	Class int      `json:"class"`
	Terms []string `json:"terms" validate:"max=100,dive,max=500"`
}

// Applicant is a person or organisation applying; IDNumber is personal data (SPEC §9).
type Applicant struct {
	Name        string `json:"name" validate:"required,max=500"`
	Kind        string `json:"kind" validate:"required,oneof=organization individual"`
	Nationality string `json:"nationality" validate:"required,country"`
	Domicile    string `json:"domicile" validate:"required,country"`
	Address     string `json:"address" validate:"required,max=500"`
	IDNumber    string `json:"idNumber,omitempty" validate:"max=64"`
}

// Agent is the patent or trademark agency acting for the applicants. AgencyCode is required
// (5 digits) for patents and optional (at most 32 characters) for trademarks: a domain rule.
type Agent struct {
	Name       string `json:"name" validate:"required,max=500"`
	AgencyCode string `json:"agencyCode,omitempty" validate:"max=32"`
}

// PriorityClaim claims the date of an earlier filing at another office.
type PriorityClaim struct {
	Office string `json:"office" validate:"required,office"`
	Number string `json:"number" validate:"required,max=64"`
	Date   string `json:"date" validate:"required,date"`
	// Restoration asks for the right of priority to be restored after the period ended
	// (inventions and utility models, Implementing Regulations Art. 36).
	Restoration *Restoration `json:"restoration,omitempty"`
}

// Restoration is a request to restore a priority claim, with its reason.
type Restoration struct {
	Reason string `json:"reason" validate:"required,max=2000"`
}

// Exhibition claims the exhibition grace period (patents) or priority (trademarks).
type Exhibition struct {
	Expo             string `json:"expo" validate:"required,max=64"`
	FirstDisplayDate string `json:"firstDisplayDate" validate:"required,date"`
	Booth            string `json:"booth,omitempty" validate:"max=32"`
	Exhibit          string `json:"exhibit,omitempty" validate:"max=200"`
	// Certificate is the id of the organiser's exhibition display certificate (SPEC §12).
	Certificate string `json:"certificate,omitempty" validate:"max=64"`
}

// Contact is the person to reach about a filing; Email and Phone are personal data.
type Contact struct {
	Name  string `json:"name" validate:"required,max=500"`
	Email string `json:"email,omitempty" validate:"omitempty,max=254,email"` // email or phone required
	Phone string `json:"phone,omitempty" validate:"omitempty,max=32,phone"`
}

// Problem is one validation problem or warning (SPEC §3).
type Problem struct {
	Field     string `json:"field"`
	Code      string `json:"code"`
	Message   string `json:"message"`
	MessageZh string `json:"message_zh"`
	// Similar is the mark a similar_mark warning names (SPEC §15).
	Similar *SimilarMark `json:"similar,omitempty"`
}

// SimilarMark is the mark a similar_mark warning names: a registered mark of the expo's
// knownMarks, and the classes they share and why it is close (same_text, same_pinyin,
// close_text).
type SimilarMark struct {
	Text         string `json:"text"`
	Owner        string `json:"owner,omitempty"`
	Registration string `json:"registration,omitempty"`
	Classes      []int  `json:"classes"`
	Reason       string `json:"reason"`
}

// Fees is the fee statement of a filing (SPEC §7).
type Fees struct {
	Currency string    `json:"currency"`
	Items    []FeeItem `json:"items"`
	Total    int       `json:"total"`
}

// FeeItem is one line of a fee statement. Class and Quantity say what the amount is for.
type FeeItem struct {
	Code     string `json:"code"`
	Amount   int    `json:"amount"`
	Class    int    `json:"class,omitempty"`
	Quantity int    `json:"quantity,omitempty"`
}

// Decision is an examiner's decision on a filing.
type Decision struct {
	Outcome   string   `json:"outcome"`
	Reasons   []Reason `json:"reasons,omitempty"`
	Note      string   `json:"note,omitempty"`
	DecidedAt string   `json:"decidedAt"`
	Examiner  string   `json:"examiner"`
}

// Reason is one ground of a decision.
type Reason struct {
	Code  string `json:"code"`
	Field string `json:"field,omitempty"`
	Note  string `json:"note,omitempty"`
}

// Filing is a stored filing: the submitted content plus what the office adds (SPEC §4).
type Filing struct {
	ID           string `json:"id"`
	FilingNumber string `json:"filingNumber"`
	State        State  `json:"state"`
	FiledAt      string `json:"filedAt"`
	FilingDate   string `json:"filingDate"`
	Expo         string `json:"expo"`
	Exhibitor    string `json:"exhibitor"`
	Booth        string `json:"booth"`
	Queue        string `json:"queue"`
	Request
	// Documents lists the attachments' metadata, in the order of Request.Attachments.
	Documents []Document `json:"documents,omitempty"`
	Fees      Fees       `json:"fees"`
	Warnings  []Problem  `json:"warnings"`
	Version   int        `json:"version"`
	RespondBy string     `json:"respondBy,omitempty"`
	// Deadlines are the follow-up deadlines (SPEC §12), as views show them (Expo.FollowUps);
	// never stored, worked out when a filing is shown.
	Deadlines []FollowUp `json:"deadlines"`
	// SimilarMarks are the expo's other trademark filings close to this one (SPEC §15), as
	// examiners see them on a trademark: never stored, never shown to kiosks.
	SimilarMarks []SimilarFiling `json:"similarMarks,omitempty"`
	// SimilarVerdicts are the examiners' verdicts on those: confirmed or dismissed.
	SimilarVerdicts []SimilarVerdict `json:"similarVerdicts,omitempty"`
	Decision        *Decision        `json:"decision,omitempty"`
	Lease           *Lease           `json:"lease,omitempty"`
	// Amendment is the last amendment's Idempotency-Key and body hash, so that a retried
	// amendment returns the filing rather than a conflict. Never shown.
	Amendment *Amendment `json:"amendment,omitempty"`
	// StatusToken is the unguessable token of the filing's public status link (SPEC §5),
	// stored with it; views show it as StatusURL instead.
	StatusToken string `json:"statusToken,omitempty"`
	// StatusURL is the filing's public status link as views show it: "/status/<token>", made
	// absolute by the API with the server's base URL. Never stored.
	StatusURL string `json:"statusUrl,omitempty"`
}

// NewStatusToken is a new public status token: 128 random bits, base64url (22 characters).
func NewStatusToken() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("filing: no randomness: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// StatusPath is the path of a status token's public page.
func StatusPath(token string) string { return "/status/" + token }

// shown is f as a view: the status token becomes the status link.
func (f Filing) shown() Filing {
	if f.StatusToken != "" {
		f.StatusURL = StatusPath(f.StatusToken)
	}
	f.StatusToken = ""
	return f
}

// Status is what the public status link shows of a filing (SPEC §5): nothing personal.
type Status struct {
	FilingNumber string `json:"filingNumber"`
	Kind         string `json:"kind"`
	PatentType   string `json:"patentType,omitempty"`
	State        State  `json:"state"`
	FilingDate   string `json:"filingDate"`
	Title        string `json:"title,omitempty"`
	MarkText     string `json:"markText,omitempty"`
	LastChange   string `json:"lastChange"`
	Expo         string `json:"expo"`
	ExpoName     string `json:"expoName"`
	ExpoNameZh   string `json:"expoNameZh"`
}

// StatusOf is f's public status; lastChange is the instant of its last audit event.
func StatusOf(f Filing, e *Expo, lastChange string) Status {
	st := Status{FilingNumber: f.FilingNumber, Kind: f.Kind, State: f.State, FilingDate: f.FilingDate,
		LastChange: lastChange, Expo: f.Expo, ExpoName: e.Name, ExpoNameZh: e.NameZh}
	if f.Patent != nil {
		st.PatentType, st.Title = f.Patent.Type, f.Patent.Title
	}
	if f.Trademark != nil {
		st.MarkText = f.Trademark.MarkText
	}
	return st
}

// Amendment records the last amendment of a filing.
type Amendment struct {
	Key  string `json:"key"`
	Hash string `json:"hash"`
}

// Lease is an examiner's hold on a filing under review. Receipt, MessageID and TokenHash are
// kept with the filing but never shown to anyone.
type Lease struct {
	Examiner  string `json:"examiner"`
	Queue     string `json:"queue"`
	LeasedAt  string `json:"leasedAt,omitempty"` // when the examiner leased it (an extension keeps it)
	ExpiresAt string `json:"expiresAt"`
	Receipt   string `json:"receipt,omitempty"`
	MessageID string `json:"messageId,omitempty"`
	TokenHash string `json:"tokenHash,omitempty"`
}

// Reason codes of the formality checklist an examiner decides with.
var ReasonCodes = []string{"document_missing", "class_term_unacceptable", "mark_unclear",
	"applicant_data_incomplete", "agent_missing", "priority_evidence_missing", "other",
	"claims_unclear", "drawings_unclear", "views_unclear", "brief_description_insufficient"}

// ReasonCodesFor are the reasons that apply to a filing of f's kind and type: a trademark's
// class terms or mark image are no reason to refuse a design, nor a design's views a
// trademark. (The examiner console offers the same lists.)
func ReasonCodesFor(f Filing) []string {
	common := []string{"document_missing", "applicant_data_incomplete", "agent_missing", "priority_evidence_missing"}
	var own []string
	switch {
	case f.Kind == KindTrademark:
		own = []string{"class_term_unacceptable", "mark_unclear"}
	case f.Patent != nil && f.Patent.Type == PatentDesign:
		own = []string{"views_unclear", "brief_description_insufficient"}
	default:
		own = []string{"claims_unclear", "drawings_unclear"}
	}
	return append(append(own, common...), "other")
}

// Decision outcomes.
const (
	OutcomeAccept            = "accept"
	OutcomeReject            = "reject"
	OutcomeRequestCorrection = "request_correction"
)

// TypeCode is the filing-number type of a request: PI, PU, PD or TM.
func (r *Request) TypeCode() string {
	if r.Kind == KindTrademark {
		return "TM"
	}
	if r.Patent != nil {
		switch r.Patent.Type {
		case PatentUtilityModel:
			return "PU"
		case PatentDesign:
			return "PD"
		}
	}
	return "PI"
}

// Filing kinds and patent types.
const (
	KindPatent         = "patent"
	KindTrademark      = "trademark"
	PatentInvention    = "invention"
	PatentUtilityModel = "utility_model"
	PatentDesign       = "design"
)

// Event is one entry of a filing's append-only audit trail.
type Event struct {
	At        string   `json:"at"`
	Actor     string   `json:"actor"`
	Role      string   `json:"role"`
	Action    string   `json:"action"`
	FromState State    `json:"fromState,omitempty"`
	ToState   State    `json:"toState"`
	Reasons   []Reason `json:"reasons,omitempty"`
	Note      string   `json:"note,omitempty"`
	// Notices are the messages the event makes beyond those NoticeFor derives (a complaint's:
	// ComplaintNotices): the store writes them in the event's transaction. Never stored with
	// the event.
	Notices []Notice `json:"-"`
}

// Principal is the authenticated caller.
type Principal struct {
	Subject   string
	Role      string
	Exhibitor string
	Booth     string
	// Expo is the expo the caller acts in (the token's expo claim; "" for the default expo).
	Expo string
	// Name is the token's name claim (an enrolled person's name, a kiosk's label): shown, never
	// recorded.
	Name string
}

// Roles of SPEC §2.
const (
	RoleKiosk      = "kiosk"
	RoleExaminer   = "examiner"
	RoleOfficer    = "officer"
	RoleSupervisor = "supervisor"
)

// Masked returns a copy of f with personal data (SPEC §9) masked: what examiners who do not
// hold the lease see.
func (f Filing) Masked() Filing {
	if len(f.Applicants) > 0 {
		apps := make([]Applicant, len(f.Applicants))
		copy(apps, f.Applicants)
		for i := range apps {
			apps[i].IDNumber = Mask(apps[i].IDNumber)
		}
		f.Applicants = apps
	}
	if f.Contact != nil {
		c := *f.Contact
		c.Email = Mask(c.Email)
		c.Phone = Mask(c.Phone)
		f.Contact = &c
	}
	return f.shown()
}

// Mask hides all but the last four characters of s: "****1234". Short values are hidden whole.
func Mask(s string) string {
	if s == "" {
		return ""
	}
	r := []rune(s)
	if len(r) <= 4 {
		return "****"
	}
	return "****" + string(r[len(r)-4:])
}

var idEncoding = base32.NewEncoding("0123456789abcdefghjkmnpqrstvwxyz").WithPadding(base32.NoPadding)

// NewID returns an opaque, URL-safe, time-ordered id with the given prefix ("fil_…"): 48 bits of
// milliseconds then 80 random bits, so ids sort by creation and cannot be guessed.
func NewID(prefix string, now time.Time) string {
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], uint64(now.UnixMilli())<<16)
	if _, err := rand.Read(b[6:]); err != nil {
		panic("filing: no randomness: " + err.Error())
	}
	return prefix + idEncoding.EncodeToString(b[:])
}

// FilingNumber is the filing number of the n-th filing counted under counter
// ("<PREFIX>-<TYPE>"): "CISCE2026-TM-000042" (SPEC §4).
func FilingNumber(counter string, n int) string { return fmt.Sprintf("%s-%06d", counter, n) }

// RoutingMessage is the review-queue message that routes a filing, the seq-th time it is sent
// to a queue (its version when it was routed): the id names both, so a receiver can tell a
// redelivery from a new routing.
func RoutingMessage(filingID string, seq int) Message {
	return Message{ID: fmt.Sprintf("rt_%s_%d", filingID, seq), FilingID: filingID}
}

// Expired reports whether the lease has ended at now (a lease whose end cannot be read has).
func (l *Lease) Expired(now time.Time) bool {
	t, err := time.Parse(time.RFC3339, l.ExpiresAt)
	return err != nil || !now.Before(t)
}

// HeldBy reports whether the examiner sub holds f's lease at now.
func (f Filing) HeldBy(sub string, now time.Time) bool {
	return f.State == StateInReview && f.Lease != nil && f.Lease.Examiner == sub && !f.Lease.Expired(now)
}

// KioskView is f as its exhibitor sees it: whole, without the review's internals (the lease,
// and the examiners' verdicts on similar filings, which name other exhibitors' pending filings).
func (f Filing) KioskView() Filing {
	f.Lease, f.Amendment, f.SimilarMarks, f.SimilarVerdicts = nil, nil, nil, nil
	return f.shown()
}

// HolderView is f as the examiner holding its lease sees it: whole, the lease's secrets out.
func (f Filing) HolderView() Filing {
	f.Amendment = nil
	if f.Lease != nil {
		l := *f.Lease
		l.Receipt, l.MessageID, l.TokenHash = "", "", ""
		f.Lease = &l
	}
	return f.shown()
}

// Document returns the document of f with the attachment id att.
func (f Filing) Document(att string) (Document, bool) {
	for _, d := range f.Documents {
		if d.ID == att {
			return d, true
		}
	}
	return Document{}, false
}

// SimilarFiling is another trademark filing of the same expo close to a filing (SPEC §15): its
// number, mark, the classes in common, why it is close, and the examiner's verdict, if any.
type SimilarFiling struct {
	FilingID     string `json:"filingId"`
	FilingNumber string `json:"filingNumber"`
	MarkText     string `json:"markText"`
	Classes      []int  `json:"classes"`
	Reason       string `json:"reason"`
	Booth        string `json:"booth"`
	FilingDate   string `json:"filingDate"`
	State        State  `json:"state"`
	Verdict      string `json:"verdict,omitempty"`
}

// SimilarVerdict is an examiner's verdict on a similar filing: confirmed (a real conflict, to
// weigh in the decision) or dismissed (not similar after all).
type SimilarVerdict struct {
	FilingID string `json:"filingId"`
	Verdict  string `json:"verdict"`
	By       string `json:"by"`
	At       string `json:"at"`
}

// The verdicts on a similar filing.
const (
	VerdictConfirmed = "confirmed"
	VerdictDismissed = "dismissed"
)

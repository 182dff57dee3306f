package filing

import (
	"fmt"
	"slices"
	"time"
)

// The complaint desk (SPEC §11): a rights holder complains that an exhibit infringes a patent
// or a trademark; an officer checks the complaint is complete (2006 Measures Art. 8, 9),
// accepts it; the respondent exhibitor answers within the expo's window (Art. 13; CNIPA's 2022
// Guidelines Art. 14); an officer decides. Like a filing, a complaint changes only through
// ApplyComplaint, so a transition the state machine lacks cannot be written.

// ComplaintRequest is the body of POST /v1/complaints.
type ComplaintRequest struct {
	// Complainant, Right and Respondent have no rule of their own: an empty one reports each of
	// its required fields at its own pointer (/respondent/booth), as a form shows them.
	Complainant        Complainant        `json:"complainant"`
	Agent              *ComplaintAgent    `json:"agent,omitempty"`
	Right              Right              `json:"right"`
	Respondent         Respondent         `json:"respondent"`
	Exhibits           []Exhibit          `json:"exhibits" validate:"max=20,dive"`
	Grounds            string             `json:"grounds" validate:"max=5000"`
	Attachments        []string           `json:"attachments,omitempty" validate:"max=50,dive,required,max=64"`
	PendingProceedings PendingProceedings `json:"pendingProceedings"`
	Language           string             `json:"language" validate:"required,oneof=zh en"`
}

// Complainant is the rights holder; IDNumber and the contact's email and phone are personal
// data (SPEC §9), masked to the respondent.
type Complainant struct {
	Name        string   `json:"name" validate:"required,max=500"`
	Kind        string   `json:"kind" validate:"required,oneof=organization individual"`
	Nationality string   `json:"nationality" validate:"required,country"`
	Address     string   `json:"address" validate:"required,max=500"`
	IDNumber    string   `json:"idNumber,omitempty" validate:"max=64"`
	Contact     *Contact `json:"contact" validate:"required"`
}

// ComplaintAgent acts for the complainant; then a power of attorney is required.
type ComplaintAgent struct {
	Name string `json:"name" validate:"required,max=500"`
}

// Right is the patent or registered mark the complaint rests on.
type Right struct {
	Kind       string `json:"kind" validate:"required,oneof=invention utility_model design trademark"`
	Number     string `json:"number" validate:"required,max=64"`
	Owner      string `json:"owner" validate:"required,max=500"`
	ValidUntil string `json:"validUntil" validate:"required,date"`
}

// Respondent is the exhibitor complained about, by booth.
type Respondent struct {
	Booth string `json:"booth" validate:"required,max=32"`
	Name  string `json:"name,omitempty" validate:"max=500"`
}

// Exhibit is an exhibit said to infringe, with the upload ids of its photos.
type Exhibit struct {
	Description string   `json:"description" validate:"required,max=2000"`
	Photos      []string `json:"photos,omitempty" validate:"max=20,dive,required,max=64"`
}

// PendingProceedings are proceedings about the right: for a patent, any of them keeps the
// desk from taking the complaint (proceedings_pending).
type PendingProceedings struct {
	Invalidation     bool `json:"invalidation"`
	Litigation       bool `json:"litigation"`
	OwnershipDispute bool `json:"ownershipDispute"`
}

// Any reports whether some proceeding is pending.
func (p PendingProceedings) Any() bool { return p.Invalidation || p.Litigation || p.OwnershipDispute }

// The upload roles of complaints (SPEC §5, §11).
const (
	RoleRightCertificate = "right_certificate"
	RoleEvidence         = "evidence"
	RoleExhibitPhoto     = "exhibit_photo"
)

// The validation codes of complaints (SPEC §11).
const (
	CodeRightCertificateRequired = "right_certificate_required"
	CodeRightNotInForce          = "right_not_in_force"
	CodeProceedingsPending       = "proceedings_pending"
	CodeRespondentUnknown        = "respondent_unknown"
	CodeExhibitRequired          = "exhibit_required"
)

// ComplaintState is where a complaint stands. AnswerOverdue is never stored: an accepted
// complaint past respondBy reads as it (ComplaintView); an incomplete one past its window reads
// as refused, and the sweep stores that.
type ComplaintState string

// The states of a complaint.
const (
	ComplaintSubmitted     ComplaintState = "submitted"
	ComplaintIncomplete    ComplaintState = "incomplete"
	ComplaintRefused       ComplaintState = "refused"
	ComplaintAccepted      ComplaintState = "accepted"
	ComplaintAnswerOverdue ComplaintState = "answer_overdue"
	ComplaintAnswered      ComplaintState = "answered"
	ComplaintDecided       ComplaintState = "decided"
	ComplaintWithdrawn     ComplaintState = "withdrawn"
)

// ComplaintStates lists every state a complaint may show, in lifecycle order.
var ComplaintStates = []ComplaintState{ComplaintSubmitted, ComplaintIncomplete, ComplaintRefused, ComplaintAccepted,
	ComplaintAnswerOverdue, ComplaintAnswered, ComplaintDecided, ComplaintWithdrawn}

// The outcomes of a complaint's decision and the measures of an infringement.
const (
	OutcomeInfringement   = "infringement"
	OutcomeNoInfringement = "no_infringement"
	OutcomeMediated       = "mediated"
	OutcomeReferred       = "referred"

	MeasureRemoveExhibit   = "remove_exhibit"
	MeasureCoverExhibit    = "cover_exhibit"
	MeasureRemovePromotion = "remove_promotion"
	MeasureCutLinks        = "cut_links"
)

// ComplaintOutcomes and Measures list the allowed values.
var (
	ComplaintOutcomes = []string{OutcomeInfringement, OutcomeNoInfringement, OutcomeMediated, OutcomeReferred}
	Measures          = []string{MeasureRemoveExhibit, MeasureCoverExhibit, MeasureRemovePromotion, MeasureCutLinks}
)

// ProposedMeasures are what Guidelines Art. 14 proposes for an answer that is overdue: the
// exhibit removed or covered, its links cut.
var ProposedMeasures = []string{MeasureRemoveExhibit, MeasureCoverExhibit, MeasureCutLinks}

// Complaint is a stored complaint.
type Complaint struct {
	ID              string         `json:"id"`
	ComplaintNumber string         `json:"complaintNumber"`
	State           ComplaintState `json:"state"`
	ReceivedAt      string         `json:"receivedAt"`
	// RespondBy is the end of the window running now: the complainant's to supplement
	// (incomplete) or the respondent's to answer (accepted); "" otherwise.
	RespondBy string `json:"respondBy,omitempty"`
	// AcceptedAt is when an officer accepted it: from then on the respondent sees it.
	AcceptedAt string `json:"acceptedAt,omitempty"`
	Expo       string `json:"expo"`
	// Filer is who filed it: the complaining exhibitor (a kiosk's exhibitor id), or the officer
	// who registered a walk-in rights holder (the officer's subject).
	Filer string `json:"filer"`
	ComplaintRequest
	Documents []Document `json:"documents,omitempty"`
	// Missing lists what an officer asked the complainant to supplement (validation codes).
	Missing          []string           `json:"missing,omitempty"`
	Answer           *ComplaintAnswer   `json:"answer,omitempty"`
	Decision         *ComplaintDecision `json:"decision"` // null until decided
	ProposedMeasures []string           `json:"proposedMeasures,omitempty"`
	Version          int                `json:"version"`
	History          []Event            `json:"history,omitempty"`
}

// ComplaintAnswer is the respondent's written answer.
type ComplaintAnswer struct {
	Statement   string     `json:"statement"`
	Attachments []string   `json:"attachments,omitempty"`
	Documents   []Document `json:"documents,omitempty"`
	At          string     `json:"at"`
	Late        bool       `json:"late"`
}

// ComplaintDecision is an officer's decision.
type ComplaintDecision struct {
	Outcome   string   `json:"outcome"`
	Measures  []string `json:"measures,omitempty"`
	Note      string   `json:"note,omitempty"`
	DecidedAt string   `json:"decidedAt"`
	Officer   string   `json:"officer"`
}

// ComplaintAction is something that happens to a complaint; its value names it in the history.
type ComplaintAction string

// The complaint actions of SPEC §11, with the states they move between.
const (
	CActSubmit            ComplaintAction = "submitted"            // (none) → submitted
	CActRequestSupplement ComplaintAction = "supplement_requested" // submitted → incomplete
	CActSupplement        ComplaintAction = "supplemented"         // incomplete → submitted
	CActRefuse            ComplaintAction = "refused"              // incomplete → refused (window passed)
	CActAccept            ComplaintAction = "accepted"             // submitted → accepted
	CActAnswer            ComplaintAction = "answered"             // accepted → answered
	CActDecide            ComplaintAction = "decided"              // accepted | answered → decided
	CActWithdraw          ComplaintAction = "withdrawn"            // submitted | incomplete | accepted → withdrawn
)

var complaintMoves = map[ComplaintAction]struct {
	from []ComplaintState
	to   ComplaintState
}{
	CActRequestSupplement: {[]ComplaintState{ComplaintSubmitted}, ComplaintIncomplete},
	CActSupplement:        {[]ComplaintState{ComplaintIncomplete}, ComplaintSubmitted},
	CActRefuse:            {[]ComplaintState{ComplaintIncomplete}, ComplaintRefused},
	CActAccept:            {[]ComplaintState{ComplaintSubmitted}, ComplaintAccepted},
	CActAnswer:            {[]ComplaintState{ComplaintAccepted}, ComplaintAnswered},
	CActDecide:            {[]ComplaintState{ComplaintAccepted, ComplaintAnswered}, ComplaintDecided},
	CActWithdraw:          {[]ComplaintState{ComplaintSubmitted, ComplaintIncomplete, ComplaintAccepted}, ComplaintWithdrawn},
}

// ComplaintActions lists every action ApplyComplaint knows.
func ComplaintActions() []ComplaintAction {
	return []ComplaintAction{CActRequestSupplement, CActSupplement, CActRefuse, CActAccept, CActAnswer, CActDecide, CActWithdraw}
}

// ApplyComplaint does action a to c by actor at the instant at: it checks that the state
// machine allows a from c's stored state, moves c, adds one to its version, sets or clears
// respondBy (now + the supplement window when asking for supplements, now + the response window
// when accepting, cleared otherwise) and returns the audit event to store with it. A window
// that has passed counts as its state on read (answer_overdue, refused): an action from there
// is judged by the state the complaint shows. A move the machine lacks is a Conflict
// (invalid_transition) and c is left as it was.
func ApplyComplaint(c *Complaint, a ComplaintAction, windows ComplaintWindows, by Actor, at time.Time, note string) (Event, error) {
	m, ok := complaintMoves[a]
	if !ok {
		return Event{}, Errorf(Internal, "unknown_action", "unknown complaint action %q", a)
	}
	shown := c.StateAt(at)
	// An incomplete complaint past its window is refused: refusing it is then the only move,
	// and before then refusing it is none.
	lapsed := c.State == ComplaintIncomplete && shown == ComplaintRefused
	if !slices.Contains(m.from, c.State) || lapsed != (a == CActRefuse) && (lapsed || a == CActRefuse) {
		return Event{}, Errorf(Conflict, CodeInvalidTransition, "a complaint that is %s cannot be %s", shown, a)
	}
	ev := Event{At: at.Format(time.RFC3339), Actor: by.Subject, Role: by.Role, Action: string(a),
		FromState: State(c.State), ToState: State(m.to), Note: note}
	switch m.to {
	case ComplaintIncomplete:
		c.RespondBy = at.Add(time.Duration(windows.SupplementWindow)).Format(time.RFC3339)
	case ComplaintAccepted:
		c.RespondBy = at.Add(time.Duration(windows.ResponseWindow)).Format(time.RFC3339)
		c.AcceptedAt = ev.At
	default:
		c.RespondBy = ""
	}
	c.State, c.Version = m.to, c.Version+1
	return ev, nil
}

// StateAt is the state c shows at the instant now: an accepted complaint past respondBy is
// answer_overdue, an incomplete one past its window refused, the moment the window passes.
func (c Complaint) StateAt(now time.Time) ComplaintState {
	end, err := time.Parse(time.RFC3339, c.RespondBy)
	if err != nil || now.Before(end) {
		return c.State
	}
	switch c.State {
	case ComplaintAccepted:
		return ComplaintAnswerOverdue
	case ComplaintIncomplete:
		return ComplaintRefused
	}
	return c.State
}

// ViewAt is c as it reads at now: its shown state, and the measures Guidelines Art. 14
// proposes when the answer is overdue.
func (c Complaint) ViewAt(now time.Time) Complaint {
	c.State = c.StateAt(now)
	c.ProposedMeasures = nil
	if c.State == ComplaintAnswerOverdue {
		c.ProposedMeasures = slices.Clone(ProposedMeasures)
	}
	return c
}

// RespondentView is c as the respondent sees it: the complainant's personal data masked.
func (c Complaint) RespondentView(now time.Time) Complaint {
	c = c.ViewAt(now)
	c.Complainant.IDNumber = Mask(c.Complainant.IDNumber)
	// The complainant's identity document is personal data too; the rest of the file is what
	// the respondent answers.
	var docs []Document
	atts := slices.Clone(c.Attachments)
	for _, d := range c.Documents {
		if d.Role == RoleIDDocument {
			atts = slices.DeleteFunc(atts, func(id string) bool { return id == d.ID })
		} else {
			docs = append(docs, d)
		}
	}
	c.Documents, c.Attachments = docs, atts
	if c.Complainant.Contact != nil {
		ct := *c.Complainant.Contact
		ct.Email, ct.Phone = Mask(ct.Email), Mask(ct.Phone)
		c.Complainant.Contact = &ct
	}
	return c
}

// VisibleToRespondent reports whether the respondent may see c: from its acceptance on.
func (c Complaint) VisibleToRespondent() bool { return c.AcceptedAt != "" }

// CheckDecision checks an officer's decision: a known outcome; for an infringement at least
// one measure, every measure known; measures only with an infringement.
func CheckDecision(outcome string, measures []string) []Problem {
	var out []Problem
	if !slices.Contains(ComplaintOutcomes, outcome) {
		out = append(out, Problem{Field: "/outcome", Code: "invalid_enum", Message: "outcome must be one of infringement, no_infringement, mediated, referred",
			MessageZh: "处理结果必须是 infringement、no_infringement、mediated 或 referred 之一"})
	}
	for i, m := range measures {
		if !slices.Contains(Measures, m) {
			out = append(out, Problem{Field: fmt.Sprintf("/measures/%d", i), Code: "invalid_enum",
				Message:   "measure must be one of remove_exhibit, cover_exhibit, remove_promotion, cut_links",
				MessageZh: "措施必须是 remove_exhibit、cover_exhibit、remove_promotion 或 cut_links 之一"})
		}
	}
	switch {
	case outcome == OutcomeInfringement && len(measures) == 0:
		out = append(out, Problem{Field: "/measures", Code: "required", Message: "an infringement needs at least one measure",
			MessageZh: "认定侵权时须至少采取一项措施"})
	case outcome != OutcomeInfringement && len(measures) > 0:
		out = append(out, Problem{Field: "/measures", Code: "not_allowed", Message: "measures are taken only for an infringement",
			MessageZh: "仅在认定侵权时采取措施"})
	}
	return out
}

// UploadIDs are the uploads a complaint names (its attachments and its exhibits' photos),
// each once: what the store claims for it, so that no filing takes them and they are kept.
func (c Complaint) UploadIDs() []string {
	var out []string
	add := func(id string) {
		if id != "" && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	for _, id := range c.Attachments {
		add(id)
	}
	for _, x := range c.Exhibits {
		for _, id := range x.Photos {
			add(id)
		}
	}
	return out
}

// ComplaintNumber is the n-th complaint number of an expo: "CISCE2026-CP-000042".
func ComplaintNumber(prefix string, n int) string { return fmt.Sprintf("%s-CP-%06d", prefix, n) }

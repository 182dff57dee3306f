package filing

import (
	"context"
	"sort"
	"strconv"
	"strings"
	"time"
)

// A Notice is a message to a filing's contact about one event (SPEC §17): the outbox entry
// that says it is to be sent, was sent, or could not be. Notices of a filing's events are
// written by the store in the same transaction as the event (NoticeFor says which events have
// one), so that a notice is never lost and never made for an event that did not happen;
// reminders are added by the sweep (AddNotice, at most once per reminder).
//
// The notice keeps what the message says that a later event may change (the decision, the
// date to answer by, the address), so that a message sent late says what the event said.
type Notice struct {
	// ID is the Message-ID's local part, "<event>.<filing id>.<seq>": one per event, so a
	// message sent again after a crash is the same message.
	ID    string `json:"id"`
	Expo  string `json:"expo"`
	Event string `json:"event"`
	// FilingID and FilingNumber name the filing; a complaint's notice names the complaint
	// instead (ComplaintID, ComplaintNumber).
	FilingID        string      `json:"filingId,omitempty"`
	FilingNumber    string      `json:"filingNumber,omitempty"`
	ComplaintID     string      `json:"complaintId,omitempty"`
	ComplaintNumber string      `json:"complaintNumber,omitempty"`
	Seq             int         `json:"seq"`
	To              string      `json:"to"`
	Language        string      `json:"language"`
	State           NoticeState `json:"state"`
	RespondBy       string      `json:"respondBy,omitempty"`
	Decision        *Decision   `json:"decision,omitempty"`
	// What a complaint's message tells: the booth complained against, what to supplement, the
	// officer's note and decision.
	Booth             string             `json:"booth,omitempty"`
	Missing           []string           `json:"missing,omitempty"`
	Note              string             `json:"note,omitempty"`
	ComplaintDecision *ComplaintDecision `json:"complaintDecision,omitempty"`
	CreatedAt         time.Time          `json:"createdAt"`
	// NextAttemptAt is when a pending notice is next due: its creation, a retry's backoff, or
	// the end of a sender's claim on it.
	NextAttemptAt time.Time `json:"nextAttemptAt"`
	Attempts      int       `json:"attempts"`
	// Claim names the sender that is sending it (until NextAttemptAt): another sender leaves it.
	Claim     string    `json:"claim,omitempty"`
	SentAt    time.Time `json:"sentAt,omitzero"`
	UpdatedAt time.Time `json:"updatedAt"`
	// LastError is the last attempt's failure: the server's reply or why it could not be
	// reached. Bounced is set when the server refused the message for good (a 5xx reply).
	LastError string `json:"lastError,omitempty"`
	Bounced   bool   `json:"bounced,omitempty"`
	// Resends counts the supervisors' resends.
	Resends int `json:"resends,omitempty"`
	Version int `json:"version"`
}

// NoticeState is where a notice stands.
type NoticeState string

// The notice states of GET /v1/notifications?state=.
const (
	NoticePending NoticeState = "pending"
	NoticeSent    NoticeState = "sent"
	NoticeFailed  NoticeState = "failed"
)

// The events a contact hears of (the X-Ipfast-Event header).
const (
	NoticeFiled               = "filed"
	NoticeCorrectionRequested = "correction_requested"
	NoticeReminder            = "reminder"
	NoticeDecided             = "decided"
	NoticeDeemedWithdrawn     = "deemed_withdrawn"

	// The complaint desk's (SPEC §11): to the complainant at each step, to the respondent from
	// accepted on (the X-Ipfast-Complaint header names the complaint).
	NoticeComplaintSubmitted  = "complaint_submitted"
	NoticeComplaintIncomplete = "complaint_incomplete"
	NoticeComplaintAccepted   = "complaint_accepted"
	NoticeComplaintRefused    = "complaint_refused"
	NoticeComplaintDecided    = "complaint_decided"
	NoticeRespondentAccepted  = "respondent_accepted"
	NoticeRespondentDecided   = "respondent_decided"
)

// noticeEvents maps the filing actions that have a notice to its event.
var noticeEvents = map[string]string{
	string(ActFile):              NoticeFiled,
	string(ActRequestCorrection): NoticeCorrectionRequested,
	string(ActAccept):            NoticeDecided,
	string(ActReject):            NoticeDecided,
	string(ActDeemWithdrawn):     NoticeDeemedWithdrawn,
}

// NoticeFor is the notice of event ev, which made f (as it stands after ev): ok is false when
// the event concerns nobody outside (a lease, a release) or the filing names no contact email.
// Stores call it for every event they write.
func NoticeFor(f Filing, ev Event) (Notice, bool) {
	event, ok := noticeEvents[ev.Action]
	if !ok || f.Contact == nil || strings.TrimSpace(f.Contact.Email) == "" {
		return Notice{}, false
	}
	at, err := time.Parse(time.RFC3339, ev.At)
	if err != nil {
		at = time.Now()
	}
	n := newNotice(f, event, f.Version, at)
	if event == NoticeCorrectionRequested || event == NoticeDeemedWithdrawn {
		n.RespondBy = f.RespondBy
	}
	if event != NoticeFiled && f.Decision != nil {
		d := *f.Decision
		n.Decision = &d
	}
	return n, true
}

// ReminderFor is the reminder of the correction f's version asked for (SPEC §17: 3 days before
// respondBy); ok is false without a contact email.
func ReminderFor(f Filing, at time.Time) (Notice, bool) {
	if f.Contact == nil || strings.TrimSpace(f.Contact.Email) == "" || f.RespondBy == "" {
		return Notice{}, false
	}
	n := newNotice(f, NoticeReminder, f.Version, at)
	n.RespondBy = f.RespondBy
	if f.Decision != nil {
		d := *f.Decision
		n.Decision = &d
	}
	return n, true
}

func newNotice(f Filing, event string, seq int, at time.Time) Notice {
	at = at.UTC()
	return Notice{ID: NoticeID(event, f.ID, seq), Expo: f.Expo, Event: event, FilingID: f.ID, FilingNumber: f.FilingNumber,
		Seq: seq, To: strings.TrimSpace(f.Contact.Email), Language: f.Language, State: NoticePending,
		CreatedAt: at, NextAttemptAt: at, UpdatedAt: at, Version: 1}
}

// NoticeID is the id of the notice of event on a filing's version seq.
func NoticeID(event, filingID string, seq int) string {
	return event + "." + filingID + "." + strconv.Itoa(seq)
}

// ParseNoticeID splits a notice id into its event, filing id and seq (ok false for anything
// else).
func ParseNoticeID(id string) (event, filingID string, seq int, ok bool) {
	i, j := strings.IndexByte(id, '.'), strings.LastIndexByte(id, '.')
	if i <= 0 || j <= i+1 {
		return "", "", 0, false
	}
	seq, err := strconv.Atoi(id[j+1:])
	if err != nil || seq < 1 || strconv.Itoa(seq) != id[j+1:] {
		return "", "", 0, false
	}
	event = id[:i]
	if _, known := noticeKinds[event]; !known {
		return "", "", 0, false
	}
	return event, id[i+1 : j], seq, true
}

var noticeKinds = map[string]bool{NoticeFiled: true, NoticeCorrectionRequested: true, NoticeReminder: true,
	NoticeDecided: true, NoticeDeemedWithdrawn: true, NoticeComplaintSubmitted: true, NoticeComplaintIncomplete: true,
	NoticeComplaintAccepted: true, NoticeComplaintRefused: true, NoticeComplaintDecided: true,
	NoticeRespondentAccepted: true, NoticeRespondentDecided: true}

// IsComplaintNotice reports whether a notice event is the complaint desk's.
func IsComplaintNotice(event string) bool {
	return strings.HasPrefix(event, "complaint_") || strings.HasPrefix(event, "respondent_")
}

// Subject is the id of what the notice is about: the filing's, or the complaint's.
func (n Notice) Subject() string {
	if n.ComplaintID != "" {
		return n.ComplaintID
	}
	return n.FilingID
}

// Number is the filing's or the complaint's number.
func (n Notice) Number() string {
	if n.ComplaintNumber != "" {
		return n.ComplaintNumber
	}
	return n.FilingNumber
}

// complaintEvents maps the complaint actions to the complainant's notice and, from accepted on,
// the respondent's.
var complaintEvents = map[string][2]string{
	string(CActSubmit):            {NoticeComplaintSubmitted, ""},
	string(CActRequestSupplement): {NoticeComplaintIncomplete, ""},
	string(CActRefuse):            {NoticeComplaintRefused, ""},
	string(CActAccept):            {NoticeComplaintAccepted, NoticeRespondentAccepted},
	string(CActDecide):            {NoticeComplaintDecided, NoticeRespondentDecided},
}

// ComplaintNotices are the notices of event ev, which made c (as it stands after ev): the
// complainant's to the complainant's contact email, the respondent's to respondentEmail (the
// exhibitor directory's, "" when unknown). The complaint service puts them in ev.Notices, and
// the store writes them with the event.
func ComplaintNotices(c Complaint, ev Event, respondentEmail string) []Notice {
	events, ok := complaintEvents[ev.Action]
	if !ok {
		return nil
	}
	at, err := time.Parse(time.RFC3339, ev.At)
	if err != nil {
		at = time.Now()
	}
	var out []Notice
	for i, to := range []string{complainantEmail(c), strings.TrimSpace(respondentEmail)} {
		if events[i] == "" || to == "" {
			continue
		}
		at := at.UTC()
		n := Notice{ID: NoticeID(events[i], c.ID, c.Version), Expo: c.Expo, Event: events[i], ComplaintID: c.ID,
			ComplaintNumber: c.ComplaintNumber, Seq: c.Version, To: to, Language: c.Language, State: NoticePending,
			CreatedAt: at, NextAttemptAt: at, UpdatedAt: at, Version: 1, RespondBy: c.RespondBy, Booth: c.Respondent.Booth,
			Missing: c.Missing, Note: ev.Note}
		if c.Decision != nil {
			d := *c.Decision
			n.ComplaintDecision = &d
		}
		out = append(out, n)
	}
	return out
}

func complainantEmail(c Complaint) string {
	if c.Complainant.Contact == nil {
		return ""
	}
	return strings.TrimSpace(c.Complainant.Contact.Email)
}

// Masked is n as staff other than supervisors see it: the address masked.
func (n Notice) Masked() Notice {
	n.To = Mask(n.To)
	return n
}

// SortKey orders an expo's notices of one state: pending ones by when they are due, the others
// by when they last changed. Fixed width, so that byte order is time order.
func (n Notice) SortKey() string {
	t := n.UpdatedAt
	if n.State == NoticePending {
		t = n.NextAttemptAt
	}
	return t.UTC().Format("20060102T150405.000000") + "#" + n.ID
}

// Retry policy of a notice whose mail server could not be reached or answered "try later"
// (4xx): again after 2 s, 4 s, 8 s… at most NoticeRetryMax apart, until NoticeGiveUp after the
// event; then it is failed.
const (
	NoticeRetryMax = 30 * time.Second
	NoticeGiveUp   = 72 * time.Hour
	// NoticeClaim is how long a sender holds a notice it is sending: another sender takes it
	// over after that (a sender that died between sending and recording it).
	NoticeClaim = 2 * time.Minute
)

// NoticeBackoff is the wait before attempt number attempts+1.
func NoticeBackoff(attempts int) time.Duration {
	d := 2 * time.Second
	for i := 1; i < attempts && d < NoticeRetryMax; i++ {
		d *= 2
	}
	return min(d, NoticeRetryMax)
}

// NoticeQuery selects an expo's notices in one state. Due (pending only) keeps those due at
// or before it. Pending notices come oldest due first, sent and failed ones newest first.
type NoticeQuery struct {
	Expo   string
	State  NoticeState
	Due    time.Time
	Limit  int
	Cursor string
}

// NoticePage is one page of notices.
type NoticePage struct {
	Items      []Notice `json:"items"`
	NextCursor string   `json:"nextCursor"`
}

// NoticeStore keeps the notification outbox (SPEC §17). Store.Create and Store.Update write a
// filing event's notice (NoticeFor) in their transaction; every adapter passes the notice
// section of the storetest conformance suite.
type NoticeStore interface {
	// AddNotice stores a notice that no filing write makes (a reminder), unless a notice of
	// that id exists: then it writes nothing and added is false.
	AddNotice(ctx context.Context, n Notice) (added bool, err error)
	// GetNotice returns a notice of that expo (NotFound for none, or another expo's).
	GetNotice(ctx context.Context, expo, id string) (Notice, error)
	// UpdateNotice replaces a notice whose stored version is n.Version-1 (version_conflict
	// otherwise: another sender claimed it; NotFound for none).
	UpdateNotice(ctx context.Context, n Notice) error
	// Notices lists an expo's notices that q selects, a page at a time.
	Notices(ctx context.Context, q NoticeQuery) (NoticePage, error)
	// FilingNotices lists a filing's notices, oldest first.
	FilingNotices(ctx context.Context, expo, filingID string) ([]Notice, error)
	// Unsubscribe stops the reminders of a filing (its contact asked); Unsubscribed tells.
	Unsubscribe(ctx context.Context, expo, filingID string) error
	Unsubscribed(ctx context.Context, expo, filingID string) (bool, error)
}

// SortNotices orders a filing's notices as FilingNotices lists them: by the version they are
// of, then oldest first (a reminder after the correction it reminds of).
func SortNotices(ns []Notice) {
	sort.Slice(ns, func(i, j int) bool {
		if ns[i].Seq != ns[j].Seq {
			return ns[i].Seq < ns[j].Seq
		}
		if !ns[i].CreatedAt.Equal(ns[j].CreatedAt) {
			return ns[i].CreatedAt.Before(ns[j].CreatedAt)
		}
		return ns[i].ID < ns[j].ID
	})
}

// NoticeStates are the states a notice can be in.
var NoticeStates = []NoticeState{NoticePending, NoticeSent, NoticeFailed}

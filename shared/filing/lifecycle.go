package filing

import "time"

// Action is something that happens to a filing. Every change of a stored filing is one action,
// applied with Apply: that is the only way a filing changes state, so a transition the state
// machine lacks cannot be written. Its value is the action's name in the audit trail.
type Action string

// The actions of SPEC §4, with the states they move a filing between.
const (
	ActLease             Action = "leased"                     // queued → in_review
	ActExtend            Action = "lease_extended"             // in_review → in_review
	ActRelease           Action = "released"                   // in_review → queued
	ActLeaseExpired      Action = "lease_expired"              // in_review → queued
	ActAccept            Action = "decided:accept"             // in_review → accepted
	ActReject            Action = "decided:reject"             // in_review → rejected
	ActRequestCorrection Action = "decided:request_correction" // in_review → correction_requested
	ActAmend             Action = "amended"                    // correction_requested → queued
	ActWithdraw          Action = "withdrawn"                  // queued | correction_requested → withdrawn
	ActDeemWithdrawn     Action = "deemed_withdrawn"           // correction_requested → deemed_withdrawn
	// An examiner's verdict on a similar filing (SPEC §15), recorded in the audit trail.
	ActSimilarConfirmed Action = "similar_mark:confirmed" // in_review → in_review
	ActSimilarDismissed Action = "similar_mark:dismissed" // in_review → in_review
)

// ActFile is the first event of every filing: it comes from no state (see NewEvent).
const ActFile Action = "filed"

type move struct {
	from []State
	to   State
}

var actions = map[Action]move{
	ActLease:             {[]State{StateQueued}, StateInReview},
	ActExtend:            {[]State{StateInReview}, StateInReview},
	ActRelease:           {[]State{StateInReview}, StateQueued},
	ActLeaseExpired:      {[]State{StateInReview}, StateQueued},
	ActAccept:            {[]State{StateInReview}, StateAccepted},
	ActReject:            {[]State{StateInReview}, StateRejected},
	ActRequestCorrection: {[]State{StateInReview}, StateCorrectionRequested},
	ActAmend:             {[]State{StateCorrectionRequested}, StateQueued},
	ActWithdraw:          {[]State{StateQueued, StateCorrectionRequested}, StateWithdrawn},
	ActDeemWithdrawn:     {[]State{StateCorrectionRequested}, StateDeemedWithdrawn},
	ActSimilarConfirmed:  {[]State{StateInReview}, StateInReview},
	ActSimilarDismissed:  {[]State{StateInReview}, StateInReview},
}

// Actions lists every action Apply knows.
func Actions() []Action {
	return []Action{ActLease, ActExtend, ActRelease, ActLeaseExpired, ActAccept, ActReject,
		ActRequestCorrection, ActAmend, ActWithdraw, ActDeemWithdrawn, ActSimilarConfirmed, ActSimilarDismissed}
}

// DecisionAction is the action of an examiner's decision outcome ("" for an unknown one).
func DecisionAction(outcome string) Action {
	switch outcome {
	case OutcomeAccept:
		return ActAccept
	case OutcomeReject:
		return ActReject
	case OutcomeRequestCorrection:
		return ActRequestCorrection
	}
	return ""
}

// Actor is who does an action: a caller, or the system (sweeps, lease expiry).
type Actor struct {
	Subject string
	Role    string
}

// System is the actor of what happens by itself.
var System = Actor{Subject: "system", Role: "system"}

// ActorOf is the actor of an authenticated caller.
func ActorOf(p Principal) Actor { return Actor{Subject: p.Subject, Role: p.Role} }

// Change is the detail an action records besides who and when.
type Change struct {
	Note    string
	Reasons []Reason
}

// Apply does action a to f, by actor at the instant at (written in the expo's zone by the
// caller's clock): it checks that the state machine allows a from f's state, moves f to the
// action's state, adds one to its version and returns the audit event to store with it. An
// action the state machine does not allow from f's state is a Conflict (invalid_transition),
// and f is left as it was. What else the action changes (the lease, the decision, respondBy,
// the content) the caller sets on f, before or after.
func Apply(f *Filing, a Action, by Actor, at time.Time, c Change) (Event, error) {
	m, ok := actions[a]
	if !ok {
		return Event{}, Errorf(Internal, "unknown_action", "unknown action %q", a)
	}
	allowed := false
	for _, s := range m.from {
		allowed = allowed || s == f.State
	}
	if !allowed {
		return Event{}, Errorf(Conflict, CodeInvalidTransition, "a filing in state %s cannot be %s", f.State, a)
	}
	ev := Event{At: at.Format(time.RFC3339), Actor: by.Subject, Role: by.Role, Action: string(a),
		FromState: f.State, ToState: m.to, Reasons: c.Reasons, Note: c.Note}
	f.State, f.Version = m.to, f.Version+1
	return ev, nil
}

// NewEvent is the first audit event of a filing, filed at the instant at.
func NewEvent(by Actor, at time.Time) Event {
	return Event{At: at.Format(time.RFC3339), Actor: by.Subject, Role: by.Role, Action: string(ActFile), ToState: StateQueued}
}

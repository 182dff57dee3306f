package filing

// State is where a filing stands (SPEC §4).
type State string

// The states of a filing.
const (
	StateQueued              State = "queued"
	StateInReview            State = "in_review"
	StateAccepted            State = "accepted"
	StateRejected            State = "rejected"
	StateCorrectionRequested State = "correction_requested"
	StateWithdrawn           State = "withdrawn"
	StateDeemedWithdrawn     State = "deemed_withdrawn"
)

// States lists every state, in lifecycle order.
var States = []State{StateQueued, StateInReview, StateAccepted, StateRejected,
	StateCorrectionRequested, StateWithdrawn, StateDeemedWithdrawn}

// Valid reports whether s is a known state.
func (s State) Valid() bool {
	for _, v := range States {
		if s == v {
			return true
		}
	}
	return false
}

var transitions = map[State][]State{
	StateQueued:              {StateInReview, StateWithdrawn},
	StateInReview:            {StateAccepted, StateRejected, StateCorrectionRequested, StateQueued},
	StateCorrectionRequested: {StateQueued, StateWithdrawn, StateDeemedWithdrawn},
}

// CanMove reports whether the state machine allows from → to.
func CanMove(from, to State) bool {
	for _, s := range transitions[from] {
		if s == to {
			return true
		}
	}
	return false
}

// Move checks from → to and returns a Conflict error with code invalid_transition if the state
// machine does not allow it.
func Move(from, to State) error {
	if CanMove(from, to) {
		return nil
	}
	return Errorf(Conflict, CodeInvalidTransition, "a filing in state %s cannot become %s", from, to)
}

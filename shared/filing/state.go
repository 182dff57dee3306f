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

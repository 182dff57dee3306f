package filing

// PriorityOutcome is what the period rules say of one priority claim (SPEC §6).
type PriorityOutcome int

// The outcomes of a priority claim.
const (
	PriorityUnknown  PriorityOutcome = iota // no real date, or no period for what is filed
	PriorityInTime                          // within the period
	PriorityFuture                          // dated after the filing date
	PriorityExpired                         // the period ended before the filing date
	PriorityRestored                        // ended, but restoration was asked in time
)

// PriorityMonths is the priority period of what r files: 12 months for inventions and utility
// models, 6 for designs and trademarks, 0 when the kind or type is not known.
func PriorityMonths(r *Request) int {
	switch {
	case r.Kind == KindTrademark:
		return 6
	case r.Kind != KindPatent || r.Patent == nil:
		return 0
	case r.Patent.Type == PatentInvention, r.Patent.Type == PatentUtilityModel:
		return 12
	case r.Patent.Type == PatentDesign:
		return 6
	}
	return 0
}

// restorable reports whether the right of priority of what r files can be restored: inventions
// and utility models (Implementing Regulations Art. 36).
func restorable(r *Request) bool {
	return r.Kind == KindPatent && r.Patent != nil &&
		(r.Patent.Type == PatentInvention || r.Patent.Type == PatentUtilityModel)
}

// Priority judges claim p of r for a filing on filingDate. A claim whose period ended is
// restored when it asks for restoration, r is an invention or utility model, and the filing
// date is within 2 months after the period ended (both ends by the period rules).
func (e *Expo) Priority(r *Request, p PriorityClaim, filingDate Date) PriorityOutcome {
	d, err := ParseDate(p.Date)
	months := PriorityMonths(r)
	if err != nil || months == 0 {
		return PriorityUnknown
	}
	if d.After(filingDate) {
		return PriorityFuture
	}
	end := e.calendar.PeriodEnd(d, months)
	switch {
	case !filingDate.After(end):
		return PriorityInTime
	case p.Restoration != nil && restorable(r) && !filingDate.After(e.calendar.PeriodEnd(end, 2)):
		return PriorityRestored
	}
	return PriorityExpired
}

// FeesOf is the fee statement of r filed on filingDate: restored priority claims pay the
// restoration fee.
func (e *Expo) FeesOf(r *Request, filingDate Date) Fees {
	restored := 0
	for _, p := range r.PriorityClaims {
		if e.Priority(r, p, filingDate) == PriorityRestored {
			restored++
		}
	}
	return e.Fees.Compute(r, restored)
}

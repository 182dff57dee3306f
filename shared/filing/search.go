package filing

// SearchQuery is an examiner's search of one expo's filings (SPEC §5, GET /v1/filings): the
// words of Q each match the start of a word of the filing number, an applicant's name, the
// mark text or title, or the booth (Chinese text matches anywhere); the other fields filter.
// Results come newest first. Package search defines the words and the matching.
type SearchQuery struct {
	Expo   string
	Q      string
	State  State  // "" for any
	Queue  string // "" for any
	Kind   string // "" for any; trademark, patent, invention, utility_model or design
	From   string // filing date on or after (YYYY-MM-DD), "" for no bound
	To     string // filing date on or before (YYYY-MM-DD), "" for no bound
	Limit  int
	Cursor string // opaque, from a previous Page
}

// SearchKinds are the values of SearchQuery.Kind.
var SearchKinds = []string{KindTrademark, KindPatent, PatentInvention, PatentUtilityModel, PatentDesign}

// Filters reports whether f is in the query's expo and passes its filters (not its words).
func (q SearchQuery) Filters(f Filing) bool {
	return f.Expo == q.Expo && (q.State == "" || f.State == q.State) && (q.Queue == "" || f.Queue == q.Queue) &&
		(q.Kind == "" || IsOfKind(f, q.Kind)) &&
		(q.From == "" || f.FilingDate >= q.From) && (q.To == "" || f.FilingDate <= q.To)
}

// IsOfKind reports whether f is of a SearchKinds kind.
func IsOfKind(f Filing, kind string) bool {
	switch kind {
	case KindTrademark, KindPatent:
		return f.Kind == kind
	}
	return f.Patent != nil && f.Patent.Type == kind
}

// KindOf names f's kind as the statistics count it: trademark, invention, utility_model or
// design.
func KindOf(f Filing) string {
	if f.Kind == KindPatent && f.Patent != nil {
		return f.Patent.Type
	}
	return f.Kind
}

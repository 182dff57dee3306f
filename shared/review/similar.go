package review

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/ipfast/ipfast/shared/filing"
	"github.com/ipfast/ipfast/shared/similar"
	"github.com/ipfast/ipfast/shared/validate"
)

// Similar filings (SPEC §15): on a leased trademark (and any trademark an examiner reads),
// similarMarks lists the expo's other trademark filings close to it, by the same rules as the
// known-mark hints. Kiosks never see them: pending filings are confidential.

// SimilarMarksAge is how old the index of an expo's trademark filings may be: a filing made
// since shows within that time.
const SimilarMarksAge = 10 * time.Second

type markCache struct {
	mu    sync.Mutex
	built time.Time
	ix    *similar.Index
	meta  map[string]filing.Filing // by id: number, mark, booth, date, state
}

type markKey struct {
	store filing.Store
	expo  string
}

var markCaches sync.Map // markKey → *markCache

// filingMarks is the index of the expo's live trademark filings (not withdrawn or refused),
// rebuilt from the store's search index when older than SimilarMarksAge or when it lacks the
// filing id (made since it was built; at most once a second): a pair of similar filings shows
// at once (within a second) on the newer of the two, and on both within SimilarMarksAge.
func (s *Service) filingMarks(ctx context.Context, id string) (*markCache, error) {
	v, _ := markCaches.LoadOrStore(markKey{s.Store, s.Expo.ID}, &markCache{})
	c := v.(*markCache)
	c.mu.Lock()
	defer c.mu.Unlock()
	// A filing the index lacks rebuilds it at most once a second: leases of filings made since
	// the last build (most of them, while a fair files) do not each read every trademark.
	age := time.Since(c.built)
	if _, known := c.meta[id]; c.ix != nil && age < SimilarMarksAge && (known || age < time.Second) {
		return c, nil
	}
	var marks []similar.Mark
	meta := map[string]filing.Filing{}
	q := filing.SearchQuery{Expo: s.Expo.ID, Kind: filing.KindTrademark, Limit: 100}
	for {
		page, err := s.Store.Search(ctx, q)
		if err != nil {
			return nil, err
		}
		for _, f := range page.Items {
			if f.Trademark == nil || f.Trademark.MarkText == "" || f.State == filing.StateWithdrawn ||
				f.State == filing.StateDeemedWithdrawn || f.State == filing.StateRejected {
				continue
			}
			var classes []int
			for _, c := range f.Trademark.Classes {
				classes = append(classes, c.Class)
			}
			marks = append(marks, similar.Mark{Text: f.Trademark.MarkText, Classes: classes, Ref: f.ID})
			meta[f.ID] = filing.Filing{ID: f.ID, FilingNumber: f.FilingNumber, Booth: f.Booth, FilingDate: f.FilingDate, State: f.State}
		}
		if page.NextCursor == "" {
			break
		}
		q.Cursor = page.NextCursor
	}
	c.ix, c.meta, c.built = similar.New(marks), meta, time.Now()
	return c, nil
}

// withSimilar is f with its similar filings (a trademark; other filings as they are).
func (s *Service) withSimilar(ctx context.Context, f filing.Filing) (filing.Filing, error) {
	if f.Trademark == nil || f.Trademark.MarkText == "" {
		return f, nil
	}
	c, err := s.filingMarks(ctx, f.ID)
	if err != nil {
		return f, err
	}
	var classes []int
	for _, cl := range f.Trademark.Classes {
		classes = append(classes, cl.Class)
	}
	f.SimilarMarks = []filing.SimilarFiling{}
	for _, h := range c.ix.Find(f.Trademark.MarkText, classes) {
		if h.Mark.Ref == f.ID {
			continue
		}
		m := c.meta[h.Mark.Ref]
		sf := filing.SimilarFiling{FilingID: m.ID, FilingNumber: m.FilingNumber, MarkText: h.Mark.Text, Classes: h.Classes,
			Reason: h.Reason, Booth: m.Booth, FilingDate: m.FilingDate, State: m.State}
		for _, v := range f.SimilarVerdicts {
			if v.FilingID == m.ID {
				sf.Verdict = v.Verdict
			}
		}
		f.SimilarMarks = append(f.SimilarMarks, sf)
	}
	return f, nil
}

// SimilarRequest is the body of POST /v1/filings/{id}/similar-marks: the lease holder's verdict
// on one of the filing's similar filings.
type SimilarRequest struct {
	LeaseToken string `json:"leaseToken"`
	Filing     string `json:"filing"`
	Verdict    string `json:"verdict"`
}

// JudgeSimilar records the lease holder's verdict (confirmed or dismissed) on a similar filing
// of the leased trademark: kept on the filing and written to its audit trail (the actions
// similar_mark:confirmed and similar_mark:dismissed, naming the other filing's number).
func (s *Service) JudgeSimilar(ctx context.Context, p filing.Principal, id string, req SimilarRequest) (filing.Filing, error) {
	s, err := s.examiner(p)
	if err != nil {
		return filing.Filing{}, err
	}
	var probs []filing.Problem
	act := filing.ActSimilarConfirmed
	switch req.Verdict {
	case filing.VerdictConfirmed:
	case filing.VerdictDismissed:
		act = filing.ActSimilarDismissed
	default:
		probs = append(probs, validate.NewProblem("/verdict", "invalid_enum", filing.VerdictConfirmed+", "+filing.VerdictDismissed))
	}
	if req.Filing == "" {
		probs = append(probs, validate.NewProblem("/filing", "required", ""))
	}
	if len(probs) > 0 {
		return filing.Filing{}, validate.Error(probs)
	}
	f, err := s.held(ctx, p, id, req.LeaseToken)
	if err != nil {
		return filing.Filing{}, err
	}
	other, err := s.Store.Get(ctx, s.Expo.ID, req.Filing)
	if filing.ErrorKind(err) == filing.NotFound || err == nil && (other.Trademark == nil || other.ID == f.ID) {
		return filing.Filing{}, validate.Error([]filing.Problem{validate.NewProblem("/filing", "similar_filing_unknown", "")})
	}
	if err != nil {
		return filing.Filing{}, err
	}
	now := s.Clock.Now()
	ev, err := filing.Apply(&f, act, filing.ActorOf(p), s.local(now), filing.Change{Note: other.FilingNumber})
	if err != nil {
		return filing.Filing{}, err
	}
	v := filing.SimilarVerdict{FilingID: other.ID, Verdict: req.Verdict, By: p.Subject, At: s.stamp(now)}
	f.SimilarVerdicts = slices.DeleteFunc(f.SimilarVerdicts, func(x filing.SimilarVerdict) bool { return x.FilingID == other.ID })
	f.SimilarVerdicts = append(f.SimilarVerdicts, v)
	if err := s.Store.Update(ctx, f, ev, false); err != nil {
		return filing.Filing{}, lostOnConflict(err)
	}
	return s.similarOrLog(ctx, s.examinerView(f, p)), nil
}

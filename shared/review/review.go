// Package review is the examiners' service: the review queues, leases (one examiner at a
// time, bound to that examiner), decisions, and the supervisor's figures. Kiosks' filings and
// uploads are package intake's; what happens by itself with time is package sweep's. They share
// what they share through the domain (package filing).
package review

import (
	"cmp"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ipfast/ipfast/shared/filing"
	"github.com/ipfast/ipfast/shared/metrics"
	"github.com/ipfast/ipfast/shared/validate"
)

// Service reviews filings on behalf of examiners and supervisors.
type Service struct {
	Expo  *filing.Expo
	Store filing.Store
	Queue filing.Queue
	Clock filing.Clock
	// LeaseDuration is how long an examiner holds a leased filing (the expo's
	// review.leaseMinutes unless set).
	LeaseDuration time.Duration
	// Blobs holds attachments (nil: none can be downloaded); DownloadTTL is how long a
	// download link works.
	Blobs       filing.Blobs
	DownloadTTL time.Duration
	// Metrics records how long lease requests waited and the decisions (nil: nothing).
	Metrics metrics.Recorder
}

// New returns a Service with the defaults filled in.
func New(expo *filing.Expo, store filing.Store, queue filing.Queue, clock filing.Clock) *Service {
	if clock == nil {
		clock = filing.SystemClock{}
	}
	return &Service{Expo: expo, Store: store, Queue: queue, Clock: clock,
		LeaseDuration: leaseOf(expo), DownloadTTL: 5 * time.Minute}
}

// Grant is what an examiner holds after leasing or extending: the opaque token that every
// further step on the filing needs, when it ends, and the filing in full.
type Grant struct {
	LeaseToken     string        `json:"leaseToken"`
	LeaseExpiresAt string        `json:"leaseExpiresAt"`
	Filing         filing.Filing `json:"filing"`
}

// DecisionRequest is the body of POST /v1/filings/{id}/decision.
type DecisionRequest struct {
	LeaseToken string          `json:"leaseToken"`
	Outcome    string          `json:"outcome"`
	Reasons    []filing.Reason `json:"reasons"`
	Note       string          `json:"note"`
}

// examiner checks that p is an examiner or supervisor and returns the service of p's expo:
// its queues, filings and statistics are the only ones p sees (SPEC §14).
func (s *Service) examiner(p filing.Principal) (*Service, error) {
	if p.Role != filing.RoleExaminer && p.Role != filing.RoleSupervisor {
		return nil, filing.Errorf(filing.Forbidden, filing.CodeForbidden, "only examiners may do this")
	}
	return s.For(p.Expo)
}

// For returns the service of one expo of the deployment ("" for the default expo); an expo
// the deployment does not serve is Unauthorized.
func (s *Service) For(expo string) (*Service, error) {
	x, err := s.Expo.Serving(expo)
	if err != nil || x == s.Expo {
		return s, err
	}
	c := *s
	c.Expo = x
	if s.LeaseDuration == leaseOf(s.Expo) {
		c.LeaseDuration = leaseOf(x) // the expo's own review.leaseMinutes, unless set by hand
	}
	return &c, nil
}

func leaseOf(e *filing.Expo) time.Duration { return time.Duration(e.Review.LeaseMinutes) * time.Minute }

// queue is the name of this expo's queue at the queue adapter.
func (s *Service) queue(name string) string { return filing.ExpoQueue(s.Expo.ID, name) }

func leaseLost() error {
	return filing.Errorf(filing.Conflict, filing.CodeLeaseLost, "the lease is no longer held")
}

// Queues describes every review queue.
func (s *Service) Queues(ctx context.Context, p filing.Principal) ([]filing.QueueStats, error) {
	s, err := s.examiner(p)
	if err != nil {
		return nil, err
	}
	out := []filing.QueueStats{}
	var oldest map[string]int
	for _, q := range s.Expo.Queues() {
		st, err := s.Queue.Stats(ctx, s.queue(q))
		if err != nil {
			return nil, fmt.Errorf("intake: stats of %s: %w", q, err)
		}
		st.Name = q
		if st.Depth > 0 && st.OldestAgeSeconds == 0 {
			// The queue service does not say (SQS): the oldest filing waiting in it does.
			if oldest == nil {
				if oldest, err = s.oldestQueued(ctx); err != nil {
					return nil, err
				}
			}
			st.OldestAgeSeconds = oldest[q]
		}
		out = append(out, st)
	}
	return out, nil
}

// oldestQueued is, per queue, the age in seconds of the oldest filing waiting in state queued.
func (s *Service) oldestQueued(ctx context.Context) (map[string]int, error) {
	now := s.Clock.Now()
	ages := map[string]int{}
	q := filing.ListQuery{Expo: s.Expo.ID, State: filing.StateQueued, Limit: 100}
	for {
		page, err := s.Store.ListByState(ctx, q)
		if err != nil {
			return nil, fmt.Errorf("intake: oldest queued: %w", err)
		}
		for _, f := range page.Items { // oldest first: the first of a queue is its oldest
			if _, seen := ages[f.Queue]; seen {
				continue
			}
			if filed, err := time.Parse(time.RFC3339, f.FiledAt); err == nil {
				ages[f.Queue] = int(max(0, now.Sub(filed).Seconds()))
			}
		}
		if page.NextCursor == "" || len(ages) == len(s.Expo.Queues()) {
			return ages, nil
		}
		q.Cursor = page.NextCursor
	}
}

func (s *Service) knownQueue(name string) error {
	if !slices.Contains(s.Expo.Queues(), name) {
		return filing.Errorf(filing.NotFound, filing.CodeQueueNotFound, "no queue named %q", name)
	}
	return nil
}

// Lease gives the calling examiner the next filing of a queue, waiting up to wait for one;
// ok is false when none came. Messages for filings that are no longer queued are acknowledged
// and skipped, so a duplicate delivery never reaches a second examiner; a message for a filing
// that does not exist goes back at once, to end in the dead letters after the receive limit.
func (s *Service) Lease(ctx context.Context, p filing.Principal, queue string, wait time.Duration) (Grant, bool, error) {
	s, err := s.examiner(p)
	if err != nil {
		return Grant{}, false, err
	}
	if err := s.knownQueue(queue); err != nil {
		return Grant{}, false, err
	}
	started := time.Now()
	deadline := started.Add(wait)
	waited := func(outcome string) {
		metrics.Of(s.Metrics).Record(metrics.LeaseWait, float64(time.Since(started).Milliseconds()), s.Expo.ID, queue, outcome)
	}
	for {
		d, ok, err := s.Queue.Receive(ctx, s.queue(queue), s.LeaseDuration, max(0, time.Until(deadline)))
		if err != nil || !ok {
			if err == nil {
				waited("empty")
			}
			return Grant{}, false, err
		}
		g, granted, err := s.claim(ctx, p, queue, d)
		if err == nil && granted {
			g.Filing = s.similarOrLog(ctx, g.Filing)
			waited("granted")
		}
		if err != nil || granted {
			return g, granted, err
		}
		if time.Now().After(deadline) && ctx.Err() == nil {
			// One more look without waiting: skipped messages must not end a long poll early
			// while others wait behind them.
			deadline = time.Now()
		}
		if ctx.Err() != nil {
			return Grant{}, false, ctx.Err()
		}
	}
}

func (s *Service) claim(ctx context.Context, p filing.Principal, queue string, d filing.Delivery) (Grant, bool, error) {
	for attempt := 0; attempt < 5; attempt++ {
		f, err := s.Store.Get(ctx, s.Expo.ID, d.FilingID)
		if filing.ErrorKind(err) == filing.NotFound {
			slog.WarnContext(ctx, "review message for an unknown filing", "queue", queue, "message", d.ID)
			return Grant{}, false, s.Queue.Release(ctx, s.queue(queue), d.Receipt)
		}
		if err != nil {
			return Grant{}, false, err
		}
		now := s.Clock.Now()
		switch {
		case f.State == filing.StateQueued:
		case f.State == filing.StateInReview && f.Lease != nil && (f.Lease.Expired(now) || f.Lease.MessageID == d.ID):
			// The holder's lease ran out (the queue, which counts the same time, handed the same
			// message out again): it goes back to queued, then to this examiner.
			ev, err := filing.Apply(&f, filing.ActLeaseExpired, filing.System, s.local(now),
				filing.Change{Note: "lease of " + f.Lease.Examiner + " expired"})
			if err != nil {
				return Grant{}, false, err
			}
			f.Lease = nil
			if err := s.Store.Update(ctx, f, ev, false); err != nil {
				if filing.ErrorCode(err) == filing.CodeVersionConflict {
					continue
				}
				return Grant{}, false, err
			}
		default:
			// Decided, withdrawn, or held by another examiner under another message: this
			// delivery is stale or a duplicate.
			if err := s.Queue.Ack(ctx, s.queue(queue), d.Receipt); err != nil && filing.ErrorCode(err) != filing.CodeLeaseLost {
				return Grant{}, false, err
			}
			return Grant{}, false, nil
		}
		ev, err := filing.Apply(&f, filing.ActLease, filing.ActorOf(p), s.local(now), filing.Change{})
		if err != nil {
			return Grant{}, false, err
		}
		token := newToken()
		f.Lease = &filing.Lease{Examiner: p.Subject, Queue: queue, LeasedAt: s.stamp(now), ExpiresAt: s.stamp(now.Add(s.LeaseDuration)), Receipt: d.Receipt,
			MessageID: d.ID, TokenHash: hashToken(token)}
		if err := s.Store.Update(ctx, f, ev, false); err != nil {
			if filing.ErrorCode(err) == filing.CodeVersionConflict {
				continue // changed meanwhile (withdrawn, say): decide again on what it is now
			}
			return Grant{}, false, err
		}
		return Grant{LeaseToken: token, LeaseExpiresAt: f.Lease.ExpiresAt, Filing: f.HolderView()}, true, nil
	}
	return Grant{}, false, s.Queue.Release(ctx, s.queue(queue), d.Receipt)
}

func (s *Service) stamp(t time.Time) string { return s.Expo.Stamp(t) }

func (s *Service) local(t time.Time) time.Time { return s.Expo.Local(t) }

func newToken() string {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("intake: no randomness: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b[:])
}

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// held returns the filing if token is its current, unexpired lease and the caller is the
// examiner who leased it; lease_lost otherwise (stale, released, expired, forged, or presented
// by anyone else, supervisors included, alike).
func (s *Service) held(ctx context.Context, p filing.Principal, id, token string) (filing.Filing, error) {
	s, err := s.examiner(p)
	if err != nil {
		return filing.Filing{}, err
	}
	f, err := s.Store.Get(ctx, s.Expo.ID, id)
	if err != nil {
		return filing.Filing{}, err
	}
	if !f.HeldBy(p.Subject, s.Clock.Now()) || token == "" ||
		subtle.ConstantTimeCompare([]byte(hashToken(token)), []byte(f.Lease.TokenHash)) != 1 {
		return filing.Filing{}, leaseLost()
	}
	return f, nil
}

// MaxExtend bounds one extension (SQS allows at most 12 hours of visibility).
const MaxExtend = 12 * time.Hour

// Extend moves the end of a lease to seconds from now.
func (s *Service) Extend(ctx context.Context, p filing.Principal, id, token string, seconds int) (Grant, error) {
	if seconds < 1 || time.Duration(seconds)*time.Second > MaxExtend {
		return Grant{}, &filing.Error{Kind: filing.Invalid, Code: "validation", Message: "1 problem",
			Problems: []filing.Problem{validate.NewProblem("/seconds", "invalid_format", "")}}
	}
	s, err := s.examiner(p)
	if err != nil {
		return Grant{}, err
	}
	f, err := s.held(ctx, p, id, token)
	if err != nil {
		return Grant{}, err
	}
	d := time.Duration(seconds) * time.Second
	if err := s.Queue.Extend(ctx, s.queue(f.Lease.Queue), f.Lease.Receipt, d); err != nil {
		return Grant{}, err
	}
	now := s.Clock.Now()
	ev, err := filing.Apply(&f, filing.ActExtend, filing.ActorOf(p), s.local(now), filing.Change{Note: "by " + strconv.Itoa(seconds) + " s"})
	if err != nil {
		return Grant{}, err
	}
	f.Lease.ExpiresAt = s.stamp(now.Add(d))
	if err := s.Store.Update(ctx, f, ev, false); err != nil {
		return Grant{}, lostOnConflict(err)
	}
	return Grant{LeaseToken: token, LeaseExpiresAt: f.Lease.ExpiresAt, Filing: f.HolderView()}, nil
}

func lostOnConflict(err error) error {
	if filing.ErrorCode(err) == filing.CodeVersionConflict {
		return leaseLost()
	}
	return err
}

// Release gives a filing back to its queue at once.
func (s *Service) Release(ctx context.Context, p filing.Principal, id, token string) (filing.Filing, error) {
	s, err := s.examiner(p)
	if err != nil {
		return filing.Filing{}, err
	}
	f, err := s.held(ctx, p, id, token)
	if err != nil {
		return filing.Filing{}, err
	}
	l := f.Lease
	ev, err := filing.Apply(&f, filing.ActRelease, filing.ActorOf(p), s.local(s.Clock.Now()), filing.Change{})
	if err != nil {
		return filing.Filing{}, err
	}
	f.Lease = nil
	if err := s.Store.Update(ctx, f, ev, false); err != nil {
		return filing.Filing{}, lostOnConflict(err)
	}
	// The filing is queued now whatever the queue says: if this fails, its message comes back
	// when the visibility ends.
	if err := s.Queue.Release(ctx, s.queue(l.Queue), l.Receipt); err != nil {
		slog.WarnContext(ctx, "release message", "filing", f.ID, "error", err.Error())
	}
	return s.examinerView(f, p), nil
}

// Decide records an examiner's decision on a filing they hold. The decision is stored first;
// then the queue message is acknowledged. If that acknowledgement fails, the message comes
// back, finds the filing decided, and is skipped: the two never disagree.
func (s *Service) Decide(ctx context.Context, p filing.Principal, id string, req DecisionRequest) (filing.Filing, error) {
	s, err := s.examiner(p)
	if err != nil {
		return filing.Filing{}, err
	}
	if probs := checkDecision(req); len(probs) > 0 {
		return filing.Filing{}, validate.Error(probs)
	}
	f, err := s.held(ctx, p, id, req.LeaseToken)
	if err != nil {
		return filing.Filing{}, err
	}
	applicable := filing.ReasonCodesFor(f)
	var probs []filing.Problem
	for i, r := range req.Reasons {
		if !slices.Contains(applicable, r.Code) {
			probs = append(probs, validate.NewProblem("/reasons/"+strconv.Itoa(i)+"/code", "invalid_enum",
				strings.Join(applicable, ", ")))
		}
	}
	if len(probs) > 0 {
		return filing.Filing{}, validate.Error(probs)
	}
	now := s.Clock.Now()
	l := f.Lease
	ev, err := filing.Apply(&f, filing.DecisionAction(req.Outcome), filing.ActorOf(p), s.local(now),
		filing.Change{Reasons: req.Reasons, Note: req.Note})
	if err != nil {
		return filing.Filing{}, err
	}
	f.Decision = &filing.Decision{Outcome: req.Outcome, Reasons: req.Reasons, Note: req.Note, DecidedAt: s.stamp(now),
		Examiner: p.Subject}
	if f.State == filing.StateCorrectionRequested {
		f.RespondBy = s.respondBy(f, now).String()
	}
	f.Lease = nil
	if err := s.Store.Update(ctx, f, ev, false); err != nil {
		return filing.Filing{}, lostOnConflict(err)
	}
	metrics.Of(s.Metrics).Record(metrics.Decisions, 1, s.Expo.ID, req.Outcome)
	if at, err := time.Parse(time.RFC3339Nano, l.LeasedAt); err == nil && !now.Before(at) {
		metrics.Of(s.Metrics).Record(metrics.LeaseToDecision, float64(now.Sub(at).Milliseconds()), s.Expo.ID, l.Queue, req.Outcome)
	}
	if err := s.Queue.Ack(ctx, s.queue(l.Queue), l.Receipt); err != nil {
		slog.WarnContext(ctx, "acknowledge decided filing", "filing", f.ID, "error", err.Error())
	}
	return s.examinerView(f, p), nil
}

// respondBy is the end of the period to answer a correction request: the expo's configured
// period for the filing's kind, from the decision date, by the period rules of SPEC §6.
func (s *Service) respondBy(f filing.Filing, now time.Time) filing.Date {
	day := s.Expo.LocalDate(now)
	c := s.Expo.Corrections
	if f.Kind == filing.KindTrademark {
		return s.Expo.Calendar().NextWorkingDay(day.AddDays(c.TrademarkDays))
	}
	return s.Expo.Calendar().PeriodEnd(day, c.PatentMonths)
}

func checkDecision(req DecisionRequest) []filing.Problem {
	var probs []filing.Problem
	switch req.Outcome {
	case filing.OutcomeAccept:
	case filing.OutcomeReject, filing.OutcomeRequestCorrection:
		if len(req.Reasons) == 0 {
			probs = append(probs, validate.NewProblem("/reasons", "required", ""))
		}
	case "":
		probs = append(probs, validate.NewProblem("/outcome", "required", ""))
	default:
		probs = append(probs, validate.NewProblem("/outcome", "invalid_enum", "accept, reject, request_correction"))
	}
	for i, r := range req.Reasons {
		if !slices.Contains(filing.ReasonCodes, r.Code) {
			probs = append(probs, validate.NewProblem("/reasons/"+strconv.Itoa(i)+"/code", "invalid_enum",
				fmt.Sprint(filing.ReasonCodes)))
		}
		if len(r.Note) > 2000 || len(r.Field) > 200 {
			probs = append(probs, validate.NewProblem("/reasons/"+strconv.Itoa(i), "too_long", "2000 characters"))
		}
	}
	if len(req.Note) > 4000 {
		probs = append(probs, validate.NewProblem("/note", "too_long", "4000 characters"))
	}
	return probs
}

// examinerView is a filing as an examiner sees it: whole for the lease holder, personal data
// masked for everyone else.
func (s *Service) examinerView(f filing.Filing, p filing.Principal) filing.Filing {
	if f.State == filing.StateInReview && f.Lease != nil && f.Lease.Examiner == p.Subject && !f.Lease.Expired(s.Clock.Now()) {
		return f.HolderView()
	}
	return f.HolderView().Masked()
}

// Stats are the supervisor's figures (GET /v1/stats), from the store's running counts
// (filing.Counts) and the queues' live figures: reading them costs the same at any number of
// filings.
type Stats struct {
	States         map[filing.State]int `json:"states"`
	Queues         []QueueFigures       `json:"queues"`
	Decided        int                  `json:"decided"`
	MedianToDecide float64              `json:"medianSecondsToDecision"`
	P95ToDecide    float64              `json:"p95SecondsToDecision"`
	DeadLetters    int                  `json:"deadLetters"`
	// Kinds counts filings by kind: trademark, invention, utility_model, design.
	Kinds map[string]int `json:"kinds"`
	// Countries counts filings by the first applicant's nationality.
	Countries map[string]int `json:"countries"`
	// FiledPerHour and DecidedPerHour count filings filed and decisions made per hour, oldest
	// first (hours with none left out).
	FiledPerHour   []HourCount `json:"filedPerHour"`
	DecidedPerHour []HourCount `json:"decidedPerHour"`
	// Examiners counts each examiner's decisions by outcome.
	Examiners   []ExaminerFigures `json:"examiners"`
	GeneratedAt string            `json:"generatedAt"`
}

// HourCount is a count in the hour starting at Hour.
type HourCount struct {
	Hour  string `json:"hour"`
	Count int    `json:"count"`
}

// ExaminerFigures are one examiner's decisions.
type ExaminerFigures struct {
	Examiner  string         `json:"examiner"`
	Decisions map[string]int `json:"decisions"`
	Total     int            `json:"total"`
}

// QueueFigures are one review queue's figures.
type QueueFigures struct {
	filing.QueueStats
	States         map[filing.State]int `json:"states"`
	Decided        int                  `json:"decided"`
	MedianToDecide float64              `json:"medianSecondsToDecision"`
	P95ToDecide    float64              `json:"p95SecondsToDecision"`
	hist           map[int64]int64
}

// Stats counts filings per state, queue, kind and country, decisions per hour and examiner,
// and measures the time from filing to decision (median and 95th percentile, overall and per
// queue, to three significant figures: filing.DecisionBucket), with each queue's live figures
// and dead letters.
func (s *Service) Stats(ctx context.Context, p filing.Principal) (Stats, error) {
	if p.Role != filing.RoleSupervisor {
		return Stats{}, filing.Errorf(filing.Forbidden, filing.CodeForbidden, "only supervisors may see statistics")
	}
	s, err := s.For(p.Expo)
	if err != nil {
		return Stats{}, err
	}
	st := Stats{States: map[filing.State]int{}, Kinds: map[string]int{}, Countries: map[string]int{},
		FiledPerHour: []HourCount{}, DecidedPerHour: []HourCount{}, Examiners: []ExaminerFigures{},
		GeneratedAt: s.stamp(s.Clock.Now())}
	for _, state := range filing.States {
		st.States[state] = 0
	}
	byQueue := map[string]*QueueFigures{}
	figures := func(name string) *QueueFigures {
		qf := byQueue[name]
		if qf == nil { // a queue no longer in the routing table
			qf = &QueueFigures{QueueStats: filing.QueueStats{Name: name}, States: map[filing.State]int{}, hist: map[int64]int64{}}
			byQueue[name] = qf
		}
		return qf
	}
	qs, err := s.Queues(ctx, p)
	if err != nil {
		return Stats{}, err
	}
	for _, q := range qs {
		figures(q.Name).QueueStats = q
		st.DeadLetters += q.DeadLetters
	}
	counts, err := s.Store.Counts(ctx, s.Expo.ID)
	if err != nil {
		return Stats{}, fmt.Errorf("review: stats: %w", err)
	}
	all := map[int64]int64{}
	filed, decided := map[string]int{}, map[string]int{}
	examiners := map[string]*ExaminerFigures{}
	for _, k := range counts.SortedKeys() {
		n := counts[k]
		family, middle, last := filing.SplitCounter(k)
		switch family {
		case "qs":
			st.States[filing.State(last)] += int(n)
			figures(middle).States[filing.State(last)] += int(n)
		case "kind":
			st.Kinds[last] += int(n)
		case "country":
			st.Countries[last] += int(n)
		case "filed":
			filed[last] += int(n)
		case "decided":
			decided[last] += int(n)
		case "ttd":
			secs, err := strconv.ParseInt(last, 10, 64)
			if err != nil {
				continue
			}
			figures(middle).hist[secs] += n
			all[secs] += n
		case "by":
			e := examiners[middle]
			if e == nil {
				e = &ExaminerFigures{Examiner: middle, Decisions: map[string]int{}}
				examiners[middle] = e
			}
			e.Decisions[last] += int(n)
			e.Total += int(n)
		}
	}
	st.Decided, st.MedianToDecide, st.P95ToDecide = percentiles(all)
	st.FiledPerHour, st.DecidedPerHour = s.hours(filed), s.hours(decided)
	for _, e := range examiners {
		st.Examiners = append(st.Examiners, *e)
	}
	slices.SortFunc(st.Examiners, func(a, b ExaminerFigures) int {
		return cmp.Or(cmp.Compare(b.Total, a.Total), cmp.Compare(a.Examiner, b.Examiner))
	})
	names := s.Expo.Queues()
	for name := range byQueue {
		if !slices.Contains(names, name) {
			names = append(names, name)
		}
	}
	for _, name := range names {
		qf := figures(name)
		qf.Decided, qf.MedianToDecide, qf.P95ToDecide = percentiles(qf.hist)
		st.Queues = append(st.Queues, *qf)
	}
	return st, nil
}

// hours lists hourly counts oldest first, each hour as a timestamp in the expo's time zone.
func (s *Service) hours(counts map[string]int) []HourCount {
	out := []HourCount{}
	for _, h := range slices.Sorted(maps.Keys(counts)) {
		t, err := filing.HourStart(h)
		if err != nil || counts[h] == 0 {
			continue
		}
		out = append(out, HourCount{Hour: s.stamp(t), Count: counts[h]})
	}
	return out
}

// percentiles are the number of values and the nearest-rank median and 95th percentile of a
// histogram (value → count).
func percentiles(hist map[int64]int64) (n int, median, p95 float64) {
	var total int64
	for _, c := range hist {
		total += c
	}
	if total <= 0 {
		return 0, 0, 0
	}
	rank := func(p int64) float64 {
		want := max((p*total+99)/100, 1) // ceil(p/100 · n)
		var seen int64
		for _, v := range slices.Sorted(maps.Keys(hist)) {
			seen += hist[v]
			if seen >= want {
				return float64(v)
			}
		}
		return 0
	}
	return int(total), rank(50), rank(95)
}

// Get returns any filing to an examiner or supervisor: whole for the lease holder, personal
// data masked for everyone else.
func (s *Service) Get(ctx context.Context, p filing.Principal, id string) (filing.Filing, error) {
	s, err := s.examiner(p)
	if err != nil {
		return filing.Filing{}, err
	}
	f, err := s.View(ctx, p, id)
	if err != nil {
		return filing.Filing{}, err
	}
	return s.similarOrLog(ctx, f), nil
}

// View is a filing as the examiner p may read it, without its similar filings (a receipt).
func (s *Service) View(ctx context.Context, p filing.Principal, id string) (filing.Filing, error) {
	s, err := s.examiner(p)
	if err != nil {
		return filing.Filing{}, err
	}
	f, err := s.Store.Get(ctx, s.Expo.ID, id)
	if err != nil {
		return filing.Filing{}, err
	}
	return s.examinerView(f, p), nil
}

// similarOrLog is f with its similar filings; when they cannot be read, f without them (a hint
// never stops review) and a log line.
func (s *Service) similarOrLog(ctx context.Context, f filing.Filing) filing.Filing {
	g, err := s.withSimilar(ctx, f)
	if err != nil {
		slog.WarnContext(ctx, "similar filings", "filing", f.ID, "error", err.Error())
		return f
	}
	return g
}

// Search finds filings of the caller's expo (SPEC §5: GET /v1/filings for examiners and
// supervisors), newest first, with personal data masked except on a filing whose lease the
// caller holds.
func (s *Service) Search(ctx context.Context, p filing.Principal, q filing.SearchQuery) (filing.Page, error) {
	s, err := s.examiner(p)
	if err != nil {
		return filing.Page{}, err
	}
	q.Expo = s.Expo.ID
	if q.Limit <= 0 {
		q.Limit = 20
	}
	page, err := s.Store.Search(ctx, q)
	for i := range page.Items {
		page.Items[i] = s.examinerView(page.Items[i], p)
	}
	return page, err
}

// History returns the audit trail of any filing.
func (s *Service) History(ctx context.Context, p filing.Principal, id string) ([]filing.Event, error) {
	if _, err := s.Get(ctx, p, id); err != nil {
		return nil, err
	}
	s, err := s.examiner(p)
	if err != nil {
		return nil, err
	}
	return s.Store.History(ctx, s.Expo.ID, id)
}

// Download returns a link to an attachment of a filing the caller holds the lease of; for
// anyone else the attachment does not exist (NotFound).
func (s *Service) Download(ctx context.Context, p filing.Principal, id, attachment string) (filing.DownloadLink, error) {
	s, err := s.examiner(p)
	if err != nil {
		return filing.DownloadLink{}, err
	}
	f, err := s.Store.Get(ctx, s.Expo.ID, id)
	if err != nil {
		return filing.DownloadLink{}, err
	}
	now := s.Clock.Now()
	if !f.HeldBy(p.Subject, now) {
		return filing.DownloadLink{}, filing.Errorf(filing.NotFound, filing.CodeNotFound, "no such attachment")
	}
	return filing.LinkTo(ctx, s.Blobs, s.Expo, f, attachment, now, s.DownloadTTL)
}

// Export calls each with every filing of the caller's expo that q selects (its state, queue,
// kind and filing dates; not its words), newest first, a page of 100 at a time, and returns how
// many: whole for supervisors, personal data masked for examiners (SPEC §13). A filing made
// during the export comes before the first page and is not in it; none comes twice.
func (s *Service) Export(ctx context.Context, p filing.Principal, q filing.SearchQuery, each func(filing.Filing) error) (int, error) {
	s, err := s.examiner(p)
	if err != nil {
		return 0, err
	}
	q.Expo, q.Q, q.Limit, q.Cursor = s.Expo.ID, "", 100, ""
	n := 0
	for {
		page, err := s.Store.Search(ctx, q)
		if err != nil {
			return n, err
		}
		for _, f := range page.Items {
			v := f.HolderView()
			v.Lease, v.SimilarVerdicts = nil, nil
			if p.Role != filing.RoleSupervisor {
				v = v.Masked()
			}
			if err := each(v); err != nil {
				return n, err
			}
			n++
		}
		if page.NextCursor == "" {
			return n, nil
		}
		q.Cursor = page.NextCursor
	}
}

// Package sweep is the service of what happens to filings and complaints by itself, with
// time: correction requests nobody answered become deemed_withdrawn, and their contacts are
// reminded 3 days before, leases that lapsed return
// their filings, incomplete complaints past their window become refused. `ipfast serve` runs it every minute, the
// sweeper function on its schedule in AWS: the same code.
package sweep

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/ipfast/ipfast/shared/complaint"
	"github.com/ipfast/ipfast/shared/filing"
)

// Service sweeps the filings of a store.
type Service struct {
	Store filing.Store
	Expo  *filing.Expo
	Clock filing.Clock // nil: the system clock
	// Notices is the notification outbox the reminders go to (nil: no reminders).
	Notices filing.NoticeStore

	reminded sync.Map // reminder ids this process added or found
}

// ReminderDays is how many days before respondBy the contact is reminded (SPEC §17).
const ReminderDays = 3

// Remind adds to the outbox the reminder of every correction request whose respondBy is at
// most ReminderDays days away (in its expo's zone; from 00:00 of that day), once per request,
// unless the contact unsubscribed or the request was made within those days; it reports how
// many it added.
func (s *Service) Remind(ctx context.Context) (int, error) {
	if s.Notices == nil {
		return 0, nil
	}
	clock := s.Clock
	if clock == nil {
		clock = filing.SystemClock{}
	}
	now := clock.Now()
	added := 0
	for _, x := range s.Expo.Expos() {
		today := x.LocalDate(now)
		q := filing.ListQuery{Expo: x.ID, State: filing.StateCorrectionRequested, Limit: 100}
		for {
			page, err := s.Store.ListByState(ctx, q)
			if err != nil {
				return added, fmt.Errorf("remind %s: %w", x.ID, err)
			}
			for _, f := range page.Items {
				due, err := filing.ParseDate(f.RespondBy)
				if err != nil || today.Before(due.AddDays(-ReminderDays)) || today.After(due) {
					continue
				}
				if f.Decision != nil {
					if at, err := time.Parse(time.RFC3339, f.Decision.DecidedAt); err == nil && !x.LocalDate(at).Before(due.AddDays(-ReminderDays)) {
						continue // asked within the last days: the request itself is the reminder
					}
				}
				r, ok := filing.ReminderFor(f, now)
				if !ok {
					continue
				}
				if _, done := s.reminded.Load(r.ID); done {
					continue
				}
				if _, err := s.Notices.GetNotice(ctx, x.ID, r.ID); err == nil {
					s.reminded.Store(r.ID, true)
					continue
				}
				if off, err := s.Notices.Unsubscribed(ctx, x.ID, f.ID); err != nil {
					return added, fmt.Errorf("remind %s: %w", f.ID, err)
				} else if off {
					s.reminded.Store(r.ID, true)
					continue
				}
				ok, err = s.Notices.AddNotice(ctx, r)
				if err != nil {
					return added, fmt.Errorf("remind %s: %w", f.ID, err)
				}
				s.reminded.Store(r.ID, true)
				if ok {
					added++
				}
			}
			if page.NextCursor == "" {
				break
			}
			q.Cursor = page.NextCursor
		}
	}
	return added, nil
}

// DeemWithdrawn moves every filing whose correction was requested and not answered by its
// respondBy date to deemed_withdrawn, on the first sweep after that date (in its expo's zone),
// and reports how many it moved; it sweeps every expo of the deployment. A filing changed
// meanwhile (amended at the last minute) is left as it is.
func (s *Service) DeemWithdrawn(ctx context.Context) (int, error) {
	clock := s.Clock
	if clock == nil {
		clock = filing.SystemClock{}
	}
	now := clock.Now()
	moved := 0
	for _, x := range s.Expo.Expos() {
		n, err := s.deemWithdrawn(ctx, x, now)
		moved += n
		if err != nil {
			return moved, err
		}
	}
	return moved, nil
}

func (s *Service) deemWithdrawn(ctx context.Context, x *filing.Expo, now time.Time) (int, error) {
	today := x.LocalDate(now)
	at := now.In(x.Location())
	store := s.Store
	moved := 0
	q := filing.ListQuery{Expo: x.ID, State: filing.StateCorrectionRequested, Limit: 100}
	for {
		page, err := store.ListByState(ctx, q)
		if err != nil {
			return moved, fmt.Errorf("sweep %s: %w", x.ID, err)
		}
		for _, f := range page.Items {
			due, err := filing.ParseDate(f.RespondBy)
			if err != nil || !today.After(due) {
				continue
			}
			ev, err := filing.Apply(&f, filing.ActDeemWithdrawn, filing.System, at, filing.Change{Note: "no amendment by " + f.RespondBy})
			if err != nil {
				continue // changed since it was listed: it is no longer waiting for an amendment
			}
			switch err := store.Update(ctx, f, ev, false); {
			case err == nil:
				moved++
			case filing.ErrorCode(err) != filing.CodeVersionConflict:
				return moved, fmt.Errorf("sweep %s: %w", f.ID, err)
			}
		}
		if page.NextCursor == "" {
			return moved, nil
		}
		q.Cursor = page.NextCursor
	}
}

// ReturnLapsedLeases puts back in its queue, with a new queue message, every filing still in
// review whose lease ended more than a lease length ago (the expo's review.leaseMinutes), and
// reports how many it returned. Normally the queue hands the filing's message out again the
// moment its lease ends and the next examiner takes it over; a filing this finds had lost its
// message (its queue was replaced in an upgrade, or purged) and would otherwise wait in
// in_review for ever. If the old message does come back after all, the filing is leased from
// whichever comes first, and the other is dropped as a duplicate.
func (s *Service) ReturnLapsedLeases(ctx context.Context) (int, error) {
	clock := s.Clock
	if clock == nil {
		clock = filing.SystemClock{}
	}
	now := clock.Now()
	returned := 0
	for _, x := range s.Expo.Expos() {
		grace := time.Duration(x.Review.LeaseMinutes) * time.Minute
		q := filing.ListQuery{Expo: x.ID, State: filing.StateInReview, Limit: 100}
		for {
			page, err := s.Store.ListByState(ctx, q)
			if err != nil {
				return returned, fmt.Errorf("sweep %s: %w", x.ID, err)
			}
			for _, f := range page.Items {
				if f.Lease != nil && !f.Lease.Expired(now.Add(-grace)) {
					continue
				}
				note := "no decision and no queue message a lease length after the lease ended"
				ev, err := filing.Apply(&f, filing.ActLeaseExpired, filing.System, now.In(x.Location()), filing.Change{Note: note})
				if err != nil {
					continue
				}
				f.Lease = nil
				switch err := s.Store.Update(ctx, f, ev, true); {
				case err == nil:
					returned++
				case filing.ErrorCode(err) != filing.CodeVersionConflict:
					return returned, fmt.Errorf("sweep %s: %w", f.ID, err)
				}
			}
			if page.NextCursor == "" {
				break
			}
			q.Cursor = page.NextCursor
		}
	}
	return returned, nil
}

// Report is what one run of every sweep did.
type Report struct {
	Reminders            int `json:"reminders"`
	DeemedWithdrawn      int `json:"deemedWithdrawn"`
	LapsedLeasesReturned int `json:"lapsedLeasesReturned"`
	ComplaintsRefused    int `json:"complaintsRefused"`
}

// Run runs every sweep once: what the sweeper function does on each schedule.
func (s *Service) Run(ctx context.Context) (Report, error) {
	var r Report
	var err error
	if r.DeemedWithdrawn, err = s.DeemWithdrawn(ctx); err != nil {
		return r, err
	}
	if r.LapsedLeasesReturned, err = s.ReturnLapsedLeases(ctx); err != nil {
		return r, err
	}
	if r.ComplaintsRefused, err = s.RefuseLapsedComplaints(ctx); err != nil {
		return r, err
	}
	r.Reminders, err = s.Remind(ctx)
	return r, err
}

// RefuseLapsedComplaints stores as refused the incomplete complaints whose supplement window
// has passed (SPEC §11; they read as refused already), in every expo, when the store keeps
// complaints, and reports how many.
func (s *Service) RefuseLapsedComplaints(ctx context.Context) (int, error) {
	cs, ok := s.Store.(filing.ComplaintStore)
	if !ok {
		return 0, nil
	}
	return complaint.New(s.Expo, cs, nil, s.Clock).RefuseLapsed(ctx)
}

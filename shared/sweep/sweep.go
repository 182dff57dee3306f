// Package sweep is the service of what happens to filings by itself, with time: correction
// requests nobody answered become deemed_withdrawn. `ipfast serve` runs it every minute, the
// sweeper function on its schedule in AWS: the same code.
package sweep

import (
	"context"
	"fmt"

	"github.com/ipfast/ipfast/shared/filing"
)

// Service sweeps the filings of a store.
type Service struct {
	Store filing.Store
	Expo  *filing.Expo
	Clock filing.Clock // nil: the system clock
}

// DeemWithdrawn moves every filing whose correction was requested and not answered by its
// respondBy date to deemed_withdrawn, on the first sweep after that date (expo-local), and
// reports how many it moved. A filing changed meanwhile (amended at the last minute) is left as
// it is.
func (s *Service) DeemWithdrawn(ctx context.Context) (int, error) {
	clock := s.Clock
	if clock == nil {
		clock = filing.SystemClock{}
	}
	now := clock.Now()
	today := s.Expo.LocalDate(now)
	at := now.In(s.Expo.Location())
	store := s.Store
	moved := 0
	q := filing.ListQuery{State: filing.StateCorrectionRequested, Limit: 100}
	for {
		page, err := store.ListByState(ctx, q)
		if err != nil {
			return moved, fmt.Errorf("sweep: %w", err)
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

package filing

import (
	"context"
	"fmt"
	"time"
)

// Sweep moves every filing whose correction was requested and not answered by its respondBy
// date to deemed_withdrawn, on the first sweep after that date (expo-local), and reports how
// many it moved. A filing changed meanwhile (amended at the last minute) is left as it is.
func Sweep(ctx context.Context, store Store, expo *Expo, now time.Time) (int, error) {
	today := expo.LocalDate(now)
	at := now.In(expo.Location())
	moved := 0
	q := ListQuery{State: StateCorrectionRequested, Limit: 100}
	for {
		page, err := store.ListByState(ctx, q)
		if err != nil {
			return moved, fmt.Errorf("sweep: %w", err)
		}
		for _, f := range page.Items {
			due, err := ParseDate(f.RespondBy)
			if err != nil || !today.After(due) {
				continue
			}
			ev, err := Apply(&f, ActDeemWithdrawn, System, at, Change{Note: "no amendment by " + f.RespondBy})
			if err != nil {
				continue // changed since it was listed: it is no longer waiting for an amendment
			}
			switch err := store.Update(ctx, f, ev, false); {
			case err == nil:
				moved++
			case ErrorCode(err) != CodeVersionConflict:
				return moved, fmt.Errorf("sweep %s: %w", f.ID, err)
			}
		}
		if page.NextCursor == "" {
			return moved, nil
		}
		q.Cursor = page.NextCursor
	}
}

package filing_test

import (
	"context"
	"testing"
	"time"

	"github.com/ipfast/ipfast/shared/filing"
)

type countingDirectory struct {
	calls   int
	entries []filing.Exhibitor
}

func (d *countingDirectory) ListExhibitors(_ context.Context, expo string) ([]filing.Exhibitor, error) {
	d.calls++
	return d.entries, nil
}

// TestDirectoryCache: the store is read once per MaxStale per expo; an entry put after a read
// is seen once MaxStale has passed, never later.
func TestDirectoryCache(t *testing.T) {
	clock := &filing.ManualClock{}
	clock.Set("2026-06-23T02:00:00Z")
	dir := &countingDirectory{entries: []filing.Exhibitor{{ID: "EX-1", Booth: "1A-1"}}}
	c := &filing.DirectoryCache{Dir: dir, Clock: clock, MaxStale: 5 * time.Second}
	ctx := context.Background()
	for range 3 {
		if got, _ := c.ListExhibitors(ctx, "CISCE2026"); len(got) != 1 {
			t.Fatalf("entries: %v", got)
		}
	}
	if _, err := c.ListExhibitors(ctx, "OTHER"); err != nil || dir.calls != 2 {
		t.Fatalf("reads for two expos: %d %v", dir.calls, err)
	}
	dir.entries = append(dir.entries, filing.Exhibitor{ID: "EX-2", Booth: "1A-2"})
	clock.Set("2026-06-23T02:00:04.999Z")
	if got, _ := c.ListExhibitors(ctx, "CISCE2026"); len(got) != 1 {
		t.Errorf("within MaxStale the read is trusted: %v", got)
	}
	clock.Set("2026-06-23T02:00:05Z")
	if got, _ := c.ListExhibitors(ctx, "CISCE2026"); len(got) != 2 || dir.calls != 3 {
		t.Errorf("after MaxStale the store is read again: %v (%d reads)", got, dir.calls)
	}
}

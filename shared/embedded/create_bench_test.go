package embedded

import (
	"context"
	"fmt"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ipfast/ipfast/shared/filing"
)

// BenchmarkCreate: Store.Create of a trademark from 32 goroutines (group commit, fsync).
func BenchmarkCreate(b *testing.B) {
	expo := filing.DefaultExpo()
	d, err := Open(filepath.Join(b.TempDir(), "ipfast.db"), Options{Queues: expo.AllQueues(), DefaultExpo: expo.ID})
	if err != nil {
		b.Fatal(err)
	}
	defer d.Close()
	var n atomic.Int64
	b.SetParallelism(16)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := n.Add(1)
			now := time.Now()
			f := filing.Filing{ID: filing.NewID("fil_", now), State: filing.StateQueued, FiledAt: now.Format(time.RFC3339),
				FilingDate: "2026-06-22", Expo: expo.ID, Exhibitor: "EX-0001", Booth: "1A-101", Queue: "trademark", Version: 1,
				Request: filing.Request{Kind: "trademark", Language: "en",
					Trademark:  &filing.Trademark{MarkType: "word", MarkText: "CATL", Classes: []filing.NiceClass{{Class: 9, Terms: []string{"Batteries"}}}},
					Applicants: []filing.Applicant{{Name: "Contemporary Amperex Technology Co., Limited", Nationality: "CN"}}}}
			_, _, err := d.Create(context.Background(), filing.NewFiling{Filing: f, Counter: expo.NumberPrefix + "-TM", Exhibitor: "EX-0001",
				Key: fmt.Sprint("k", i), Hash: "h", Expires: now.Add(24 * time.Hour), Now: now,
				Event: filing.Event{At: f.FiledAt, Action: "filed", ToState: filing.StateQueued}})
			if err != nil {
				b.Error(err)
				return
			}
		}
	})
}

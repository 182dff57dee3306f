package embedded

import (
	"context"
	"fmt"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ipfast/ipfast/shared/filing"
	bolt "go.etcd.io/bbolt"
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

// TestPendingTermsIndexedOnOpen: terms a crash left pending (written with their filing, not yet
// indexed) are indexed when the data dir opens again, and searches find the filing.
func TestPendingTermsIndexedOnOpen(t *testing.T) {
	expo := filing.DefaultExpo()
	path := filepath.Join(t.TempDir(), "ipfast.db")
	d, err := Open(path, Options{Queues: expo.AllQueues(), DefaultExpo: expo.ID})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	f := filing.Filing{ID: filing.NewID("fil_", now), State: filing.StateQueued, FiledAt: now.Format(time.RFC3339),
		FilingDate: "2026-06-22", Expo: expo.ID, Exhibitor: "EX-0001", Booth: "7G-777", Queue: "trademark", Version: 1,
		Request: filing.Request{Kind: "trademark", Trademark: &filing.Trademark{MarkType: "word", MarkText: "PENDULUM"}}}
	if _, _, err := d.Create(context.Background(), filing.NewFiling{Filing: f, Counter: expo.NumberPrefix + "-TM", Exhibitor: "EX-0001",
		Key: "k", Hash: "h", Expires: now.Add(time.Hour), Now: now}); err != nil {
		t.Fatal(err)
	}
	// Stop the indexer and close at once, as a crash would: the terms stay pending.
	close(d.stopIndexer)
	<-d.indexerDone
	d.stopIndexer = nil
	if !d.hasPending() {
		t.Fatal("the write left nothing pending for the indexer")
	}
	d.Close()
	d, err = Open(path, Options{Queues: expo.AllQueues(), DefaultExpo: expo.ID})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if d.hasPending() {
		t.Error("Open left terms pending")
	}
	var found bool
	_ = d.db.View(func(tx *bolt.Tx) error {
		found = tx.Bucket(bSearch).Get(searchKey(expo.ID, "pendulum", f.ID)) != nil
		return nil
	})
	if !found {
		t.Error("the filing's mark is not in the index after Open")
	}
}

package embedded_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ipfast/ipfast/shared/embedded"
	"github.com/ipfast/ipfast/shared/filing"
	"github.com/ipfast/ipfast/shared/queuetest"
	"github.com/ipfast/ipfast/shared/reviewtest"
	"github.com/ipfast/ipfast/shared/storetest"
)

var queues = []string{"review-a", "review-b"}

// MustOpen opens a fresh embedded DB in a temporary directory, closed when the test ends.
func MustOpen(tb testing.TB, opts embedded.Options) *embedded.DB {
	tb.Helper()
	if opts.Queues == nil {
		opts.Queues = storetest.QueueNames(queues)
	}
	db, err := embedded.Open(filepath.Join(tb.TempDir(), "ipfast.db"), opts)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

func TestStoreConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Harness {
		db := MustOpen(t, embedded.Options{})
		return storetest.Harness{Store: db, Queue: db, Queues: queues}
	})
}

func TestComplaintStoreConformance(t *testing.T) {
	storetest.RunComplaints(t, func(t *testing.T) storetest.ComplaintHarness {
		db := MustOpen(t, embedded.Options{})
		return storetest.ComplaintHarness{Store: db, Filings: db}
	})
}

func TestExhibitStoreConformance(t *testing.T) {
	storetest.RunExhibits(t, func(t *testing.T) storetest.ExhibitHarness {
		db := MustOpen(t, embedded.Options{})
		return storetest.ExhibitHarness{Store: db, Filings: db}
	})
}

func TestQueueConformance(t *testing.T) {
	t.Parallel()
	queuetest.Run(t, func(t *testing.T) queuetest.Harness {
		return queuetest.Harness{Queue: MustOpen(t, embedded.Options{Queues: queuetest.Queues, MaxReceives: 3}), Queues: queuetest.Queues, MaxReceives: 3,
			StrictAck: true, OldestAge: true}
	})
}

func TestReviewConformance(t *testing.T) {
	t.Parallel()
	reviewtest.Run(t, func(t *testing.T) reviewtest.Harness {
		db := MustOpen(t, embedded.Options{Queues: reviewtest.Deployment().AllQueues(), MaxReceives: 3})
		return reviewtest.Harness{Store: db, Queue: db, MaxReceives: 3}
	})
}

func TestDataSurvivesReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ipfast.db")
	db, err := embedded.Open(path, embedded.Options{Queues: storetest.QueueNames(queues)})
	if err != nil {
		t.Fatal(err)
	}
	h := storetest.Harness{Store: db, Queue: db, Queues: queues}
	f, _, err := db.Create(t.Context(), storetest.NewFiling(h, "EX-1", "k", "h"))
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	db, err = embedded.Open(path, embedded.Options{Queues: storetest.QueueNames(queues)})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	got, err := db.Get(t.Context(), storetest.Expo, f.ID)
	if err != nil || got.FilingNumber != f.FilingNumber {
		t.Fatalf("after reopen: %+v, %v", got, err)
	}
	h.Store = db
	if next, _, err := db.Create(t.Context(), storetest.NewFiling(h, "EX-1", "k2", "h")); err != nil || next.FilingNumber != "TEST-TM-000002" {
		t.Errorf("counter after reopen: %s, %v", next.FilingNumber, err)
	}
	if d, ok, err := db.Receive(t.Context(), filing.ExpoQueue(storetest.Expo, queues[0]), time.Minute, 0); err != nil || !ok || d.FilingID != f.ID {
		t.Errorf("queued message after reopen: %+v %v %v", d, ok, err)
	}
}

func TestPurgeIdempotency(t *testing.T) {
	db := MustOpen(t, embedded.Options{})
	h := storetest.Harness{Store: db, Queue: db, Queues: queues}
	old := storetest.NewFiling(h, "EX-1", "old", "h")
	old.Expires = time.Now().Add(-time.Hour)
	if _, _, err := db.Create(t.Context(), old); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.Create(t.Context(), storetest.NewFiling(h, "EX-1", "new", "h")); err != nil {
		t.Fatal(err)
	}
	n, err := db.PurgeIdempotency(time.Now())
	if err != nil || n != 1 {
		t.Fatalf("purged %d, %v; want 1", n, err)
	}
	if _, err := db.Lookup(t.Context(), storetest.Expo, "EX-1", "new", "h", time.Now()); err != nil {
		t.Errorf("unexpired record purged: %v", err)
	}
	if _, err := db.Lookup(t.Context(), storetest.Expo, "EX-1", "old", "h", time.Now()); filing.ErrorKind(err) != filing.NotFound {
		t.Errorf("expired record still there: %v", err)
	}
}

func TestAuditConformance(t *testing.T) {
	storetest.RunAudit(t, func(t *testing.T) filing.AuditLog { return MustOpen(t, embedded.Options{}) })
}

func TestNoticeConformance(t *testing.T) {
	storetest.RunNotices(t, func(t *testing.T) storetest.NoticeHarness {
		db := MustOpen(t, embedded.Options{})
		return storetest.NoticeHarness{Harness: storetest.Harness{Store: db, Queue: db, Queues: queues}, Notices: db}
	})
}

func TestEnrolmentStoreConformance(t *testing.T) {
	storetest.RunEnrolment(t, func(t *testing.T) storetest.EnrolmentHarness {
		path := filepath.Join(t.TempDir(), "ipfast.db")
		db, err := embedded.Open(path, embedded.Options{Queues: storetest.QueueNames(queues)})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		// What is committed is in the file: read it whole.
		holds := func(t *testing.T, s string) bool {
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			return bytes.Contains(b, []byte(s))
		}
		return storetest.EnrolmentHarness{Store: db, Holds: holds}
	})
}

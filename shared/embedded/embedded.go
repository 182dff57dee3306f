// Package embedded adapts go.etcd.io/bbolt to the filing ports for the local, single-process
// deployment (`ipfast serve`): one file holds filings, audit events, idempotency records,
// number counters and the review queues, so storing a filing and enqueuing it commit in one
// transaction. Writes are group-committed with bbolt's Batch: each commit is fsynced before any
// caller in it returns, so an acknowledged filing survives kill -9.
package embedded

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ipfast/ipfast/shared/filing"
	"github.com/ipfast/ipfast/shared/search"
	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

var (
	bFilings    = []byte("filings")      // filing id → Filing (JSON)
	bByExhib    = []byte("by_exhibitor") // expo \0 exhibitor \0 filing id → nil
	bByState    = []byte("by_state")     // expo \0 state \0 filing id → nil
	bEvents     = []byte("events")       // filing id \0 version(8) → Event (JSON)
	bIdem       = []byte("idempotency")  // expo \0 exhibitor \0 key → idemRecord (JSON)
	bCounters   = []byte("counters")     // counter name ("<prefix>-TM") → last number(8)
	bQueues     = []byte("queues")       // one bucket per queue (filing.ExpoQueue names)
	bMeta       = []byte("meta")         // "layout" → layout version (see migrate.go)
	bStatus     = []byte("status_links") // status token → filing id (public status links)
	bQueueMsgs  = []byte("msgs")
	bQueueReady = []byte("ready") // visibleAt(8) + message id → nil: the visibility index
	bQueueDead  = []byte("dead")
)

// Options configure an embedded DB.
type Options struct {
	// Queues are the review queues to create: every expo's queues by their qualified names
	// (filing.Expo.AllQueues).
	Queues []string
	// DefaultExpo is the id of the deployment's default expo: a data dir written before
	// expos were tenants gives it the uploads it holds (filings always named their expo).
	DefaultExpo string
	// MaxReceives is how often a message may be received before it moves to the dead
	// letters (default 5, like a typical SQS redrive policy).
	MaxReceives int
	// Clock tells the time for queue visibility and idempotency expiry (default: system).
	Clock filing.Clock
	// BatchDelay bounds how long a write waits to share a commit (default 2 ms).
	BatchDelay time.Duration
}

// DB is the embedded Store and Queue.
type DB struct {
	db     *bolt.DB
	opts   Options
	queues map[string]bool

	mu      sync.Mutex
	waiters map[string]chan struct{} // closed when a queue gets a message
	// noticeWake is signalled when a notice is written (notices.go).
	noticeWake chan struct{}

	indexMu     sync.Mutex    // one indexing run at a time (search.go)
	lastWrite   atomic.Int64  // unix nanoseconds of the last filing write
	unindexed   atomic.Int64  // filing writes since the last indexing run
	stopIndexer chan struct{} // closed by Close
	indexerDone chan struct{}
}

var (
	_ filing.Store = (*DB)(nil)
	_ filing.Queue = (*DB)(nil)
)

// Open opens (creating if needed) the database file at path.
func Open(path string, opts Options) (*DB, error) {
	if opts.MaxReceives <= 0 {
		opts.MaxReceives = 5
	}
	if opts.Clock == nil {
		opts.Clock = filing.SystemClock{}
	}
	if opts.BatchDelay <= 0 {
		opts.BatchDelay = 2 * time.Millisecond
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: 2 * time.Second,
		FreelistType: bolt.FreelistMapType, NoFreelistSync: true})
	if errors.Is(err, bolterrors.ErrTimeout) {
		// bbolt waits for the file lock and then says "timeout": say what is going on.
		return nil, fmt.Errorf("%s is locked by another process: is another `ipfast serve` using this data dir? Stop it or pass another -data", path)
	}
	if err != nil {
		return nil, fmt.Errorf("embedded: open %s: %w", path, err)
	}
	db.MaxBatchDelay = opts.BatchDelay
	d := &DB{db: db, opts: opts, queues: map[string]bool{}, waiters: map[string]chan struct{}{}, noticeWake: make(chan struct{}, 1)}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, name := range [][]byte{bFilings, bByExhib, bByState, bEvents, bIdem, bCounters, bQueues, bUploads, bPendingUploads, bMeta, bStatus, bSearch, bSearchTerms, bSearchPending, bCounts,
			bComplaints, bComplaintEvents, bComplaintIdem, bComplaintIndex, bExhibits, bCertificates, bCertificateIndex, bAudit,
			bNotices, bNoticeIndex, bNoticeByFiling, bUnsubscribed, bEnrolees, bSetupCodes, bExhibitors} {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		// Migrate before the queues are made: a data dir of layout 1 has only unqualified
		// queues, and each of its queue buckets is one to move.
		if err := migrate(tx, opts); err != nil {
			return err
		}
		for _, q := range opts.Queues {
			if _, err := createQueue(tx, q); err != nil {
				return err
			}
			d.queues[q] = true
		}
		return nil
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("embedded: init %s: %w", path, err)
	}
	// Filings written before a crash and not yet in the search index are indexed now.
	if err := d.indexAll(); err != nil {
		db.Close()
		return nil, fmt.Errorf("embedded: search index %s: %w", path, err)
	}
	d.stopIndexer, d.indexerDone = make(chan struct{}), make(chan struct{})
	go d.indexer(d.stopIndexer, d.indexerDone)
	return d, nil
}

// Close stops the indexer and closes the database file.
func (d *DB) Close() error {
	if d.stopIndexer != nil {
		close(d.stopIndexer)
		<-d.indexerDone
		d.stopIndexer = nil
	}
	return d.db.Close()
}

// Create implements filing.Store.
func (d *DB) Create(ctx context.Context, n filing.NewFiling) (filing.Filing, bool, error) {
	queue := filing.ExpoQueue(n.Filing.Expo, n.Filing.Queue)
	if !d.queues[queue] {
		return filing.Filing{}, false, fmt.Errorf("embedded: create %s: %w", n.Filing.ID, errQueue(queue))
	}
	idemKey := join(scoped(n.Filing.Expo, n.Exhibitor), n.Key)
	// What the filing adds to the counts and the search index, but for its number, which the
	// transaction sets: worked out before it, so that the serialized part stays short.
	counts := filing.CountsDelta(nil, n.Filing)
	content := search.ContentTerms(n.Filing)
	now := n.Now
	if now.IsZero() {
		now = d.opts.Clock.Now()
	}
	var (
		out      filing.Filing
		replayed bool
		noticed  bool
		outErr   error
	)
	// Batch may run fn more than once; every output is set afresh on each run, and business
	// outcomes are results, not errors, so that one caller's conflict never rolls back others.
	err := d.db.Batch(func(tx *bolt.Tx) error {
		out, replayed, noticed, outErr = filing.Filing{}, false, false, nil
		if raw := tx.Bucket(bIdem).Get(idemKey); raw != nil {
			var rec idemRecord
			if err := json.Unmarshal(raw, &rec); err != nil {
				return fmt.Errorf("idempotency record: %w", err)
			}
			if now.Before(rec.Expires) {
				if rec.Hash != n.Hash {
					outErr = reused()
					return nil
				}
				f, err := getFiling(tx, rec.FilingID)
				if err != nil {
					return err
				}
				out, replayed = f, true
				return nil
			}
		}
		f := n.Filing
		ids := filing.NewDocuments(filing.Filing{}, f)
		if err := claimTx(tx, f, ids); filing.ErrorCode(err) == filing.CodeAttachmentUnknown {
			outErr = err
			return nil
		} else if err != nil {
			return err
		}
		next, err := takeNumber(tx, n.Counter)
		if err != nil {
			return err
		}
		f.FilingNumber = filing.FilingNumber(n.Counter, int(next))
		if err := putNewFiling(tx, f, search.WithNumber(f.FilingNumber, content), counts); err != nil {
			return err
		}
		if f.StatusToken != "" {
			if tx.Bucket(bStatus).Get([]byte(f.StatusToken)) != nil {
				return errors.New("status token already in use")
			}
			if err := tx.Bucket(bStatus).Put([]byte(f.StatusToken), []byte(f.ID)); err != nil {
				return err
			}
		}
		if err := putEvent(tx, f.ID, f.Version, n.Event); err != nil {
			return err
		}
		if noticed, err = d.eventNotice(tx, f, n.Event); err != nil {
			return err
		}
		rec, err := json.Marshal(idemRecord{Hash: n.Hash, FilingID: f.ID, Expires: n.Expires})
		if err != nil {
			return err
		}
		if err := tx.Bucket(bIdem).Put(idemKey, rec); err != nil {
			return err
		}
		msg := filing.RoutingMessage(f.ID, f.Version)
		msg.SentAt = now
		if err := sendTx(tx, queue, msg); err != nil {
			return err
		}
		out = f
		return nil
	})
	if err != nil {
		return filing.Filing{}, false, fmt.Errorf("embedded: create %s: %w", n.Filing.ID, err)
	}
	if outErr != nil {
		return filing.Filing{}, false, outErr
	}
	if !replayed {
		d.wrote()
		d.notify(queue)
	}
	if noticed {
		d.wakeNotices()
	}
	return out, replayed, nil
}

type idemRecord struct {
	Hash     string    `json:"hash"`
	FilingID string    `json:"filingId"`
	Expires  time.Time `json:"expires"`
}

func reused() error {
	return filing.Errorf(filing.Invalid, filing.CodeIdempotencyReused,
		"this Idempotency-Key was already used with a different body")
}

// Lookup implements filing.Store.
func (d *DB) Lookup(ctx context.Context, expo, exhibitor, key, hash string, now time.Time) (filing.Filing, error) {
	var f filing.Filing
	err := d.db.View(func(tx *bolt.Tx) error {
		raw := tx.Bucket(bIdem).Get(join(scoped(expo, exhibitor), key))
		if raw == nil {
			return filing.ErrNotFound
		}
		var rec idemRecord
		if err := json.Unmarshal(raw, &rec); err != nil {
			return err
		}
		if !now.Before(rec.Expires) {
			return filing.ErrNotFound
		}
		if rec.Hash != hash {
			return reused()
		}
		var err error
		f, err = getFiling(tx, rec.FilingID)
		return err
	})
	return f, err
}

// PurgeIdempotency deletes idempotency records that expired before now and reports how many.
func (d *DB) PurgeIdempotency(now time.Time) (int, error) {
	n := 0
	err := d.db.Update(func(tx *bolt.Tx) error {
		c := tx.Bucket(bIdem).Cursor()
		for k, v := c.First(); k != nil; {
			var rec idemRecord
			if err := json.Unmarshal(v, &rec); err == nil && !now.Before(rec.Expires) {
				if err := c.Delete(); err != nil {
					return err
				}
				n++
				k, v = c.Seek(k)
				continue
			}
			k, v = c.Next()
		}
		return nil
	})
	return n, err
}

// Get implements filing.Store.
func (d *DB) Get(ctx context.Context, expo, id string) (filing.Filing, error) {
	var f filing.Filing
	err := d.db.View(func(tx *bolt.Tx) error {
		var err error
		f, err = getExpoFiling(tx, expo, id)
		return err
	})
	return f, err
}

// getExpoFiling is getFiling for a reader in one expo: another expo's filing is not there.
func getExpoFiling(tx *bolt.Tx, expo, id string) (filing.Filing, error) {
	f, err := getFiling(tx, id)
	if err == nil && f.Expo != expo {
		return filing.Filing{}, filing.ErrNotFound
	}
	return f, err
}

// List implements filing.Store.
func (d *DB) List(ctx context.Context, q filing.ListQuery) (filing.Page, error) {
	page := filing.Page{Items: []filing.Filing{}}
	owner := scoped(q.Expo, q.Exhibitor)
	prefix := join(owner, "")
	start := []byte(nil)
	if q.Cursor != "" {
		id, err := base64.RawURLEncoding.DecodeString(q.Cursor)
		if err != nil || len(id) == 0 {
			return page, filing.Errorf(filing.Malformed, "invalid_format", "cursor is not one this server issued")
		}
		start = join(owner, string(id))
	}
	err := d.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bByExhib).Cursor()
		if start == nil {
			// Just past every key of this exhibitor ("EX-0001\x01"): the walk starts at the newest.
			start = append(bytes.Clone(prefix[:len(prefix)-1]), 1)
		}
		k := lastBefore(c, start)
		for ; k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Prev() {
			id := string(k[len(prefix):])
			f, err := getFiling(tx, id)
			if err != nil {
				return err
			}
			if q.State != "" && f.State != q.State {
				continue
			}
			if len(page.Items) == q.Limit {
				last := page.Items[len(page.Items)-1].ID
				page.NextCursor = base64.RawURLEncoding.EncodeToString([]byte(last))
				return nil
			}
			page.Items = append(page.Items, f)
		}
		return nil
	})
	return page, err
}

// ListByState implements filing.Store.
func (d *DB) ListByState(ctx context.Context, q filing.ListQuery) (filing.Page, error) {
	page := filing.Page{Items: []filing.Filing{}}
	prefix := stateKey(q.Expo, q.State, "")
	start := prefix
	if q.Cursor != "" {
		id, err := base64.RawURLEncoding.DecodeString(q.Cursor)
		if err != nil || len(id) == 0 {
			return page, filing.Errorf(filing.Malformed, "invalid_format", "cursor is not one this server issued")
		}
		start = append(stateKey(q.Expo, q.State, string(id)), 0) // just after the cursor's key
	}
	err := d.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bByState).Cursor()
		for k, _ := c.Seek(start); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			if len(page.Items) == q.Limit {
				page.NextCursor = base64.RawURLEncoding.EncodeToString([]byte(page.Items[q.Limit-1].ID))
				return nil
			}
			f, err := getFiling(tx, string(k[len(prefix):]))
			if err != nil {
				return err
			}
			page.Items = append(page.Items, f)
		}
		return nil
	})
	return page, err
}

// lastBefore positions c on the last key below key and returns it (nil if there is none).
func lastBefore(c *bolt.Cursor, key []byte) []byte {
	if k, _ := c.Seek(key); k == nil {
		k, _ = c.Last()
		return k
	}
	k, _ := c.Prev()
	return k
}

// Update implements filing.Store.
func (d *DB) Update(ctx context.Context, f filing.Filing, ev filing.Event, requeue bool) error {
	queue := filing.ExpoQueue(f.Expo, f.Queue)
	if requeue && !d.queues[queue] {
		return fmt.Errorf("embedded: update %s: %w", f.ID, errQueue(queue))
	}
	terms := search.Terms(f) // before the transaction, as Create does
	// Group-committed like Create: a conflict is a result, not an error, so that it does not
	// roll back the other writes sharing the commit.
	var (
		outErr  error
		noticed bool
	)
	err := d.db.Batch(func(tx *bolt.Tx) error {
		outErr, noticed = nil, false
		cur, err := getExpoFiling(tx, f.Expo, f.ID)
		if err != nil {
			outErr = err
			return nil
		}
		if cur.Version != f.Version-1 {
			outErr = filing.Errorf(filing.Conflict, filing.CodeVersionConflict,
				"filing %s is at version %d, not %d", f.ID, cur.Version, f.Version-1)
			return nil
		}
		if err := claimTx(tx, f, filing.NewDocuments(cur, f)); filing.ErrorCode(err) == filing.CodeAttachmentUnknown {
			outErr = err
			return nil
		} else if err != nil {
			return err
		}
		if err := putFiling(tx, f); err != nil {
			return err
		}
		if err := indexTx(tx, &cur, f, terms, nil); err != nil {
			return err
		}
		if cur.State != f.State {
			if err := tx.Bucket(bByState).Delete(stateKey(f.Expo, cur.State, f.ID)); err != nil {
				return err
			}
			if err := tx.Bucket(bByState).Put(stateKey(f.Expo, f.State, f.ID), nil); err != nil {
				return err
			}
		}
		if err := putEvent(tx, f.ID, f.Version, ev); err != nil {
			return err
		}
		if noticed, err = d.eventNotice(tx, f, ev); err != nil {
			return err
		}
		if requeue {
			now := d.opts.Clock.Now()
			msg := filing.RoutingMessage(f.ID, f.Version)
			msg.SentAt = now
			return sendTx(tx, queue, msg)
		}
		return nil
	})
	if err == nil {
		err = outErr
	}
	if err != nil {
		return fmt.Errorf("embedded: update %s: %w", f.ID, err)
	}
	d.wrote()
	if requeue {
		d.notify(queue)
	}
	if noticed {
		d.wakeNotices()
	}
	return nil
}

// ByStatusToken implements filing.Store.
func (d *DB) ByStatusToken(ctx context.Context, token string) (filing.Filing, error) {
	var f filing.Filing
	err := d.db.View(func(tx *bolt.Tx) error {
		id := tx.Bucket(bStatus).Get([]byte(token))
		if id == nil || token == "" {
			return filing.ErrNotFound
		}
		var err error
		f, err = getFiling(tx, string(id))
		return err
	})
	return f, err
}

// History implements filing.Store.
func (d *DB) History(ctx context.Context, expo, id string) ([]filing.Event, error) {
	out := []filing.Event{}
	err := d.db.View(func(tx *bolt.Tx) error {
		if _, err := getExpoFiling(tx, expo, id); err != nil {
			return err
		}
		prefix := join(id, "")
		c := tx.Bucket(bEvents).Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			var ev filing.Event
			if err := json.Unmarshal(v, &ev); err != nil {
				return err
			}
			out = append(out, ev)
		}
		return nil
	})
	return out, err
}

func getFiling(tx *bolt.Tx, id string) (filing.Filing, error) {
	var f filing.Filing
	raw := tx.Bucket(bFilings).Get([]byte(id))
	if raw == nil {
		return f, filing.ErrNotFound
	}
	if err := json.Unmarshal(raw, &f); err != nil {
		return f, fmt.Errorf("decode filing %s: %w", id, err)
	}
	return f, nil
}

// takeNumber takes the next number of a counter ("<PREFIX>-TM", "<PREFIX>-CP") in tx: nothing
// else moves a counter, so numbers have no gaps.
func takeNumber(tx *bolt.Tx, counter string) (uint64, error) {
	cb := tx.Bucket(bCounters)
	next := uint64(1)
	if v := cb.Get([]byte(counter)); v != nil {
		next = binary.BigEndian.Uint64(v) + 1
	}
	return next, cb.Put([]byte(counter), u64(next))
}

// putNewFiling writes a new filing with its index entries and counts, and leaves its terms for
// the search indexer (terms and counts as indexTx takes them).
func putNewFiling(tx *bolt.Tx, f filing.Filing, terms []string, counts filing.Counts) error {
	if err := putFiling(tx, f); err != nil {
		return err
	}
	if err := tx.Bucket(bByExhib).Put(exhibKey(f), nil); err != nil {
		return err
	}
	if err := tx.Bucket(bByState).Put(stateKey(f.Expo, f.State, f.ID), nil); err != nil {
		return err
	}
	return indexTx(tx, nil, f, terms, counts)
}

func putFiling(tx *bolt.Tx, f filing.Filing) error {
	b, err := json.Marshal(f)
	if err != nil {
		return err
	}
	return tx.Bucket(bFilings).Put([]byte(f.ID), b)
}

// putEvent appends an event under (filing id, version): the version orders the trail and makes
// a second event for the same change impossible.
func putEvent(tx *bolt.Tx, id string, version int, ev filing.Event) error {
	b, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	key := append(join(id, ""), u64(uint64(version))...)
	if tx.Bucket(bEvents).Get(key) != nil {
		return errors.New("event already recorded for this version")
	}
	return tx.Bucket(bEvents).Put(key, b)
}

// scoped is s within an expo: the expo's part of a key.
func scoped(expo, s string) string { return expo + "\x00" + s }

// exhibKey is a filing's key in the exhibitor index, stateKey one in the state index.
func exhibKey(f filing.Filing) []byte { return join(scoped(f.Expo, f.Exhibitor), f.ID) }

func stateKey(expo string, st filing.State, id string) []byte {
	return join(scoped(expo, string(st)), id)
}

func join(a, b string) []byte {
	k := make([]byte, 0, len(a)+1+len(b))
	k = append(k, a...)
	k = append(k, 0)
	return append(k, b...)
}

func u64(v uint64) []byte {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], v)
	return b[:]
}

package embedded

import (
	"encoding/binary"
	"encoding/json"
	"fmt"

	"github.com/ipfast/ipfast/shared/filing"
	bolt "go.etcd.io/bbolt"
)

// Layout versions of a data dir, kept under meta/"layout":
//
//	1 (no meta bucket): one expo; indexes, idempotency records and pending uploads keyed by
//	  exhibitor or state alone; queues named by their routing name ("trademark").
//	2: expos are tenants (SPEC §14): every index and record key starts with the expo, uploads
//	  name their expo, queues are named filing.ExpoQueue(expo, queue).
//	3: the search index and the running counts (search.go), kept with every write.
const layout = 3

var layoutKey = []byte("layout")

// migrate brings a data dir of an older layout to the current one inside the transaction
// that opens it: all of it or nothing, so a crash mid-way leaves the old layout to migrate
// again. Filings and their events keep their keys (ids are unique across expos); what changes
// is rebuilt from them.
func migrate(tx *bolt.Tx, opts Options) error {
	meta := tx.Bucket(bMeta)
	from := uint64(1)
	if v := meta.Get(layoutKey); v != nil {
		from = binary.BigEndian.Uint64(v)
	}
	switch {
	case from > layout:
		return fmt.Errorf("the data dir has layout %d, newer than this ipfast (%d): run a newer ipfast", from, layout)
	case from == layout:
		return nil
	}
	if from < 2 {
		if err := migrateTenants(tx, opts); err != nil {
			return err
		}
	}
	if err := buildIndex(tx); err != nil {
		return err
	}
	return meta.Put(layoutKey, u64(layout))
}

// buildIndex builds the search index and the counts of layout 3 from the filings.
func buildIndex(tx *bolt.Tx) error {
	for _, b := range [][]byte{bSearch, bSearchTerms, bSearchPending, bCounts} {
		if err := deleteKeys(tx.Bucket(b), func([]byte) bool { return true }); err != nil {
			return err
		}
	}
	return tx.Bucket(bFilings).ForEach(func(k, v []byte) error {
		var f filing.Filing
		if err := json.Unmarshal(v, &f); err != nil {
			return fmt.Errorf("filing %s: %w", k, err)
		}
		return indexTx(tx, nil, f, nil, nil) // indexed by Open, right after the migration
	})
}

// migrateTenants brings layout 1 to layout 2.
func migrateTenants(tx *bolt.Tx, opts Options) error {
	expoOf := map[string]string{} // filing id → expo
	err := tx.Bucket(bFilings).ForEach(func(k, v []byte) error {
		var f filing.Filing
		if err := json.Unmarshal(v, &f); err != nil {
			return fmt.Errorf("filing %s: %w", k, err)
		}
		if f.Expo == "" {
			f.Expo = opts.DefaultExpo
			if err := putFiling(tx, f); err != nil {
				return err
			}
		}
		expoOf[f.ID] = f.Expo
		if err := tx.Bucket(bByExhib).Put(exhibKey(f), nil); err != nil {
			return err
		}
		return tx.Bucket(bByState).Put(stateKey(f.Expo, f.State, f.ID), nil)
	})
	if err != nil {
		return err
	}
	// Old index keys have one part before the id; new ones two. Drop every old one.
	for _, b := range [][]byte{bByExhib, bByState} {
		if err := deleteKeys(tx.Bucket(b), func(k []byte) bool { return parts(k) == 2 }); err != nil {
			return err
		}
	}
	if err := migrateIdempotency(tx, expoOf); err != nil {
		return err
	}
	if err := migrateUploads(tx, expoOf, opts.DefaultExpo); err != nil {
		return err
	}
	return migrateQueues(tx, expoOf)
}

// parts counts the \0-separated parts of a key.
func parts(k []byte) int {
	n := 1
	for _, c := range k {
		if c == 0 {
			n++
		}
	}
	return n
}

func deleteKeys(b *bolt.Bucket, drop func(k []byte) bool) error {
	var gone [][]byte
	if err := b.ForEach(func(k, _ []byte) error {
		if drop(k) {
			gone = append(gone, append([]byte(nil), k...))
		}
		return nil
	}); err != nil {
		return err
	}
	for _, k := range gone {
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

// migrateIdempotency re-keys exhibitor \0 key records under the expo of the filing they name,
// so that a kiosk retrying a request sent before the upgrade still gets its filing back.
func migrateIdempotency(tx *bolt.Tx, expoOf map[string]string) error {
	b := tx.Bucket(bIdem)
	type rekey struct{ old, new, val []byte }
	var moves []rekey
	err := b.ForEach(func(k, v []byte) error {
		if parts(k) != 2 {
			return nil
		}
		var rec idemRecord
		if err := json.Unmarshal(v, &rec); err != nil {
			return fmt.Errorf("idempotency record: %w", err)
		}
		expo, ok := expoOf[rec.FilingID]
		if !ok {
			moves = append(moves, rekey{old: append([]byte(nil), k...)}) // points nowhere: drop it
			return nil
		}
		moves = append(moves, rekey{append([]byte(nil), k...), append([]byte(expo+"\x00"), k...), append([]byte(nil), v...)})
		return nil
	})
	if err != nil {
		return err
	}
	for _, m := range moves {
		if err := b.Delete(m.old); err != nil {
			return err
		}
		if m.new != nil {
			if err := b.Put(m.new, m.val); err != nil {
				return err
			}
		}
	}
	return nil
}

// migrateUploads gives every upload its expo (its filing's, or the default expo's for one no
// filing uses yet) and rebuilds the pending uploads index under the new keys.
func migrateUploads(tx *bolt.Tx, expoOf map[string]string, def string) error {
	var ups []filing.Upload
	err := tx.Bucket(bUploads).ForEach(func(k, v []byte) error {
		var u filing.Upload
		if err := json.Unmarshal(v, &u); err != nil {
			return fmt.Errorf("upload %s: %w", k, err)
		}
		ups = append(ups, u)
		return nil
	})
	if err != nil {
		return err
	}
	if err := deleteKeys(tx.Bucket(bPendingUploads), func([]byte) bool { return true }); err != nil {
		return err
	}
	for _, u := range ups {
		if u.Expo == "" {
			u.Expo = def
			if x, ok := expoOf[u.FilingID]; ok {
				u.Expo = x
			}
			if err := putUpload(tx, u); err != nil {
				return err
			}
		}
		if u.FilingID == "" {
			if err := tx.Bucket(bPendingUploads).Put(pendingKey(u), nil); err != nil {
				return err
			}
		}
	}
	return nil
}

// migrateQueues moves every message of a layout-1 queue ("trademark") to the queue of its
// filing's expo ("CISCE2026-trademark") as it is: id, visibility, receive count and lease
// receipt, so that an examiner's lease held across the upgrade stays valid. Dead letters move
// too. A message whose filing is not in the store names nothing to review and is dropped.
func migrateQueues(tx *bolt.Tx, expoOf map[string]string) error {
	root := tx.Bucket(bQueues)
	var legacy []string
	if err := root.ForEachBucket(func(k []byte) error {
		legacy = append(legacy, string(k))
		return nil
	}); err != nil {
		return err
	}
	for _, name := range legacy {
		old := root.Bucket([]byte(name))
		moveTo := func(v []byte) (*bolt.Bucket, queued, bool, error) {
			var q queued
			if err := json.Unmarshal(v, &q); err != nil {
				return nil, q, false, fmt.Errorf("queue %s: %w", name, err)
			}
			expo, ok := expoOf[q.FilingID]
			if !ok {
				return nil, q, false, nil
			}
			qb, err := createQueue(tx, filing.ExpoQueue(expo, name))
			return qb, q, true, err
		}
		if err := old.Bucket(bQueueMsgs).ForEach(func(_, v []byte) error {
			qb, q, ok, err := moveTo(v)
			if !ok || err != nil {
				return err
			}
			return putQueued(qb, q)
		}); err != nil {
			return err
		}
		if err := old.Bucket(bQueueDead).ForEach(func(k, v []byte) error {
			qb, _, ok, err := moveTo(v)
			if !ok || err != nil {
				return err
			}
			return qb.Bucket(bQueueDead).Put(k, v)
		}); err != nil {
			return err
		}
		if err := root.DeleteBucket([]byte(name)); err != nil {
			return err
		}
	}
	return nil
}

// createQueue makes a queue's buckets if they are not there and returns the queue's bucket.
func createQueue(tx *bolt.Tx, name string) (*bolt.Bucket, error) {
	qb, err := tx.Bucket(bQueues).CreateBucketIfNotExists([]byte(name))
	if err != nil {
		return nil, err
	}
	for _, sub := range [][]byte{bQueueMsgs, bQueueReady, bQueueDead} {
		if _, err := qb.CreateBucketIfNotExists(sub); err != nil {
			return nil, err
		}
	}
	return qb, nil
}

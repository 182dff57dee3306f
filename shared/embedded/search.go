package embedded

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ipfast/ipfast/shared/filing"
	"github.com/ipfast/ipfast/shared/search"
	bolt "go.etcd.io/bbolt"
)

var (
	bSearch        = []byte("search")         // expo \0 term \0 filing id → nil (search.Terms + search.All)
	bSearchTerms   = []byte("search_terms")   // filing id → expo \0 the terms it is indexed under
	bSearchPending = []byte("search_pending") // filing id → expo \0 terms: written, not yet (re)indexed
	bCounts        = []byte("counts")         // expo \0 counter → int64 (filing.Counts)
)

// The search index is written behind the filings: a write marks its filing pending (one
// small key, in the write's own transaction), and the indexer puts the filing's terms in the
// index in large transactions, a few milliseconds later. Terms land at random places in the
// index, so writing them with each filing would dirty many pages per commit and cut submit
// throughput by more than half; in batches they cost little. Nothing is lost: the pending
// marks are durable, so terms not yet indexed at a crash are indexed on the next start; and a
// search first indexes whatever is pending, so it always sees every write before it. The counts
// are kept in the write's own transaction (CountsDelta), as the statistics need.

// pendingTerms is what a write leaves for the indexer: the filing's expo and terms now,
// stored \0-separated (expo first): terms hold no \0.
type pendingTerms struct {
	Expo  string
	Terms []string
}

func encodePending(p pendingTerms) []byte {
	n := len(p.Expo)
	for _, t := range p.Terms {
		n += 1 + len(t)
	}
	b := make([]byte, 0, n)
	b = append(b, p.Expo...)
	for _, t := range p.Terms {
		b = append(append(b, 0), t...)
	}
	return b
}

func decodePending(b []byte) pendingTerms {
	parts := strings.Split(string(b), "\x00")
	return pendingTerms{Expo: parts[0], Terms: parts[1:]}
}

// indexTx leaves a written filing's terms for the indexer and keeps the counts, in the write's
// transaction: before is the stored filing (nil for a new one); terms are search.Terms(after)
// and d is CountsDelta(before, after), or nil for indexTx to compute them here (callers compute
// them before the transaction, so that the serialized part of a write stays short).
func indexTx(tx *bolt.Tx, before *filing.Filing, after filing.Filing, terms []string, d filing.Counts) error {
	if terms == nil {
		terms = search.Terms(after)
	}
	raw := encodePending(pendingTerms{Expo: after.Expo, Terms: append(terms, search.All)})
	if err := tx.Bucket(bSearchPending).Put([]byte(after.ID), raw); err != nil {
		return err
	}
	if d == nil {
		d = filing.CountsDelta(before, after)
	}
	return addCounts(tx, after.Expo, d)
}

// indexFiling puts one filing's terms in the index (and takes away those it no longer has).
func indexFiling(tx *bolt.Tx, id string, now pendingTerms) error {
	var old []string
	if raw := tx.Bucket(bSearchTerms).Get([]byte(id)); raw != nil {
		old = decodePending(raw).Terms
	}
	sb := tx.Bucket(bSearch)
	for _, t := range old {
		if !slices.Contains(now.Terms, t) {
			if err := sb.Delete(searchKey(now.Expo, t, id)); err != nil {
				return err
			}
		}
	}
	for _, t := range now.Terms {
		if !slices.Contains(old, t) {
			if err := sb.Put(searchKey(now.Expo, t, id), nil); err != nil {
				return err
			}
		}
	}
	return tx.Bucket(bSearchTerms).Put([]byte(id), encodePending(now))
}

// indexPending indexes up to max pending filings in one transaction and reports how many.
func (d *DB) indexPending(max int) (int, error) {
	n := 0
	err := d.db.Update(func(tx *bolt.Tx) error {
		n = 0
		c := tx.Bucket(bSearchPending).Cursor()
		for k, v := c.First(); k != nil && n < max; k, v = c.First() {
			if err := indexFiling(tx, string(k), decodePending(v)); err != nil {
				return err
			}
			if err := c.Delete(); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}

// indexAll indexes every pending filing.
func (d *DB) indexAll() error {
	d.indexMu.Lock()
	defer d.indexMu.Unlock()
	d.unindexed.Store(0)
	for {
		n, err := d.indexPending(200)
		if err != nil || n == 0 {
			return err
		}
	}
}

// hasPending reports whether some filing waits for the indexer.
func (d *DB) hasPending() bool {
	pending := false
	_ = d.db.View(func(tx *bolt.Tx) error {
		k, _ := tx.Bucket(bSearchPending).Cursor().First()
		pending = k != nil
		return nil
	})
	return pending
}

// indexer indexes pending filings when the writes pause for a moment (or, under sustained load,
// once a few thousand wait: one large transaction costs far less per filing than many small
// ones, and submissions keep the CPU), until stop is closed.
func (d *DB) indexer(stop <-chan struct{}, done chan<- struct{}) {
	defer close(done)
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-stop:
			return
		case <-tick.C:
			quiet := time.Since(time.Unix(0, d.lastWrite.Load())) >= 200*time.Millisecond
			if d.unindexed.Load() >= 50000 || quiet && d.hasPending() {
				_ = d.indexAll() // an error here is met again by the next search, which reports it
			}
		}
	}
}

// wrote notes a committed write for the indexer.
func (d *DB) wrote() {
	d.lastWrite.Store(time.Now().UnixNano())
	d.unindexed.Add(1)
}

func addCounts(tx *bolt.Tx, expo string, d filing.Counts) error {
	cb := tx.Bucket(bCounts)
	for k, v := range d {
		key := join(expo, k) // bbolt keeps the key until the transaction ends: one each
		var cur int64
		if raw := cb.Get(key); raw != nil {
			cur = int64(binary.BigEndian.Uint64(raw))
		}
		if cur+v == 0 {
			if err := cb.Delete(key); err != nil {
				return err
			}
			continue
		}
		if err := cb.Put(key, u64(uint64(cur+v))); err != nil {
			return err
		}
	}
	return nil
}

func searchKey(expo, term, id string) []byte { return join(scoped(expo, term), id) }

// Counts implements filing.Store.
func (d *DB) Counts(ctx context.Context, expo string) (filing.Counts, error) {
	out := filing.Counts{}
	prefix := join(expo, "")
	err := d.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bCounts).Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			out[string(k[len(prefix):])] = int64(binary.BigEndian.Uint64(v))
		}
		return nil
	})
	return out, err
}

// Search implements filing.Store. With words, the most selective-looking word (the longest)
// picks the candidates from the index by prefix, newest first; without, the AllFilings term
// lists the expo newest first. Each candidate is then read and checked against the whole query.
func (d *DB) Search(ctx context.Context, q filing.SearchQuery) (filing.Page, error) {
	page := filing.Page{Items: []filing.Filing{}}
	var below string // ids below the cursor's
	if q.Cursor != "" {
		id, err := base64.RawURLEncoding.DecodeString(q.Cursor)
		if err != nil || len(id) == 0 {
			return page, filing.Errorf(filing.Malformed, "invalid_format", "cursor is not one this server issued")
		}
		below = string(id)
	}
	// Every write before this search is in the index it reads.
	if d.hasPending() {
		if err := d.indexAll(); err != nil {
			return page, fmt.Errorf("embedded: search index: %w", err)
		}
	}
	words := search.Words(q.Q)
	err := d.db.View(func(tx *bolt.Tx) error {
		take := func(id string) (bool, error) {
			f, err := getFiling(tx, id)
			if err != nil {
				return false, err
			}
			if !search.Admits(q, f, words) {
				return false, nil
			}
			if len(page.Items) == q.Limit {
				page.NextCursor = base64.RawURLEncoding.EncodeToString([]byte(page.Items[q.Limit-1].ID))
				return true, nil
			}
			page.Items = append(page.Items, f)
			return false, nil
		}
		c := tx.Bucket(bSearch).Cursor()
		if len(words) == 0 {
			prefix := join(scoped(q.Expo, search.All), "")
			start := append(bytes.Clone(prefix[:len(prefix)-1]), 1)
			if below != "" {
				start = join(scoped(q.Expo, search.All), below)
			}
			for k := lastBefore(c, start); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Prev() {
				if done, err := take(string(k[len(prefix):])); done || err != nil {
					return err
				}
			}
			return nil
		}
		probe := words[0]
		for _, w := range words[1:] {
			if len(w) > len(probe) {
				probe = w
			}
		}
		// Every term starting with the probe, each with its filings: gather the ids, then walk
		// them newest first.
		prefix := []byte(scoped(q.Expo, probe))
		var ids []string
		seen := map[string]bool{}
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			i := bytes.LastIndexByte(k, 0)
			id := string(k[i+1:])
			if i < len(prefix) || seen[id] || (below != "" && id >= below) {
				continue
			}
			seen[id] = true
			ids = append(ids, id)
		}
		slices.Sort(ids)
		for i := len(ids) - 1; i >= 0; i-- {
			if done, err := take(ids[i]); done || err != nil {
				return err
			}
		}
		return nil
	})
	return page, err
}

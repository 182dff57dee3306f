package embedded

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/binary"
	"slices"

	"github.com/ipfast/ipfast/shared/filing"
	"github.com/ipfast/ipfast/shared/search"
	bolt "go.etcd.io/bbolt"
)

var (
	bSearch = []byte("search") // expo \0 term \0 filing id → nil (search.Terms + search.All)
	bCounts = []byte("counts") // expo \0 counter → int64 (filing.Counts)
)

// indexTx keeps the search index and the counts of a write, in its transaction: before is the
// stored filing (nil for a new one).
func indexTx(tx *bolt.Tx, before *filing.Filing, after filing.Filing) error {
	sb := tx.Bucket(bSearch)
	var old []string
	if before != nil {
		old = append(search.Terms(*before), search.All)
	}
	now := append(search.Terms(after), search.All)
	for _, t := range old {
		if !slices.Contains(now, t) {
			if err := sb.Delete(searchKey(after.Expo, t, after.ID)); err != nil {
				return err
			}
		}
	}
	for _, t := range now {
		if !slices.Contains(old, t) {
			if err := sb.Put(searchKey(after.Expo, t, after.ID), nil); err != nil {
				return err
			}
		}
	}
	return addCounts(tx, after.Expo, filing.CountsDelta(before, after))
}

func addCounts(tx *bolt.Tx, expo string, d filing.Counts) error {
	cb := tx.Bucket(bCounts)
	for k, v := range d {
		key := join(expo, k)
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

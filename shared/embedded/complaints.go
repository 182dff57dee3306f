package embedded

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/ipfast/ipfast/shared/filing"
	bolt "go.etcd.io/bbolt"
)

// The complaint desk's buckets (SPEC §11).
var (
	bComplaints      = []byte("complaints")       // complaint id → Complaint (JSON)
	bComplaintEvents = []byte("complaint_events") // complaint id \0 version(8) → Event (JSON)
	bComplaintIdem   = []byte("complaint_idem")   // expo \0 filer \0 key → idemRecord (JSON)
	// complaint_index: expo \0 "s" \0 state \0 id, expo \0 "f" \0 filer \0 id,
	// expo \0 "b" \0 booth \0 id, expo \0 "*" \0 id → nil (ids are time-ordered: newest last)
	bComplaintIndex = []byte("complaint_index")
)

var _ filing.ComplaintStore = (*DB)(nil)

func complaintKeys(c filing.Complaint) [][]byte {
	return [][]byte{
		join(scoped(scoped(c.Expo, "s"), string(c.State)), c.ID),
		join(scoped(scoped(c.Expo, "f"), c.Filer), c.ID),
		join(scoped(scoped(c.Expo, "b"), c.Respondent.Booth), c.ID),
		join(scoped(c.Expo, "*"), c.ID),
	}
}

func getComplaint(tx *bolt.Tx, expo, id string) (filing.Complaint, error) {
	var c filing.Complaint
	raw := tx.Bucket(bComplaints).Get([]byte(id))
	if raw == nil {
		return c, filing.ErrNotFound
	}
	if err := json.Unmarshal(raw, &c); err != nil {
		return c, fmt.Errorf("decode complaint %s: %w", id, err)
	}
	if c.Expo != expo {
		return filing.Complaint{}, filing.ErrNotFound
	}
	return c, nil
}

func putComplaint(tx *bolt.Tx, c filing.Complaint, before *filing.Complaint) error {
	c.History = nil // the events are kept beside it
	b, err := json.Marshal(c)
	if err != nil {
		return err
	}
	if err := tx.Bucket(bComplaints).Put([]byte(c.ID), b); err != nil {
		return err
	}
	ib := tx.Bucket(bComplaintIndex)
	if before != nil {
		for _, k := range complaintKeys(*before) {
			if err := ib.Delete(k); err != nil {
				return err
			}
		}
	}
	for _, k := range complaintKeys(c) {
		if err := ib.Put(k, nil); err != nil {
			return err
		}
	}
	return nil
}

func putComplaintEvent(tx *bolt.Tx, id string, version int, ev filing.Event) error {
	b, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	key := append(join(id, ""), u64(uint64(version))...)
	if tx.Bucket(bComplaintEvents).Get(key) != nil {
		return errors.New("event already recorded for this version")
	}
	return tx.Bucket(bComplaintEvents).Put(key, b)
}

// CreateComplaint implements filing.ComplaintStore.
func (d *DB) CreateComplaint(ctx context.Context, n filing.NewComplaint) (filing.Complaint, bool, error) {
	idemKey := join(scoped(n.Complaint.Expo, n.Filer), n.Key)
	now := n.Now
	if now.IsZero() {
		now = d.opts.Clock.Now()
	}
	var (
		out      filing.Complaint
		replayed bool
		outErr   error
	)
	err := d.db.Batch(func(tx *bolt.Tx) error {
		out, replayed, outErr = filing.Complaint{}, false, nil
		if raw := tx.Bucket(bComplaintIdem).Get(idemKey); raw != nil {
			var rec idemRecord
			if err := json.Unmarshal(raw, &rec); err != nil {
				return fmt.Errorf("idempotency record: %w", err)
			}
			if now.Before(rec.Expires) {
				if rec.Hash != n.Hash {
					outErr = reused()
					return nil
				}
				c, err := getComplaint(tx, n.Complaint.Expo, rec.FilingID)
				if err != nil {
					return err
				}
				out, replayed = c, true
				return nil
			}
		}
		// The uploads it names become its own, as a filing's do (claimTx takes the complaint's
		// id, expo and filer in a filing's shape).
		if err := claimTx(tx, filing.Filing{ID: n.Complaint.ID, Expo: n.Complaint.Expo, Exhibitor: n.Filer},
			n.Complaint.UploadIDs()); filing.ErrorCode(err) == filing.CodeAttachmentUnknown {
			outErr = err
			return nil
		} else if err != nil {
			return err
		}
		next, err := takeNumber(tx, n.Counter)
		if err != nil {
			return err
		}
		c := n.Complaint
		c.ComplaintNumber = filing.FilingNumber(n.Counter, int(next))
		if tx.Bucket(bComplaints).Get([]byte(c.ID)) != nil {
			return fmt.Errorf("complaint id %s already in use", c.ID)
		}
		if err := putComplaint(tx, c, nil); err != nil {
			return err
		}
		if err := putComplaintEvent(tx, c.ID, c.Version, n.Event); err != nil {
			return err
		}
		if err := putEventNotices(tx, n.Event, c.ComplaintNumber); err != nil {
			return err
		}
		rec, err := json.Marshal(idemRecord{Hash: n.Hash, FilingID: c.ID, Expires: n.Expires})
		if err != nil {
			return err
		}
		if err := tx.Bucket(bComplaintIdem).Put(idemKey, rec); err != nil {
			return err
		}
		out = c
		return nil
	})
	if err != nil {
		return filing.Complaint{}, false, fmt.Errorf("embedded: create complaint %s: %w", n.Complaint.ID, err)
	}
	if outErr == nil && !replayed && len(n.Event.Notices) > 0 {
		d.wakeNotices()
	}
	return out, replayed, outErr
}

// LookupComplaint implements filing.ComplaintStore.
func (d *DB) LookupComplaint(ctx context.Context, expo, filer, key, hash string, now time.Time) (filing.Complaint, error) {
	var c filing.Complaint
	err := d.db.View(func(tx *bolt.Tx) error {
		raw := tx.Bucket(bComplaintIdem).Get(join(scoped(expo, filer), key))
		if raw == nil {
			return filing.ErrNotFound
		}
		var rec idemRecord
		if err := json.Unmarshal(raw, &rec); err != nil {
			return fmt.Errorf("idempotency record: %w", err)
		}
		if !now.Before(rec.Expires) {
			return filing.ErrNotFound
		}
		if rec.Hash != hash {
			return reused()
		}
		var err error
		c, err = getComplaint(tx, expo, rec.FilingID)
		return err
	})
	return c, err
}

// GetComplaint implements filing.ComplaintStore.
func (d *DB) GetComplaint(ctx context.Context, expo, id string) (filing.Complaint, error) {
	var c filing.Complaint
	err := d.db.View(func(tx *bolt.Tx) error {
		var err error
		c, err = getComplaint(tx, expo, id)
		return err
	})
	return c, err
}

// UpdateComplaint implements filing.ComplaintStore.
func (d *DB) UpdateComplaint(ctx context.Context, c filing.Complaint, ev filing.Event, claim filing.UploadClaim) error {
	var outErr error
	err := d.db.Batch(func(tx *bolt.Tx) error {
		outErr = nil
		cur, err := getComplaint(tx, c.Expo, c.ID)
		if err != nil {
			outErr = err
			return nil
		}
		if cur.Version != c.Version-1 {
			outErr = filing.Errorf(filing.Conflict, filing.CodeVersionConflict,
				"complaint %s is at version %d, not %d", c.ID, cur.Version, c.Version-1)
			return nil
		}
		if err := claimTx(tx, filing.Filing{ID: c.ID, Expo: c.Expo, Exhibitor: claim.Owner}, claim.IDs); filing.ErrorCode(err) == filing.CodeAttachmentUnknown {
			outErr = err
			return nil
		} else if err != nil {
			return err
		}
		if err := putComplaint(tx, c, &cur); err != nil {
			return err
		}
		if err := putComplaintEvent(tx, c.ID, c.Version, ev); err != nil {
			return err
		}
		return putEventNotices(tx, ev, c.ComplaintNumber)
	})
	if err == nil && outErr == nil && len(ev.Notices) > 0 {
		d.wakeNotices()
	}
	if err == nil {
		err = outErr
	}
	if err != nil && filing.ErrorKind(err) == filing.Internal {
		return fmt.Errorf("embedded: update complaint %s: %w", c.ID, err)
	}
	return err
}

// ComplaintHistory implements filing.ComplaintStore.
func (d *DB) ComplaintHistory(ctx context.Context, expo, id string) ([]filing.Event, error) {
	out := []filing.Event{}
	err := d.db.View(func(tx *bolt.Tx) error {
		if _, err := getComplaint(tx, expo, id); err != nil {
			return err
		}
		prefix := join(id, "")
		c := tx.Bucket(bComplaintEvents).Cursor()
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

// ListComplaints implements filing.ComplaintStore: it walks the most selective index the
// query names, newest first, and checks the rest of the query on each complaint.
func (d *DB) ListComplaints(ctx context.Context, q filing.ComplaintQuery) (filing.ComplaintPage, error) {
	page := filing.ComplaintPage{Items: []filing.Complaint{}}
	var prefix []byte
	switch {
	case q.Filer != "":
		prefix = join(scoped(scoped(q.Expo, "f"), q.Filer), "")
	case q.Booth != "":
		prefix = join(scoped(scoped(q.Expo, "b"), q.Booth), "")
	case q.State != "":
		prefix = join(scoped(scoped(q.Expo, "s"), string(q.State)), "")
	default:
		prefix = join(scoped(q.Expo, "*"), "")
	}
	start := append(bytes.Clone(prefix[:len(prefix)-1]), 1) // just past the prefix: the newest
	if q.Cursor != "" {
		id, err := base64.RawURLEncoding.DecodeString(q.Cursor)
		if err != nil || len(id) == 0 {
			return page, filing.Errorf(filing.Malformed, "invalid_format", "cursor is not one this server issued")
		}
		start = append(bytes.Clone(prefix), id...)
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 20
	}
	err := d.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bComplaintIndex).Cursor()
		for k := lastBefore(c, start); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Prev() {
			cp, err := getComplaint(tx, q.Expo, string(k[len(prefix):]))
			if err != nil {
				return err
			}
			if q.State != "" && cp.State != q.State || q.Filer != "" && cp.Filer != q.Filer ||
				q.Booth != "" && cp.Respondent.Booth != q.Booth {
				continue
			}
			if len(page.Items) == limit {
				page.NextCursor = base64.RawURLEncoding.EncodeToString([]byte(page.Items[limit-1].ID))
				return nil
			}
			page.Items = append(page.Items, cp)
		}
		return nil
	})
	return page, err
}

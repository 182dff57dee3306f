package embedded

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"

	"github.com/ipfast/ipfast/shared/filing"
	bolt "go.etcd.io/bbolt"
)

// The notification outbox (SPEC §17).
var (
	bNotices        = []byte("notices")          // notice id → Notice (JSON)
	bNoticeIndex    = []byte("notice_index")     // expo \0 state \0 Notice.SortKey → notice id
	bNoticeByFiling = []byte("notice_by_filing") // filing (or complaint) id \0 notice id → nil
	bUnsubscribed   = []byte("unsubscribed")     // filing id → nil: no more reminders
)

var _ filing.NoticeStore = (*DB)(nil)

func noticeIndexKey(n filing.Notice) []byte {
	return join(scoped(n.Expo, string(n.State)), n.SortKey())
}

// putNotice writes n, replacing old (nil for a new notice) in the indexes.
func putNotice(tx *bolt.Tx, old *filing.Notice, n filing.Notice) error {
	b, err := json.Marshal(n)
	if err != nil {
		return err
	}
	if old != nil {
		if err := tx.Bucket(bNoticeIndex).Delete(noticeIndexKey(*old)); err != nil {
			return err
		}
	}
	if err := tx.Bucket(bNoticeIndex).Put(noticeIndexKey(n), []byte(n.ID)); err != nil {
		return err
	}
	if err := tx.Bucket(bNoticeByFiling).Put(join(n.Subject(), n.ID), nil); err != nil {
		return err
	}
	return tx.Bucket(bNotices).Put([]byte(n.ID), b)
}

// eventNotice writes the notice of an event, if it has one, in the event's transaction.
func (d *DB) eventNotice(tx *bolt.Tx, f filing.Filing, ev filing.Event) (bool, error) {
	n, ok := filing.NoticeFor(f, ev)
	if !ok {
		return false, nil
	}
	if tx.Bucket(bNotices).Get([]byte(n.ID)) != nil {
		return false, fmt.Errorf("notice %s exists", n.ID)
	}
	return true, putNotice(tx, nil, n)
}

// putEventNotices writes the notices an event carries (a complaint's), numbered number when
// the transaction gave the complaint its number.
func putEventNotices(tx *bolt.Tx, ev filing.Event, number string) error {
	for _, n := range ev.Notices {
		if n.ComplaintID != "" {
			n.ComplaintNumber = number
		}
		if tx.Bucket(bNotices).Get([]byte(n.ID)) != nil {
			return fmt.Errorf("notice %s exists", n.ID)
		}
		if err := putNotice(tx, nil, n); err != nil {
			return err
		}
	}
	return nil
}

func getNotice(tx *bolt.Tx, expo, id string) (filing.Notice, error) {
	raw := tx.Bucket(bNotices).Get([]byte(id))
	if raw == nil {
		return filing.Notice{}, filing.ErrNotFound
	}
	var n filing.Notice
	if err := json.Unmarshal(raw, &n); err != nil {
		return n, err
	}
	if n.Expo != expo {
		return filing.Notice{}, filing.ErrNotFound
	}
	return n, nil
}

// NoticeAdded is signalled (without blocking, coalesced) when a notice is written: the local
// sender wakes at once rather than at its next poll.
func (d *DB) NoticeAdded() <-chan struct{} { return d.noticeWake }

func (d *DB) wakeNotices() {
	select {
	case d.noticeWake <- struct{}{}:
	default:
	}
}

// AddNotice implements filing.NoticeStore.
func (d *DB) AddNotice(ctx context.Context, n filing.Notice) (bool, error) {
	added := false
	err := d.db.Batch(func(tx *bolt.Tx) error {
		added = false
		if tx.Bucket(bNotices).Get([]byte(n.ID)) != nil {
			return nil
		}
		added = true
		return putNotice(tx, nil, n)
	})
	if err != nil {
		return false, fmt.Errorf("embedded: add notice %s: %w", n.ID, err)
	}
	if added {
		d.wakeNotices()
	}
	return added, nil
}

// GetNotice implements filing.NoticeStore.
func (d *DB) GetNotice(ctx context.Context, expo, id string) (filing.Notice, error) {
	var n filing.Notice
	err := d.db.View(func(tx *bolt.Tx) error {
		var err error
		n, err = getNotice(tx, expo, id)
		return err
	})
	return n, err
}

// UpdateNotice implements filing.NoticeStore.
func (d *DB) UpdateNotice(ctx context.Context, n filing.Notice) error {
	var outErr error
	err := d.db.Batch(func(tx *bolt.Tx) error {
		outErr = nil
		cur, err := getNotice(tx, n.Expo, n.ID)
		if err != nil {
			outErr = err
			return nil
		}
		if cur.Version != n.Version-1 {
			outErr = filing.Errorf(filing.Conflict, filing.CodeVersionConflict, "notice %s is at version %d, not %d", n.ID, cur.Version, n.Version-1)
			return nil
		}
		return putNotice(tx, &cur, n)
	})
	if err == nil {
		err = outErr
	}
	if err != nil {
		return fmt.Errorf("embedded: update notice %s: %w", n.ID, err)
	}
	if n.State == filing.NoticePending {
		d.wakeNotices()
	}
	return nil
}

// Notices implements filing.NoticeStore.
func (d *DB) Notices(ctx context.Context, q filing.NoticeQuery) (filing.NoticePage, error) {
	page := filing.NoticePage{Items: []filing.Notice{}}
	prefix := join(scoped(q.Expo, string(q.State)), "")
	var after []byte
	if q.Cursor != "" {
		k, err := base64.RawURLEncoding.DecodeString(q.Cursor)
		if err != nil || len(k) == 0 {
			return page, filing.Errorf(filing.Malformed, "invalid_format", "cursor is not one this server issued")
		}
		after = append(bytes.Clone(prefix), k...)
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 100
	}
	pending := q.State == filing.NoticePending
	due := ""
	if pending && !q.Due.IsZero() {
		due = q.Due.UTC().Format("20060102T150405.000000") + "$" // '$' sorts after '#'
	}
	err := d.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bNoticeIndex).Cursor()
		var k, v []byte
		switch {
		case pending && after != nil: // oldest due first, from just after the cursor
			k, v = c.Seek(append(after, 0))
		case pending:
			k, v = c.Seek(prefix)
		case after != nil: // newest first, from just before the cursor
			k, v = before(c, after)
		default:
			k, v = before(c, append(bytes.Clone(prefix[:len(prefix)-1]), 1))
		}
		for ; k != nil && bytes.HasPrefix(k, prefix); k, v = step(c, pending) {
			if due != "" && string(k[len(prefix):]) > due {
				return nil
			}
			if len(page.Items) == limit {
				last := page.Items[limit-1]
				page.NextCursor = base64.RawURLEncoding.EncodeToString([]byte(last.SortKey()))
				return nil
			}
			n, err := getNotice(tx, q.Expo, string(v))
			if err != nil {
				return err
			}
			page.Items = append(page.Items, n)
		}
		return nil
	})
	return page, err
}

// before positions c on the last key below key.
func before(c *bolt.Cursor, key []byte) ([]byte, []byte) {
	if k, _ := c.Seek(key); k == nil {
		return c.Last()
	}
	return c.Prev()
}

func step(c *bolt.Cursor, forward bool) ([]byte, []byte) {
	if forward {
		return c.Next()
	}
	return c.Prev()
}

// FilingNotices implements filing.NoticeStore.
func (d *DB) FilingNotices(ctx context.Context, expo, filingID string) ([]filing.Notice, error) {
	out := []filing.Notice{}
	err := d.db.View(func(tx *bolt.Tx) error {
		if _, err := getExpoFiling(tx, expo, filingID); err != nil {
			return err
		}
		prefix := join(filingID, "")
		c := tx.Bucket(bNoticeByFiling).Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			n, err := getNotice(tx, expo, string(k[len(prefix):]))
			if err != nil {
				return err
			}
			out = append(out, n)
		}
		return nil
	})
	filing.SortNotices(out)
	return out, err
}

// Unsubscribe implements filing.NoticeStore.
func (d *DB) Unsubscribe(ctx context.Context, expo, filingID string) error {
	return d.db.Batch(func(tx *bolt.Tx) error {
		if _, err := getExpoFiling(tx, expo, filingID); err != nil {
			return err
		}
		return tx.Bucket(bUnsubscribed).Put([]byte(filingID), []byte{1})
	})
}

// Unsubscribed implements filing.NoticeStore.
func (d *DB) Unsubscribed(ctx context.Context, expo, filingID string) (bool, error) {
	found := false
	err := d.db.View(func(tx *bolt.Tx) error {
		if _, err := getExpoFiling(tx, expo, filingID); err != nil {
			return err
		}
		found = tx.Bucket(bUnsubscribed).Get([]byte(filingID)) != nil
		return nil
	})
	return found, err
}

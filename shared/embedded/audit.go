package embedded

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/ipfast/ipfast/shared/filing"
	bolt "go.etcd.io/bbolt"
)

// bAudit is the expos' audit logs: expo \0 entry id (time-ordered) → AuditEntry (JSON).
var bAudit = []byte("audit")

var _ filing.AuditLog = (*DB)(nil)

// AppendAudit implements filing.AuditLog.
func (d *DB) AppendAudit(ctx context.Context, e filing.AuditEntry) error {
	b, err := json.Marshal(e)
	if err != nil {
		return err
	}
	if err := d.db.Batch(func(tx *bolt.Tx) error { return tx.Bucket(bAudit).Put(join(e.Expo, e.ID), b) }); err != nil {
		return fmt.Errorf("embedded: audit: %w", err)
	}
	return nil
}

// AuditTrail implements filing.AuditLog.
func (d *DB) AuditTrail(ctx context.Context, expo string, limit int) ([]filing.AuditEntry, error) {
	out := []filing.AuditEntry{}
	prefix := join(expo, "")
	end := append([]byte(expo), 1) // the first key after the expo's range
	err := d.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bAudit).Cursor()
		// From the last key of the expo's range backwards: newest first.
		var k, v []byte
		if after, _ := c.Seek(end); after == nil {
			k, v = c.Last()
		} else {
			k, v = c.Prev()
		}
		for ; k != nil && len(out) < limit && hasPrefix(k, prefix); k, v = c.Prev() {
			var e filing.AuditEntry
			if err := json.Unmarshal(v, &e); err != nil {
				return err
			}
			out = append(out, e)
		}
		return nil
	})
	return out, err
}

func hasPrefix(k, p []byte) bool { return len(k) >= len(p) && string(k[:len(p)]) == string(p) }

package embedded

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/ipfast/ipfast/shared/filing"
	bolt "go.etcd.io/bbolt"
)

// Enrolment's buckets (SPEC §18).
var (
	bEnrolees   = []byte("enrolees")    // expo \0 enrolee id → Enrolee (JSON)
	bSetupCodes = []byte("setup_codes") // code hash → setupRow (JSON): the hash only, never the code
	bExhibitors = []byte("exhibitors")  // expo \0 exhibitor id → Exhibitor (JSON), as put over the API
)

// setupRow is a stored set-up code.
type setupRow struct {
	Expo      string `json:"expo"`
	Enrolee   string `json:"enrolee"`
	ExpiresAt int64  `json:"expiresAt"` // epoch seconds
	UsedAt    int64  `json:"usedAt,omitempty"`
}

var _ filing.EnrolmentStore = (*DB)(nil)

func enroleeKey(expo, id string) []byte { return join(expo, id) }

func getEnrolee(tx *bolt.Tx, expo, id string) (filing.Enrolee, error) {
	var e filing.Enrolee
	raw := tx.Bucket(bEnrolees).Get(enroleeKey(expo, id))
	if raw == nil {
		return e, filing.ErrNotFound
	}
	if err := json.Unmarshal(raw, &e); err != nil {
		return e, fmt.Errorf("decode enrolee %s: %w", id, err)
	}
	return e, nil
}

func putEnrolee(tx *bolt.Tx, e filing.Enrolee) error {
	b, err := json.Marshal(e)
	if err != nil {
		return err
	}
	return tx.Bucket(bEnrolees).Put(enroleeKey(e.Expo, e.ID), b)
}

func putSetupCode(tx *bolt.Tx, c filing.SetupCode) error {
	b, err := json.Marshal(setupRow{Expo: c.Expo, Enrolee: c.Enrolee, ExpiresAt: c.ExpiresAt.Unix()})
	if err != nil {
		return err
	}
	if tx.Bucket(bSetupCodes).Get([]byte(c.Hash)) != nil {
		return fmt.Errorf("set-up code hash already stored") // 128 random bits: never by chance
	}
	return tx.Bucket(bSetupCodes).Put([]byte(c.Hash), b)
}

// Enrol implements filing.EnrolmentStore.
func (d *DB) Enrol(ctx context.Context, e filing.Enrolee, code filing.SetupCode) error {
	var outErr error
	err := d.db.Update(func(tx *bolt.Tx) error {
		outErr = nil
		if tx.Bucket(bEnrolees).Get(enroleeKey(e.Expo, e.ID)) != nil {
			outErr = filing.Errorf(filing.Conflict, "conflict", "enrolee %s already exists", e.ID)
			return nil
		}
		if err := putEnrolee(tx, e); err != nil {
			return err
		}
		return putSetupCode(tx, code)
	})
	if err != nil {
		return fmt.Errorf("embedded: enrol %s: %w", e.ID, err)
	}
	return outErr
}

// AddSetupCode implements filing.EnrolmentStore.
func (d *DB) AddSetupCode(ctx context.Context, code filing.SetupCode) error {
	return d.db.Update(func(tx *bolt.Tx) error {
		if _, err := getEnrolee(tx, code.Expo, code.Enrolee); err != nil {
			return err
		}
		return putSetupCode(tx, code)
	})
}

// RedeemSetupCode implements filing.EnrolmentStore: bbolt's single writer makes the first
// use the only one.
func (d *DB) RedeemSetupCode(ctx context.Context, hash string, now time.Time) (filing.Enrolee, error) {
	var e filing.Enrolee
	var outErr error
	err := d.db.Update(func(tx *bolt.Tx) error {
		outErr = filing.ErrSetupCodeInvalid
		raw := tx.Bucket(bSetupCodes).Get([]byte(hash))
		if raw == nil {
			return nil
		}
		var row setupRow
		if err := json.Unmarshal(raw, &row); err != nil {
			return fmt.Errorf("decode set-up code: %w", err)
		}
		if row.UsedAt != 0 || !filing.ValidAt(time.Unix(row.ExpiresAt, 0), now) {
			return nil
		}
		got, err := getEnrolee(tx, row.Expo, row.Enrolee)
		if err != nil || got.Revoked {
			return nil
		}
		row.UsedAt = now.Unix()
		b, err := json.Marshal(row)
		if err != nil {
			return err
		}
		if err := tx.Bucket(bSetupCodes).Put([]byte(hash), b); err != nil {
			return err
		}
		e, outErr = got, nil
		return nil
	})
	if err != nil {
		return filing.Enrolee{}, fmt.Errorf("embedded: redeem set-up code: %w", err)
	}
	return e, outErr
}

// GetEnrolee implements filing.EnrolmentStore.
func (d *DB) GetEnrolee(ctx context.Context, expo, id string) (filing.Enrolee, error) {
	var e filing.Enrolee
	err := d.db.View(func(tx *bolt.Tx) error {
		var err error
		e, err = getEnrolee(tx, expo, id)
		return err
	})
	return e, err
}

// ListEnrolees implements filing.EnrolmentStore.
func (d *DB) ListEnrolees(ctx context.Context, expo, kind string) ([]filing.Enrolee, error) {
	out := []filing.Enrolee{}
	err := d.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bEnrolees).Cursor()
		prefix := join(expo, "")
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			var e filing.Enrolee
			if err := json.Unmarshal(v, &e); err != nil {
				return fmt.Errorf("decode enrolee %q: %w", k, err)
			}
			if kind == "" || e.Kind == kind {
				out = append(out, e)
			}
		}
		return nil
	})
	filing.SortEnrolees(out)
	return out, err
}

// Revoke implements filing.EnrolmentStore.
func (d *DB) Revoke(ctx context.Context, expo, id, by string, at time.Time) (filing.Enrolee, error) {
	var e filing.Enrolee
	err := d.db.Update(func(tx *bolt.Tx) error {
		var err error
		if e, err = getEnrolee(tx, expo, id); err != nil || e.Revoked {
			return err
		}
		e.Revoked, e.RevokedAt, e.RevokedBy = true, at.UTC().Format(time.RFC3339), by
		return putEnrolee(tx, e)
	})
	return e, err
}

// Seen implements filing.EnrolmentStore.
func (d *DB) Seen(ctx context.Context, expo, id string, at time.Time) error {
	stamp := at.UTC().Format(time.RFC3339)
	return d.db.Batch(func(tx *bolt.Tx) error {
		e, err := getEnrolee(tx, expo, id)
		if err != nil {
			return err
		}
		if e.LastSeenAt >= stamp {
			return nil
		}
		e.LastSeenAt = stamp
		return putEnrolee(tx, e)
	})
}

// PutExhibitor implements filing.EnrolmentStore.
func (d *DB) PutExhibitor(ctx context.Context, expo string, e filing.Exhibitor) error {
	b, err := json.Marshal(e)
	if err != nil {
		return err
	}
	return d.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bExhibitors).Put(join(expo, e.ID), b) })
}

// ListExhibitors implements filing.ExhibitorDirectory.
func (d *DB) ListExhibitors(ctx context.Context, expo string) ([]filing.Exhibitor, error) {
	out := []filing.Exhibitor{}
	err := d.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bExhibitors).Cursor()
		prefix := join(expo, "")
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			var e filing.Exhibitor
			if err := json.Unmarshal(v, &e); err != nil {
				return fmt.Errorf("decode exhibitor %q: %w", k, err)
			}
			out = append(out, e)
		}
		return nil
	})
	return out, err
}

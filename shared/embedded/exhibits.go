package embedded

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"

	"github.com/ipfast/ipfast/shared/filing"
	bolt "go.etcd.io/bbolt"
)

// The exhibition display certificates' buckets (SPEC §12).
var (
	bExhibits     = []byte("exhibits")     // exhibit id → ExhibitRecord (JSON)
	bCertificates = []byte("certificates") // certificate id → Certificate (JSON)
	// certificate_index: expo \0 exhibitor \0 certificate id → nil (ids are time-ordered)
	bCertificateIndex = []byte("certificate_index")
)

var _ filing.ExhibitStore = (*DB)(nil)

func getExhibit(tx *bolt.Tx, expo, id string) (filing.ExhibitRecord, error) {
	var e filing.ExhibitRecord
	raw := tx.Bucket(bExhibits).Get([]byte(id))
	if raw == nil {
		return e, filing.ErrNotFound
	}
	if err := json.Unmarshal(raw, &e); err != nil {
		return e, fmt.Errorf("decode exhibit %s: %w", id, err)
	}
	if e.Expo != expo {
		return filing.ExhibitRecord{}, filing.ErrNotFound
	}
	return e, nil
}

func putJSON(tx *bolt.Tx, bucket []byte, id string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return tx.Bucket(bucket).Put([]byte(id), b)
}

// CreateExhibit implements filing.ExhibitStore.
func (d *DB) CreateExhibit(ctx context.Context, e filing.ExhibitRecord, claim filing.UploadClaim) error {
	var outErr error
	err := d.db.Batch(func(tx *bolt.Tx) error {
		outErr = nil
		if tx.Bucket(bExhibits).Get([]byte(e.ID)) != nil {
			return fmt.Errorf("exhibit id %s already in use", e.ID)
		}
		if err := claimTx(tx, filing.Filing{ID: e.ID, Expo: e.Expo, Exhibitor: claim.Owner}, claim.IDs); filing.ErrorCode(err) == filing.CodeAttachmentUnknown {
			outErr = err
			return nil
		} else if err != nil {
			return err
		}
		return putJSON(tx, bExhibits, e.ID, e)
	})
	if err != nil {
		return fmt.Errorf("embedded: create exhibit %s: %w", e.ID, err)
	}
	return outErr
}

// GetExhibit implements filing.ExhibitStore.
func (d *DB) GetExhibit(ctx context.Context, expo, id string) (filing.ExhibitRecord, error) {
	var e filing.ExhibitRecord
	err := d.db.View(func(tx *bolt.Tx) error {
		var err error
		e, err = getExhibit(tx, expo, id)
		return err
	})
	return e, err
}

// updateExhibitTx replaces an exhibit at version e.Version-1.
func updateExhibitTx(tx *bolt.Tx, e filing.ExhibitRecord) error {
	cur, err := getExhibit(tx, e.Expo, e.ID)
	if err != nil {
		return err
	}
	if cur.Version != e.Version-1 {
		return filing.Errorf(filing.Conflict, filing.CodeVersionConflict, "exhibit %s is at version %d, not %d", e.ID, cur.Version, e.Version-1)
	}
	return putJSON(tx, bExhibits, e.ID, e)
}

// UpdateExhibit implements filing.ExhibitStore.
func (d *DB) UpdateExhibit(ctx context.Context, e filing.ExhibitRecord) error {
	var outErr error
	err := d.db.Batch(func(tx *bolt.Tx) error {
		outErr = nil
		if err := updateExhibitTx(tx, e); filing.ErrorKind(err) == filing.NotFound || filing.ErrorKind(err) == filing.Conflict {
			outErr = err
			return nil
		} else if err != nil {
			return err
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("embedded: update exhibit %s: %w", e.ID, err)
	}
	return outErr
}

// IssueCertificate implements filing.ExhibitStore. The number is taken, the certificate signed
// and both stored in one transaction (bbolt runs one writer at a time): a failure of any step
// rolls the number back.
func (d *DB) IssueCertificate(ctx context.Context, counter string, e filing.ExhibitRecord, sign func(number string) (filing.Certificate, error)) (filing.Certificate, error) {
	var (
		out    filing.Certificate
		outErr error
	)
	// Update, not Batch: a sign error must roll back only this transaction's number.
	err := d.db.Update(func(tx *bolt.Tx) error {
		if err := updateExhibitTx(tx, e); filing.ErrorKind(err) == filing.NotFound || filing.ErrorKind(err) == filing.Conflict {
			outErr = err
			return errRolledBack
		} else if err != nil {
			return err
		}
		next, err := takeNumber(tx, counter)
		if err != nil {
			return err
		}
		c, err := sign(filing.FilingNumber(counter, int(next)))
		if err != nil {
			outErr = err
			return errRolledBack
		}
		if tx.Bucket(bCertificates).Get([]byte(c.ID)) != nil {
			return fmt.Errorf("certificate id %s already in use", c.ID)
		}
		if err := putJSON(tx, bCertificates, c.ID, c); err != nil {
			return err
		}
		out = c
		return tx.Bucket(bCertificateIndex).Put(join(scoped(c.Expo, c.Exhibitor), c.ID), nil)
	})
	if err == errRolledBack {
		return filing.Certificate{}, outErr
	}
	if err != nil {
		return filing.Certificate{}, fmt.Errorf("embedded: issue certificate for exhibit %s: %w", e.ID, err)
	}
	return out, nil
}

// errRolledBack ends a transaction that must write nothing; the caller returns its own error.
var errRolledBack = fmt.Errorf("embedded: rolled back")

func getCertificate(tx *bolt.Tx, id string) (filing.Certificate, error) {
	var c filing.Certificate
	raw := tx.Bucket(bCertificates).Get([]byte(id))
	if raw == nil {
		return c, filing.ErrNotFound
	}
	if err := json.Unmarshal(raw, &c); err != nil {
		return c, fmt.Errorf("decode certificate %s: %w", id, err)
	}
	return c, nil
}

// GetCertificate implements filing.ExhibitStore.
func (d *DB) GetCertificate(ctx context.Context, id string) (filing.Certificate, error) {
	var c filing.Certificate
	err := d.db.View(func(tx *bolt.Tx) error {
		var err error
		c, err = getCertificate(tx, id)
		return err
	})
	return c, err
}

// UpdateCertificate implements filing.ExhibitStore.
func (d *DB) UpdateCertificate(ctx context.Context, c filing.Certificate) error {
	var outErr error
	err := d.db.Batch(func(tx *bolt.Tx) error {
		outErr = nil
		cur, err := getCertificate(tx, c.ID)
		if err != nil {
			outErr = err
			return nil
		}
		if cur.Version != c.Version-1 {
			outErr = filing.Errorf(filing.Conflict, filing.CodeVersionConflict, "certificate %s is at version %d, not %d", c.ID, cur.Version, c.Version-1)
			return nil
		}
		return putJSON(tx, bCertificates, c.ID, c)
	})
	if err != nil {
		return fmt.Errorf("embedded: update certificate %s: %w", c.ID, err)
	}
	return outErr
}

// ListCertificates implements filing.ExhibitStore.
func (d *DB) ListCertificates(ctx context.Context, expo, exhibitor string) ([]filing.Certificate, error) {
	out := []filing.Certificate{}
	err := d.db.View(func(tx *bolt.Tx) error {
		prefix := join(scoped(expo, exhibitor), "")
		c := tx.Bucket(bCertificateIndex).Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			cert, err := getCertificate(tx, string(k[len(prefix):]))
			if err != nil {
				return err
			}
			out = append(out, cert)
		}
		return nil
	})
	return out, err
}

// ListExhibits implements filing.ExhibitStore: the exhibits bucket, read whole (a fair records
// hundreds of exhibits, not millions), in id order (time order).
func (d *DB) ListExhibits(ctx context.Context, q filing.ExhibitQuery) ([]filing.ExhibitRecord, error) {
	out := []filing.ExhibitRecord{}
	err := d.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bExhibits).ForEach(func(k, v []byte) error {
			var e filing.ExhibitRecord
			if err := json.Unmarshal(v, &e); err != nil {
				return fmt.Errorf("decode exhibit %s: %w", k, err)
			}
			if q.Selects(e) {
				out = append(out, e)
			}
			return nil
		})
	})
	return out, err
}

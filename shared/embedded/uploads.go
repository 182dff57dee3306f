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

var (
	bUploads        = []byte("uploads")         // upload id → Upload (JSON)
	bPendingUploads = []byte("pending_uploads") // expo \0 exhibitor \0 upload id → nil: uploads no filing uses
)

// CreateUpload implements filing.Store.
func (d *DB) CreateUpload(ctx context.Context, u filing.Upload) error {
	b, err := json.Marshal(u)
	if err != nil {
		return err
	}
	return d.db.Batch(func(tx *bolt.Tx) error {
		if err := tx.Bucket(bPendingUploads).Put(pendingKey(u), nil); err != nil {
			return err
		}
		return tx.Bucket(bUploads).Put([]byte(u.ID), b)
	})
}

// PendingUploads implements filing.Store.
func (d *DB) PendingUploads(ctx context.Context, expo, exhibitor string, now time.Time) (int, int64, error) {
	n, size := 0, int64(0)
	err := d.db.View(func(tx *bolt.Tx) error {
		prefix := join(scoped(expo, exhibitor), "")
		c := tx.Bucket(bPendingUploads).Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			u, err := getUpload(tx, string(k[len(prefix):]))
			if filing.ErrorKind(err) == filing.NotFound {
				continue
			}
			if err != nil {
				return err
			}
			if u.FilingID == "" && now.Before(u.UsableUntil) {
				n, size = n+1, size+u.Size
			}
		}
		return nil
	})
	return n, size, err
}

// GetUpload implements filing.Store.
func (d *DB) GetUpload(ctx context.Context, expo, id string) (filing.Upload, error) {
	var u filing.Upload
	err := d.db.View(func(tx *bolt.Tx) error {
		var err error
		u, err = getUpload(tx, id)
		if err == nil && u.Expo != expo {
			return noUpload(id)
		}
		return err
	})
	return u, err
}

func noUpload(id string) error {
	return filing.Errorf(filing.NotFound, filing.CodeNotFound, "no upload %s", id)
}

// pendingKey is an upload's key in the pending uploads index.
func pendingKey(u filing.Upload) []byte { return join(scoped(u.Expo, u.Exhibitor), u.ID) }

func getUpload(tx *bolt.Tx, id string) (filing.Upload, error) {
	var u filing.Upload
	raw := tx.Bucket(bUploads).Get([]byte(id))
	if raw == nil {
		return u, noUpload(id)
	}
	if err := json.Unmarshal(raw, &u); err != nil {
		return u, fmt.Errorf("embedded: upload %s: %w", id, err)
	}
	return u, nil
}

func putUpload(tx *bolt.Tx, u filing.Upload) error {
	b, err := json.Marshal(u)
	if err != nil {
		return err
	}
	return tx.Bucket(bUploads).Put([]byte(u.ID), b)
}

// RecordCheck implements filing.Store.
func (d *DB) RecordCheck(ctx context.Context, id, checked string, width, height int) error {
	var outErr error
	err := d.db.Batch(func(tx *bolt.Tx) error {
		outErr = nil
		u, err := getUpload(tx, id)
		if err != nil {
			outErr = err
			return nil
		}
		u.Checked, u.Width, u.Height = checked, width, height
		return putUpload(tx, u)
	})
	if err == nil {
		err = outErr
	}
	return err
}

// claimTx claims the uploads ids for filing f: all of them or, with the error
// filing.ErrUploadTaken, none (it reads every one before it writes any). Only uploads of f's
// expo and exhibitor that no other filing uses can be claimed.
func claimTx(tx *bolt.Tx, f filing.Filing, ids []string) error {
	var claim []filing.Upload
	fid := f.ID
	for _, id := range ids {
		u, err := getUpload(tx, id)
		if filing.ErrorKind(err) == filing.NotFound || err == nil && (u.Expo != f.Expo || u.Exhibitor != f.Exhibitor || u.FilingID != "" && u.FilingID != fid) {
			return filing.ErrUploadTaken(id)
		}
		if err != nil {
			return err
		}
		if u.FilingID == "" {
			u.FilingID = fid
			claim = append(claim, u)
		}
	}
	for _, u := range claim {
		if err := putUpload(tx, u); err != nil {
			return err
		}
		if err := tx.Bucket(bPendingUploads).Delete(pendingKey(u)); err != nil {
			return err
		}
	}
	return nil
}

// ForgetUploads deletes the records of the uploads that no filing uses and that are past their
// UsableUntil at now, and returns them, so that their bytes can be deleted too. A filing that
// names one afterwards finds it unknown; one that claimed it before keeps it.
func (d *DB) ForgetUploads(now time.Time) ([]filing.Upload, error) {
	var gone []filing.Upload
	err := d.db.Update(func(tx *bolt.Tx) error {
		gone = gone[:0]
		c := tx.Bucket(bUploads).Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			var u filing.Upload
			if err := json.Unmarshal(v, &u); err != nil {
				return fmt.Errorf("embedded: upload %s: %w", k, err)
			}
			if u.FilingID == "" && now.After(u.UsableUntil) {
				gone = append(gone, u)
			}
		}
		for _, u := range gone {
			if err := tx.Bucket(bUploads).Delete([]byte(u.ID)); err != nil {
				return err
			}
			if err := tx.Bucket(bPendingUploads).Delete(pendingKey(u)); err != nil {
				return err
			}
		}
		return nil
	})
	return gone, err
}

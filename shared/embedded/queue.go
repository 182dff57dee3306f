package embedded

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/ipfast/ipfast/shared/filing"
	bolt "go.etcd.io/bbolt"
)

// queued is a message as the queue keeps it.
type queued struct {
	filing.Message
	VisibleAt    time.Time `json:"visibleAt"`
	ReceiveCount int       `json:"receiveCount"`
	Receipt      string    `json:"receipt,omitempty"`
}

func errQueue(name string) error {
	return filing.Errorf(filing.NotFound, filing.CodeQueueNotFound, "no queue named %q", name)
}

func errLeaseLost() error {
	return filing.Errorf(filing.Conflict, filing.CodeLeaseLost, "the lease is no longer held")
}

func queueBucket(tx *bolt.Tx, name string) *bolt.Bucket {
	return tx.Bucket(bQueues).Bucket([]byte(name))
}

func readyKey(visibleAt time.Time, id string) []byte {
	k := make([]byte, 8, 8+len(id))
	binary.BigEndian.PutUint64(k, uint64(visibleAt.UnixNano()))
	return append(k, id...)
}

func sendTx(tx *bolt.Tx, queue string, m filing.Message) error {
	qb := queueBucket(tx, queue)
	if qb == nil {
		return errQueue(queue)
	}
	return putQueued(qb, queued{Message: m, VisibleAt: m.SentAt})
}

func putQueued(qb *bolt.Bucket, q queued) error {
	b, err := json.Marshal(q)
	if err != nil {
		return err
	}
	if err := qb.Bucket(bQueueMsgs).Put([]byte(q.ID), b); err != nil {
		return err
	}
	return qb.Bucket(bQueueReady).Put(readyKey(q.VisibleAt, q.ID), nil)
}

// Send implements filing.Queue.
func (d *DB) Send(ctx context.Context, queue string, m filing.Message) error {
	if m.SentAt.IsZero() {
		m.SentAt = d.opts.Clock.Now()
	}
	if m.ID == "" {
		m.ID = filing.NewID("msg_", m.SentAt)
	}
	err := d.db.Batch(func(tx *bolt.Tx) error {
		if qb := queueBucket(tx, queue); qb != nil && qb.Bucket(bQueueMsgs).Get([]byte(m.ID)) != nil {
			return nil // already sent: Send is idempotent per message id
		}
		return sendTx(tx, queue, m)
	})
	if err != nil {
		return fmt.Errorf("embedded: send to %s: %w", queue, err)
	}
	d.notify(queue)
	return nil
}

func (d *DB) notify(queue string) {
	d.mu.Lock()
	if ch, ok := d.waiters[queue]; ok {
		close(ch)
		delete(d.waiters, queue)
	}
	d.mu.Unlock()
}

func (d *DB) waiter(queue string) <-chan struct{} {
	d.mu.Lock()
	defer d.mu.Unlock()
	ch, ok := d.waiters[queue]
	if !ok {
		ch = make(chan struct{})
		d.waiters[queue] = ch
	}
	return ch
}

// Receive implements filing.Queue. While waiting it wakes on every Send to the queue, and at
// least once a second so that leases which expire meanwhile are seen.
func (d *DB) Receive(ctx context.Context, queue string, visibility, wait time.Duration) (filing.Delivery, bool, error) {
	if !d.queues[queue] {
		return filing.Delivery{}, false, errQueue(queue)
	}
	deadline := time.Now().Add(wait)
	for {
		wake := d.waiter(queue)
		del, ok, err := d.receiveOnce(queue, visibility)
		if err != nil || ok {
			return del, ok, err
		}
		left := time.Until(deadline)
		if left <= 0 {
			return filing.Delivery{}, false, nil
		}
		t := time.NewTimer(min(left, time.Second))
		select {
		case <-ctx.Done():
			t.Stop()
			return filing.Delivery{}, false, ctx.Err()
		case <-wake:
		case <-t.C:
		}
		t.Stop()
	}
}

func (d *DB) receiveOnce(queue string, visibility time.Duration) (filing.Delivery, bool, error) {
	var del filing.Delivery
	var ok bool
	err := d.db.Batch(func(tx *bolt.Tx) error {
		del, ok = filing.Delivery{}, false
		qb := queueBucket(tx, queue)
		now := d.opts.Clock.Now()
		nowKey := u64(uint64(now.UnixNano()))
		for {
			c := qb.Bucket(bQueueReady).Cursor()
			k, _ := c.First()
			if k == nil || bytes.Compare(k[:8], nowKey) > 0 {
				return nil
			}
			id := bytes.Clone(k[8:])
			if err := c.Delete(); err != nil {
				return err
			}
			raw := qb.Bucket(bQueueMsgs).Get(id)
			if raw == nil {
				continue // index without message: nothing to deliver
			}
			var q queued
			if err := json.Unmarshal(raw, &q); err != nil {
				return fmt.Errorf("decode message %s: %w", id, err)
			}
			q.ReceiveCount++
			if q.ReceiveCount > d.opts.MaxReceives {
				// Too many deliveries without an ack: park it for a person to look at.
				q.Receipt = ""
				b, _ := json.Marshal(q)
				if err := qb.Bucket(bQueueDead).Put(id, b); err != nil {
					return err
				}
				if err := qb.Bucket(bQueueMsgs).Delete(id); err != nil {
					return err
				}
				continue
			}
			q.VisibleAt = now.Add(visibility)
			q.Receipt = q.ID + "." + randomToken()
			if err := putQueued(qb, q); err != nil {
				return err
			}
			del = filing.Delivery{Message: q.Message, Receipt: q.Receipt,
				ReceiveCount: q.ReceiveCount, VisibleAt: q.VisibleAt}
			ok = true
			return nil
		}
	})
	if err != nil {
		return filing.Delivery{}, false, fmt.Errorf("embedded: receive from %s: %w", queue, err)
	}
	return del, ok, nil
}

func randomToken() string {
	var b [18]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("embedded: no randomness: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// withLease runs fn on the message a receipt names, if that receipt is still its current,
// unexpired lease.
func (d *DB) withLease(queue, receipt string, fn func(qb *bolt.Bucket, q *queued, now time.Time) error) error {
	if !d.queues[queue] {
		return errQueue(queue)
	}
	id, _, found := strings.Cut(receipt, ".")
	if !found {
		return errLeaseLost()
	}
	var lost bool
	err := d.db.Batch(func(tx *bolt.Tx) error {
		lost = false
		qb := queueBucket(tx, queue)
		raw := qb.Bucket(bQueueMsgs).Get([]byte(id))
		if raw == nil {
			lost = true
			return nil
		}
		var q queued
		if err := json.Unmarshal(raw, &q); err != nil {
			return err
		}
		now := d.opts.Clock.Now()
		if q.Receipt != receipt || !now.Before(q.VisibleAt) {
			lost = true
			return nil
		}
		if err := qb.Bucket(bQueueReady).Delete(readyKey(q.VisibleAt, q.ID)); err != nil {
			return err
		}
		return fn(qb, &q, now)
	})
	if err == nil && lost {
		return errLeaseLost()
	}
	return err
}

// Extend implements filing.Queue.
func (d *DB) Extend(ctx context.Context, queue, receipt string, visibility time.Duration) error {
	return d.withLease(queue, receipt, func(qb *bolt.Bucket, q *queued, now time.Time) error {
		q.VisibleAt = now.Add(visibility)
		return putQueued(qb, *q)
	})
}

// Release implements filing.Queue.
func (d *DB) Release(ctx context.Context, queue, receipt string) error {
	err := d.withLease(queue, receipt, func(qb *bolt.Bucket, q *queued, now time.Time) error {
		q.VisibleAt, q.Receipt = now, ""
		return putQueued(qb, *q)
	})
	if err == nil {
		d.notify(queue)
	}
	return err
}

// Ack implements filing.Queue.
func (d *DB) Ack(ctx context.Context, queue, receipt string) error {
	return d.withLease(queue, receipt, func(qb *bolt.Bucket, q *queued, now time.Time) error {
		return qb.Bucket(bQueueMsgs).Delete([]byte(q.ID))
	})
}

// Stats implements filing.Queue.
func (d *DB) Stats(ctx context.Context, queue string) (filing.QueueStats, error) {
	st := filing.QueueStats{Name: queue}
	if !d.queues[queue] {
		return st, errQueue(queue)
	}
	err := d.db.View(func(tx *bolt.Tx) error {
		qb := queueBucket(tx, queue)
		now := d.opts.Clock.Now()
		nowKey := u64(uint64(now.UnixNano()))
		c := qb.Bucket(bQueueReady).Cursor()
		for k, _ := c.First(); k != nil; k, _ = c.Next() {
			if bytes.Compare(k[:8], nowKey) <= 0 {
				st.Depth++
			} else {
				st.InFlight++
			}
		}
		// Message ids are time-ordered, so the first one is the oldest message.
		if k, v := qb.Bucket(bQueueMsgs).Cursor().First(); k != nil {
			var q queued
			if err := json.Unmarshal(v, &q); err == nil {
				st.OldestAgeSeconds = int(max(0, now.Sub(q.SentAt).Seconds()))
			}
		}
		st.DeadLetters = qb.Bucket(bQueueDead).Stats().KeyN
		return nil
	})
	return st, err
}

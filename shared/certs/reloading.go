package certs

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"sync"
	"time"
)

// Reloading is a keyring that many instances share through a store they read (the AWS
// deployment's secret): a rotation there reaches every instance without a restart. It reads the
// keys again when they are older than MaxAge (so an instance signs with the new key within
// MaxAge of a rotation), and at once (at most every MinGap) when asked to verify a JWS of a key
// it does not know yet (so a certificate another instance just signed with the new key
// verifies everywhere at once). A failed read keeps the keys it has.
type Reloading struct {
	Load   func() (*Keyring, error)
	MaxAge time.Duration
	MinGap time.Duration
	Now    func() time.Time

	mu     sync.Mutex
	keys   *Keyring
	loaded time.Time
}

// NewReloading reads the keys once (an error here is the caller's: an instance without keys
// cannot start) and reloads them as Reloading says: at most 5 minutes old, an unknown key id
// looked up at most every 10 seconds, by the clock now (nil: time.Now).
func NewReloading(load func() (*Keyring, error), now func() time.Time) (*Reloading, error) {
	if now == nil {
		now = time.Now
	}
	k, err := load()
	if err != nil {
		return nil, err
	}
	return &Reloading{Load: load, MaxAge: 5 * time.Minute, MinGap: 10 * time.Second, Now: now, keys: k, loaded: now()}, nil
}

// current is the keyring, read again first when older than age.
func (r *Reloading) current(age time.Duration) *Keyring {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.Now().Sub(r.loaded) >= age {
		r.loaded = r.Now() // a failing store is not asked again at once
		if k, err := r.Load(); err == nil {
			r.keys = k
		}
	}
	return r.keys
}

// Sign signs with the newest key of keys at most MaxAge old.
func (r *Reloading) Sign(payload []byte) (string, string, error) {
	return r.current(r.MaxAge).Sign(payload)
}

// Verify verifies with the keys; a JWS of a key they lack reads them again first (at most
// every MinGap).
func (r *Reloading) Verify(jws string) ([]byte, string, error) {
	k := r.current(r.MaxAge)
	if kid := headerKeyID(jws); kid != "" && !k.has(kid) {
		k = r.current(r.MinGap)
	}
	return k.Verify(jws)
}

// Public lists the public keys of keys at most MaxAge old.
func (r *Reloading) Public() []PublicKey { return r.current(r.MaxAge).Public() }

func (k *Keyring) has(kid string) bool {
	for _, key := range k.Keys {
		if key.ID == kid {
			return true
		}
	}
	return false
}

// headerKeyID is the "kid" of a compact JWS's protected header, or "" when it has none.
func headerKeyID(jws string) string {
	head, _, ok := strings.Cut(strings.TrimSpace(jws), ".")
	if !ok {
		return ""
	}
	b, err := base64.RawURLEncoding.DecodeString(head)
	if err != nil {
		return ""
	}
	var h struct {
		Kid string `json:"kid"`
	}
	if json.Unmarshal(b, &h) != nil {
		return ""
	}
	return h.Kid
}

// RotateSecret is the value of the AWS deployment's keys secret after a rotation: the keys of
// value (as FromSecret reads it, the seed's key made at created) and a fresh one, which signs
// from then on, as a keyring; and the fresh key.
func RotateSecret(value string, created, now time.Time) (string, Key, error) {
	k, err := FromSecret(value, created)
	if err != nil {
		return "", Key{}, err
	}
	key, err := k.Rotate(now)
	if err != nil {
		return "", Key{}, err
	}
	b, err := json.Marshal(k)
	return string(b), key, err
}

package certs

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// KeysFile is the local deployment's keyring in its data dir.
const KeysFile = "certificate-keys.json"

// LocalKeyring reads the keyring of a data dir, making it with one fresh key the first time
// (atomically: two processes starting at once end with the same keys).
func LocalKeyring(dataDir string, now time.Time) (*Keyring, error) {
	path := filepath.Join(dataDir, KeysFile)
	b, err := os.ReadFile(path)
	if err == nil {
		return ParseKeyring(b)
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("certs: read keys: %w", err)
	}
	k := &Keyring{}
	if _, err := k.Rotate(now); err != nil {
		return nil, err
	}
	tmp, err := writeTemp(dataDir, k)
	if err != nil {
		return nil, err
	}
	defer os.Remove(tmp)
	// Link fails when the file exists: then another process made the keys first.
	if err := os.Link(tmp, path); errors.Is(err, os.ErrExist) {
		return LocalKeyring(dataDir, now)
	} else if err != nil {
		return nil, fmt.Errorf("certs: write keys: %w", err)
	}
	return k, nil
}

// RotateLocal adds a fresh key to a data dir's keyring and returns it; a running `serve` signs
// with it after a restart (until then it goes on signing with the key before, which stays valid).
func RotateLocal(dataDir string, now time.Time) (Key, error) {
	k, err := LocalKeyring(dataDir, now)
	if err != nil {
		return Key{}, err
	}
	key, err := k.Rotate(now)
	if err != nil {
		return Key{}, err
	}
	tmp, err := writeTemp(dataDir, k)
	if err != nil {
		return Key{}, err
	}
	if err := os.Rename(tmp, filepath.Join(dataDir, KeysFile)); err != nil {
		os.Remove(tmp)
		return Key{}, fmt.Errorf("certs: write keys: %w", err)
	}
	return key, nil
}

// writeTemp writes a keyring to a new private file in dir, synced, and returns its path.
func writeTemp(dir string, k *Keyring) (string, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("certs: data dir: %w", err)
	}
	b, err := json.MarshalIndent(k, "", "  ")
	if err != nil {
		return "", err
	}
	f, err := os.CreateTemp(dir, ".keys-*")
	if err != nil {
		return "", fmt.Errorf("certs: write keys: %w", err)
	}
	err = f.Chmod(0o600)
	if err == nil {
		_, err = f.Write(append(b, '\n'))
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return "", fmt.Errorf("certs: write keys: %w", err)
	}
	return f.Name(), nil
}

// FromSecret reads the keyring of the AWS deployment from its secret's value (made at created):
// a keyring as the local keys file holds it, or {"seed": "<random text>"} as template.yaml
// generates it, whose key is derived from the seed (SHA-256 of it, the Ed25519 seed). To
// rotate, put a keyring with the old keys and a new one as the secret's new value.
func FromSecret(value string, created time.Time) (*Keyring, error) {
	var probe struct {
		Seed string `json:"seed"`
		Keys []Key  `json:"keys"`
	}
	if err := json.Unmarshal([]byte(value), &probe); err != nil {
		return nil, fmt.Errorf("certs: the keys secret is not JSON: %w", err)
	}
	if len(probe.Keys) > 0 {
		return ParseKeyring([]byte(value))
	}
	if len(probe.Seed) < 32 {
		return nil, errors.New("certs: the keys secret has neither keys nor a seed of at least 32 characters")
	}
	sum := sha256.Sum256([]byte(probe.Seed))
	priv := ed25519.NewKeyFromSeed(sum[:])
	id, err := KeyID(priv.Public().(ed25519.PublicKey))
	if err != nil {
		return nil, err
	}
	return &Keyring{Keys: []Key{{ID: id, Private: priv, Created: created.UTC()}}}, nil
}

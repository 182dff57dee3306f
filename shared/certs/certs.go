// Package certs signs and verifies the exhibition display certificates (SPEC §12) with the
// deployment's Ed25519 keys.
//
// The format, for any verifier (docs/certificates.md says it whole): a certificate is a JWS
// (RFC 7515) in compact serialization, signed with EdDSA over Ed25519 (RFC 8037). Its
// protected header is {"alg":"EdDSA","kid":<key id>,"typ":"ipfast-ec+jws"}; its payload is the
// certificate's JSON (filing.CertificatePayload) exactly as signed: a verifier checks the
// signature over the bytes it received and never re-encodes them, so no canonical JSON is needed.
// The key id is the key's JWK thumbprint (RFC 7638, SHA-256, base64url); GET /v1/keys lists
// the public keys as a JWK set. The QR code holds the certificate's verify address with the JWS
// after "#": https://<host>/verify/<id>#<JWS>; the JWS alone is what is verified.
package certs

import (
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// Type is the JWS "typ" header of a certificate.
const Type = "ipfast-ec+jws"

// Key is one signing key of the deployment.
type Key struct {
	ID      string             `json:"kid"`
	Private ed25519.PrivateKey `json:"private"`
	Created time.Time          `json:"created"`
}

// Keyring is the deployment's keys, oldest first: the newest signs, every one verifies (a
// certificate signed before a rotation stays valid).
type Keyring struct {
	Keys []Key `json:"keys"`
}

// NewKey makes a fresh key, its id its JWK thumbprint.
func NewKey(now time.Time) (Key, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return Key{}, err
	}
	id, err := KeyID(priv.Public().(ed25519.PublicKey))
	if err != nil {
		return Key{}, err
	}
	return Key{ID: id, Private: priv, Created: now.UTC()}, nil
}

// KeyID is a public key's id: its RFC 7638 thumbprint (SHA-256), base64url without padding.
func KeyID(pub ed25519.PublicKey) (string, error) {
	tp, err := (&jose.JSONWebKey{Key: pub}).Thumbprint(crypto.SHA256)
	if err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(tp), nil
}

// Rotate adds a fresh key, which signs from now on.
func (k *Keyring) Rotate(now time.Time) (Key, error) {
	key, err := NewKey(now)
	if err != nil {
		return Key{}, err
	}
	k.Keys = append(k.Keys, key)
	return key, nil
}

// Current is the key that signs: the newest.
func (k *Keyring) Current() (Key, error) {
	if len(k.Keys) == 0 {
		return Key{}, errors.New("certs: no signing key")
	}
	return k.Keys[len(k.Keys)-1], nil
}

// Sign signs payload with the current key and returns the compact JWS and the key's id.
func (k *Keyring) Sign(payload []byte) (jws, kid string, err error) {
	key, err := k.Current()
	if err != nil {
		return "", "", err
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.EdDSA, Key: jose.JSONWebKey{Key: key.Private, KeyID: key.ID}},
		(&jose.SignerOptions{}).WithType(Type))
	if err != nil {
		return "", "", err
	}
	obj, err := signer.Sign(payload)
	if err != nil {
		return "", "", err
	}
	jws, err = obj.CompactSerialize()
	return jws, key.ID, err
}

// ErrInvalid is a certificate whose signature does not hold: malformed, of an unknown key, or
// changed since it was signed.
var ErrInvalid = errors.New("certs: the signature does not verify")

// Verify checks a compact JWS against the keyring's public keys and returns its payload and
// key id; ErrInvalid when it does not hold.
func (k *Keyring) Verify(jws string) (payload []byte, kid string, err error) {
	return verifyWith(jws, func(kid string) ed25519.PublicKey {
		for _, key := range k.Keys {
			if key.ID == kid {
				return key.Private.Public().(ed25519.PublicKey)
			}
		}
		return nil
	})
}

// Verify checks a compact JWS against a set of public keys by id (a verifier that has only
// GET /v1/keys).
func Verify(jws string, keys map[string]ed25519.PublicKey) (payload []byte, kid string, err error) {
	return verifyWith(jws, func(kid string) ed25519.PublicKey { return keys[kid] })
}

func verifyWith(jws string, keyOf func(kid string) ed25519.PublicKey) ([]byte, string, error) {
	obj, err := jose.ParseSignedCompact(strings.TrimSpace(jws), []jose.SignatureAlgorithm{jose.EdDSA})
	if err != nil || len(obj.Signatures) != 1 {
		return nil, "", ErrInvalid
	}
	h := obj.Signatures[0].Protected
	if h.KeyID == "" || h.ExtraHeaders[jose.HeaderType] != Type {
		return nil, "", ErrInvalid
	}
	pub := keyOf(h.KeyID)
	if pub == nil {
		return nil, h.KeyID, ErrInvalid
	}
	payload, err := obj.Verify(pub)
	if err != nil {
		return nil, h.KeyID, ErrInvalid
	}
	// The compact form is canonical: a JWS that parses but is not written exactly as it would
	// be (another base64 alphabet, padding, a changed byte that decodes the same) is refused.
	again, err := obj.CompactSerialize()
	if err != nil || again != strings.TrimSpace(jws) {
		return nil, h.KeyID, ErrInvalid
	}
	return payload, h.KeyID, nil
}

// PublicKey is a public key as GET /v1/keys lists it: a JWK (RFC 8037 OKP) with its id and
// when it was made.
type PublicKey struct {
	KeyType   string `json:"kty"`
	Curve     string `json:"crv"`
	X         string `json:"x"`
	KeyID     string `json:"kid"`
	Algorithm string `json:"alg"`
	Use       string `json:"use"`
	Created   string `json:"created"`
}

// Public lists the keyring's public keys, oldest first.
func (k *Keyring) Public() []PublicKey {
	out := make([]PublicKey, 0, len(k.Keys))
	for _, key := range k.Keys {
		pub := key.Private.Public().(ed25519.PublicKey)
		out = append(out, PublicKey{KeyType: "OKP", Curve: "Ed25519", X: base64.RawURLEncoding.EncodeToString(pub),
			KeyID: key.ID, Algorithm: "EdDSA", Use: "sig", Created: key.Created.Format(time.RFC3339)})
	}
	return out
}

// ParseKeyring reads a keyring as Marshal wrote it, checking each key's id.
func ParseKeyring(b []byte) (*Keyring, error) {
	var k Keyring
	if err := json.Unmarshal(b, &k); err != nil {
		return nil, fmt.Errorf("certs: keyring: %w", err)
	}
	for _, key := range k.Keys {
		if len(key.Private) != ed25519.PrivateKeySize {
			return nil, fmt.Errorf("certs: keyring: key %s is not an Ed25519 private key", key.ID)
		}
		id, err := KeyID(key.Private.Public().(ed25519.PublicKey))
		if err != nil || id != key.ID {
			return nil, fmt.Errorf("certs: keyring: key %s does not have its thumbprint as its id", key.ID)
		}
	}
	if len(k.Keys) == 0 {
		return nil, errors.New("certs: keyring: no key")
	}
	return &k, nil
}

// QRText is what a certificate's QR code holds: its verify address with the JWS after "#".
func QRText(base, id, jws string) string {
	return strings.TrimRight(base, "/") + "/verify/" + id + "#" + jws
}

// JWSOf is the JWS in a QR code's text (the part after "#"), or the text itself when it has no
// "#" (the JWS alone).
func JWSOf(qr string) string {
	qr = strings.TrimSpace(qr)
	if i := strings.LastIndexByte(qr, '#'); i >= 0 {
		return qr[i+1:]
	}
	return qr
}

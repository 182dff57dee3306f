package certs_test

import (
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ipfast/ipfast/shared/certs"
)

var now = time.Date(2026, 6, 23, 2, 0, 0, 0, time.UTC)

func keyring(t *testing.T) *certs.Keyring {
	t.Helper()
	k := &certs.Keyring{}
	if _, err := k.Rotate(now); err != nil {
		t.Fatal(err)
	}
	return k
}

const payload = `{"v":1,"id":"cert_1","certificateNumber":"CISCE2026-EC-000001","exhibition":{"nameZh":"中国国际供应链促进博览会"}}`

func TestSignVerify(t *testing.T) {
	k := keyring(t)
	jws, kid, err := k.Sign([]byte(payload))
	if err != nil {
		t.Fatal(err)
	}
	got, gotKid, err := k.Verify(jws)
	if err != nil || string(got) != payload || gotKid != kid {
		t.Fatalf("verify: %s %s %v", got, gotKid, err)
	}
	header, _ := base64.RawURLEncoding.DecodeString(strings.Split(jws, ".")[0])
	for _, want := range []string{`"alg":"EdDSA"`, `"kid":"` + kid + `"`, `"typ":"ipfast-ec+jws"`} {
		if !strings.Contains(string(header), want) {
			t.Errorf("header %s lacks %s", header, want)
		}
	}
	// The QR text carries the JWS after "#".
	qr := certs.QRText("https://ipfast.example/", "cert_1", jws)
	if qr != "https://ipfast.example/verify/cert_1#"+jws || certs.JWSOf(qr) != jws || certs.JWSOf(jws) != jws {
		t.Errorf("QR text %q", qr)
	}
}

// TestEveryByteMatters: a change of any one character of the JWS, or of any one byte of its
// payload or signature re-encoded, is refused.
func TestEveryByteMatters(t *testing.T) {
	k := keyring(t)
	jws, _, err := k.Sign([]byte(payload))
	if err != nil {
		t.Fatal(err)
	}
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_."
	for i := range jws {
		for _, c := range []byte{alphabet[(strings.IndexByte(alphabet, jws[i])+1)%len(alphabet)], alphabet[(strings.IndexByte(alphabet, jws[i])+33)%len(alphabet)]} {
			changed := jws[:i] + string(c) + jws[i+1:]
			if changed == jws {
				continue
			}
			if _, _, err := k.Verify(changed); err == nil {
				t.Fatalf("character %d changed to %q still verifies", i, c)
			}
		}
	}
	parts := strings.Split(jws, ".")
	for part := 1; part <= 2; part++ {
		raw, err := base64.RawURLEncoding.DecodeString(parts[part])
		if err != nil {
			t.Fatal(err)
		}
		for i := range raw {
			b := append([]byte(nil), raw...)
			b[i] ^= 0x01
			p := append([]string(nil), parts...)
			p[part] = base64.RawURLEncoding.EncodeToString(b)
			if _, _, err := k.Verify(strings.Join(p, ".")); err == nil {
				t.Fatalf("byte %d of part %d changed still verifies", i, part)
			}
		}
	}
	for _, bad := range []string{"", "a.b", "a.b.c", jws + ".x", strings.Replace(jws, ".", "..", 1)} {
		if _, _, err := k.Verify(bad); err == nil {
			t.Errorf("%q verifies", bad)
		}
	}
}

// TestRotation: after a rotation the new key signs; a certificate signed by the old key still
// verifies, by the keyring and by a verifier holding only the published public keys.
func TestRotation(t *testing.T) {
	k := keyring(t)
	old, oldKid, err := k.Sign([]byte(payload))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := k.Rotate(now.Add(24 * time.Hour)); err != nil {
		t.Fatal(err)
	}
	fresh, newKid, err := k.Sign([]byte(payload))
	if err != nil || newKid == oldKid {
		t.Fatalf("after rotation: %s %v", newKid, err)
	}
	published := map[string]ed25519.PublicKey{}
	for _, pk := range k.Public() {
		x, err := base64.RawURLEncoding.DecodeString(pk.X)
		if err != nil || pk.KeyType != "OKP" || pk.Curve != "Ed25519" || pk.Algorithm != "EdDSA" {
			t.Fatalf("public key %+v", pk)
		}
		published[pk.KeyID] = x
	}
	for _, jws := range []string{old, fresh} {
		if _, _, err := k.Verify(jws); err != nil {
			t.Errorf("keyring: %v", err)
		}
		if _, _, err := certs.Verify(jws, published); err != nil {
			t.Errorf("published keys: %v", err)
		}
	}
	// Another deployment's key verifies nothing here.
	other := keyring(t)
	theirs, _, _ := other.Sign([]byte(payload))
	if _, _, err := k.Verify(theirs); err == nil {
		t.Errorf("another deployment's certificate verifies")
	}
}

func TestKeyringRoundTrip(t *testing.T) {
	k := keyring(t)
	b, err := jsonOf(k)
	if err != nil {
		t.Fatal(err)
	}
	back, err := certs.ParseKeyring(b)
	if err != nil || len(back.Keys) != 1 || back.Keys[0].ID != k.Keys[0].ID {
		t.Fatalf("round trip: %v", err)
	}
	if _, err := certs.ParseKeyring([]byte(strings.Replace(string(b), k.Keys[0].ID, "forged", 1))); err == nil {
		t.Errorf("a key whose id is not its thumbprint is accepted")
	}
	if _, err := certs.ParseKeyring([]byte(`{"keys":[]}`)); err == nil {
		t.Errorf("an empty keyring is accepted")
	}
}

func jsonOf(k *certs.Keyring) ([]byte, error) { return json.Marshal(k) }

// TestLocalKeyring: made once in the data dir (private), the same keys on every start and for
// 8 processes starting at once; a rotation adds a key and keeps the old one.
func TestLocalKeyring(t *testing.T) {
	dir := t.TempDir()
	var wg sync.WaitGroup
	ids := make([]string, 8)
	for i := range ids {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			k, err := certs.LocalKeyring(dir, now)
			if err != nil {
				t.Error(err)
				return
			}
			ids[i] = k.Keys[0].ID
		}(i)
	}
	wg.Wait()
	for _, id := range ids {
		if id != ids[0] || id == "" {
			t.Fatalf("concurrent starts made different keys: %v", ids)
		}
	}
	st, err := os.Stat(filepath.Join(dir, certs.KeysFile))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("the keys file: %v %v", st.Mode(), err)
	}
	key, err := certs.RotateLocal(dir, now.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	k, err := certs.LocalKeyring(dir, now)
	if err != nil || len(k.Keys) != 2 || k.Keys[0].ID != ids[0] || k.Keys[1].ID != key.ID {
		t.Errorf("after rotation: %+v %v", k, err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".keys-*")); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// TestFromSecret: the template's {"seed"} gives one key, the same every time; a keyring value
// is read as such; anything else is refused.
func TestFromSecret(t *testing.T) {
	seed := `{"seed":"` + strings.Repeat("x7Q", 22) + `"}`
	a, err := certs.FromSecret(seed, now)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := certs.FromSecret(seed, now)
	if len(a.Keys) != 1 || a.Keys[0].ID != b.Keys[0].ID {
		t.Fatalf("seed keys differ: %+v %+v", a.Keys, b.Keys)
	}
	jws, _, _ := a.Sign([]byte(payload))
	if _, _, err := b.Verify(jws); err != nil {
		t.Errorf("a certificate signed by one start does not verify at the next: %v", err)
	}
	k := keyring(t)
	raw, _ := json.Marshal(k)
	if got, err := certs.FromSecret(string(raw), now); err != nil || got.Keys[0].ID != k.Keys[0].ID {
		t.Errorf("a keyring value: %v", err)
	}
	for _, bad := range []string{"", "not json", `{"seed":"short"}`, `{}`} {
		if _, err := certs.FromSecret(bad, now); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// TestRotateSecret: rotating the template's {"seed"} secret keeps the seed's key (what it signed
// still verifies) and adds a fresh one, which signs from then on; the value reads back.
func TestRotateSecret(t *testing.T) {
	seed := `{"seed":"` + strings.Repeat("k3P", 22) + `"}`
	before, _ := certs.FromSecret(seed, now)
	old, _, _ := before.Sign([]byte(payload))
	value, key, err := certs.RotateSecret(seed, now, now.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	after, err := certs.FromSecret(value, time.Time{})
	if err != nil || len(after.Keys) != 2 || after.Keys[0].ID != before.Keys[0].ID || after.Keys[1].ID != key.ID {
		t.Fatalf("after rotation: %v %+v", err, after)
	}
	if _, _, err := after.Verify(old); err != nil {
		t.Errorf("a certificate signed before the rotation: %v", err)
	}
	if _, kid, _ := after.Sign([]byte(payload)); kid != key.ID {
		t.Errorf("signed by %s, want the new key %s", kid, key.ID)
	}
	if !after.Keys[0].Created.Equal(now) {
		t.Errorf("the seed's key keeps the secret's creation time: %v", after.Keys[0].Created)
	}
}

// TestReloading: instances sharing a secret. After a rotation an instance that has not read it
// yet verifies a certificate signed with the new key at once (unknown key id: read again), signs
// with the new key once its keys are MaxAge old, and keeps its keys when the store fails.
func TestReloading(t *testing.T) {
	seed := `{"seed":"` + strings.Repeat("r8M", 22) + `"}`
	secret := seed
	failing := false
	load := func() (*certs.Keyring, error) {
		if failing {
			return nil, errors.New("secrets manager unavailable")
		}
		return certs.FromSecret(secret, now)
	}
	clock := now
	a, err := certs.NewReloading(load, func() time.Time { return clock })
	if err != nil {
		t.Fatal(err)
	}
	_, oldKid, _ := a.Sign([]byte(payload))

	// Rotated in the store; another instance (b) starts and signs with the new key.
	secret, _, _ = certs.RotateSecret(seed, now, now)
	b, _ := certs.NewReloading(load, nil)
	jws, newKid, _ := b.Sign([]byte(payload))
	if newKid == oldKid {
		t.Fatal("the new instance signs with the old key")
	}
	clock = clock.Add(time.Minute) // a is a minute old: under MaxAge, over MinGap
	if _, _, err := a.Verify(jws); err != nil {
		t.Errorf("a certificate of the new key on an instance that had not read it: %v", err)
	}
	if len(a.Public()) != 2 {
		t.Errorf("keys after the lookup: %d", len(a.Public()))
	}
	// A JWS of a key that exists nowhere does not make it read the store again within MinGap.
	calls := 0
	a.Load = func() (*certs.Keyring, error) { calls++; return load() }
	forged := strings.Replace(jws, strings.SplitN(jws, ".", 2)[0], "eyJhbGciOiJFZERTQSIsImtpZCI6Im5vLXN1Y2gta2V5In0", 1)
	for i := 0; i < 5; i++ {
		if _, _, err := a.Verify(forged); err == nil {
			t.Fatal("a JWS of an unknown key verified")
		}
	}
	if calls != 0 {
		t.Errorf("unknown key ids read the store %d times within MinGap", calls)
	}
	clock = clock.Add(a.MinGap)
	a.Verify(forged)
	if calls != 1 {
		t.Errorf("after MinGap an unknown key id reads the store once, read %d", calls)
	}
	// The store fails: the keys stay.
	failing = true
	clock = clock.Add(a.MaxAge)
	if _, kid, err := a.Sign([]byte(payload)); err != nil || kid != newKid {
		t.Errorf("with the store down: %s %v", kid, err)
	}
}

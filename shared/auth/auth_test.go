package auth_test

import (
	"os"

	"github.com/golang-jwt/jwt/v5"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ipfast/ipfast/shared/auth"
	"github.com/ipfast/ipfast/shared/filing"
)

func TestLocalSecret(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("IPFAST_TOKEN_SECRET", "")
	first, err := auth.LocalSecret(dir)
	if err != nil || len(first) < 32 {
		t.Fatalf("generated secret %q, %v", first, err)
	}
	info, err := os.Stat(filepath.Join(dir, auth.SecretFile))
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("secret file: %v %v", info, err)
	}
	again, err := auth.LocalSecret(dir)
	if err != nil || string(again) != string(first) {
		t.Errorf("second resolution gave another secret")
	}
	t.Setenv("IPFAST_TOKEN_SECRET", "from-env")
	if s, _ := auth.LocalSecret(dir); string(s) != "from-env" {
		t.Errorf("env does not win: %q", s)
	}
	t.Setenv("IPFAST_TOKEN_SECRET", "")
	empty := t.TempDir()
	if err := os.WriteFile(filepath.Join(empty, auth.SecretFile), []byte("\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := auth.LocalSecret(empty); err == nil || !strings.Contains(err.Error(), "empty") {
		t.Errorf("empty secret file accepted: %v", err)
	}
}

func TestSignVerifyRoundTrip(t *testing.T) {
	now := time.Date(2026, 6, 23, 2, 0, 0, 0, time.UTC)
	secret := []byte("s")
	v := auth.NewVerifier(secret, func() time.Time { return now })
	for _, p := range []filing.Principal{
		{Subject: "kiosk-1", Role: "kiosk", Exhibitor: "EX-0001", Booth: "1A-101"},
		{Subject: "examiner-1", Role: "examiner"},
		{Subject: "officer-1", Role: "officer"},
		{Subject: "supervisor-1", Role: "supervisor"},
	} {
		tok, err := auth.Sign(secret, p, now, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		got, err := v.Verify(tok)
		if err != nil || got != p {
			t.Errorf("round trip %+v = %+v, %v", p, got, err)
		}
	}
	tok, _ := auth.Sign(secret, filing.Principal{Subject: "k", Role: "examiner"}, now.Add(-2*time.Hour), time.Hour)
	if _, err := v.Verify(tok); filing.ErrorKind(err) != filing.Unauthorized {
		t.Errorf("expired token: %v", err)
	}
	if got := auth.BearerToken("bearer abc "); got != "abc" {
		t.Errorf("BearerToken = %q", got)
	}
	if got := auth.BearerToken("Basic abc"); got != "" {
		t.Errorf("Basic accepted: %q", got)
	}
}

// TestLifetimeCap: a token valid for more than 14 days is refused, however it is signed.
func TestLifetimeCap(t *testing.T) {
	now := time.Date(2026, 6, 23, 2, 0, 0, 0, time.UTC)
	secret := []byte("s")
	v := auth.NewVerifier(secret, func() time.Time { return now })
	mint := func(iat *time.Time, exp time.Time) string {
		c := auth.Claims{Role: "examiner", RegisteredClaims: jwt.RegisteredClaims{Subject: "e", ExpiresAt: jwt.NewNumericDate(exp)}}
		if iat != nil {
			c.IssuedAt = jwt.NewNumericDate(*iat)
		}
		tok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(secret)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	day := 24 * time.Hour
	past := now.Add(-10 * day)
	for _, tc := range []struct {
		name string
		tok  string
		ok   bool
	}{
		{"14 days from iat", mint(&now, now.Add(14*day)), true},
		{"14 days and a second from iat", mint(&now, now.Add(14*day+time.Second)), false},
		{"a year", mint(&now, now.Add(365*day)), false},
		{"issued 10 days ago for 14 days", mint(&past, past.Add(14*day)), true},
		{"issued 10 days ago for 15 days: 5 left, still refused", mint(&past, past.Add(15*day)), false},
		{"no iat, 14 days left", mint(nil, now.Add(14*day)), true},
		{"no iat, 15 days left", mint(nil, now.Add(15*day)), false},
	} {
		_, err := v.Verify(tc.tok)
		if (err == nil) != tc.ok || (err != nil && filing.ErrorKind(err) != filing.Unauthorized) {
			t.Errorf("%s: %v, want ok=%v", tc.name, err, tc.ok)
		}
	}
	if _, err := auth.Sign(secret, filing.Principal{Subject: "e", Role: "examiner"}, now, 15*day); err == nil {
		t.Errorf("Sign issued a 15-day token")
	}
}

// TestExpoClaim: the expo claim round-trips; a verifier that knows the deployment's expos
// refuses a claim naming none of them (401) and takes a token without the claim (the default
// expo).
func TestExpoClaim(t *testing.T) {
	now := time.Date(2026, 6, 23, 2, 0, 0, 0, time.UTC)
	secret := []byte("s")
	expos, err := filing.ParseExpo([]byte(`{"expos":[{},{"id":"AUTUMN2026","filingNumberPrefix":"AUTUMN2026"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	v := auth.NewVerifier(secret, func() time.Time { return now }).ForExpos(expos)
	for expo, ok := range map[string]bool{"": true, "CISCE2026": true, "AUTUMN2026": true, "SPRING2027": false, "autumn2026": false} {
		p := filing.Principal{Subject: "kiosk-1", Role: "kiosk", Exhibitor: "EX-0001", Booth: "1A-101", Expo: expo}
		tok, err := auth.Sign(secret, p, now, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		got, err := v.Verify(tok)
		switch {
		case ok && (err != nil || got != p):
			t.Errorf("expo %q: %+v, %v", expo, got, err)
		case !ok && filing.ErrorKind(err) != filing.Unauthorized:
			t.Errorf("expo %q not served here: %v, want 401", expo, err)
		}
	}
}

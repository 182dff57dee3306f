// Package auth adapts golang-jwt/jwt/v5 to ipfast's callers (SPEC §2): HS256 tokens with the
// claims sub, role, exp and, for kiosks, exhibitor and booth, valid for at most 14 days.
package auth

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/ipfast/ipfast/shared/filing"
)

// MaxLifetime is the longest a token may be valid (SPEC §2): exp − iat, or exp − now when the
// token has no iat. A longer-lived token is refused whatever its signature: a lost tablet's
// token must not open the API for the rest of the year.
const MaxLifetime = 14 * 24 * time.Hour

// Claims are the claims of an ipfast token.
type Claims struct {
	Role      string `json:"role"`
	Exhibitor string `json:"exhibitor,omitempty"`
	Booth     string `json:"booth,omitempty"`
	// Expo is the expo the token acts in (SPEC §14); without it, the default expo.
	Expo string `json:"expo,omitempty"`
	// Name is whom an enrolled person's token speaks for, or a kiosk's label (SPEC §18): for
	// the pages to show; what is recorded of an act is the subject.
	Name string `json:"name,omitempty"`
	jwt.RegisteredClaims
}

// Verifier checks tokens signed with one secret.
type Verifier struct {
	expos  *filing.Expo // nil: any expo claim passes (the services refuse unknown ones)
	secret []byte
	parser *jwt.Parser
	now    func() time.Time
}

// NewVerifier returns a Verifier for the secret. Only HS256 is accepted (no "none", no
// algorithm confusion) and exp is required. now tells the time (nil: the system clock).
func NewVerifier(secret []byte, now func() time.Time) *Verifier {
	if now == nil {
		now = time.Now
	}
	return &Verifier{secret: secret, now: now, parser: jwt.NewParser(
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithExpirationRequired(),
		jwt.WithTimeFunc(now),
		jwt.WithLeeway(30*time.Second),
	)}
}

func unauthorized(format string, args ...any) error {
	return filing.Errorf(filing.Unauthorized, filing.CodeUnauthorized, format, args...)
}

// Verify checks a bearer token and returns its caller; every failure is Unauthorized.
func (v *Verifier) Verify(token string) (filing.Principal, error) {
	if token == "" {
		return filing.Principal{}, unauthorized("a bearer token is required")
	}
	var c Claims
	_, err := v.parser.ParseWithClaims(token, &c, func(*jwt.Token) (any, error) { return v.secret, nil })
	switch {
	case errors.Is(err, jwt.ErrTokenExpired):
		return filing.Principal{}, unauthorized("the token has expired")
	case err != nil:
		return filing.Principal{}, unauthorized("the token is not valid")
	}
	from := v.now()
	if c.IssuedAt != nil {
		from = c.IssuedAt.Time
	}
	if c.ExpiresAt.Sub(from) > MaxLifetime {
		return filing.Principal{}, unauthorized("the token is valid for more than 14 days")
	}
	p := filing.Principal{Subject: c.Subject, Role: c.Role, Exhibitor: c.Exhibitor, Booth: c.Booth, Expo: c.Expo, Name: c.Name}
	if v.expos != nil {
		if _, ok := v.expos.Tenant(p.Expo); !ok {
			return filing.Principal{}, unauthorized("this deployment serves no expo %q", p.Expo)
		}
	}
	switch p.Role {
	case filing.RoleKiosk:
		if p.Exhibitor == "" || p.Booth == "" {
			return filing.Principal{}, unauthorized("a kiosk token needs the exhibitor and booth claims")
		}
	case filing.RoleExaminer, filing.RoleOfficer, filing.RoleSupervisor:
	default:
		return filing.Principal{}, unauthorized("unknown role %q", p.Role)
	}
	if p.Subject == "" {
		return filing.Principal{}, unauthorized("the token has no subject")
	}
	return p, nil
}

// Sign issues a token for p valid for ttl with the secret v verifies with (Sign).
func (v *Verifier) Sign(p filing.Principal, now time.Time, ttl time.Duration) (string, error) {
	return Sign(v.secret, p, now, ttl)
}

// ForExpos makes v refuse tokens whose expo claim names no expo of the deployment (401).
func (v *Verifier) ForExpos(e *filing.Expo) *Verifier {
	v.expos = e
	return v
}

// Sign issues a token for p valid for ttl (at most MaxLifetime).
func Sign(secret []byte, p filing.Principal, now time.Time, ttl time.Duration) (string, error) {
	switch p.Role {
	case filing.RoleKiosk:
		if p.Exhibitor == "" || p.Booth == "" {
			return "", fmt.Errorf("auth: a kiosk token needs an exhibitor and a booth")
		}
	case filing.RoleExaminer, filing.RoleOfficer, filing.RoleSupervisor:
	default:
		return "", fmt.Errorf("auth: unknown role %q (kiosk, examiner, officer or supervisor)", p.Role)
	}
	if ttl <= 0 || ttl > MaxLifetime {
		return "", fmt.Errorf("auth: a token's validity must be more than 0 and at most 14 days (336h), not %s", ttl)
	}
	if p.Subject == "" {
		return "", fmt.Errorf("auth: a token needs a subject")
	}
	c := Claims{Role: p.Role, Exhibitor: p.Exhibitor, Booth: p.Booth, Expo: p.Expo, Name: p.Name,
		RegisteredClaims: jwt.RegisteredClaims{Subject: p.Subject,
			IssuedAt: jwt.NewNumericDate(now), ExpiresAt: jwt.NewNumericDate(now.Add(ttl))}}
	return jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(secret)
}

// BearerToken extracts the token of an Authorization header ("" if there is none).
func BearerToken(header string) string {
	scheme, token, ok := strings.Cut(header, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(token)
}

// SecretFile is where a local deployment keeps its generated secret, inside the data dir.
const SecretFile = "token-secret"

// LocalSecret resolves the local deployment's token secret (SPEC §2): the environment variable
// IPFAST_TOKEN_SECRET if set, else the secret stored in dataDir, generated on first use.
func LocalSecret(dataDir string) ([]byte, error) {
	if s := os.Getenv("IPFAST_TOKEN_SECRET"); s != "" {
		return []byte(s), nil
	}
	path := filepath.Join(dataDir, SecretFile)
	if b, err := os.ReadFile(path); err == nil {
		if s := strings.TrimSpace(string(b)); s != "" {
			return []byte(s), nil
		}
		return nil, fmt.Errorf("auth: %s is empty: delete it to have a new secret made", path)
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("auth: read secret: %w", err)
	}
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return nil, fmt.Errorf("auth: data dir: %w", err)
	}
	var raw [32]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return nil, err
	}
	s := hex.EncodeToString(raw[:])
	// O_EXCL: if two processes start at once, the second one reads what the first wrote.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return LocalSecret(dataDir)
	}
	if err != nil {
		return nil, fmt.Errorf("auth: write secret: %w", err)
	}
	if _, err := f.WriteString(s + "\n"); err != nil {
		f.Close()
		return nil, fmt.Errorf("auth: write secret: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return nil, err
	}
	return []byte(s), f.Close()
}

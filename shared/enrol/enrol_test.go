package enrol_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ipfast/ipfast/shared/auth"
	"github.com/ipfast/ipfast/shared/embedded"
	"github.com/ipfast/ipfast/shared/enrol"
	"github.com/ipfast/ipfast/shared/filing"
)

var ctx = context.Background()

var secret = []byte("enrol-test-secret")

func newService(t *testing.T) (*enrol.Service, *embedded.DB, *filing.ManualClock) {
	t.Helper()
	db, err := embedded.Open(filepath.Join(t.TempDir(), "ipfast.db"), embedded.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	clock := &filing.ManualClock{}
	clock.Set("2026-06-22T07:30:00Z")
	return enrol.New(filing.DefaultExpo(), db, auth.NewVerifier(secret, clock.Now), clock, "https://ipfast.example/"), db, clock
}

var sup = filing.Principal{Subject: "sup-1", Role: filing.RoleSupervisor}

// A booth's kiosk: enrolled by a supervisor, set up once with its code, its token speaks for
// the kiosk (subject, exhibitor, booth); the code works once, and only at the kiosk's endpoint.
func TestKioskSetUpOnce(t *testing.T) {
	svc, _, clock := newService(t)
	s, err := svc.EnrolKiosk(ctx, sup, enrol.KioskRequest{Exhibitor: "EX-0001", Booth: "3C-210", Label: "counter"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(s.ID, "ksk_") || len(s.SetupCode) < 22 || s.SetupURL != "https://ipfast.example/#setup="+s.SetupCode ||
		s.SetupExpiresAt != "2026-06-23T07:30:00Z" {
		t.Fatalf("setup: %+v", s)
	}
	clock.Set("2026-06-22T08:00:00Z")
	tok, err := svc.Exchange(ctx, filing.EnroleeKiosk, " "+s.SetupCode+" ")
	if err != nil || tok.ExpiresAt != "2026-06-23T08:00:00Z" {
		t.Fatalf("exchange: %+v %v", tok, err)
	}
	p, err := auth.NewVerifier(secret, clock.Now).ForExpos(filing.DefaultExpo()).Verify(tok.Token)
	if err != nil || p.Subject != s.ID || p.Role != filing.RoleKiosk || p.Exhibitor != "EX-0001" || p.Booth != "3C-210" || p.Name != "counter" {
		t.Fatalf("the kiosk's token: %+v %v", p, err)
	}
	if _, err := svc.Exchange(ctx, filing.EnroleeKiosk, s.SetupCode); filing.ErrorCode(err) != filing.CodeSetupInvalid {
		t.Errorf("the code again: %v", err)
	}
	staff, err := svc.EnrolStaff(ctx, sup, enrol.StaffRequest{Role: filing.RoleExaminer, Name: "王芳"})
	if err != nil || !strings.HasPrefix(staff.ID, "stf_") || !strings.HasPrefix(staff.SetupURL, "https://ipfast.example/examiner/#setup=") {
		t.Fatalf("staff: %+v %v", staff, err)
	}
	if _, err := svc.Exchange(ctx, filing.EnroleeKiosk, staff.SetupCode); filing.ErrorCode(err) != filing.CodeSetupInvalid {
		t.Errorf("a staff code at the kiosks' endpoint: %v", err)
	}
	stok, err := svc.Exchange(ctx, filing.EnroleeStaff, staff.SetupCode)
	if err != nil {
		t.Fatal(err)
	}
	if p, err := auth.NewVerifier(secret, clock.Now).Verify(stok.Token); err != nil || p.Subject != staff.ID || p.Role != filing.RoleExaminer || p.Name != "王芳" {
		t.Errorf("the examiner's token (their name shown, their id recorded): %+v %v", p, err)
	}
	for _, code := range []string{"", strings.Repeat("x", 200), "not-a-code"} {
		if _, err := svc.Exchange(ctx, filing.EnroleeKiosk, code); filing.ErrorKind(err) != filing.Gone {
			t.Errorf("code %q: %v", code, err)
		}
	}
}

// Only a supervisor enrols; what is missing is said field by field.
func TestEnrolRules(t *testing.T) {
	svc, _, _ := newService(t)
	ex := filing.Principal{Subject: "ex-1", Role: filing.RoleExaminer}
	if _, err := svc.EnrolKiosk(ctx, ex, enrol.KioskRequest{Exhibitor: "EX-1", Booth: "1A"}); filing.ErrorKind(err) != filing.Forbidden {
		t.Errorf("an examiner enrols: %v", err)
	}
	for _, c := range []struct {
		req   enrol.KioskRequest
		field string
	}{
		{enrol.KioskRequest{Booth: "1A"}, "/exhibitor"},
		{enrol.KioskRequest{Exhibitor: "EX-1", Booth: " "}, "/booth"},
		{enrol.KioskRequest{Exhibitor: "EX-1", Booth: "1A", Label: strings.Repeat("l", 101)}, "/label"},
	} {
		_, err := svc.EnrolKiosk(ctx, sup, c.req)
		var e *filing.Error
		if filing.ErrorKind(err) != filing.Invalid || !asError(err, &e) || len(e.Problems) != 1 || e.Problems[0].Field != c.field {
			t.Errorf("%+v: %v", c.req, err)
		}
	}
	if _, err := svc.EnrolStaff(ctx, sup, enrol.StaffRequest{Role: filing.RoleKiosk, Name: "x"}); filing.ErrorKind(err) != filing.Invalid {
		t.Errorf("staff with the kiosk role: %v", err)
	}
}

func asError(err error, e **filing.Error) bool {
	x, ok := err.(*filing.Error)
	*e = x
	return ok
}

// Revoking a kiosk: its next request is 401 token_revoked and so is its renewal; another
// kiosk is not affected; a token that names no enrolee (ipfast token) is never revoked.
func TestRevokedKiosk(t *testing.T) {
	svc, db, clock := newService(t)
	a, _ := svc.EnrolKiosk(ctx, sup, enrol.KioskRequest{Exhibitor: "EX-0001", Booth: "3C-210"})
	clock.Set("2026-06-22T07:31:00Z")
	b, _ := svc.EnrolKiosk(ctx, sup, enrol.KioskRequest{Exhibitor: "EX-0002", Booth: "3C-211"})
	verify := auth.NewVerifier(secret, clock.Now)
	principal := func(code string) filing.Principal {
		t.Helper()
		tok, err := svc.Exchange(ctx, filing.EnroleeKiosk, code)
		if err != nil {
			t.Fatal(err)
		}
		p, err := verify.Verify(tok.Token)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	pa, pb := principal(a.SetupCode), principal(b.SetupCode)
	rev := &enrol.Revocations{Store: db, Clock: clock} // locally: the store on every request
	expo := filing.DefaultExpo().ID
	if err := rev.Check(ctx, expo, pa); err != nil {
		t.Fatalf("before: %v", err)
	}
	if _, err := svc.Renew(ctx, pa); err != nil {
		t.Errorf("renew before: %v", err)
	}
	if _, err := svc.Revoke(ctx, sup, filing.EnroleeStaff, a.ID); filing.ErrorKind(err) != filing.NotFound {
		t.Errorf("revoking a kiosk as staff: %v", err)
	}
	got, err := svc.Revoke(ctx, sup, filing.EnroleeKiosk, a.ID)
	if err != nil || !got.Revoked || got.RevokedBy != "sup-1" {
		t.Fatalf("revoke: %+v %v", got, err)
	}
	for what, err := range map[string]error{"next request": rev.Check(ctx, expo, pa), "renewal": renewErr(svc, pa)} {
		if filing.ErrorKind(err) != filing.Unauthorized || filing.ErrorCode(err) != enrol.CodeTokenRevoked {
			t.Errorf("%s of the revoked kiosk: %v", what, err)
		}
	}
	if err := rev.Check(ctx, expo, pb); err != nil {
		t.Errorf("the other kiosk: %v", err)
	}
	demo := filing.Principal{Subject: "kiosk-EX-0001", Role: filing.RoleKiosk, Exhibitor: "EX-0001", Booth: "3C-210"}
	if err := rev.Check(ctx, expo, demo); err != nil {
		t.Errorf("a token of ipfast token: %v", err)
	}
	ghost := filing.Principal{Subject: "ksk_0000000000000000000000000", Role: filing.RoleKiosk, Exhibitor: "EX-1", Booth: "1A"}
	if err := rev.Check(ctx, expo, ghost); filing.ErrorCode(err) != enrol.CodeTokenRevoked {
		t.Errorf("an enrolee id the store does not know: %v", err)
	}
	// The list shows both, one revoked, with when each was last seen.
	list, err := svc.List(ctx, sup, filing.EnroleeKiosk)
	if err != nil || len(list) != 2 || !list[0].Revoked || list[1].Revoked || list[1].LastSeenAt == "" {
		t.Errorf("kiosks: %+v %v", list, err)
	}
}

func renewErr(svc *enrol.Service, p filing.Principal) error {
	_, err := svc.Renew(ctx, p)
	return err
}

// With a cache (the AWS deployment), a revocation reaches a process within MaxStale of its
// last read of the store, never later.
func TestRevocationStalenessIsBounded(t *testing.T) {
	svc, db, clock := newService(t)
	k, _ := svc.EnrolKiosk(ctx, sup, enrol.KioskRequest{Exhibitor: "EX-0001", Booth: "3C-210"})
	tok, _ := svc.Exchange(ctx, filing.EnroleeKiosk, k.SetupCode)
	p, _ := auth.NewVerifier(secret, clock.Now).Verify(tok.Token)
	expo := filing.DefaultExpo().ID
	rev := &enrol.Revocations{Store: db, Clock: clock, MaxStale: 5 * time.Second}
	if err := rev.Check(ctx, expo, p); err != nil { // read at 07:30:00
		t.Fatal(err)
	}
	if _, err := svc.Revoke(ctx, sup, filing.EnroleeKiosk, k.ID); err != nil {
		t.Fatal(err)
	}
	clock.Set("2026-06-22T07:30:04Z")
	if err := rev.Check(ctx, expo, p); err != nil {
		t.Errorf("4 s after its last read the process may still let it act: %v", err)
	}
	clock.Set("2026-06-22T07:30:05Z")
	if err := rev.Check(ctx, expo, p); filing.ErrorCode(err) != enrol.CodeTokenRevoked {
		t.Errorf("5 s after its last read: %v, want token_revoked", err)
	}
}

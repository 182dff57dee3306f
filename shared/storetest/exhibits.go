package storetest

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ipfast/ipfast/shared/filing"
)

// ExhibitHarness is a fresh, empty backend's exhibit store; Others are more handles on it, as
// other processes would hold; Filings is the same backend's filing store (the uploads).
type ExhibitHarness struct {
	Store   filing.ExhibitStore
	Others  []filing.ExhibitStore
	Filings filing.Store
}

func (h ExhibitHarness) handle(i int) filing.ExhibitStore {
	all := append([]filing.ExhibitStore{h.Store}, h.Others...)
	return all[i%len(all)]
}

// RunExhibits runs the exhibit and certificate sections of the suite (SPEC §12).
func RunExhibits(t *testing.T, newHarness func(t *testing.T) ExhibitHarness) {
	t.Run("ExhibitsClaimPhotos", func(t *testing.T) { testExhibitClaims(t, newHarness(t)) })
	t.Run("ExhibitUpdates", func(t *testing.T) { testExhibitUpdates(t, newHarness(t)) })
	t.Run("CertificateNumbers", func(t *testing.T) { testCertificateNumbers(t, newHarness(t)) })
	t.Run("CertificateRevocationAndLists", func(t *testing.T) { testCertificateUpdates(t, newHarness(t)) })
	t.Run("ExhibitLists", func(t *testing.T) { testExhibitLists(t, newHarness(t)) })
}

// testExhibitLists: an expo's exhibits by exhibitor, by state (the declared ones officers are
// to confirm), by both, or all, oldest first, never another expo's; a confirmed exhibit leaves
// the declared list.
func testExhibitLists(t *testing.T, h ExhibitHarness) {
	declared := func(e filing.ExhibitRecord) filing.ExhibitRecord { e.State = filing.ExhibitDeclared; return e }
	a := mustExhibit(t, h.Store, declared(NewExhibit(Expo, "EX-1", "1A-101")))
	b := mustExhibit(t, h.Store, NewExhibit(Expo, "EX-1", "1A-101"))
	c := mustExhibit(t, h.Store, declared(NewExhibit(Expo, "EX-2", "2B-202")))
	mustExhibit(t, h.Store, declared(NewExhibit("OTHER", "EX-1", "1A-101")))
	ids := func(q filing.ExhibitQuery) string {
		t.Helper()
		q.Expo = Expo
		list, err := h.handle(1).ListExhibits(ctx, q)
		if err != nil {
			t.Fatalf("ListExhibits %+v: %v", q, err)
		}
		var out []string
		for _, e := range list {
			out = append(out, e.ID)
		}
		return strings.Join(out, " ")
	}
	for _, tc := range []struct {
		q    filing.ExhibitQuery
		want []string
	}{
		{filing.ExhibitQuery{Exhibitor: "EX-1"}, []string{a.ID, b.ID}},
		{filing.ExhibitQuery{State: filing.ExhibitDeclared}, []string{a.ID, c.ID}},
		{filing.ExhibitQuery{Exhibitor: "EX-1", State: filing.ExhibitDeclared}, []string{a.ID}},
		{filing.ExhibitQuery{}, []string{a.ID, b.ID, c.ID}},
		{filing.ExhibitQuery{Exhibitor: "EX-9"}, nil},
	} {
		if got := ids(tc.q); got != strings.Join(tc.want, " ") {
			t.Errorf("%+v: %s, want %s", tc.q, got, strings.Join(tc.want, " "))
		}
	}
	a.State, a.Version = filing.ExhibitConfirmed, 2
	if err := h.Store.UpdateExhibit(ctx, a); err != nil {
		t.Fatal(err)
	}
	if got := ids(filing.ExhibitQuery{State: filing.ExhibitDeclared}); got != c.ID {
		t.Errorf("declared after confirming %s: %s", a.ID, got)
	}
	if got := ids(filing.ExhibitQuery{State: filing.ExhibitConfirmed}); got != a.ID+" "+b.ID {
		t.Errorf("confirmed: %s", got)
	}
}

// NewExhibit is a confirmed exhibit of exhibitor at booth in expo, at version 1.
func NewExhibit(expo, exhibitor, booth string) filing.ExhibitRecord {
	now := nextInstant()
	return filing.ExhibitRecord{ID: filing.NewID("exh_", now), Expo: expo, State: filing.ExhibitConfirmed,
		ExhibitRequest: filing.ExhibitRequest{Exhibitor: exhibitor, Booth: booth, Exhibit: "Battery pack BX-9", FirstDisplayDate: "2026-06-22"},
		RecordedBy:     "officer-1", RecordedAt: now.Format(time.RFC3339), Version: 1}
}

func mustExhibit(t *testing.T, s filing.ExhibitStore, e filing.ExhibitRecord) filing.ExhibitRecord {
	t.Helper()
	if err := s.CreateExhibit(ctx, e, filing.UploadClaim{}); err != nil {
		t.Fatalf("CreateExhibit: %v", err)
	}
	return e
}

// signer makes the certificate of exhibit e with the number it is given.
func signer(e filing.ExhibitRecord) func(string) (filing.Certificate, error) {
	return func(number string) (filing.Certificate, error) {
		id := filing.NewID("cert_", nextInstant())
		return filing.Certificate{ID: id, CertificateNumber: number, Expo: e.Expo, ExhibitID: e.ID, Exhibitor: e.Exhibitor,
			Payload: filing.CertificatePayload{Format: 1, ID: id, CertificateNumber: number}, Signature: "h.p." + number, KeyID: "k1", Version: 1}, nil
	}
}

// issue issues a certificate for e (moving it to its next version).
func issue(t *testing.T, s filing.ExhibitStore, e *filing.ExhibitRecord) filing.Certificate {
	t.Helper()
	e.Version++
	c, err := s.IssueCertificate(ctx, e.Expo+"-EC", *e, signer(*e))
	if err != nil {
		t.Fatalf("IssueCertificate: %v", err)
	}
	return c
}

// testExhibitClaims: an exhibit claims its photos as a filing does; another exhibitor's upload
// or a missing one is refused with nothing written; another expo's exhibit is NotFound.
func testExhibitClaims(t *testing.T, h ExhibitHarness) {
	photo, theirs := NewUpload("EX-1", filing.RoleExhibitPhoto), NewUpload("EX-2", filing.RoleExhibitPhoto)
	for _, u := range []filing.Upload{photo, theirs} {
		if err := h.Filings.CreateUpload(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	for what, ids := range map[string][]string{"another exhibitor's": {photo.ID, theirs.ID}, "a missing one": {"att_nope"}} {
		e := NewExhibit(Expo, "EX-1", "1A-101")
		err := h.Store.CreateExhibit(ctx, e, filing.UploadClaim{Owner: "EX-1", IDs: ids})
		wantTaken(t, "an exhibit naming "+what, err)
		if _, err := h.Store.GetExhibit(ctx, Expo, e.ID); filing.ErrorKind(err) != filing.NotFound {
			t.Errorf("a refused exhibit was stored: %v", err)
		}
	}
	e := NewExhibit(Expo, "EX-1", "1A-101")
	e.Photos = []string{photo.ID}
	if err := h.Store.CreateExhibit(ctx, e, filing.UploadClaim{Owner: "EX-1", IDs: e.Photos}); err != nil {
		t.Fatal(err)
	}
	if got, err := h.Filings.GetUpload(ctx, Expo, photo.ID); err != nil || got.FilingID != e.ID {
		t.Errorf("the photo is claimed by %q (%v), want %s", got.FilingID, err, e.ID)
	}
	got, err := h.handle(1).GetExhibit(ctx, Expo, e.ID)
	if err != nil || got.Exhibit != e.Exhibit || !slices.Equal(got.Photos, e.Photos) {
		t.Errorf("GetExhibit: %+v %v", got, err)
	}
	if _, err := h.Store.GetExhibit(ctx, Other, e.ID); filing.ErrorKind(err) != filing.NotFound {
		t.Errorf("another expo's exhibit: %v", err)
	}
}

// testExhibitUpdates: updates are conditional on the version.
func testExhibitUpdates(t *testing.T, h ExhibitHarness) {
	e := NewExhibit(Expo, "EX-1", "1A-101")
	e.State = filing.ExhibitDeclared
	mustExhibit(t, h.Store, e)
	stale := e
	e.State, e.ConfirmedBy, e.Version = filing.ExhibitConfirmed, "officer-2", 2
	if err := h.Store.UpdateExhibit(ctx, e); err != nil {
		t.Fatal(err)
	}
	stale.Version = 2
	if err := h.handle(1).UpdateExhibit(ctx, stale); filing.ErrorCode(err) != filing.CodeVersionConflict {
		t.Errorf("a stale update: %v", err)
	}
	ghost := e
	ghost.ID = "exh_nope"
	if err := h.Store.UpdateExhibit(ctx, ghost); filing.ErrorKind(err) != filing.NotFound {
		t.Errorf("updating no exhibit: %v", err)
	}
	if got, _ := h.Store.GetExhibit(ctx, Expo, e.ID); got.State != filing.ExhibitConfirmed || got.Version != 2 {
		t.Errorf("after the update: %+v", got)
	}
}

// testCertificateNumbers: 16 certificates issued at once through several handles take 16
// numbers without gaps; a failed signature and a stale exhibit use none; each expo counts
// its own; a certificate is found by id whatever its expo.
func testCertificateNumbers(t *testing.T, h ExhibitHarness) {
	var wg sync.WaitGroup
	numbers := make([]string, 16)
	errs := make([]error, 16)
	for i := range 16 {
		e := mustExhibit(t, h.Store, NewExhibit(Expo, fmt.Sprint("EX-", i), "1A-101"))
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			e.Version++
			c, err := h.handle(i).IssueCertificate(ctx, Expo+"-EC", e, signer(e))
			numbers[i], errs[i] = c.CertificateNumber, err
		}(i)
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	slices.Sort(numbers)
	for i, n := range numbers {
		if want := fmt.Sprintf("TEST-EC-%06d", i+1); n != want {
			t.Fatalf("numbers are not 1..16 without gaps: %v", numbers)
		}
	}
	e := mustExhibit(t, h.Store, NewExhibit(Expo, "EX-X", "1A-101"))
	e.Version++
	boom := errors.New("the key is gone")
	if _, err := h.Store.IssueCertificate(ctx, Expo+"-EC", e, func(string) (filing.Certificate, error) { return filing.Certificate{}, boom }); !errors.Is(err, boom) {
		t.Errorf("a failed signature: %v", err)
	}
	stale := e
	stale.Version = 5
	if _, err := h.Store.IssueCertificate(ctx, Expo+"-EC", stale, signer(stale)); filing.ErrorCode(err) != filing.CodeVersionConflict {
		t.Errorf("a stale exhibit: %v", err)
	}
	e.Version = 1 // nothing was stored: the exhibit is at its first version still
	if c := issue(t, h.Store, &e); c.CertificateNumber != "TEST-EC-000017" {
		t.Errorf("after a failed signature and a stale exhibit: %s", c.CertificateNumber)
	}
	if got, err := h.Store.GetExhibit(ctx, Expo, e.ID); err != nil || got.Version != 2 {
		t.Errorf("the exhibit after its certificate: %+v %v", got, err)
	}
	theirs := mustExhibit(t, h.Store, NewExhibit(Other, "EX-1", "1A-101"))
	c := issue(t, h.Store, &theirs)
	if c.CertificateNumber != "OTHER-EC-000001" {
		t.Errorf("another expo's first: %s", c.CertificateNumber)
	}
	if got, err := h.handle(1).GetCertificate(ctx, c.ID); err != nil || got.CertificateNumber != c.CertificateNumber || got.Signature != c.Signature {
		t.Errorf("GetCertificate: %+v %v", got, err)
	}
	if _, err := h.Store.GetCertificate(ctx, "cert_nope"); filing.ErrorKind(err) != filing.NotFound {
		t.Errorf("no certificate: %v", err)
	}
}

// testCertificateUpdates: a revocation is conditional on the version; an exhibitor's
// certificates list oldest first, only its own of that expo.
func testCertificateUpdates(t *testing.T, h ExhibitHarness) {
	e := mustExhibit(t, h.Store, NewExhibit(Expo, "EX-1", "1A-101"))
	first, second := issue(t, h.Store, &e), issue(t, h.Store, &e)
	other := mustExhibit(t, h.Store, NewExhibit(Expo, "EX-2", "2B-202"))
	issue(t, h.Store, &other)
	elsewhere := mustExhibit(t, h.Store, NewExhibit(Other, "EX-1", "1A-101"))
	issue(t, h.Store, &elsewhere)
	list, err := h.Store.ListCertificates(ctx, Expo, "EX-1")
	if err != nil || len(list) != 2 || list[0].ID != first.ID || list[1].ID != second.ID {
		t.Errorf("EX-1's certificates: %v %v", list, err)
	}
	stale := first
	first.Revoked, first.RevokedReason, first.Version = true, "issued for the wrong booth", 2
	if err := h.Store.UpdateCertificate(ctx, first); err != nil {
		t.Fatal(err)
	}
	stale.Version = 2
	if err := h.handle(1).UpdateCertificate(ctx, stale); filing.ErrorCode(err) != filing.CodeVersionConflict {
		t.Errorf("a stale revocation: %v", err)
	}
	if got, _ := h.Store.GetCertificate(ctx, first.ID); !got.Revoked || got.RevokedReason == "" {
		t.Errorf("after revocation: %+v", got)
	}
	ghost := first
	ghost.ID = "cert_nope"
	if err := h.Store.UpdateCertificate(ctx, ghost); filing.ErrorKind(err) != filing.NotFound {
		t.Errorf("updating no certificate: %v", err)
	}
}

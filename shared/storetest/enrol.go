package storetest

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/ipfast/ipfast/shared/filing"
)

// EnrolmentHarness is a fresh, empty backend's enrolment store; Others are more handles on it,
// as other processes would hold. Holds reports whether the backend's stored data contains s
// anywhere (its file, its table's rows): set-up codes must be stored as hashes only.
type EnrolmentHarness struct {
	Store  filing.EnrolmentStore
	Others []filing.EnrolmentStore
	Holds  func(t *testing.T, s string) bool
}

func (h EnrolmentHarness) handle(i int) filing.EnrolmentStore {
	all := append([]filing.EnrolmentStore{h.Store}, h.Others...)
	return all[i%len(all)]
}

// RunEnrolment runs the enrolment section of the suite (SPEC §18).
func RunEnrolment(t *testing.T, newHarness func(t *testing.T) EnrolmentHarness) {
	t.Run("SetupCodeOnceAndHashedOnly", func(t *testing.T) { testSetupOnce(t, newHarness(t)) })
	t.Run("SetupCodeSingleUseUnderConcurrency", func(t *testing.T) { testSetupConcurrent(t, newHarness(t)) })
	t.Run("SetupCodeExpiresAtTheSecond", func(t *testing.T) { testSetupExpiry(t, newHarness(t)) })
	t.Run("RevokedEnrolees", func(t *testing.T) { testRevoke(t, newHarness(t)) })
	t.Run("ListsAndLastSeen", func(t *testing.T) { testEnroleeLists(t, newHarness(t)) })
	t.Run("ExhibitorDirectory", func(t *testing.T) { testExhibitorDirectory(t, newHarness(t)) })
}

// testExhibitorDirectory: entries put are listed by id, a second put of an id replaces the
// first, each expo has its own, and DirectoryOf puts them over the configuration's entries.
func testExhibitorDirectory(t *testing.T, h EnrolmentHarness) {
	s := h.Store
	if got, err := s.ListExhibitors(ctx, "CISCE2026"); err != nil || len(got) != 0 {
		t.Fatalf("an empty directory: %v %v", got, err)
	}
	contact := &filing.Contact{Name: "王芳", Email: "ip@ningde-energy.example"}
	for _, e := range []filing.Exhibitor{
		{ID: "EX-0002", Name: "Ningde New Energy", NameZh: "宁德新能源", Booth: "2B-202", Country: "CN", Contact: contact, UpdatedAt: "2026-06-22T08:00:00+08:00", UpdatedBy: "sup-1"},
		{ID: "EX-0001", Name: "Voltara", Booth: "1A-100", UpdatedBy: "sup-1"},
		{ID: "EX-0001", Name: "Voltara GmbH", Booth: "1A-101", Country: "DE", UpdatedBy: "sup-2"},
	} {
		if err := s.PutExhibitor(ctx, "CISCE2026", e); err != nil {
			t.Fatalf("put %s: %v", e.ID, err)
		}
	}
	if err := s.PutExhibitor(ctx, "OTHER2026", filing.Exhibitor{ID: "EX-0001", Name: "Elsewhere", Booth: "9Z-1"}); err != nil {
		t.Fatal(err)
	}
	got, err := s.ListExhibitors(ctx, "CISCE2026")
	if err != nil || len(got) != 2 {
		t.Fatalf("the directory: %+v %v", got, err)
	}
	if got[0].ID != "EX-0001" || got[0].Name != "Voltara GmbH" || got[0].Booth != "1A-101" || got[0].Country != "DE" || got[0].UpdatedBy != "sup-2" {
		t.Errorf("the entry put twice: %+v", got[0])
	}
	if e := got[1]; e.NameZh != "宁德新能源" || e.Contact == nil || *e.Contact != *contact || e.UpdatedAt != "2026-06-22T08:00:00+08:00" {
		t.Errorf("an entry with its contact: %+v", e)
	}
	x := filing.DefaultExpo()
	x.Exhibitors = []filing.ExhibitorEntry{{ID: "EX-0001", Booth: "1A-001", Name: "from the file"}, {ID: "EX-0003", Booth: "3C-300", Name: "Only configured"}}
	dir, err := filing.DirectoryOf(ctx, s, x)
	if err != nil || len(dir) != 3 {
		t.Fatalf("directory of the expo: %+v %v", dir, err)
	}
	for i, want := range []struct{ id, booth, source string }{{"EX-0001", "1A-101", "directory"}, {"EX-0002", "2B-202", "directory"}, {"EX-0003", "3C-300", "config"}} {
		if dir[i].ID != want.id || dir[i].Booth != want.booth || dir[i].Source != want.source {
			t.Errorf("directory[%d] = %+v, want %v", i, dir[i], want)
		}
	}
}

var enrolBase = time.Date(2026, 6, 22, 7, 30, 0, 0, time.UTC)

// kiosk is a kiosk enrolee of expo with its set-up code (plain) expiring 24 h after at.
func kiosk(expo, id, exhibitor string, at time.Time) (filing.Enrolee, string, filing.SetupCode) {
	code, hash := filing.NewSetupCode(filing.EnroleeKiosk)
	e := filing.Enrolee{ID: id, Expo: expo, Kind: filing.EnroleeKiosk, Role: filing.RoleKiosk, Exhibitor: exhibitor,
		Booth: "3C-210", Label: "counter tablet", CreatedAt: at.Format(time.RFC3339), CreatedBy: "sup-1"}
	return e, code, filing.SetupCode{Hash: hash, Expo: expo, Enrolee: id, ExpiresAt: at.Add(filing.SetupCodeTTL)}
}

func mustEnrol(t *testing.T, s filing.EnrolmentStore, e filing.Enrolee, c filing.SetupCode) {
	t.Helper()
	if err := s.Enrol(ctx, e, c); err != nil {
		t.Fatalf("enrol %s: %v", e.ID, err)
	}
}

func wantInvalid(t *testing.T, what string, err error) {
	t.Helper()
	if filing.ErrorKind(err) != filing.Gone || filing.ErrorCode(err) != filing.CodeSetupInvalid {
		t.Errorf("%s: %v, want 410 setup_code_invalid", what, err)
	}
}

// testSetupOnce: a code gives its enrolee once; the store holds its hash, never the code; a
// second code for the same kiosk works; an id is enrolled once.
func testSetupOnce(t *testing.T, h EnrolmentHarness) {
	e, code, c := kiosk(Expo, "ksk_0001", "EX-0001", enrolBase)
	mustEnrol(t, h.Store, e, c)
	got, err := h.Store.RedeemSetupCode(ctx, filing.HashSetupCode(filing.EnroleeKiosk, code), enrolBase.Add(time.Minute))
	if err != nil || got != e {
		t.Fatalf("redeem: %+v %v, want %+v", got, err, e)
	}
	_, err = h.Store.RedeemSetupCode(ctx, filing.HashSetupCode(filing.EnroleeKiosk, code), enrolBase.Add(2*time.Minute))
	wantInvalid(t, "the same code again", err)
	_, err = h.Store.RedeemSetupCode(ctx, filing.HashSetupCode(filing.EnroleeKiosk, "not-a-code"), enrolBase)
	wantInvalid(t, "an unknown code", err)
	if h.Holds(t, code) {
		t.Errorf("the store holds the set-up code %q itself", code)
	}
	if !h.Holds(t, c.Hash) {
		t.Errorf("the store does not hold the code's hash (is Holds looking at the data?)")
	}
	// A new code for the same kiosk (its tablet set up again).
	code2, hash2 := filing.NewSetupCode(filing.EnroleeKiosk)
	if err := h.Store.AddSetupCode(ctx, filing.SetupCode{Hash: hash2, Expo: Expo, Enrolee: e.ID, ExpiresAt: enrolBase.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if got, err := h.Store.RedeemSetupCode(ctx, filing.HashSetupCode(filing.EnroleeKiosk, code2), enrolBase.Add(time.Minute)); err != nil || got.ID != e.ID {
		t.Errorf("the second code: %+v %v", got, err)
	}
	_, h3 := filing.NewSetupCode(filing.EnroleeKiosk)
	if err := h.Store.AddSetupCode(ctx, filing.SetupCode{Hash: h3, Expo: Other, Enrolee: e.ID, ExpiresAt: enrolBase.Add(time.Hour)}); filing.ErrorKind(err) != filing.NotFound {
		t.Errorf("a code for another expo's enrolee: %v", err)
	}
	again, _, c4 := kiosk(Expo, "ksk_0001", "EX-0002", enrolBase)
	if err := h.Store.Enrol(ctx, again, c4); filing.ErrorKind(err) != filing.Conflict {
		t.Errorf("enrolling an id twice: %v", err)
	}
	if got, err := h.Store.GetEnrolee(ctx, Expo, e.ID); err != nil || got.Exhibitor != "EX-0001" {
		t.Errorf("the first enrolment changed: %+v %v", got, err)
	}
	if _, err := h.Store.GetEnrolee(ctx, Other, e.ID); filing.ErrorKind(err) != filing.NotFound {
		t.Errorf("another expo's enrolee: %v", err)
	}
}

// testSetupConcurrent: 16 exchanges of one code at once, over every handle: exactly one token.
func testSetupConcurrent(t *testing.T, h EnrolmentHarness) {
	for round := range 3 {
		e, code, c := kiosk(Expo, fmt.Sprintf("ksk_%04d", round), "EX-0001", enrolBase)
		mustEnrol(t, h.Store, e, c)
		var wg sync.WaitGroup
		var mu sync.Mutex
		won, lost := 0, 0
		start := make(chan struct{})
		for i := range 16 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				got, err := h.handle(i).RedeemSetupCode(ctx, filing.HashSetupCode(filing.EnroleeKiosk, code), enrolBase.Add(time.Hour))
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil && got.ID == e.ID:
					won++
				case filing.ErrorCode(err) == filing.CodeSetupInvalid:
					lost++
				default:
					t.Errorf("exchange %d: %+v %v", i, got, err)
				}
			}()
		}
		close(start)
		wg.Wait()
		if won != 1 || lost != 15 {
			t.Errorf("round %d: %d exchanges got a kiosk, %d were refused; want 1 and 15", round, won, lost)
		}
	}
}

// testSetupExpiry: a code is good until the second it expires, not at it.
func testSetupExpiry(t *testing.T, h EnrolmentHarness) {
	for i, c := range []struct {
		at time.Duration // after the enrolment
		ok bool
	}{
		{filing.SetupCodeTTL - time.Second, true},
		{filing.SetupCodeTTL - time.Millisecond, true},
		{filing.SetupCodeTTL, false},
		{filing.SetupCodeTTL + time.Second, false},
	} {
		e, code, sc := kiosk(Expo, fmt.Sprintf("ksk_exp%d", i), "EX-0001", enrolBase)
		mustEnrol(t, h.Store, e, sc)
		_, err := h.Store.RedeemSetupCode(ctx, filing.HashSetupCode(filing.EnroleeKiosk, code), enrolBase.Add(c.at))
		if c.ok && err != nil {
			t.Errorf("%v after: %v, want the kiosk", c.at, err)
		}
		if !c.ok {
			wantInvalid(t, fmt.Sprintf("%v after", c.at), err)
		}
	}
}

// testRevoke: a revoked enrolee's codes no longer work; revoking again keeps the first time;
// the others are unaffected.
func testRevoke(t *testing.T, h EnrolmentHarness) {
	a, codeA, ca := kiosk(Expo, "ksk_a", "EX-0001", enrolBase)
	b, codeB, cb := kiosk(Expo, "ksk_b", "EX-0002", enrolBase)
	mustEnrol(t, h.Store, a, ca)
	mustEnrol(t, h.Store, b, cb)
	got, err := h.Store.Revoke(ctx, Expo, a.ID, "sup-1", enrolBase.Add(time.Hour))
	if err != nil || !got.Revoked || got.RevokedAt != "2026-06-22T08:30:00Z" || got.RevokedBy != "sup-1" {
		t.Fatalf("revoke: %+v %v", got, err)
	}
	again, err := h.handle(1).Revoke(ctx, Expo, a.ID, "sup-2", enrolBase.Add(2*time.Hour))
	if err != nil || again.RevokedAt != got.RevokedAt || again.RevokedBy != "sup-1" {
		t.Errorf("revoked again: %+v %v, want the first revocation kept", again, err)
	}
	_, err = h.Store.RedeemSetupCode(ctx, filing.HashSetupCode(filing.EnroleeKiosk, codeA), enrolBase.Add(time.Hour))
	wantInvalid(t, "a revoked kiosk's code", err)
	if e, err := h.Store.GetEnrolee(ctx, Expo, a.ID); err != nil || !e.Revoked {
		t.Errorf("the revoked kiosk reads %+v %v", e, err)
	}
	if e, err := h.Store.RedeemSetupCode(ctx, filing.HashSetupCode(filing.EnroleeKiosk, codeB), enrolBase.Add(time.Hour)); err != nil || e.Revoked {
		t.Errorf("another kiosk: %+v %v", e, err)
	}
	if _, err := h.Store.Revoke(ctx, Expo, "ksk_none", "sup-1", enrolBase); filing.ErrorKind(err) != filing.NotFound {
		t.Errorf("revoking nobody: %v", err)
	}
	if _, err := h.Store.Revoke(ctx, Other, b.ID, "sup-1", enrolBase); filing.ErrorKind(err) != filing.NotFound {
		t.Errorf("revoking another expo's kiosk: %v", err)
	}
}

// testEnroleeLists: an expo's kiosks and staff, oldest first, each kind alone; last seen
// only moves forward.
func testEnroleeLists(t *testing.T, h EnrolmentHarness) {
	var kiosks []string
	for i := range 3 {
		e, _, c := kiosk(Expo, fmt.Sprintf("ksk_%d", 3-i), "EX-000"+fmt.Sprint(i), enrolBase.Add(time.Duration(i)*time.Minute))
		mustEnrol(t, h.Store, e, c)
		kiosks = append(kiosks, e.ID)
	}
	_, sh := filing.NewSetupCode(filing.EnroleeKiosk)
	staff := filing.Enrolee{ID: "stf_1", Expo: Expo, Kind: filing.EnroleeStaff, Role: filing.RoleExaminer, Name: "王芳",
		CreatedAt: enrolBase.Format(time.RFC3339), CreatedBy: "sup-1"}
	mustEnrol(t, h.Store, staff, filing.SetupCode{Hash: sh, Expo: Expo, Enrolee: staff.ID, ExpiresAt: enrolBase.Add(time.Hour)})
	other, _, oc := kiosk(Other, "ksk_9", "EX-0009", enrolBase)
	mustEnrol(t, h.Store, other, oc)
	ids := func(es []filing.Enrolee) []string {
		out := []string{}
		for _, e := range es {
			out = append(out, e.ID)
		}
		return out
	}
	if got, err := h.Store.ListEnrolees(ctx, Expo, filing.EnroleeKiosk); err != nil || !slices.Equal(ids(got), kiosks) {
		t.Errorf("kiosks: %v %v, want %v", ids(got), err, kiosks)
	}
	if got, err := h.Store.ListEnrolees(ctx, Expo, filing.EnroleeStaff); err != nil || len(got) != 1 || got[0] != staff {
		t.Errorf("staff: %+v %v", got, err)
	}
	if got, err := h.Store.ListEnrolees(ctx, Expo, ""); err != nil || len(got) != 4 {
		t.Errorf("all: %v %v", ids(got), err)
	}
	if got, err := h.Store.ListEnrolees(ctx, "NONE", ""); err != nil || got == nil || len(got) != 0 {
		t.Errorf("an expo without enrolees: %v %v", got, err)
	}
	for _, at := range []time.Duration{time.Hour, 3 * time.Hour, 2 * time.Hour} {
		if err := h.Store.Seen(ctx, Expo, kiosks[0], enrolBase.Add(at)); err != nil {
			t.Fatal(err)
		}
	}
	if e, err := h.Store.GetEnrolee(ctx, Expo, kiosks[0]); err != nil || e.LastSeenAt != "2026-06-22T10:30:00Z" {
		t.Errorf("last seen: %+v %v, want the latest of the three", e, err)
	}
	if err := h.Store.Seen(ctx, Expo, "ksk_none", enrolBase); filing.ErrorKind(err) != filing.NotFound {
		t.Errorf("seen nobody: %v", err)
	}
}

package storetest

import (
	"sync"
	"testing"
	"time"

	"github.com/ipfast/ipfast/shared/filing"
)

// NoticeHarness is a fresh backend for the notification outbox section (SPEC §17): the filing
// store that writes events' notices and the notice store over the same data (one value, as a
// rule), with more handles that race it as other processes would.
type NoticeHarness struct {
	Harness
	Notices filing.NoticeStore
	Others  []filing.NoticeStore
}

// RunNotices runs the outbox section of the suite.
func RunNotices(t *testing.T, newHarness func(t *testing.T) NoticeHarness) {
	t.Run("EventsWriteTheirNotices", func(t *testing.T) { testEventNotices(t, newHarness(t)) })
	t.Run("ListsByStateAndDue", func(t *testing.T) { testNoticeLists(t, newHarness(t)) })
	t.Run("ClaimIsExclusive", func(t *testing.T) { testNoticeClaim(t, newHarness(t)) })
	t.Run("RemindersOnceAndUnsubscribe", func(t *testing.T) { testReminders(t, newHarness(t)) })
	t.Run("ComplaintEventsWriteTheirNotices", func(t *testing.T) { testComplaintNotices(t, newHarness(t)) })
}

// testComplaintNotices: the notices a complaint event carries are written with it (numbered
// with the number the transaction gave), listed with the expo's, read by id; a refused update
// writes none; a replay writes none again.
func testComplaintNotices(t *testing.T, h NoticeHarness) {
	cs, ok := h.Store.(filing.ComplaintStore)
	if !ok {
		t.Fatal("the store keeps no complaints")
	}
	n := NewComplaint("EX-1", "3C-210", "cn1", "h")
	n.Complaint.Complainant.Contact = &filing.Contact{Name: "Anna Schmidt", Email: "anna@voltara.example"}
	n.Event.Notices = filing.ComplaintNotices(n.Complaint, n.Event, "")
	if len(n.Event.Notices) != 1 {
		t.Fatalf("notices of a new complaint: %+v", n.Event.Notices)
	}
	c := mustComplain(t, cs, n)
	if _, replayed, err := cs.CreateComplaint(ctx, n); err != nil || !replayed {
		t.Fatalf("replay: %v %v", replayed, err)
	}
	got, err := h.Notices.GetNotice(ctx, Expo, "complaint_submitted."+c.ID+".1")
	if err != nil || got.ComplaintNumber != c.ComplaintNumber || c.ComplaintNumber == "" || got.To != "anna@voltara.example" ||
		got.Booth != "3C-210" || got.ComplaintID != c.ID || got.FilingID != "" {
		t.Fatalf("the submitted notice: %+v %v", got, err)
	}
	// Accepted: the complainant's and the respondent's, in one transaction with the event.
	c.Version++
	c.State, c.RespondBy = filing.ComplaintAccepted, "2026-06-24T10:00:00+08:00"
	ev := filing.Event{At: nextInstant().Format(time.RFC3339Nano), Action: string(filing.CActAccept), ToState: filing.State(filing.ComplaintAccepted)}
	ev.Notices = filing.ComplaintNotices(c, ev, "ip@booth.example")
	stale := c
	stale.Version = c.Version + 1
	if err := cs.UpdateComplaint(ctx, stale, ev, filing.UploadClaim{}); filing.ErrorCode(err) != filing.CodeVersionConflict {
		t.Fatalf("stale update: %v", err)
	}
	if _, err := h.Notices.GetNotice(ctx, Expo, "respondent_accepted."+c.ID+".2"); filing.ErrorKind(err) != filing.NotFound {
		t.Fatalf("a refused update wrote its notice: %v", err)
	}
	if err := cs.UpdateComplaint(ctx, c, ev, filing.UploadClaim{}); err != nil {
		t.Fatal(err)
	}
	var pending []string
	q := filing.NoticeQuery{Expo: Expo, State: filing.NoticePending}
	page, err := h.Notices.Notices(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range page.Items {
		pending = append(pending, n.ID)
	}
	want := []string{"complaint_submitted." + c.ID + ".1", "complaint_accepted." + c.ID + ".2", "respondent_accepted." + c.ID + ".2"}
	if len(pending) != 3 || pending[0] != want[0] {
		t.Fatalf("pending %v, want %v (any order after the first)", pending, want)
	}
	r, err := h.Notices.GetNotice(ctx, Expo, want[2])
	if err != nil || r.To != "ip@booth.example" || r.RespondBy != c.RespondBy || r.ComplaintNumber != c.ComplaintNumber {
		t.Errorf("the respondent's notice: %+v %v", r, err)
	}
	// It is claimed and sent like a filing's.
	r.Version++
	r.State, r.SentAt, r.UpdatedAt = filing.NoticeSent, nextInstant(), nextInstant()
	if err := h.Notices.UpdateNotice(ctx, r); err != nil {
		t.Fatal(err)
	}
	if hist, err := cs.ComplaintHistory(ctx, Expo, c.ID); err != nil || len(hist) != 2 {
		t.Errorf("history: %d events, %v", len(hist), err)
	}
}

func withContact(n filing.NewFiling, email, lang string) filing.NewFiling {
	n.Filing.Contact = &filing.Contact{Name: "Anna Weber", Email: email, Phone: "+49 30 1234"}
	n.Filing.Language = lang
	return n
}

// decide moves a created filing through a lease to a decision, as review does.
func decide(t *testing.T, h NoticeHarness, f filing.Filing, action filing.Action, respondBy string) filing.Filing {
	t.Helper()
	f.Version++
	f.State = filing.StateInReview
	if err := h.Store.Update(ctx, f, filing.Event{At: nextInstant().Format(time.RFC3339), Action: string(filing.ActLease), ToState: f.State}, false); err != nil {
		t.Fatal(err)
	}
	f.Version++
	switch action {
	case filing.ActRequestCorrection:
		f.State, f.RespondBy = filing.StateCorrectionRequested, respondBy
		f.Decision = &filing.Decision{Outcome: filing.OutcomeRequestCorrection, Reasons: []filing.Reason{{Code: "class_term_unacceptable", Note: "Name the goods."}}}
	case filing.ActAccept:
		f.State, f.RespondBy = filing.StateAccepted, ""
		f.Decision = &filing.Decision{Outcome: "accept"}
	}
	if err := h.Store.Update(ctx, f, filing.Event{At: nextInstant().Format(time.RFC3339), Action: string(action), ToState: f.State}, false); err != nil {
		t.Fatal(err)
	}
	return f
}

func noticeIDs(ns []filing.Notice) []string {
	out := []string{}
	for _, n := range ns {
		out = append(out, n.ID)
	}
	return out
}

// testEventNotices: a filing event that concerns the contact writes its notice with the event
// (filed; correction requested with its date and reasons; decided), others (a lease) and
// filings without an email write none, a replay writes no second one, and a refused update
// writes none; the filing's history is its events only.
func testEventNotices(t *testing.T, h NoticeHarness) {
	f := mustCreate(t, h.Harness, withContact(NewFiling(h.Harness, "EX-1", "n1", "h"), "anna@example.com", "zh"))
	if _, replayed, err := h.Store.Create(ctx, withContact(NewFiling(h.Harness, "EX-1", "n1", "h"), "anna@example.com", "zh")); err != nil || !replayed {
		t.Fatalf("replay: %v %v", replayed, err)
	}
	plain := mustCreate(t, h.Harness, NewFiling(h.Harness, "EX-1", "n2", "h"))
	got, err := h.Notices.FilingNotices(ctx, Expo, f.ID)
	if err != nil || len(got) != 1 {
		t.Fatalf("after filing: %v %v", noticeIDs(got), err)
	}
	n := got[0]
	if n.ID != "filed."+f.ID+".1" || n.Event != filing.NoticeFiled || n.State != filing.NoticePending || n.To != "anna@example.com" ||
		n.Language != "zh" || n.FilingNumber != f.FilingNumber || n.Expo != Expo || n.Version != 1 || n.NextAttemptAt.IsZero() {
		t.Errorf("filed notice: %+v", n)
	}
	if none, err := h.Notices.FilingNotices(ctx, Expo, plain.ID); err != nil || len(none) != 0 {
		t.Errorf("a filing without an email: %v %v", noticeIDs(none), err)
	}
	f = decide(t, h, f, filing.ActRequestCorrection, "2026-07-23")
	// A stale update is refused and writes no notice.
	stale := f
	stale.Version = f.Version
	stale.State, stale.Decision = filing.StateAccepted, &filing.Decision{Outcome: "accept"}
	if err := h.Store.Update(ctx, stale, filing.Event{At: nextInstant().Format(time.RFC3339), Action: string(filing.ActAccept), ToState: filing.StateAccepted}, false); filing.ErrorCode(err) != filing.CodeVersionConflict {
		t.Fatalf("stale update: %v", err)
	}
	got, _ = h.Notices.FilingNotices(ctx, Expo, f.ID)
	want := []string{"filed." + f.ID + ".1", "correction_requested." + f.ID + ".3"}
	if len(got) != 2 || got[0].ID != want[0] || got[1].ID != want[1] {
		t.Fatalf("notices %v, want %v", noticeIDs(got), want)
	}
	c := got[1]
	if c.RespondBy != "2026-07-23" || c.Decision == nil || len(c.Decision.Reasons) != 1 || c.Decision.Reasons[0].Code != "class_term_unacceptable" || c.Seq != 3 {
		t.Errorf("correction notice: %+v", c)
	}
	if one, err := h.Notices.GetNotice(ctx, Expo, c.ID); err != nil || one.ID != c.ID || one.RespondBy != c.RespondBy {
		t.Errorf("GetNotice: %+v %v", one, err)
	}
	for _, id := range []string{c.ID, "filed." + f.ID + ".9", "nonsense", ""} {
		if _, err := h.Notices.GetNotice(ctx, Other, id); filing.ErrorKind(err) != filing.NotFound {
			t.Errorf("GetNotice(%s) of another expo or unknown: %v", id, err)
		}
	}
	hist, err := h.Store.History(ctx, Expo, f.ID)
	if err != nil || len(hist) != 3 {
		t.Errorf("history: %d events, %v", len(hist), err)
	}
}

// testNoticeLists: pending notices oldest due first and only those due by Due, a page at a
// time; sent ones newest first; each expo its own.
func testNoticeLists(t *testing.T, h NoticeHarness) {
	var made []filing.Filing
	for i := 0; i < 3; i++ {
		made = append(made, mustCreate(t, h.Harness, withContact(NewFiling(h.Harness, "EX-1", "l"+string(rune('a'+i)), "h"), "anna@example.com", "en")))
	}
	other := NewFiling(h.Harness, "EX-1", "l-other", "h")
	other.Filing.Expo, other.Counter = Other, Other+"-TM"
	mustCreate(t, h.Harness, withContact(other, "bo@example.com", "en"))
	list := func(q filing.NoticeQuery) []string {
		t.Helper()
		var all []string
		for {
			p, err := h.Notices.Notices(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			all = append(all, noticeIDs(p.Items)...)
			if p.NextCursor == "" {
				return all
			}
			q.Cursor = p.NextCursor
		}
	}
	want := []string{"filed." + made[0].ID + ".1", "filed." + made[1].ID + ".1", "filed." + made[2].ID + ".1"}
	if got := list(filing.NoticeQuery{Expo: Expo, State: filing.NoticePending, Limit: 1}); !equal(got, want) {
		t.Errorf("pending %v, want %v", got, want)
	}
	// Postpone the first: it is no longer due now, and comes last.
	n, _ := h.Notices.GetNotice(ctx, Expo, want[0])
	n.Version++
	n.Attempts++
	n.NextAttemptAt = time.Now().Add(time.Hour)
	n.LastError = "connection refused"
	if err := h.Notices.UpdateNotice(ctx, n); err != nil {
		t.Fatal(err)
	}
	if got := list(filing.NoticeQuery{Expo: Expo, State: filing.NoticePending, Due: time.Now(), Limit: 2}); !equal(got, want[1:]) {
		t.Errorf("due now %v, want %v", got, want[1:])
	}
	if got := list(filing.NoticeQuery{Expo: Expo, State: filing.NoticePending}); !equal(got, []string{want[1], want[2], want[0]}) {
		t.Errorf("pending after the retry %v", got)
	}
	// Send two: sent lists them newest first.
	for _, id := range want[1:] {
		n, _ := h.Notices.GetNotice(ctx, Expo, id)
		n.Version++
		n.State, n.SentAt, n.UpdatedAt = filing.NoticeSent, nextInstant(), nextInstant()
		if err := h.Notices.UpdateNotice(ctx, n); err != nil {
			t.Fatal(err)
		}
	}
	if got := list(filing.NoticeQuery{Expo: Expo, State: filing.NoticeSent, Limit: 1}); !equal(got, []string{want[2], want[1]}) {
		t.Errorf("sent %v", got)
	}
	if got := list(filing.NoticeQuery{Expo: Expo, State: filing.NoticePending}); !equal(got, want[:1]) {
		t.Errorf("pending after sending %v", got)
	}
	if got := list(filing.NoticeQuery{Expo: Expo, State: filing.NoticeFailed}); len(got) != 0 {
		t.Errorf("failed %v", got)
	}
	if got := list(filing.NoticeQuery{Expo: Other, State: filing.NoticePending}); len(got) != 1 {
		t.Errorf("the other expo's pending %v", got)
	}
	if _, err := h.Notices.Notices(ctx, filing.NoticeQuery{Expo: Expo, State: filing.NoticeSent, Cursor: "!!"}); filing.ErrorKind(err) != filing.Malformed {
		t.Errorf("a cursor this server did not issue: %v", err)
	}
	// Another expo cannot change it.
	n, _ = h.Notices.GetNotice(ctx, Expo, want[0])
	n.Expo, n.Version = Other, n.Version+1
	if err := h.Notices.UpdateNotice(ctx, n); filing.ErrorKind(err) != filing.NotFound {
		t.Errorf("update from another expo: %v", err)
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// testNoticeClaim: 16 senders claim the same notice at once, from several handles: exactly
// one succeeds, the others get version_conflict.
func testNoticeClaim(t *testing.T, h NoticeHarness) {
	f := mustCreate(t, h.Harness, withContact(NewFiling(h.Harness, "EX-1", "c1", "h"), "anna@example.com", "en"))
	n, err := h.Notices.GetNotice(ctx, Expo, "filed."+f.ID+".1")
	if err != nil {
		t.Fatal(err)
	}
	all := append([]filing.NoticeStore{h.Notices}, h.Others...)
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		won      []string
		conflict int
	)
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			c := n
			c.Version++
			c.Attempts++
			c.Claim = "sender-" + string(rune('a'+i))
			c.NextAttemptAt = time.Now().Add(filing.NoticeClaim)
			err := all[i%len(all)].UpdateNotice(ctx, c)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				won = append(won, c.Claim)
			case filing.ErrorCode(err) == filing.CodeVersionConflict:
				conflict++
			default:
				t.Errorf("claim: %v", err)
			}
		}(i)
	}
	wg.Wait()
	if len(won) != 1 || conflict != 15 {
		t.Fatalf("%d claims won (%v), %d conflicts", len(won), won, conflict)
	}
	if got, _ := h.Notices.GetNotice(ctx, Expo, n.ID); got.Claim != won[0] || got.Version != 2 || got.Attempts != 1 {
		t.Errorf("stored claim: %+v", got)
	}
}

// testReminders: a reminder is added once however often the sweep asks; it is listed with
// the filing's notices but is no event of its history; unsubscribing is remembered per filing.
func testReminders(t *testing.T, h NoticeHarness) {
	f := mustCreate(t, h.Harness, withContact(NewFiling(h.Harness, "EX-1", "r1", "h"), "anna@example.com", "en"))
	f = decide(t, h, f, filing.ActRequestCorrection, "2026-07-23")
	r, ok := filing.ReminderFor(f, nextInstant())
	if !ok || r.ID != "reminder."+f.ID+".3" || r.RespondBy != "2026-07-23" {
		t.Fatalf("ReminderFor: %+v %v", r, ok)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	added := 0
	all := append([]filing.NoticeStore{h.Notices}, h.Others...)
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			ok, err := all[i%len(all)].AddNotice(ctx, r)
			if err != nil {
				t.Error(err)
			}
			if ok {
				mu.Lock()
				added++
				mu.Unlock()
			}
		}(i)
	}
	wg.Wait()
	if added != 1 {
		t.Errorf("the reminder was added %d times", added)
	}
	got, _ := h.Notices.FilingNotices(ctx, Expo, f.ID)
	if len(got) != 3 || got[2].ID != r.ID || got[2].Event != filing.NoticeReminder {
		t.Errorf("notices %v", noticeIDs(got))
	}
	if hist, _ := h.Store.History(ctx, Expo, f.ID); len(hist) != 3 {
		t.Errorf("history has %d events", len(hist))
	}
	if n, err := h.Notices.GetNotice(ctx, Expo, r.ID); err != nil || n.RespondBy != "2026-07-23" {
		t.Errorf("GetNotice(reminder): %+v %v", n, err)
	}
	if off, err := h.Notices.Unsubscribed(ctx, Expo, f.ID); err != nil || off {
		t.Errorf("unsubscribed before asking: %v %v", off, err)
	}
	if err := h.Notices.Unsubscribe(ctx, Expo, f.ID); err != nil {
		t.Fatal(err)
	}
	if off, err := h.Notices.Unsubscribed(ctx, Expo, f.ID); err != nil || !off {
		t.Errorf("unsubscribed after asking: %v %v", off, err)
	}
	if err := h.Notices.Unsubscribe(ctx, Other, f.ID); filing.ErrorKind(err) != filing.NotFound {
		t.Errorf("unsubscribe in another expo: %v", err)
	}
	if hist, _ := h.Store.History(ctx, Expo, f.ID); len(hist) != 3 {
		t.Errorf("history after unsubscribing has %d events", len(hist))
	}
}

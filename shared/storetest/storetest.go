// Package storetest is the conformance suite of the filing.Store port: the behaviour every
// adapter (embedded bbolt, DynamoDB) must show, asserted through the domain's error kinds and
// codes only, never through a backend's own error types.
package storetest

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ipfast/ipfast/shared/filing"
)

// Harness is a fresh, empty backend.
type Harness struct {
	Store filing.Store
	// Queue is the queue the store routes created filings to; Create's delivery guarantee is
	// checked by receiving from it.
	Queue filing.Queue
	// Queues are the review queues' names (unqualified); the suite files into the first. The
	// backend must have been made with QueueNames(Queues): each of them for each of Expos.
	Queues []string
	// Others are more handles on the same backend, as other processes (Lambda containers)
	// would hold; the concurrency tests spread their writes over Store and these.
	Others []filing.Store
	// Indexed returns once the search index holds every write made before the call, for a
	// store whose index follows its writes a moment later (DynamoDB: the router indexes from
	// the table's stream); nil for a store that indexes in the write itself.
	Indexed func(t *testing.T)
}

// indexed waits for the harness's index to catch up with the writes so far.
func (h Harness) indexed(t *testing.T) {
	t.Helper()
	if h.Indexed != nil {
		h.Indexed(t)
	}
}

// handle is the i-th of the harness's handles on the backend, round robin.
func (h Harness) handle(i int) filing.Store {
	all := append([]filing.Store{h.Store}, h.Others...)
	return all[i%len(all)]
}

// Run runs the suite; newHarness makes a fresh backend for each test.
func Run(t *testing.T, newHarness func(t *testing.T) Harness) {
	t.Run("CreateNumbersWithoutGaps", func(t *testing.T) { testNumbers(t, newHarness(t)) })
	t.Run("IdempotentReplay", func(t *testing.T) { testReplay(t, newHarness(t)) })
	t.Run("KeyReusedWithOtherBody", func(t *testing.T) { testReused(t, newHarness(t)) })
	t.Run("KeysArePerExhibitor", func(t *testing.T) { testKeyScope(t, newHarness(t)) })
	t.Run("ExpiredKeyFilesAgain", func(t *testing.T) { testExpiredKey(t, newHarness(t)) })
	t.Run("ConcurrentDuplicates", func(t *testing.T) { testConcurrentDuplicates(t, newHarness(t)) })
	t.Run("ConcurrentDistinct", func(t *testing.T) { testConcurrentDistinct(t, newHarness(t)) })
	t.Run("GetNotFound", func(t *testing.T) { testNotFound(t, newHarness(t)) })
	t.Run("UpdateIsConditionalOnVersion", func(t *testing.T) { testUpdate(t, newHarness(t)) })
	t.Run("HistoryInOrder", func(t *testing.T) { testHistory(t, newHarness(t)) })
	t.Run("ListNewestFirstWithPaging", func(t *testing.T) { testList(t, newHarness(t)) })
	t.Run("CreateIsRouted", func(t *testing.T) { testRouted(t, newHarness(t)) })
	t.Run("UpdateRequeues", func(t *testing.T) { testRequeue(t, newHarness(t)) })
	t.Run("ListByState", func(t *testing.T) { testByState(t, newHarness(t)) })
	t.Run("Uploads", func(t *testing.T) { testUploads(t, newHarness(t)) })
	t.Run("FilingsClaimUploads", func(t *testing.T) { testClaims(t, newHarness(t)) })
	t.Run("ConcurrentClaims", func(t *testing.T) { testConcurrentClaims(t, newHarness(t)) })
	t.Run("PendingUploads", func(t *testing.T) { testPendingUploads(t, newHarness(t)) })
	t.Run("Tenancy", func(t *testing.T) { testTenancy(t, newHarness(t)) })
	t.Run("StatusLinks", func(t *testing.T) { testStatusLinks(t, newHarness(t)) })
	t.Run("Search", func(t *testing.T) { testSearch(t, newHarness(t)) })
	t.Run("Counts", func(t *testing.T) { testCounts(t, newHarness(t)) })
}

// testStatusLinks: a filing created with a status token is found by it, in whichever expo;
// an unknown token, or none, is NotFound; a replay keeps the first filing's token.
func testStatusLinks(t *testing.T, h Harness) {
	tokens := map[string]string{}
	for _, expo := range Expos {
		n := NewFiling(h, "EX-1", "status-"+expo, "h")
		n.Filing.Expo, n.Counter = expo, expo+"-TM"
		n.Filing.StatusToken = filing.NewStatusToken()
		f := mustCreate(t, h, n)
		tokens[f.ID] = n.Filing.StatusToken
	}
	for id, tok := range tokens {
		got, err := h.Store.ByStatusToken(ctx, tok)
		if err != nil || got.ID != id || got.StatusToken != tok {
			t.Errorf("ByStatusToken(%s) = %s, %v; want %s", tok, got.ID, err, id)
		}
	}
	for _, tok := range []string{"", filing.NewStatusToken()} {
		if _, err := h.Store.ByStatusToken(ctx, tok); filing.ErrorKind(err) != filing.NotFound {
			t.Errorf("ByStatusToken(%q) = %v, want NotFound", tok, err)
		}
	}
	again := NewFiling(h, "EX-1", "status-"+Expo, "h")
	again.Filing.StatusToken = filing.NewStatusToken()
	f, replayed, err := h.Store.Create(ctx, again)
	if err != nil || !replayed || tokens[f.ID] == "" || f.StatusToken != tokens[f.ID] {
		t.Errorf("a replay: %v %v, token %q", replayed, err, f.StatusToken)
	}
	if _, err := h.Store.ByStatusToken(ctx, again.Filing.StatusToken); filing.ErrorKind(err) != filing.NotFound {
		t.Errorf("a replay stored its own status link: %v", err)
	}
}

var ctx = context.Background()

// Expo is the expo the suite files in; Other is a second expo of the same backend, for the
// tenancy test. Expos lists both.
const (
	Expo  = "TEST"
	Other = "OTHER"
)

// Expos are the expos whose queues a harness's backend must have.
var Expos = []string{Expo, Other}

// QueueNames are the qualified names (filing.ExpoQueue) of the queues for every expo of Expos:
// what a harness creates its backend's queues with.
func QueueNames(queues []string) []string {
	var out []string
	for _, x := range Expos {
		for _, q := range queues {
			out = append(out, filing.ExpoQueue(x, q))
		}
	}
	return out
}

// queueOf is where a filing's messages go.
func queueOf(f filing.Filing) string { return filing.ExpoQueue(f.Expo, f.Queue) }

// seq makes distinct, increasing instants so that ids and filing times order like creation.
var seqMu sync.Mutex
var seqT = time.Date(2026, 6, 22, 9, 0, 0, 0, time.UTC)

func nextInstant() time.Time {
	seqMu.Lock()
	defer seqMu.Unlock()
	seqT = seqT.Add(2 * time.Millisecond)
	return seqT
}

// NewFiling builds a valid NewFiling for tests: exhibitor, idempotency key, body hash.
func NewFiling(h Harness, exhibitor, key, hash string) filing.NewFiling {
	now := nextInstant()
	at := now.Format(time.RFC3339Nano)
	f := filing.Filing{ID: filing.NewID("fil_", now), State: filing.StateQueued, FiledAt: at,
		FilingDate: "2026-06-22", Expo: Expo, Exhibitor: exhibitor, Booth: "1A-101", Queue: h.Queues[0],
		Request: filing.Request{Kind: "trademark", Trademark: &filing.Trademark{MarkType: "word", MarkText: key,
			Classes: []filing.NiceClass{{Class: 9, Terms: []string{"Batteries"}}}}, Language: "en"},
		Version: 1}
	return filing.NewFiling{Filing: f, Counter: "TEST-TM", Exhibitor: exhibitor, Key: key, Hash: hash,
		Expires: time.Now().Add(24 * time.Hour), Now: time.Now(),
		Event: filing.Event{At: at, Actor: "kiosk-1", Role: "kiosk", Action: "filed", ToState: filing.StateQueued}}
}

func mustCreate(t *testing.T, h Harness, n filing.NewFiling) filing.Filing {
	t.Helper()
	f, replayed, err := h.Store.Create(ctx, n)
	if err != nil || replayed {
		t.Fatalf("Create(%s) = replayed %v, err %v", n.Key, replayed, err)
	}
	return f
}

func testNumbers(t *testing.T, h Harness) {
	for i := 1; i <= 3; i++ {
		f := mustCreate(t, h, NewFiling(h, "EX-1", fmt.Sprint("k", i), "h"))
		if want := fmt.Sprintf("TEST-TM-%06d", i); f.FilingNumber != want {
			t.Errorf("filing %d number %s, want %s", i, f.FilingNumber, want)
		}
	}
	other := NewFiling(h, "EX-1", "k-design", "h")
	other.Counter = "TEST-PD"
	if f := mustCreate(t, h, other); f.FilingNumber != "TEST-PD-000001" {
		t.Errorf("another counter starts at 1: %s", f.FilingNumber)
	}
	got, err := h.Store.Get(ctx, Expo, other.Filing.ID)
	if err != nil || got.FilingNumber != "TEST-PD-000001" || got.Exhibitor != "EX-1" || got.Trademark.MarkText != "k-design" {
		t.Errorf("Get after Create = %+v, %v", got, err)
	}
}

func testReplay(t *testing.T, h Harness) {
	first := mustCreate(t, h, NewFiling(h, "EX-1", "same", "hash-1"))
	again := NewFiling(h, "EX-1", "same", "hash-1") // a new attempt makes a new id; the record wins
	f, replayed, err := h.Store.Create(ctx, again)
	if err != nil || !replayed || f.ID != first.ID || f.FilingNumber != first.FilingNumber {
		t.Fatalf("replay = %+v replayed %v err %v; want the first filing %s", f.ID, replayed, err, first.ID)
	}
	if _, err := h.Store.Get(ctx, Expo, again.Filing.ID); filing.ErrorKind(err) != filing.NotFound {
		t.Errorf("the replayed attempt's id was stored: %v", err)
	}
	next := mustCreate(t, h, NewFiling(h, "EX-1", "other", "hash-2"))
	if next.FilingNumber != "TEST-TM-000002" {
		t.Errorf("a replay consumed a number: next is %s", next.FilingNumber)
	}
	got, err := h.Store.Lookup(ctx, Expo, "EX-1", "same", "hash-1", time.Now())
	if err != nil || got.ID != first.ID {
		t.Errorf("Lookup = %v, %v", got.ID, err)
	}
	if _, err := h.Store.Lookup(ctx, Expo, "EX-1", "never", "hash-1", time.Now()); filing.ErrorKind(err) != filing.NotFound {
		t.Errorf("Lookup of an unused key: %v, want NotFound", err)
	}
}

func testReused(t *testing.T, h Harness) {
	mustCreate(t, h, NewFiling(h, "EX-1", "same", "hash-1"))
	_, _, err := h.Store.Create(ctx, NewFiling(h, "EX-1", "same", "hash-2"))
	if filing.ErrorKind(err) != filing.Invalid || filing.ErrorCode(err) != filing.CodeIdempotencyReused {
		t.Fatalf("Create with a reused key = %v, want Invalid idempotency_key_reused", err)
	}
	if _, err := h.Store.Lookup(ctx, Expo, "EX-1", "same", "hash-2", time.Now()); filing.ErrorCode(err) != filing.CodeIdempotencyReused {
		t.Errorf("Lookup with another hash = %v", err)
	}
	if f := mustCreate(t, h, NewFiling(h, "EX-1", "fresh", "hash-3")); f.FilingNumber != "TEST-TM-000002" {
		t.Errorf("a refused request consumed a number: next is %s", f.FilingNumber)
	}
}

func testKeyScope(t *testing.T, h Harness) {
	a := mustCreate(t, h, NewFiling(h, "EX-1", "k", "hash-1"))
	b := mustCreate(t, h, NewFiling(h, "EX-2", "k", "hash-2"))
	if a.ID == b.ID {
		t.Errorf("two exhibitors' equal keys made one filing")
	}
}

func testExpiredKey(t *testing.T, h Harness) {
	n := NewFiling(h, "EX-1", "k", "hash-1")
	n.Expires = time.Now().Add(-time.Second)
	first := mustCreate(t, h, n)
	second := mustCreate(t, h, NewFiling(h, "EX-1", "k", "hash-1"))
	if first.ID == second.ID {
		t.Errorf("an expired idempotency record still replayed")
	}
}

func testConcurrentDuplicates(t *testing.T, h Harness) {
	const n = 32 // 32 concurrent duplicates of one key make one filing with one number
	var wg sync.WaitGroup
	ids := make([]string, n)
	fresh := make([]bool, n)
	errs := make([]error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			f, replayed, err := h.handle(i).Create(ctx, NewFiling(h, "EX-1", "dup", "hash"))
			ids[i], fresh[i], errs[i] = f.ID+" "+f.FilingNumber, !replayed, err
		}(i)
	}
	wg.Wait()
	created := 0
	for i := 0; i < n; i++ {
		if errs[i] != nil {
			t.Fatalf("concurrent Create %d: %v", i, errs[i])
		}
		if ids[i] != ids[0] {
			t.Fatalf("concurrent duplicates got different filings: %s vs %s", ids[i], ids[0])
		}
		if fresh[i] {
			created++
		}
	}
	if !strings.HasSuffix(ids[0], " TEST-TM-000001") {
		t.Errorf("duplicates took number %q, want the first and only one", ids[0])
	}
	if created != 1 {
		t.Errorf("%d of %d concurrent duplicates created a filing, want exactly 1", created, n)
	}
	page, err := h.Store.List(ctx, filing.ListQuery{Expo: Expo, Exhibitor: "EX-1", Limit: 100})
	if err != nil || len(page.Items) != 1 {
		t.Errorf("list after duplicates: %d items, %v", len(page.Items), err)
	}
}

func testConcurrentDistinct(t *testing.T, h Harness) {
	const n = 200 // 200 filings at once take the numbers 1..200, no gap, no repeat
	var wg sync.WaitGroup
	numbers := make([]string, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			f, replayed, err := h.handle(i).Create(ctx, NewFiling(h, "EX-1", fmt.Sprint("key-", i), "h"))
			if err != nil || replayed {
				t.Errorf("Create %d: %v %v", i, replayed, err)
			}
			numbers[i] = f.FilingNumber
		}(i)
	}
	wg.Wait()
	sort.Strings(numbers)
	for i, num := range numbers {
		if want := fmt.Sprintf("TEST-TM-%06d", i+1); num != want {
			t.Fatalf("numbers are not 1..%d without gaps: %v", n, numbers)
		}
	}
}

func testNotFound(t *testing.T, h Harness) {
	if _, err := h.Store.Get(ctx, Expo, "fil_nope"); filing.ErrorKind(err) != filing.NotFound {
		t.Errorf("Get unknown = %v, want NotFound", err)
	}
	if _, err := h.Store.History(ctx, Expo, "fil_nope"); filing.ErrorKind(err) != filing.NotFound {
		t.Errorf("History unknown = %v, want NotFound", err)
	}
	f := filing.Filing{ID: "fil_nope", Version: 2}
	if err := h.Store.Update(ctx, f, filing.Event{}, false); filing.ErrorKind(err) != filing.NotFound {
		t.Errorf("Update unknown = %v, want NotFound", err)
	}
}

func testUpdate(t *testing.T, h Harness) {
	f := mustCreate(t, h, NewFiling(h, "EX-1", "k", "h"))
	ev := filing.Event{At: time.Now().Format(time.RFC3339), Actor: "kiosk-1", Role: "kiosk", Action: "withdrawn",
		FromState: filing.StateQueued, ToState: filing.StateWithdrawn}
	stale := f
	stale.State = filing.StateWithdrawn // version not increased: conflicts
	if err := h.Store.Update(ctx, stale, ev, false); filing.ErrorCode(err) != filing.CodeVersionConflict || filing.ErrorKind(err) != filing.Conflict {
		t.Fatalf("Update at the same version = %v, want version_conflict", err)
	}
	f.State, f.Version = filing.StateWithdrawn, 2
	if err := h.Store.Update(ctx, f, ev, false); err != nil {
		t.Fatalf("Update: %v", err)
	}
	if err := h.Store.Update(ctx, f, ev, false); filing.ErrorCode(err) != filing.CodeVersionConflict {
		t.Errorf("second Update at version 2 = %v, want version_conflict", err)
	}
	got, err := h.Store.Get(ctx, Expo, f.ID)
	if err != nil || got.State != filing.StateWithdrawn || got.Version != 2 || got.FilingNumber != f.FilingNumber {
		t.Errorf("after Update: %+v, %v", got, err)
	}
}

func testHistory(t *testing.T, h Harness) {
	f := mustCreate(t, h, NewFiling(h, "EX-1", "k", "h"))
	states := []filing.State{filing.StateInReview, filing.StateQueued, filing.StateInReview, filing.StateCorrectionRequested}
	from := filing.StateQueued
	for i, st := range states {
		f.State, f.Version = st, f.Version+1
		ev := filing.Event{At: nextInstant().Format(time.RFC3339Nano), Actor: fmt.Sprint("actor-", i), Role: "examiner",
			Action: "step", FromState: from, ToState: st, Note: fmt.Sprint("note ", i),
			Reasons: []filing.Reason{{Code: "other", Note: "n"}}}
		if err := h.Store.Update(ctx, f, ev, false); err != nil {
			t.Fatal(err)
		}
		from = st
	}
	evs, err := h.Store.History(ctx, Expo, f.ID)
	if err != nil || len(evs) != 1+len(states) {
		t.Fatalf("History = %d events, %v", len(evs), err)
	}
	if evs[0].Action != "filed" || evs[0].ToState != filing.StateQueued {
		t.Errorf("first event = %+v", evs[0])
	}
	for i, st := range states {
		ev := evs[i+1]
		if ev.ToState != st || ev.Actor != fmt.Sprint("actor-", i) || len(ev.Reasons) != 1 || ev.Note != fmt.Sprint("note ", i) {
			t.Errorf("event %d = %+v, want to %s by actor-%d", i+1, ev, st, i)
		}
	}
}

func testList(t *testing.T, h Harness) {
	var made []string
	for i := 0; i < 7; i++ {
		f := mustCreate(t, h, NewFiling(h, "EX-1", fmt.Sprint("k", i), "h"))
		made = append(made, f.ID)
	}
	mustCreate(t, h, NewFiling(h, "EX-2", "other", "h"))
	// Withdraw filing 2 so the state filter has something to tell apart.
	w, _ := h.Store.Get(ctx, Expo, made[2])
	w.State, w.Version = filing.StateWithdrawn, 2
	if err := h.Store.Update(ctx, w, filing.Event{Action: "withdrawn", ToState: filing.StateWithdrawn}, false); err != nil {
		t.Fatal(err)
	}
	var got []string
	cursor := ""
	for pages := 0; ; pages++ {
		if pages > 10 {
			t.Fatal("paging does not end")
		}
		page, err := h.Store.List(ctx, filing.ListQuery{Expo: Expo, Exhibitor: "EX-1", Limit: 3, Cursor: cursor})
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Items) > 3 {
			t.Fatalf("page of %d items, limit 3", len(page.Items))
		}
		for _, f := range page.Items {
			if f.Exhibitor != "EX-1" {
				t.Fatalf("another exhibitor's filing listed: %s", f.Exhibitor)
			}
			got = append(got, f.ID)
		}
		if page.NextCursor == "" {
			break
		}
		cursor = page.NextCursor
	}
	if len(got) != len(made) {
		t.Fatalf("listed %d filings, made %d", len(got), len(made))
	}
	for i := range got {
		if got[i] != made[len(made)-1-i] {
			t.Fatalf("not newest first: %v (made %v)", got, made)
		}
	}
	page, err := h.Store.List(ctx, filing.ListQuery{Expo: Expo, Exhibitor: "EX-1", Limit: 100, State: filing.StateWithdrawn})
	if err != nil || len(page.Items) != 1 || page.Items[0].ID != made[2] || page.NextCursor != "" {
		t.Errorf("state filter: %+v, %v", page, err)
	}
	page, err = h.Store.List(ctx, filing.ListQuery{Expo: Expo, Exhibitor: "EX-9", Limit: 10})
	if err != nil || len(page.Items) != 0 || page.NextCursor != "" {
		t.Errorf("exhibitor without filings: %+v, %v", page, err)
	}
	if _, err := h.Store.List(ctx, filing.ListQuery{Expo: Expo, Exhibitor: "EX-1", Limit: 3, Cursor: "%%%"}); filing.ErrorKind(err) != filing.Malformed {
		t.Errorf("bad cursor = %v, want Malformed", err)
	}
}

func testRouted(t *testing.T, h Harness) {
	f := mustCreate(t, h, NewFiling(h, "EX-1", "k", "h"))
	d, ok, err := h.Queue.Receive(ctx, queueOf(f), time.Minute, 5*time.Second)
	if err != nil || !ok || d.FilingID != f.ID {
		t.Fatalf("receive from %s after Create = %+v ok %v err %v", f.Queue, d, ok, err)
	}
	// A replay must not route the filing a second time.
	if _, replayed, err := h.Store.Create(ctx, NewFiling(h, "EX-1", "k", "h")); err != nil || !replayed {
		t.Fatalf("replay: %v %v", replayed, err)
	}
	if d2, ok, err := h.Queue.Receive(ctx, queueOf(f), time.Minute, 500*time.Millisecond); err != nil || ok {
		t.Errorf("a replay was routed again: %+v %v", d2, err)
	}
}

func testRequeue(t *testing.T, h Harness) {
	f := mustCreate(t, h, NewFiling(h, "EX-1", "k", "h"))
	first, ok, err := h.Queue.Receive(ctx, queueOf(f), time.Minute, 5*time.Second)
	if err != nil || !ok {
		t.Fatalf("created filing not routed: %v %v", ok, err)
	}
	if err := h.Queue.Ack(ctx, queueOf(f), first.Receipt); err != nil {
		t.Fatal(err)
	}
	// A change without requeue sends nothing; one with requeue sends the filing once more.
	f.State, f.Version = filing.StateInReview, 2
	if err := h.Store.Update(ctx, f, filing.Event{Action: "leased", ToState: f.State}, false); err != nil {
		t.Fatal(err)
	}
	f.State, f.Version = filing.StateCorrectionRequested, 3
	if err := h.Store.Update(ctx, f, filing.Event{Action: "decided", ToState: f.State}, false); err != nil {
		t.Fatal(err)
	}
	if d, ok, _ := h.Queue.Receive(ctx, queueOf(f), time.Minute, time.Second); ok {
		t.Fatalf("an update without requeue was routed: %+v", d)
	}
	f.State, f.Version = filing.StateQueued, 4
	if err := h.Store.Update(ctx, f, filing.Event{Action: "amended", ToState: f.State}, true); err != nil {
		t.Fatal(err)
	}
	d, ok, err := h.Queue.Receive(ctx, queueOf(f), time.Minute, 5*time.Second)
	if err != nil || !ok || d.FilingID != f.ID {
		t.Fatalf("requeued filing not routed: %+v %v %v", d, ok, err)
	}
	if d2, ok, _ := h.Queue.Receive(ctx, queueOf(f), time.Minute, time.Second); ok {
		t.Errorf("requeued twice: %+v", d2)
	}
}

func testByState(t *testing.T, h Harness) {
	var made []filing.Filing
	for i := 0; i < 5; i++ {
		made = append(made, mustCreate(t, h, NewFiling(h, fmt.Sprint("EX-", i%2), fmt.Sprint("k", i), "h")))
	}
	for _, i := range []int{1, 3, 4} { // these go to correction_requested, the others stay queued
		f := made[i]
		f.State, f.Version = filing.StateCorrectionRequested, 2
		if err := h.Store.Update(ctx, f, filing.Event{Action: "decided", ToState: f.State}, false); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	cursor := ""
	for pages := 0; pages < 10; pages++ {
		page, err := h.Store.ListByState(ctx, filing.ListQuery{Expo: Expo, State: filing.StateCorrectionRequested, Limit: 2, Cursor: cursor})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range page.Items {
			if f.State != filing.StateCorrectionRequested {
				t.Fatalf("listed a %s filing", f.State)
			}
			got = append(got, f.ID)
		}
		if cursor = page.NextCursor; cursor == "" {
			break
		}
	}
	if want := []string{made[1].ID, made[3].ID, made[4].ID}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("by state %v, want oldest first %v", got, want)
	}
	page, err := h.Store.ListByState(ctx, filing.ListQuery{Expo: Expo, State: filing.StateQueued, Limit: 10})
	if err != nil || len(page.Items) != 2 {
		t.Errorf("queued: %d, %v", len(page.Items), err)
	}
}

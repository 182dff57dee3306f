package storetest

import (
	"fmt"
	"maps"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/ipfast/ipfast/shared/filing"
)

// searchFixture files four filings in Expo (and one in Other that no search of Expo may
// return) and returns them oldest first.
func searchFixture(t *testing.T, h Harness) []filing.Filing {
	type spec struct {
		booth, applicant, nationality, mark string
		patent                              string // patent type, "" for a trademark
	}
	var out []filing.Filing
	for i, s := range []spec{
		{"2B-310", "Hans Müller GmbH", "DE", "Blitzwerk", ""},
		{"3C-210", "深圳市大疆创新科技有限公司", "CN", "Sky Lens", "invention"},
		{"3C-211", "Müller & Söhne", "AT", "Ｌａｍｐ One", "design"},
		{"1A-101", "Acme Trading Ltd", "GB", "Acme", ""},
	} {
		n := NewFiling(h, fmt.Sprint("EX-", i), fmt.Sprint("search-", i), "h")
		n.Filing.Booth = s.booth
		n.Filing.Applicants = []filing.Applicant{{Name: s.applicant, Kind: "organization", Nationality: s.nationality,
			Domicile: s.nationality, Address: "x", IDNumber: "ID-" + fmt.Sprint(i)}}
		if s.patent != "" {
			n.Filing.Kind, n.Filing.Trademark = filing.KindPatent, nil
			n.Filing.Patent = &filing.Patent{Type: s.patent, Title: s.mark}
			n.Counter = "TEST-PT"
		} else {
			n.Filing.Trademark.MarkText = s.mark
		}
		out = append(out, mustCreate(t, h, n))
	}
	n := NewFiling(h, "EX-0", "search-other", "h")
	n.Filing.Expo, n.Counter, n.Filing.Booth = Other, Other+"-TM", "2B-310"
	n.Filing.Applicants = []filing.Applicant{{Name: "Hans Müller GmbH", Nationality: "DE"}}
	mustCreate(t, h, n)
	return out
}

func ids(fs []filing.Filing) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.FilingNumber
	}
	return out
}

// testSearch: every kind of word finds its filings, newest first, filters narrow, pages do not
// overlap, another expo's filings never show, and an update moves a filing's terms.
func testSearch(t *testing.T, h Harness) {
	fs := searchFixture(t, h)
	h.indexed(t)
	search := func(q filing.SearchQuery) []string {
		t.Helper()
		q.Expo = Expo
		if q.Limit == 0 {
			q.Limit = 50
		}
		page, err := h.Store.Search(ctx, q)
		if err != nil {
			t.Fatalf("Search(%+v): %v", q, err)
		}
		return ids(page.Items)
	}
	num := func(i ...int) []string {
		out := []string{}
		for _, j := range i {
			out = append(out, fs[j].FilingNumber)
		}
		return out
	}
	for _, c := range []struct {
		q    filing.SearchQuery
		want []string
	}{
		{filing.SearchQuery{}, num(3, 2, 1, 0)},
		{filing.SearchQuery{Q: fs[1].FilingNumber}, num(1)},
		{filing.SearchQuery{Q: "test-pt-000002"}, num(2)},
		{filing.SearchQuery{Q: "000002"}, num(3, 2)},
		{filing.SearchQuery{Q: "tm-000002"}, num(3)},
		{filing.SearchQuery{Q: "test-tm 2b"}, num(0)}, // TEST-TM-000001 at booth 2B-310
		{filing.SearchQuery{Q: "3c-21"}, num(2, 1)},
		{filing.SearchQuery{Q: "3C-210"}, num(1)},
		{filing.SearchQuery{Q: "müll"}, num(2, 0)},
		{filing.SearchQuery{Q: "MULLER"}, num(2, 0)}, // accents and case fold
		{filing.SearchQuery{Q: "hans gmbh"}, num(0)},
		{filing.SearchQuery{Q: "hans söhne"}, []string{}},
		{filing.SearchQuery{Q: "大疆"}, num(1)}, // Chinese matches anywhere in the name
		{filing.SearchQuery{Q: "创新科技"}, num(1)},
		{filing.SearchQuery{Q: "lamp"}, num(2)}, // full-width letters fold
		{filing.SearchQuery{Q: "acme"}, num(3)},
		{filing.SearchQuery{Q: "zebra"}, []string{}},
		{filing.SearchQuery{Kind: "patent"}, num(2, 1)},
		{filing.SearchQuery{Kind: "design"}, num(2)},
		{filing.SearchQuery{Kind: "trademark", Q: "müller"}, num(0)},
		{filing.SearchQuery{State: filing.StateAccepted}, []string{}},
		{filing.SearchQuery{From: "2026-06-23"}, []string{}},
		{filing.SearchQuery{From: "2026-06-22", To: "2026-06-22"}, num(3, 2, 1, 0)},
		{filing.SearchQuery{Queue: "nope"}, []string{}},
	} {
		if got := search(c.q); !slices.Equal(got, c.want) {
			t.Errorf("Search(%+v) = %v, want %v", c.q, got, c.want)
		}
	}
	// Pages of two, newest first, with and without words.
	for _, q := range []string{"", "3c"} {
		var all []string
		cursor := ""
		for range 10 {
			page, err := h.Store.Search(ctx, filing.SearchQuery{Expo: Expo, Q: q, Limit: 2, Cursor: cursor})
			if err != nil {
				t.Fatal(err)
			}
			all = append(all, ids(page.Items)...)
			if cursor = page.NextCursor; cursor == "" {
				break
			}
		}
		want := num(3, 2, 1, 0)
		if q == "3c" {
			want = num(2, 1)
		}
		if !slices.Equal(all, want) {
			t.Errorf("pages of %q: %v, want %v", q, all, want)
		}
	}
	if _, err := h.Store.Search(ctx, filing.SearchQuery{Expo: Expo, Limit: 2, Cursor: "!!"}); filing.ErrorKind(err) != filing.Malformed {
		t.Errorf("a bad cursor: %v", err)
	}
	// The other expo sees only its own.
	if page, err := h.Store.Search(ctx, filing.SearchQuery{Expo: Other, Q: "müller", Limit: 10}); err != nil || len(page.Items) != 1 || page.Items[0].Expo != Other {
		t.Errorf("Other's search: %+v, %v", page.Items, err)
	}
	// An update changes what finds the filing, and the filters see its new state.
	f := fs[0]
	f.Applicants = []filing.Applicant{{Name: "Zebra Werke AG", Nationality: "CH"}}
	f.State, f.Version = filing.StateAccepted, f.Version+1
	if err := h.Store.Update(ctx, f, filing.Event{At: time.Now().Format(time.RFC3339), Action: "decided:accept",
		FromState: filing.StateQueued, ToState: filing.StateAccepted}, false); err != nil {
		t.Fatal(err)
	}
	h.indexed(t)
	if got := search(filing.SearchQuery{Q: "zebra"}); !slices.Equal(got, num(0)) {
		t.Errorf("new name: %v", got)
	}
	if got := search(filing.SearchQuery{Q: "hans"}); len(got) != 0 {
		t.Errorf("old name still finds: %v", got)
	}
	if got := search(filing.SearchQuery{State: filing.StateAccepted}); !slices.Equal(got, num(0)) {
		t.Errorf("accepted: %v", got)
	}
}

// testCounts: after creates, state changes, decisions (one decided twice) and 16 concurrent
// updates of distinct filings, the store's counts are exactly the sum of every write's
// filing.CountsDelta, in each expo.
func testCounts(t *testing.T, h Harness) {
	want := map[string]filing.Counts{Expo: {}, Other: {}}
	var mu sync.Mutex
	apply := func(before *filing.Filing, after filing.Filing) {
		mu.Lock()
		defer mu.Unlock()
		want[after.Expo].Add(filing.CountsDelta(before, after))
	}
	var fs []filing.Filing
	for i := range 24 {
		n := NewFiling(h, fmt.Sprint("EX-", i%3), fmt.Sprint("count-", i), "h")
		n.Filing.Applicants = []filing.Applicant{{Name: "A", Nationality: []string{"DE", "CN", "FR"}[i%3]}}
		if i%4 == 3 {
			n.Filing.Expo, n.Counter = Other, Other+"-TM"
		}
		if len(h.Queues) > 1 && i%2 == 1 {
			n.Filing.Queue = h.Queues[1]
		}
		f := mustCreate(t, h, n)
		apply(nil, f)
		fs = append(fs, f)
	}
	decide := func(f filing.Filing, outcome string, state filing.State, at time.Time, examiner string) filing.Filing {
		t.Helper()
		before := f
		f.State, f.Version = state, f.Version+1
		f.Decision = &filing.Decision{Outcome: outcome, DecidedAt: at.Format(time.RFC3339), Examiner: examiner}
		if err := h.Store.Update(ctx, f, filing.Event{At: at.Format(time.RFC3339), Action: "decided:" + outcome,
			FromState: before.State, ToState: state}, false); err != nil {
			t.Fatalf("decide %s: %v", f.ID, err)
		}
		apply(&before, f)
		return f
	}
	base := time.Date(2026, 6, 22, 10, 0, 0, 0, time.UTC)
	fs[0] = decide(fs[0], "request_correction", filing.StateCorrectionRequested, base, "ex-a")
	fs[0] = decide(fs[0], "accept", filing.StateAccepted, base.Add(90*time.Minute), "ex-b")
	fs[1] = decide(fs[1], "reject", filing.StateRejected, base.Add(3*time.Hour), "ex-a")
	var wg sync.WaitGroup
	for i := 2; i < 18; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			f := fs[i]
			before := f
			f.State, f.Version = filing.StateInReview, f.Version+1
			if err := h.handle(i).Update(ctx, f, filing.Event{Action: "leased", ToState: filing.StateInReview}, false); err != nil {
				t.Errorf("concurrent update %d: %v", i, err)
				return
			}
			apply(&before, f)
		}(i)
	}
	wg.Wait()
	for expo, w := range want {
		for k, v := range w {
			if v == 0 {
				delete(w, k)
			}
		}
		got, err := h.Store.Counts(ctx, expo)
		if err != nil {
			t.Fatal(err)
		}
		if !maps.Equal(got, w) {
			t.Errorf("%s counts:\n got %v\nwant %v", expo, got, w)
		}
	}
	if got := want[Expo]["by/ex-a/request_correction"]; got != 1 {
		t.Errorf("the first decision of a filing decided twice is not counted: %d", got)
	}
}

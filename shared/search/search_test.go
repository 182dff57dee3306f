package search_test

import (
	"slices"
	"testing"

	"github.com/ipfast/ipfast/shared/filing"
	"github.com/ipfast/ipfast/shared/search"
)

func TestTerms(t *testing.T) {
	f := filing.Filing{FilingNumber: "CISCE2026-TM-000042", Booth: "3C-210",
		Request: filing.Request{Kind: filing.KindTrademark, Trademark: &filing.Trademark{MarkText: "ＮＯＶＡ Lamp"},
			Applicants: []filing.Applicant{{Name: "Société Générale S.A."}, {Name: "大疆创新"}}}}
	got := search.Terms(f)
	for _, want := range []string{"cisce2026-tm-000042", "tm-000042", "000042", "3c-210",
		"nova", "lamp", "societe", "generale", "s.a", "大疆创新", "疆创新", "创新", "新"} {
		if !slices.Contains(got, want) {
			t.Errorf("Terms lacks %q: %v", want, got)
		}
	}
	if slices.Contains(got, search.All) || slices.Contains(got, "cisce2026") || slices.Contains(got, "tm") {
		t.Errorf("terms every filing shares: %v", got)
	}
}

func TestWords(t *testing.T) {
	for q, want := range map[string][]string{
		"  Hans  MÜLLER ": {"hans", "muller"},
		"TM-000042":       {"tm-000042"},
		"大疆DJI":           {"大疆", "dji"},
		"，。！":             nil,
		"3C-210.":         {"3c-210"},
	} {
		if got := search.Words(q); !slices.Equal(got, want) {
			t.Errorf("Words(%q) = %q, want %q", q, got, want)
		}
	}
}

func TestAdmits(t *testing.T) {
	f := filing.Filing{Expo: "X", State: filing.StateQueued, FilingDate: "2026-06-22", Queue: "trademark",
		Request: filing.Request{Kind: filing.KindTrademark, Applicants: []filing.Applicant{{Name: "Hans Müller"}}}}
	for _, c := range []struct {
		q    filing.SearchQuery
		want bool
	}{
		{filing.SearchQuery{Expo: "X", Q: "mül hans"}, true},
		{filing.SearchQuery{Expo: "X", Q: "müller hansi"}, false},
		{filing.SearchQuery{Expo: "Y"}, false},
		{filing.SearchQuery{Expo: "X", Kind: "patent"}, false},
		{filing.SearchQuery{Expo: "X", To: "2026-06-21"}, false},
		{filing.SearchQuery{Expo: "X", From: "2026-06-22", To: "2026-06-22", State: filing.StateQueued, Queue: "trademark"}, true},
	} {
		if got := search.Admits(c.q, f, search.Words(c.q.Q)); got != c.want {
			t.Errorf("Admits(%+v) = %v", c.q, got)
		}
	}
}

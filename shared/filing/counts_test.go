package filing_test

import (
	"maps"
	"testing"

	"github.com/ipfast/ipfast/shared/filing"
)

func TestDecisionBucket(t *testing.T) {
	for secs, want := range map[float64]int64{0: 0, 59.9: 59, 999: 999, 1000: 1000, 1234: 1230, 3600: 3600,
		7199: 7190, 86400: 86400, 123456: 123000} {
		if got := filing.DecisionBucket(secs); got != want {
			t.Errorf("DecisionBucket(%v) = %d, want %d", secs, got, want)
		}
	}
}

func TestCountsDelta(t *testing.T) {
	f := filing.Filing{Queue: "trademark", State: filing.StateQueued, FiledAt: "2026-06-22T09:30:00+08:00",
		Request: filing.Request{Kind: filing.KindTrademark, Applicants: []filing.Applicant{{Nationality: "DE"}}}}
	created := filing.CountsDelta(nil, f)
	if want := (filing.Counts{"qs/trademark/queued": 1, "kind/trademark": 1, "country/DE": 1, "filed/2026-06-22T01": 1}); !maps.Equal(created, want) {
		t.Errorf("create: %v, want %v", created, want)
	}
	g := f
	g.State = filing.StateAccepted
	g.Decision = &filing.Decision{Outcome: "accept", DecidedAt: "2026-06-22T10:30:00+08:00", Examiner: "ex"}
	decided := filing.CountsDelta(&f, g)
	if want := (filing.Counts{"qs/trademark/queued": -1, "qs/trademark/accepted": 1, "ttd/trademark/3600": 1,
		"decided/2026-06-22T02": 1, "by/ex/accept": 1}); !maps.Equal(decided, want) {
		t.Errorf("decide: %v, want %v", decided, want)
	}
	h := g
	h.Version++
	if d := filing.CountsDelta(&g, h); len(d) != 0 {
		t.Errorf("a write that changes no figure: %v", d)
	}
	for k, want := range map[string][3]string{"qs/a/b/queued": {"qs", "a/b", "queued"}, "by/ex/accept": {"by", "ex", "accept"},
		"country/DE": {"country", "", "DE"}} {
		if f, m, l := filing.SplitCounter(k); [3]string{f, m, l} != want {
			t.Errorf("SplitCounter(%s) = %s %s %s", k, f, m, l)
		}
	}
}

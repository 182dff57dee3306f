package filing_test

import (
	"testing"

	"github.com/ipfast/ipfast/shared/filing"
)

// TestFollowUps: the follow-up deadlines across month ends, weekends, holidays and make-up
// working days of the 2026 calendar (the period rule of SPEC §6).
func TestFollowUps(t *testing.T) {
	e := filing.DefaultExpo()
	patent := func(typ, filed string, exhibition *filing.Exhibition, priorities ...string) filing.Filing {
		f := filing.Filing{FilingDate: filed, Request: filing.Request{Kind: filing.KindPatent, Patent: &filing.Patent{Type: typ}, Exhibition: exhibition}}
		for _, p := range priorities {
			f.PriorityClaims = append(f.PriorityClaims, filing.PriorityClaim{Office: "DE", Number: "1", Date: p})
		}
		return f
	}
	trademark := func(filed string, exhibition *filing.Exhibition, priorities ...string) filing.Filing {
		f := patent("", filed, exhibition, priorities...)
		f.Kind, f.Patent = filing.KindTrademark, nil
		return f
	}
	shown := &filing.Exhibition{Expo: "CISCE2026", FirstDisplayDate: "2026-06-22"}
	certified := &filing.Exhibition{Expo: "CISCE2026", FirstDisplayDate: "2026-06-22", Certificate: "cert_1"}
	for name, c := range map[string]struct {
		f    filing.Filing
		want []string // kind@due, soonest first
	}{
		"nothing to send":                          {patent("invention", "2026-06-23", nil), nil},
		"evidence, 2 months onto a Sunday":         {patent("invention", "2026-06-23", shown), []string{"exhibition_evidence@2026-08-24"}},
		"evidence with its certificate":            {patent("invention", "2026-06-23", certified), nil},
		"trademark evidence onto National Day":     {trademark("2026-07-01", shown), []string{"exhibition_evidence@2026-10-08"}},
		"evidence to a short February":             {patent("utility_model", "2026-12-31", shown), []string{"exhibition_evidence@2027-03-01"}},
		"trademark evidence from a 30th":           {trademark("2026-11-30", shown), []string{"exhibition_evidence@2027-03-01"}},
		"priority 16 months to a month end":        {patent("invention", "2026-06-23", nil, "2025-08-31"), []string{"priority_documents@2026-12-31"}},
		"priority onto a make-up working Saturday": {patent("invention", "2026-06-23", nil, "2025-06-10"), []string{"priority_documents@2026-10-10"}},
		"the earliest priority counts":             {patent("invention", "2026-06-23", nil, "2025-09-01", "2025-08-31"), []string{"priority_documents@2026-12-31"}},
		"design priority: 3 months from filing":    {patent("design", "2026-06-23", nil, "2026-01-05"), []string{"priority_documents@2026-09-23"}},
		"trademark priority: 3 months from filing": {trademark("2026-06-23", nil, "2026-01-05"), []string{"priority_documents@2026-09-23"}},
		"both, soonest first": {patent("invention", "2026-06-23", shown, "2025-08-31"),
			[]string{"exhibition_evidence@2026-08-24", "priority_documents@2026-12-31"}},
	} {
		got := e.FollowUps(c.f)
		if got == nil {
			t.Errorf("%s: nil, want a list", name)
		}
		var kinds []string
		for _, d := range got {
			kinds = append(kinds, d.Kind+"@"+d.Due)
			if d.Basis == "" {
				t.Errorf("%s: %s without its basis", name, d.Kind)
			}
		}
		if len(kinds) != len(c.want) {
			t.Errorf("%s: %v, want %v", name, kinds, c.want)
			continue
		}
		for i := range kinds {
			if kinds[i] != c.want[i] {
				t.Errorf("%s: %v, want %v", name, kinds, c.want)
			}
		}
	}
}

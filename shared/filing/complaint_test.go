package filing_test

import (
	"slices"
	"testing"
	"time"

	"github.com/ipfast/ipfast/shared/filing"
)

var windows = filing.ComplaintWindows{ResponseWindow: filing.Duration(24 * time.Hour), SupplementWindow: filing.Duration(2 * time.Hour)}

var officer = filing.Actor{Subject: "officer-1", Role: filing.RoleOfficer}

// TestComplaintTransitions: from every stored state, every action either moves as SPEC §11
// says (with the version and history event) or is 409 invalid_transition with nothing changed.
func TestComplaintTransitions(t *testing.T) {
	at := time.Date(2026, 6, 23, 2, 0, 0, 0, time.UTC)
	allowed := map[filing.ComplaintState]map[filing.ComplaintAction]filing.ComplaintState{
		filing.ComplaintSubmitted: {filing.CActRequestSupplement: filing.ComplaintIncomplete, filing.CActAccept: filing.ComplaintAccepted,
			filing.CActWithdraw: filing.ComplaintWithdrawn},
		filing.ComplaintIncomplete: {filing.CActSupplement: filing.ComplaintSubmitted, filing.CActWithdraw: filing.ComplaintWithdrawn},
		filing.ComplaintAccepted: {filing.CActAnswer: filing.ComplaintAnswered, filing.CActDecide: filing.ComplaintDecided,
			filing.CActWithdraw: filing.ComplaintWithdrawn},
		filing.ComplaintAnswered:  {filing.CActDecide: filing.ComplaintDecided},
		filing.ComplaintRefused:   {},
		filing.ComplaintDecided:   {},
		filing.ComplaintWithdrawn: {},
	}
	for from, moves := range allowed {
		for _, a := range filing.ComplaintActions() {
			c := filing.Complaint{State: from, Version: 3, RespondBy: at.Add(time.Hour).Format(time.RFC3339)}
			ev, err := filing.ApplyComplaint(&c, a, windows, officer, at, "n")
			to, ok := moves[a]
			if !ok {
				if filing.ErrorKind(err) != filing.Conflict || filing.ErrorCode(err) != filing.CodeInvalidTransition || c.State != from || c.Version != 3 {
					t.Errorf("%s from %s: %v, now %s v%d; want invalid_transition and no change", a, from, err, c.State, c.Version)
				}
				continue
			}
			if err != nil || c.State != to || c.Version != 4 || ev.Action != string(a) || ev.FromState != filing.State(from) ||
				ev.ToState != filing.State(to) || ev.Actor != "officer-1" || ev.Note != "n" {
				t.Errorf("%s from %s: %v, now %s v%d, event %+v", a, from, err, c.State, c.Version, ev)
			}
		}
	}
}

// TestComplaintClocks: the windows start at the action, in the expo's config; an accepted
// complaint reads answer_overdue from the second its window ends (proposed measures with it)
// and can still be answered (the caller marks it late) or decided; an incomplete one reads
// refused from the second its window ends, can no longer be supplemented or withdrawn, and the
// sweep refuses it then and not before.
func TestComplaintClocks(t *testing.T) {
	at := time.Date(2026, 6, 23, 2, 0, 0, 0, time.UTC) // 10:00 in Beijing
	c := filing.Complaint{State: filing.ComplaintSubmitted, Version: 1}
	if _, err := filing.ApplyComplaint(&c, filing.CActAccept, windows, officer, at, ""); err != nil {
		t.Fatal(err)
	}
	if c.RespondBy != "2026-06-24T02:00:00Z" || c.AcceptedAt != "2026-06-23T02:00:00Z" || !c.VisibleToRespondent() {
		t.Fatalf("accepted: respondBy %s, acceptedAt %s", c.RespondBy, c.AcceptedAt)
	}
	end := at.Add(24 * time.Hour)
	if s := c.StateAt(end.Add(-time.Second)); s != filing.ComplaintAccepted {
		t.Errorf("a second before the end: %s", s)
	}
	v := c.ViewAt(end)
	if v.State != filing.ComplaintAnswerOverdue || !slices.Equal(v.ProposedMeasures, filing.ProposedMeasures) {
		t.Errorf("at the end: %s %v", v.State, v.ProposedMeasures)
	}
	if v := c.ViewAt(end.Add(-time.Second)); v.ProposedMeasures != nil {
		t.Errorf("measures proposed before the end: %v", v.ProposedMeasures)
	}
	late := c
	if _, err := filing.ApplyComplaint(&late, filing.CActAnswer, windows, filing.Actor{Subject: "kiosk-x", Role: "kiosk"}, end, ""); err != nil || late.RespondBy != "" {
		t.Errorf("a late answer: %v, respondBy %q", err, late.RespondBy)
	}
	decided := c
	if _, err := filing.ApplyComplaint(&decided, filing.CActDecide, windows, officer, end.Add(time.Hour), ""); err != nil {
		t.Errorf("deciding an overdue complaint: %v", err)
	}

	inc := filing.Complaint{State: filing.ComplaintSubmitted, Version: 1}
	if _, err := filing.ApplyComplaint(&inc, filing.CActRequestSupplement, windows, officer, at, ""); err != nil || inc.RespondBy != "2026-06-23T04:00:00Z" {
		t.Fatalf("incomplete: %v %s", err, inc.RespondBy)
	}
	lapse := at.Add(2 * time.Hour)
	if _, err := filing.ApplyComplaint(&inc, filing.CActRefuse, windows, filing.System, lapse.Add(-time.Second), ""); filing.ErrorCode(err) != filing.CodeInvalidTransition {
		t.Errorf("refused before the window ends: %v", err)
	}
	if s := inc.StateAt(lapse); s != filing.ComplaintRefused {
		t.Errorf("at the end of the supplement window: %s", s)
	}
	for _, a := range []filing.ComplaintAction{filing.CActSupplement, filing.CActWithdraw} {
		cp := inc
		if _, err := filing.ApplyComplaint(&cp, a, windows, officer, lapse, ""); filing.ErrorCode(err) != filing.CodeInvalidTransition {
			t.Errorf("%s after the window: %v", a, err)
		}
	}
	in := inc
	if _, err := filing.ApplyComplaint(&in, filing.CActSupplement, windows, officer, lapse.Add(-time.Second), ""); err != nil || in.RespondBy != "" {
		t.Errorf("supplement in time: %v %q", err, in.RespondBy)
	}
	if _, err := filing.ApplyComplaint(&inc, filing.CActRefuse, windows, filing.System, lapse, ""); err != nil || inc.State != filing.ComplaintRefused {
		t.Errorf("the sweep's refusal: %v %s", err, inc.State)
	}
	if (filing.Complaint{State: filing.ComplaintSubmitted}).VisibleToRespondent() {
		t.Error("the respondent sees a complaint before its acceptance")
	}
}

func TestComplaintDecisionChecks(t *testing.T) {
	for _, c := range []struct {
		outcome  string
		measures []string
		codes    []string
	}{
		{"infringement", []string{"cover_exhibit"}, nil},
		{"infringement", nil, []string{"required"}},
		{"infringement", []string{"burn_it"}, []string{"invalid_enum"}},
		{"no_infringement", nil, nil},
		{"no_infringement", []string{"cut_links"}, []string{"not_allowed"}},
		{"guilty", nil, []string{"invalid_enum"}},
	} {
		var codes []string
		for _, p := range filing.CheckDecision(c.outcome, c.measures) {
			codes = append(codes, p.Code)
		}
		if !slices.Equal(codes, c.codes) {
			t.Errorf("CheckDecision(%s, %v) = %v, want %v", c.outcome, c.measures, codes, c.codes)
		}
	}
	if got := filing.ComplaintNumber("CISCE2026", 42); got != "CISCE2026-CP-000042" {
		t.Errorf("number %s", got)
	}
}

// TestRespondentView: the complainant's personal data is masked for the respondent.
func TestRespondentView(t *testing.T) {
	c := filing.Complaint{State: filing.ComplaintAccepted, ComplaintRequest: filing.ComplaintRequest{Complainant: filing.Complainant{
		Name: "Voltara GmbH", IDNumber: "HRB123456", Contact: &filing.Contact{Name: "Anna", Email: "anna@voltara.example", Phone: "+49 30 1234 5678"}}}}
	v := c.RespondentView(time.Now())
	if v.Complainant.Name != "Voltara GmbH" || v.Complainant.IDNumber != "****3456" || v.Complainant.Contact.Email != "****mple" ||
		v.Complainant.Contact.Phone != "****5678" || c.Complainant.Contact.Email != "anna@voltara.example" {
		t.Errorf("respondent view: %+v %+v (original %+v)", v.Complainant, v.Complainant.Contact, c.Complainant.Contact)
	}
}

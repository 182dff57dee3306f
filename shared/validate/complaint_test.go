package validate_test

import (
	"slices"
	"sort"
	"testing"

	"github.com/ipfast/ipfast/shared/filing"
	"github.com/ipfast/ipfast/shared/validate"
)

func complaint() *filing.ComplaintRequest {
	return &filing.ComplaintRequest{
		Complainant: filing.Complainant{Name: "Voltara GmbH", Kind: "organization", Nationality: "DE", Address: "Berlin",
			Contact: &filing.Contact{Name: "Anna Schmidt", Email: "anna@voltara.example"}},
		Right:       filing.Right{Kind: "invention", Number: "ZL202310123456.7", Owner: "Voltara GmbH", ValidUntil: "2043-05-01"},
		Respondent:  filing.Respondent{Booth: "3C-210"},
		Exhibits:    []filing.Exhibit{{Description: "Battery pack on the front table", Photos: []string{"att_photo"}}},
		Grounds:     "Claim 1 reads on the pack's cooling plate.",
		Attachments: []string{"att_cert"},
		Language:    "en",
	}
}

var complaintEnv = validate.ComplaintEnv{
	Today: filing.MustDate("2026-06-23"),
	Attachments: map[string]validate.Attachment{
		"att_cert": {Role: filing.RoleRightCertificate}, "att_photo": {Role: filing.RoleExhibitPhoto},
		"att_poa": {Role: filing.RolePowerOfAttorney}, "att_bad": {Role: filing.RoleEvidence, Problem: "attachment_invalid"},
		"att_view": {Role: filing.RoleViews},
	},
}

func codes(res validate.Result) []string {
	var out []string
	for _, p := range res.Problems {
		out = append(out, p.Field+" "+p.Code)
	}
	sort.Strings(out)
	return out
}

// TestCheckComplaint: each rule of SPEC §11 with its code and pointer, all problems at once.
func TestCheckComplaint(t *testing.T) {
	if got := codes(validate.CheckComplaint(complaint(), complaintEnv)); len(got) != 0 {
		t.Fatalf("a complete complaint: %v", got)
	}
	for name, c := range map[string]struct {
		change func(r *filing.ComplaintRequest, env *validate.ComplaintEnv)
		want   []string
	}{
		"no certificate":       {func(r *filing.ComplaintRequest, _ *validate.ComplaintEnv) { r.Attachments = nil }, []string{"/attachments right_certificate_required"}},
		"expired right":        {func(r *filing.ComplaintRequest, _ *validate.ComplaintEnv) { r.Right.ValidUntil = "2026-06-22" }, []string{"/right/validUntil right_not_in_force"}},
		"in force today":       {func(r *filing.ComplaintRequest, _ *validate.ComplaintEnv) { r.Right.ValidUntil = "2026-06-23" }, nil},
		"patent in litigation": {func(r *filing.ComplaintRequest, _ *validate.ComplaintEnv) { r.PendingProceedings.Litigation = true }, []string{"/pendingProceedings proceedings_pending"}},
		"trademark in litigation": {func(r *filing.ComplaintRequest, _ *validate.ComplaintEnv) {
			r.Right.Kind = "trademark"
			r.PendingProceedings.Litigation = true
		}, nil},
		"agent without power": {func(r *filing.ComplaintRequest, _ *validate.ComplaintEnv) {
			r.Agent = &filing.ComplaintAgent{Name: "East IP"}
		}, []string{"/attachments power_of_attorney_required"}},
		"agent with power": {func(r *filing.ComplaintRequest, _ *validate.ComplaintEnv) {
			r.Agent = &filing.ComplaintAgent{Name: "East IP"}
			r.Attachments = append(r.Attachments, "att_poa")
		}, nil},
		"unknown booth": {func(_ *filing.ComplaintRequest, env *validate.ComplaintEnv) {
			env.Booths = map[string]bool{"1A-101": true}
		}, []string{"/respondent/booth respondent_unknown"}},
		"no directory": {func(r *filing.ComplaintRequest, _ *validate.ComplaintEnv) { r.Respondent.Booth = "9Z-999" }, nil},
		"no exhibit":   {func(r *filing.ComplaintRequest, _ *validate.ComplaintEnv) { r.Exhibits = nil }, []string{"/exhibits exhibit_required"}},
		"unknown upload": {func(r *filing.ComplaintRequest, _ *validate.ComplaintEnv) {
			r.Attachments = append(r.Attachments, "att_nope")
		}, []string{"/attachments/1 attachment_unknown"}},
		"bad upload": {func(r *filing.ComplaintRequest, _ *validate.ComplaintEnv) {
			r.Attachments = append(r.Attachments, "att_bad")
		}, []string{"/attachments/1 attachment_invalid"}},
		"a filing's role": {func(r *filing.ComplaintRequest, _ *validate.ComplaintEnv) {
			r.Attachments = append(r.Attachments, "att_view")
		}, []string{"/attachments/1 not_allowed"}},
		"photo not a photo": {func(r *filing.ComplaintRequest, _ *validate.ComplaintEnv) {
			r.Exhibits[0].Photos = []string{"att_cert"}
		}, []string{"/exhibits/0/photos/0 not_allowed"}},
		"structural": {func(r *filing.ComplaintRequest, _ *validate.ComplaintEnv) {
			r.Right.Kind = "copyright"
			r.Complainant.Nationality = "XX"
			r.Language = ""
		}, []string{"/complainant/nationality country_code_invalid", "/language required", "/right/kind invalid_enum"}},
		// An empty part reports each required field at its own pointer, as the form shows it.
		"empty respondent": {func(r *filing.ComplaintRequest, _ *validate.ComplaintEnv) { r.Respondent = filing.Respondent{} },
			[]string{"/respondent/booth required"}},
		"empty right": {func(r *filing.ComplaintRequest, _ *validate.ComplaintEnv) { r.Right = filing.Right{} },
			[]string{"/right/kind required", "/right/number required", "/right/owner required", "/right/validUntil required"}},
		"all at once": {func(r *filing.ComplaintRequest, _ *validate.ComplaintEnv) {
			r.Attachments, r.Exhibits, r.Right.ValidUntil = nil, nil, "2020-01-01"
		}, []string{"/attachments right_certificate_required", "/exhibits exhibit_required", "/right/validUntil right_not_in_force"}},
	} {
		r, env := complaint(), complaintEnv
		c.change(r, &env)
		got := codes(validate.CheckComplaint(r, env))
		want := slices.Clone(c.want)
		sort.Strings(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s: %v, want %v", name, got, want)
		}
	}
	for _, p := range validate.CheckComplaint(&filing.ComplaintRequest{}, complaintEnv).Problems {
		if p.Message == "" || p.MessageZh == "" || !validate.Known(p.Code) {
			t.Errorf("problem without its messages: %+v", p)
		}
	}
}

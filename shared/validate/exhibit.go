package validate

import (
	"strconv"

	"github.com/ipfast/ipfast/shared/filing"
)

// CheckExhibit runs the structural rules and those of SPEC §12 on an exhibit's record: its
// first display within the expo's dates and not after today, its photos exhibit_photo uploads
// that may be used (photos: by id, as Env.Attachments).
func CheckExhibit(r *filing.ExhibitRequest, x *filing.Expo, today filing.Date, photos map[string]Attachment) Result {
	res := Result{Problems: structuralProblems(r)}
	if !hasProblemAt(res.Problems, "/firstDisplayDate") {
		res.Problems = append(res.Problems, filing.CheckExhibit(x, *r, today)...)
	}
	for i, id := range r.Photos {
		if i >= MaxLookups || id == "" {
			break
		}
		p := "/photos/" + strconv.Itoa(i)
		a, ok := photos[id]
		switch {
		case !ok:
			res.Problems = append(res.Problems, NewProblem(p, "attachment_unknown", ""))
		case a.Problem != "":
			res.Problems = append(res.Problems, NewProblem(p, a.Problem, ""))
		case a.Role != filing.RoleExhibitPhoto:
			res.Problems = append(res.Problems, NewProblem(p, "not_allowed", ""))
		}
	}
	return res
}

func hasProblemAt(ps []filing.Problem, field string) bool {
	for _, p := range ps {
		if p.Field == field {
			return true
		}
	}
	return false
}

// CheckExhibitor runs the rules of an exhibitor directory entry (SPEC §18): a name and a booth,
// a country code if given, and a contact, if given, with a name and an email or a phone.
func CheckExhibitor(r *filing.ExhibitorRequest) Result {
	res := Result{Problems: structuralProblems(r)}
	if ct := r.Contact; ct != nil && ct.Email == "" && ct.Phone == "" {
		res.Problems = append(res.Problems, NewProblem("/contact/email", "required", ""), NewProblem("/contact/phone", "required", ""))
	}
	return res
}

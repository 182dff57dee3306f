package validate

import (
	"slices"
	"strconv"

	"github.com/ipfast/ipfast/shared/filing"
)

// ComplaintEnv is what the complaint rules need besides the request.
type ComplaintEnv struct {
	// Today is the expo's date: a right valid until before it is not in force.
	Today filing.Date
	// Booths are the booths of the expo's exhibitor directory; nil when none is configured
	// (then any booth may be named).
	Booths map[string]bool
	// Attachments are the uploads the complaint may name, by id (as Env.Attachments).
	Attachments map[string]Attachment
}

// ComplaintRoles are the upload roles a complaint's attachments may have (SPEC §11); an
// exhibit's photos are exhibit_photo uploads.
var ComplaintRoles = []string{filing.RoleRightCertificate, filing.RoleEvidence, filing.RolePowerOfAttorney,
	filing.RoleIDDocument, filing.RoleExhibitPhoto}

// SupplementRoles are the roles of uploads a supplement adds to a complaint's attachments;
// AnswerRoles those of the respondent's answer (its own right, evidence, photos of its
// exhibit, its agent's power).
var (
	SupplementRoles = []string{filing.RoleRightCertificate, filing.RoleEvidence, filing.RolePowerOfAttorney, filing.RoleIDDocument}
	AnswerRoles     = []string{filing.RoleEvidence, filing.RoleRightCertificate, filing.RolePowerOfAttorney, filing.RoleExhibitPhoto}
)

// CheckComplaint runs every structural and domain rule of SPEC §11 on a complaint and returns
// all problems at once.
func CheckComplaint(r *filing.ComplaintRequest, env ComplaintEnv) Result {
	res := Result{Problems: structuralProblems(r)}
	add := func(field, code string) { res.Problems = append(res.Problems, NewProblem(field, code, "")) }
	roles := map[string]bool{}
	for i, id := range r.Attachments {
		if i >= MaxLookups || id == "" {
			break
		}
		p := "/attachments/" + strconv.Itoa(i)
		a, ok := env.Attachments[id]
		switch {
		case !ok:
			add(p, "attachment_unknown")
		case a.Problem != "":
			add(p, a.Problem)
		case !slices.Contains(ComplaintRoles, a.Role) || a.Role == filing.RoleExhibitPhoto:
			add(p, "not_allowed")
		default:
			roles[a.Role] = true
		}
	}
	for i, x := range r.Exhibits {
		for j, id := range x.Photos {
			if id == "" {
				continue
			}
			p := "/exhibits/" + strconv.Itoa(i) + "/photos/" + strconv.Itoa(j)
			a, ok := env.Attachments[id]
			switch {
			case !ok:
				add(p, "attachment_unknown")
			case a.Problem != "":
				add(p, a.Problem)
			case a.Role != filing.RoleExhibitPhoto:
				add(p, "not_allowed")
			}
		}
	}
	if !roles[filing.RoleRightCertificate] {
		add("/attachments", filing.CodeRightCertificateRequired)
	}
	if r.Agent != nil && !roles[filing.RolePowerOfAttorney] {
		add("/attachments", "power_of_attorney_required")
	}
	if d, err := filing.ParseDate(r.Right.ValidUntil); err == nil && d.Before(env.Today) {
		add("/right/validUntil", filing.CodeRightNotInForce)
	}
	if r.Right.Kind != filing.KindTrademark && r.PendingProceedings.Any() {
		add("/pendingProceedings", filing.CodeProceedingsPending)
	}
	if env.Booths != nil && r.Respondent.Booth != "" && !env.Booths[r.Respondent.Booth] {
		add("/respondent/booth", filing.CodeRespondentUnknown)
	}
	if len(r.Exhibits) == 0 {
		add("/exhibits", filing.CodeExhibitRequired)
	}
	return res
}

// CheckAttachments checks the uploads a later step adds to a complaint (a supplement, an
// answer), field naming their list: each known, its bytes as declared, of one of roles.
func CheckAttachments(field string, ids []string, attachments map[string]Attachment, roles []string) []filing.Problem {
	var out []filing.Problem
	if len(ids) > 20 {
		return []filing.Problem{NewProblem(field, "too_long", "20")}
	}
	for i, id := range ids {
		p := field + "/" + strconv.Itoa(i)
		a, ok := attachments[id]
		switch {
		case id == "":
			out = append(out, NewProblem(p, "required", ""))
		case !ok:
			out = append(out, NewProblem(p, "attachment_unknown", ""))
		case a.Problem != "":
			out = append(out, NewProblem(p, a.Problem, ""))
		case !slices.Contains(roles, a.Role):
			out = append(out, NewProblem(p, "not_allowed", ""))
		}
	}
	return out
}

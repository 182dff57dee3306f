package api

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/ipfast/ipfast/shared/filing"
	"github.com/ipfast/ipfast/shared/validate"
)

// The complaint desk's routes (SPEC §11).

var (
	complaintParties = []string{filing.RoleKiosk, filing.RoleOfficer, filing.RoleSupervisor}
	officers         = []string{filing.RoleOfficer, filing.RoleSupervisor}
)

// complaintRoutes are the complaint desk's routes (SPEC §11).
func (s *Server) complaintRoutes() []Route {
	return []Route{
		{"POST", "/v1/complaints", complaintParties, s.complain},
		{"GET", "/v1/complaints", complaintParties, s.complaints},
		{"GET", "/v1/complaints/measures", officers, s.measures},
		{"GET", "/v1/complaints/ledger/respondents", officers, s.respondentLedger},
		{"GET", "/v1/complaints/ledger/complainants", officers, s.complainantLedger},
		{"GET", "/v1/complaints/{id}", complaintParties, s.complaint},
		{"GET", "/v1/complaints/{id}/attachments/{attachment}", complaintParties, s.complaintDownload},
		{"POST", "/v1/complaints/{id}/supplement", complaintParties, s.supplement},
		{"POST", "/v1/complaints/{id}/withdraw", complaintParties, s.withdrawComplaint},
		{"POST", "/v1/complaints/{id}/answer", kiosk, s.answer},
		{"POST", "/v1/complaints/{id}/request-supplement", officers, s.requestSupplement},
		{"POST", "/v1/complaints/{id}/accept", officers, s.accept},
		{"POST", "/v1/complaints/{id}/decision", officers, s.decideComplaint},
	}
}

// readInto decodes a JSON body strictly into v; with optional, a call without a body (no
// Content-Type, nothing sent) leaves v as it is.
func readInto(w http.ResponseWriter, r *http.Request, v any, optional bool) error {
	if optional && r.Header.Get("Content-Type") == "" && r.ContentLength <= 0 {
		return nil
	}
	body, err := readBody(w, r)
	if err != nil {
		return err
	}
	return validate.DecodeInto(body, v)
}

func (s *Server) complain(w http.ResponseWriter, r *http.Request, p filing.Principal) error {
	var req filing.ComplaintRequest
	if err := readInto(w, r, &req, false); err != nil {
		return err
	}
	c, replayed, err := s.Complaints.Submit(r.Context(), p, r.Header.Get("Idempotency-Key"), &req)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/v1/complaints/"+c.ID)
	if replayed {
		w.Header().Set("Idempotent-Replayed", "true")
	}
	return writeJSON(w, http.StatusCreated, c)
}

func (s *Server) complaints(w http.ResponseWriter, r *http.Request, p filing.Principal) error {
	qv := r.URL.Query()
	as := qv.Get("as")
	if as != "" && as != "complainant" && as != "respondent" {
		return bad("as", "invalid_enum", "as must be complainant or respondent", "complainant, respondent")
	}
	state := filing.ComplaintState(qv.Get("state"))
	if state != "" && !slices.Contains(filing.ComplaintStates, state) {
		names := make([]string, len(filing.ComplaintStates))
		for i, st := range filing.ComplaintStates {
			names[i] = string(st)
		}
		return bad("state", "invalid_enum", "unknown state "+strconv.Quote(string(state)), strings.Join(names, ", "))
	}
	limit, err := pageLimit(qv)
	if err != nil {
		return err
	}
	page, err := s.Complaints.List(r.Context(), p, as, state, limit, qv.Get("cursor"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, page)
}

func (s *Server) complaint(w http.ResponseWriter, r *http.Request, p filing.Principal) error {
	c, err := s.Complaints.Get(r.Context(), p, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, c)
}

func (s *Server) complaintDownload(w http.ResponseWriter, r *http.Request, p filing.Principal) error {
	d, err := s.Complaints.Download(r.Context(), p, r.PathValue("id"), r.PathValue("attachment"))
	if err != nil {
		return err
	}
	d.URL = s.absolute(r, d.URL)
	return writeJSON(w, http.StatusOK, d)
}

func (s *Server) supplement(w http.ResponseWriter, r *http.Request, p filing.Principal) error {
	var b struct {
		Attachments []string `json:"attachments"`
		Grounds     string   `json:"grounds"`
	}
	if err := readInto(w, r, &b, false); err != nil {
		return err
	}
	c, err := s.Complaints.Supplement(r.Context(), p, r.PathValue("id"), b.Attachments, b.Grounds)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, c)
}

func (s *Server) withdrawComplaint(w http.ResponseWriter, r *http.Request, p filing.Principal) error {
	c, err := s.Complaints.Withdraw(r.Context(), p, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, c)
}

func (s *Server) answer(w http.ResponseWriter, r *http.Request, p filing.Principal) error {
	var b struct {
		Statement   string   `json:"statement"`
		Attachments []string `json:"attachments"`
	}
	if err := readInto(w, r, &b, false); err != nil {
		return err
	}
	c, err := s.Complaints.Answer(r.Context(), p, r.PathValue("id"), b.Statement, b.Attachments)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, c)
}

func (s *Server) requestSupplement(w http.ResponseWriter, r *http.Request, p filing.Principal) error {
	var b struct {
		Missing []string `json:"missing"`
		Note    string   `json:"note"`
	}
	if err := readInto(w, r, &b, false); err != nil {
		return err
	}
	c, err := s.Complaints.RequestSupplement(r.Context(), p, r.PathValue("id"), b.Missing, b.Note)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, c)
}

func (s *Server) accept(w http.ResponseWriter, r *http.Request, p filing.Principal) error {
	var b struct {
		Note string `json:"note"`
	}
	if err := readInto(w, r, &b, true); err != nil {
		return err
	}
	c, err := s.Complaints.Accept(r.Context(), p, r.PathValue("id"), b.Note)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, c)
}

func (s *Server) decideComplaint(w http.ResponseWriter, r *http.Request, p filing.Principal) error {
	var b struct {
		Outcome  string   `json:"outcome"`
		Measures []string `json:"measures"`
		Note     string   `json:"note"`
	}
	if err := readInto(w, r, &b, false); err != nil {
		return err
	}
	c, err := s.Complaints.Decide(r.Context(), p, r.PathValue("id"), b.Outcome, b.Measures, b.Note)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, c)
}

func (s *Server) measures(w http.ResponseWriter, r *http.Request, p filing.Principal) error {
	items, err := s.Complaints.Measures(r.Context(), p)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"items": items})
}

func (s *Server) respondentLedger(w http.ResponseWriter, r *http.Request, p filing.Principal) error {
	items, err := s.Complaints.RespondentLedger(r.Context(), p)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"items": items})
}

func (s *Server) complainantLedger(w http.ResponseWriter, r *http.Request, p filing.Principal) error {
	items, err := s.Complaints.ComplainantLedger(r.Context(), p)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"items": items})
}

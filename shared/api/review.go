package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/ipfast/ipfast/shared/complaint"
	"github.com/ipfast/ipfast/shared/filing"
	"github.com/ipfast/ipfast/shared/review"
	"github.com/ipfast/ipfast/shared/validate"
)

// MaxLeaseWait is the longest long poll of POST /v1/queues/{name}/lease (SPEC §5).
const MaxLeaseWait = 20

func (s *Server) queues(w http.ResponseWriter, r *http.Request, p filing.Principal) error {
	qs, err := s.Review.Queues(r.Context(), p)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, qs)
}

func (s *Server) stats(w http.ResponseWriter, r *http.Request, p filing.Principal) error {
	st, err := s.Review.Stats(r.Context(), p)
	if err != nil {
		return err
	}
	if s.Complaints == nil {
		return writeJSON(w, http.StatusOK, st)
	}
	cf, err := s.Complaints.Figures(r.Context(), p)
	if err != nil {
		return err
	}
	// The complaint desk's figures beside the filings' (SPEC §11).
	return writeJSON(w, http.StatusOK, struct {
		review.Stats
		Complaints complaint.Figures `json:"complaints"`
	}{st, cf})
}

func (s *Server) lease(w http.ResponseWriter, r *http.Request, p filing.Principal) error {
	wait := 0
	if v := r.URL.Query().Get("wait"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > MaxLeaseWait {
			return &filing.Error{Kind: filing.Malformed, Code: "invalid_format", Message: "wait must be a whole number of seconds from 0 to 20",
				Problems: []filing.Problem{validate.NewProblem("wait", "invalid_format", "")}}
		}
		wait = n
	}
	g, ok, err := s.Review.Lease(r.Context(), p, r.PathValue("name"), time.Duration(wait)*time.Second)
	if err != nil {
		return err
	}
	if !ok {
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
	g.Filing = s.linked(r, g.Filing)
	return writeJSON(w, http.StatusOK, g)
}

// leaseBody is the body of extend and release.
type leaseBody struct {
	LeaseToken string `json:"leaseToken"`
	Seconds    int    `json:"seconds,omitempty"`
}

func readLeaseBody(w http.ResponseWriter, r *http.Request) (leaseBody, error) {
	var b leaseBody
	body, err := readBody(w, r)
	if err != nil {
		return b, err
	}
	return b, validate.DecodeInto(body, &b)
}

func (s *Server) extend(w http.ResponseWriter, r *http.Request, p filing.Principal) error {
	b, err := readLeaseBody(w, r)
	if err != nil {
		return err
	}
	g, err := s.Review.Extend(r.Context(), p, r.PathValue("id"), b.LeaseToken, b.Seconds)
	if err != nil {
		return err
	}
	g.Filing = s.linked(r, g.Filing)
	return writeJSON(w, http.StatusOK, g)
}

func (s *Server) release(w http.ResponseWriter, r *http.Request, p filing.Principal) error {
	b, err := readLeaseBody(w, r)
	if err != nil {
		return err
	}
	f, err := s.Review.Release(r.Context(), p, r.PathValue("id"), b.LeaseToken)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, s.linked(r, f))
}

func (s *Server) decision(w http.ResponseWriter, r *http.Request, p filing.Principal) error {
	var req review.DecisionRequest
	body, err := readBody(w, r)
	if err != nil {
		return err
	}
	if err := validate.DecodeInto(body, &req); err != nil {
		return err
	}
	f, err := s.Review.Decide(r.Context(), p, r.PathValue("id"), req)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, s.linked(r, f))
}

package api

import (
	"net/http"
	"strings"

	"github.com/ipfast/ipfast/shared/filing"
)

// Filing is the filing the request's {id} names, as p may read it and clients get it (its
// status link absolute, its follow-up deadlines), with its expo: what the documents function
// needs for a receipt.
func (s *Server) Filing(r *http.Request, p filing.Principal) (filing.Filing, *filing.Expo, error) {
	var f filing.Filing
	var err error
	if p.Role == filing.RoleKiosk {
		f, err = s.Intake.Get(r.Context(), p, r.PathValue("id"))
	} else {
		f, err = s.Review.View(r.Context(), p, r.PathValue("id"))
	}
	if err != nil {
		return f, nil, err
	}
	x, ok := s.Intake.Expo.Tenant(f.Expo)
	if !ok {
		x = s.Intake.Expo // an expo no longer configured: the receipt still shows the filing
	}
	return s.linked(r, f), x, nil
}

func (s *Server) baseURL(r *http.Request) string {
	if s.PublicURL != "" {
		return strings.TrimRight(s.PublicURL, "/")
	}
	scheme := "http"
	if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// BadParam is a 400 for a query parameter: code and message, with the problem at param.
func BadParam(param, code, msg, detail string) error { return bad(param, code, msg, detail) }

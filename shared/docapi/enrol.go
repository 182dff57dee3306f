package docapi

import (
	"net/http"
	"sync"

	"github.com/ipfast/ipfast/shared/api"
	"github.com/ipfast/ipfast/shared/enrol"
	"github.com/ipfast/ipfast/shared/filing"
)

// Enrolment are the routes of enrolment (SPEC §18): the exhibitor directory (officers read it,
// a supervisor puts entries); a supervisor enrols kiosks and staff and revokes them; a set-up code is exchanged once for a token (public); an enrolled kiosk or
// person renews its token.
func Enrolment(srv *api.Server) []api.Route {
	h := &enrolHandlers{srv: srv}
	sup := []string{filing.RoleSupervisor}
	staff := []string{filing.RoleExaminer, filing.RoleOfficer, filing.RoleSupervisor}
	return []api.Route{
		{Method: "POST", Pattern: "/v1/kiosks", Roles: sup, Handle: h.enrolKiosk},
		{Method: "GET", Pattern: "/v1/kiosks", Roles: sup, Handle: h.list(filing.EnroleeKiosk)},
		{Method: "POST", Pattern: "/v1/kiosks/setup", Handle: h.setup(filing.EnroleeKiosk)},
		{Method: "POST", Pattern: "/v1/kiosks/renew", Roles: []string{filing.RoleKiosk}, Handle: h.renew},
		{Method: "POST", Pattern: "/v1/kiosks/{id}/revoke", Roles: sup, Handle: h.revoke(filing.EnroleeKiosk)},
		{Method: "POST", Pattern: "/v1/staff", Roles: sup, Handle: h.enrolStaff},
		{Method: "GET", Pattern: "/v1/staff", Roles: sup, Handle: h.list(filing.EnroleeStaff)},
		{Method: "POST", Pattern: "/v1/staff/setup", Handle: h.setup(filing.EnroleeStaff)},
		{Method: "POST", Pattern: "/v1/staff/renew", Roles: staff, Handle: h.renew},
		{Method: "POST", Pattern: "/v1/staff/{id}/revoke", Roles: sup, Handle: h.revoke(filing.EnroleeStaff)},
		{Method: "GET", Pattern: "/v1/exhibitors", Roles: []string{filing.RoleOfficer, filing.RoleSupervisor}, Handle: h.directory},
		{Method: "PUT", Pattern: "/v1/exhibitors/{id}", Roles: sup, Handle: h.putExhibitor},
	}
}

type enrolHandlers struct {
	srv  *api.Server
	once sync.Once
	svc  *enrol.Service
}

// service is the enrolment service on the server's store (every store of ipfast keeps
// enrolment), made at the first call.
func (h *enrolHandlers) service() (*enrol.Service, error) {
	h.once.Do(func() {
		if store, ok := h.srv.Intake.Store.(filing.EnrolmentStore); ok {
			h.svc = enrol.New(h.srv.Intake.Expo, store, h.srv.Verifier, h.srv.Intake.Clock, h.srv.PublicURL)
		}
	})
	if h.svc == nil {
		return nil, filing.ErrNotFound
	}
	return h.svc, nil
}

// enrolKiosk answers POST /v1/kiosks: 201 {"id","setupCode","setupUrl","setupExpiresAt"}.
func (h *enrolHandlers) enrolKiosk(w http.ResponseWriter, r *http.Request, p filing.Principal) error {
	var req enrol.KioskRequest
	if err := api.ReadJSON(w, r, &req, false); err != nil {
		return err
	}
	svc, err := h.service()
	if err != nil {
		return err
	}
	req.Base = h.srv.BaseURL(r)
	s, err := svc.EnrolKiosk(r.Context(), p, req)
	if err != nil {
		return err
	}
	return api.WriteJSON(w, http.StatusCreated, s)
}

// enrolStaff answers POST /v1/staff, as enrolKiosk.
func (h *enrolHandlers) enrolStaff(w http.ResponseWriter, r *http.Request, p filing.Principal) error {
	var req enrol.StaffRequest
	if err := api.ReadJSON(w, r, &req, false); err != nil {
		return err
	}
	svc, err := h.service()
	if err != nil {
		return err
	}
	req.Base = h.srv.BaseURL(r)
	s, err := svc.EnrolStaff(r.Context(), p, req)
	if err != nil {
		return err
	}
	return api.WriteJSON(w, http.StatusCreated, s)
}

// setup answers POST /v1/kiosks/setup and /v1/staff/setup {"code"}: 200 {"token","expiresAt"},
// or 410 setup_code_invalid.
func (h *enrolHandlers) setup(kind string) func(http.ResponseWriter, *http.Request, filing.Principal) error {
	return func(w http.ResponseWriter, r *http.Request, _ filing.Principal) error {
		var req struct {
			Code string `json:"code"`
		}
		if err := api.ReadJSON(w, r, &req, false); err != nil {
			return err
		}
		w.Header().Set("Cache-Control", "no-store")
		svc, err := h.service()
		if err != nil {
			return err
		}
		tok, err := svc.Exchange(r.Context(), kind, req.Code)
		if err != nil {
			return err
		}
		return api.WriteJSON(w, http.StatusOK, tok)
	}
}

// renew answers POST /v1/kiosks/renew and /v1/staff/renew: a fresh token for the caller.
func (h *enrolHandlers) renew(w http.ResponseWriter, r *http.Request, p filing.Principal) error {
	svc, err := h.service()
	if err != nil {
		return err
	}
	tok, err := svc.Renew(r.Context(), p)
	if err != nil {
		return err
	}
	return api.WriteJSON(w, http.StatusOK, tok)
}

// revoke answers POST /v1/kiosks/{id}/revoke and /v1/staff/{id}/revoke: 200 with the enrolee.
func (h *enrolHandlers) revoke(kind string) func(http.ResponseWriter, *http.Request, filing.Principal) error {
	return func(w http.ResponseWriter, r *http.Request, p filing.Principal) error {
		svc, err := h.service()
		if err != nil {
			return err
		}
		e, err := svc.Revoke(r.Context(), p, kind, r.PathValue("id"))
		if err != nil {
			return err
		}
		return api.WriteJSON(w, http.StatusOK, e)
	}
}

// list answers GET /v1/kiosks and GET /v1/staff: {"items":[…]}, oldest first, with each one's
// lastSeenAt and revoked.
func (h *enrolHandlers) list(kind string) func(http.ResponseWriter, *http.Request, filing.Principal) error {
	return func(w http.ResponseWriter, r *http.Request, p filing.Principal) error {
		svc, err := h.service()
		if err != nil {
			return err
		}
		es, err := svc.List(r.Context(), p, kind)
		if err != nil {
			return err
		}
		return api.WriteJSON(w, http.StatusOK, map[string]any{"items": es})
	}
}

// directory answers GET /v1/exhibitors: {"items":[…]}, by id, the configuration's entries and
// those put over the API (each with its source).
func (h *enrolHandlers) directory(w http.ResponseWriter, r *http.Request, p filing.Principal) error {
	svc, err := h.service()
	if err != nil {
		return err
	}
	dir, err := svc.Directory(r.Context(), p)
	if err != nil {
		return err
	}
	return api.WriteJSON(w, http.StatusOK, map[string]any{"items": dir})
}

// putExhibitor answers PUT /v1/exhibitors/{id}: 200 with the entry as the directory now shows
// it, or 422 with the problems.
func (h *enrolHandlers) putExhibitor(w http.ResponseWriter, r *http.Request, p filing.Principal) error {
	var req filing.ExhibitorRequest
	if err := api.ReadJSON(w, r, &req, false); err != nil {
		return err
	}
	svc, err := h.service()
	if err != nil {
		return err
	}
	e, err := svc.PutExhibitor(r.Context(), p, r.PathValue("id"), req)
	if err != nil {
		return err
	}
	return api.WriteJSON(w, http.StatusOK, e)
}

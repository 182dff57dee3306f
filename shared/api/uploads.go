package api

import (
	"net/http"
	"strings"

	"github.com/ipfast/ipfast/shared/filing"
	"github.com/ipfast/ipfast/shared/intake"
	"github.com/ipfast/ipfast/shared/validate"
)

func (s *Server) createUpload(w http.ResponseWriter, r *http.Request, p filing.Principal) error {
	var req intake.UploadRequest
	body, err := readBody(w, r)
	if err != nil {
		return err
	}
	if err := validate.DecodeInto(body, &req); err != nil {
		return err
	}
	slot, err := s.Intake.CreateUpload(r.Context(), p, req)
	if err != nil {
		return err
	}
	slot.Upload.URL = s.absolute(r, slot.Upload.URL)
	w.Header().Set("Cache-Control", "no-store")
	return writeJSON(w, http.StatusCreated, slot)
}

func (s *Server) download(w http.ResponseWriter, r *http.Request, p filing.Principal) error {
	download := s.Review.Download
	if p.Role == filing.RoleKiosk {
		download = s.Intake.Download
	}
	d, err := download(r.Context(), p, r.PathValue("id"), r.PathValue("attachment"))
	if err != nil {
		return err
	}
	d.URL = s.absolute(r, d.URL)
	w.Header().Set("Cache-Control", "no-store")
	return writeJSON(w, http.StatusOK, d)
}

// absolute makes a link the local blob store gives relative to the server ("/blobs?…")
// absolute, with the base URL the client reached the API at; S3's links are absolute already.
func (s *Server) absolute(r *http.Request, link string) string {
	if strings.HasPrefix(link, "/") {
		return s.baseURL(r) + link
	}
	return link
}

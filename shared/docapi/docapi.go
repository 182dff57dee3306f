// Package docapi is the HTTP glue of the exhibition display certificates (SPEC §12): exhibits,
// certificates, their verification and the public keys, as a route group of the API
// (api.Server.Extra locally; the documents function in AWS mounts it alone, so the API function
// links none of it).
package docapi

import (
	"context"
	"net/http"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/ipfast/ipfast/shared/certs"
	"github.com/ipfast/ipfast/shared/secrets"

	"github.com/ipfast/ipfast/shared/api"
	"github.com/ipfast/ipfast/shared/exhibits"
	"github.com/ipfast/ipfast/shared/filing"
)

var (
	recorders = []string{filing.RoleKiosk, filing.RoleOfficer, filing.RoleSupervisor}
	officers  = []string{filing.RoleOfficer, filing.RoleSupervisor}
)

// Routes are the certificates' routes on svc, served by srv (for its base address).
func Routes(srv *api.Server, svc *exhibits.Service) []api.Route {
	h := handlers{srv: srv, svc: svc}
	return []api.Route{
		{Method: "POST", Pattern: "/v1/exhibits", Roles: recorders, Handle: h.record},
		{Method: "GET", Pattern: "/v1/exhibits/{id}", Roles: recorders, Handle: h.exhibit},
		{Method: "POST", Pattern: "/v1/exhibits/{id}/confirm", Roles: officers, Handle: h.confirm},
		{Method: "POST", Pattern: "/v1/exhibits/{id}/certificate", Roles: officers, Handle: h.issue},
		{Method: "GET", Pattern: "/v1/certificates", Roles: recorders, Handle: h.list},
		{Method: "GET", Pattern: "/v1/certificates/{id}", Handle: h.certificate},
		{Method: "POST", Pattern: "/v1/certificates/verify", Handle: h.verify},
		{Method: "POST", Pattern: "/v1/certificates/{id}/revoke", Roles: []string{filing.RoleSupervisor}, Handle: h.revoke},
		{Method: "GET", Pattern: "/v1/keys", Handle: h.keys},
	}
}

type handlers struct {
	srv *api.Server
	svc *exhibits.Service
}

func (h handlers) record(w http.ResponseWriter, r *http.Request, p filing.Principal) error {
	var req filing.ExhibitRequest
	if err := api.ReadJSON(w, r, &req, false); err != nil {
		return err
	}
	e, err := h.svc.Record(r.Context(), p, &req)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/v1/exhibits/"+e.ID)
	return api.WriteJSON(w, http.StatusCreated, e)
}

func (h handlers) exhibit(w http.ResponseWriter, r *http.Request, p filing.Principal) error {
	e, err := h.svc.GetExhibit(r.Context(), p, r.PathValue("id"))
	if err != nil {
		return err
	}
	return api.WriteJSON(w, http.StatusOK, e)
}

func (h handlers) confirm(w http.ResponseWriter, r *http.Request, p filing.Principal) error {
	e, err := h.svc.Confirm(r.Context(), p, r.PathValue("id"))
	if err != nil {
		return err
	}
	return api.WriteJSON(w, http.StatusOK, e)
}

func (h handlers) issue(w http.ResponseWriter, r *http.Request, p filing.Principal) error {
	c, err := h.svc.Issue(r.Context(), p, r.PathValue("id"), h.srv.BaseURL(r))
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/v1/certificates/"+c.ID)
	return api.WriteJSON(w, http.StatusCreated, c)
}

func (h handlers) list(w http.ResponseWriter, r *http.Request, p filing.Principal) error {
	items, err := h.svc.List(r.Context(), p, r.URL.Query().Get("exhibitor"))
	if err != nil {
		return err
	}
	return api.WriteJSON(w, http.StatusOK, map[string]any{"items": items})
}

// certificate is GET /v1/certificates/{id}: public, the certificate with "valid".
func (h handlers) certificate(w http.ResponseWriter, r *http.Request, _ filing.Principal) error {
	v, err := h.svc.Certificate(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-cache") // a revocation shows at once
	return api.WriteJSON(w, http.StatusOK, view(v))
}

// certificateView is a certificate as the public reads it: its fields, "valid" and why not.
type certificateView struct {
	filing.Certificate
	Valid  bool   `json:"valid"`
	Reason string `json:"reason,omitempty"`
}

func view(v exhibits.Verdict) certificateView {
	return certificateView{Certificate: *v.Certificate, Valid: v.Valid, Reason: v.Reason}
}

func (h handlers) verify(w http.ResponseWriter, r *http.Request, _ filing.Principal) error {
	var req exhibits.VerifyRequest
	if err := api.ReadJSON(w, r, &req, false); err != nil {
		return err
	}
	v, err := h.svc.Verify(r.Context(), req)
	if err != nil {
		return err
	}
	return api.WriteJSON(w, http.StatusOK, v)
}

func (h handlers) revoke(w http.ResponseWriter, r *http.Request, p filing.Principal) error {
	var b struct {
		Reason string `json:"reason"`
	}
	if err := api.ReadJSON(w, r, &b, false); err != nil {
		return err
	}
	c, err := h.svc.Revoke(r.Context(), p, r.PathValue("id"), b.Reason)
	if err != nil {
		return err
	}
	return api.WriteJSON(w, http.StatusOK, c)
}

func (h handlers) keys(w http.ResponseWriter, r *http.Request, _ filing.Principal) error {
	w.Header().Set("Cache-Control", "public, max-age=300")
	return api.WriteJSON(w, http.StatusOK, map[string]any{"keys": h.svc.PublicKeys()})
}

// The environment variables of the certificates' signing keys in AWS (SPEC §12): a keyring
// (docs/certificates.md) or the {"seed"} template.yaml generates.
const (
	EnvCertificateKeysARN = "IPFAST_CERTIFICATE_KEYS_ARN" // the Secrets Manager secret
	EnvCertificateKeys    = "IPFAST_CERTIFICATE_KEYS"     // the value itself: tests only
)

// Secrets are the AWS deployment's token secret and certificate keys: the secrets
// IPFAST_TOKEN_SECRET_ARN and IPFAST_CERTIFICATE_KEYS_ARN name (IPFAST_TOKEN_SECRET and
// IPFAST_CERTIFICATE_KEYS in tests), the keys read as certs.FromSecret reads them.
func Secrets(ctx context.Context, cfg aws.Config) ([]byte, *certs.Keyring, error) {
	token, err := secrets.TokenSecret(ctx, cfg)
	if err != nil {
		return nil, nil, err
	}
	value, made := os.Getenv(EnvCertificateKeys), time.Time{}
	if value == "" {
		if value, made, err = secrets.Read(ctx, cfg, os.Getenv(EnvCertificateKeysARN)); err != nil {
			return nil, nil, err
		}
	}
	keys, err := certs.FromSecret(value, made)
	return token, keys, err
}

package docapi

import (
	"context"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ipfast/ipfast/shared/api"
	"github.com/ipfast/ipfast/shared/export"
	"github.com/ipfast/ipfast/shared/filing"
)

// Exports are the routes of the exports for the IP office (SPEC §13) and of the audit log they
// write to: GET /v1/exports/filings (examiners without personal data, supervisors whole) and
// GET /v1/audit (supervisors).
func Exports(srv *api.Server) []api.Route {
	h := handlers{srv: srv}
	return []api.Route{
		{Method: "GET", Pattern: "/v1/exports/filings", Roles: []string{filing.RoleExaminer, filing.RoleSupervisor}, Handle: h.export},
		{Method: "GET", Pattern: "/v1/audit", Roles: []string{filing.RoleSupervisor}, Handle: h.audit},
	}
}

// auditLog is the store's audit log (every store of ipfast keeps one).
func (h handlers) auditLog() filing.AuditLog {
	l, _ := h.srv.Intake.Store.(filing.AuditLog)
	return l
}

// export streams the expo's filings the query selects in format (csv, the default; xlsx;
// st96), then records the export in the audit log: who, when, the filter and the count.
func (h handlers) export(w http.ResponseWriter, r *http.Request, p filing.Principal) error {
	qv := r.URL.Query()
	format := qv.Get("format")
	if format == "" {
		format = export.CSV
	}
	if !slices.Contains(export.Formats, format) {
		return api.BadParam("format", "invalid_enum", "unknown format "+strconv.Quote(format), strings.Join(export.Formats, ", "))
	}
	q := filing.SearchQuery{State: filing.State(qv.Get("state")), Queue: qv.Get("queue"), From: qv.Get("from"), To: qv.Get("to")}
	if q.State != "" && !q.State.Valid() {
		return api.BadParam("state", "invalid_enum", "unknown state "+strconv.Quote(string(q.State)), "")
	}
	for _, d := range []struct{ name, v string }{{"from", q.From}, {"to", q.To}} {
		if _, err := time.Parse(time.DateOnly, d.v); d.v != "" && err != nil {
			return api.BadParam(d.name, "invalid_format", d.name+" must be a date (YYYY-MM-DD)", "")
		}
	}
	x, err := h.srv.Intake.Expo.Serving(p.Expo)
	if err != nil {
		return err
	}
	// Every filing once, a page at a time (review.Service.Export).
	src := func(ctx context.Context, kind string, each func(filing.Filing) error) (int, error) {
		k := q
		k.Kind = kind
		return h.srv.Review.Export(ctx, p, k, each)
	}
	ctype, ext := export.ContentType(format)
	now := h.srv.Intake.Clock.Now()
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", `attachment; filename="`+x.ID+"-filings-"+x.Local(now).Format("20060102-1504")+ext+`"`)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	n, err := export.Write(r.Context(), w, format, x, src)
	if err != nil {
		// Part of the export may have gone out: the client sees a cut file; the log says why.
		slog.ErrorContext(r.Context(), "export", "format", format, "filings", n, "error", err.Error())
		return nil
	}
	filter := map[string]string{"format": format}
	for k, v := range map[string]string{"state": string(q.State), "queue": q.Queue, "from": q.From, "to": q.To} {
		if v != "" {
			filter[k] = v
		}
	}
	if l := h.auditLog(); l != nil {
		// The id orders the log: from the real clock (the expo's may be set back for a demo).
		e := filing.AuditEntry{ID: filing.NewID("aud_", time.Now()), Expo: x.ID, At: x.Local(now).Format(time.RFC3339), Actor: p.Subject,
			Role: p.Role, Action: "export", Filter: filter, Count: n}
		if err := l.AppendAudit(context.WithoutCancel(r.Context()), e); err != nil {
			slog.ErrorContext(r.Context(), "export not audited", "error", err.Error(), "actor", p.Subject, "filings", n)
		}
	}
	return nil
}

// audit is GET /v1/audit: the expo's audit log, newest first (limit 1–1000, default 100).
func (h handlers) audit(w http.ResponseWriter, r *http.Request, p filing.Principal) error {
	limit := 100
	if l := r.URL.Query().Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 1000 {
			return api.BadParam("limit", "invalid_format", "limit must be 1 to 1000", "")
		}
		limit = n
	}
	x, err := h.srv.Intake.Expo.Serving(p.Expo)
	if err != nil {
		return err
	}
	items := []filing.AuditEntry{}
	if l := h.auditLog(); l != nil {
		if items, err = l.AuditTrail(r.Context(), x.ID, limit); err != nil {
			return err
		}
	}
	return api.WriteJSON(w, http.StatusOK, map[string]any{"items": items})
}

package api

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/ipfast/ipfast/shared/filing"
	"github.com/ipfast/ipfast/shared/validate"
)

// statusOf is the one table that maps error kinds to HTTP statuses.
var statusOf = map[filing.Kind]int{
	filing.Invalid:       http.StatusUnprocessableEntity,
	filing.Malformed:     http.StatusBadRequest,
	filing.TooLarge:      http.StatusRequestEntityTooLarge,
	filing.Unsupported:   http.StatusUnsupportedMediaType,
	filing.Unauthorized:  http.StatusUnauthorized,
	filing.Forbidden:     http.StatusForbidden,
	filing.NotFound:      http.StatusNotFound,
	filing.Conflict:      http.StatusConflict,
	filing.RateLimited:   http.StatusTooManyRequests,
	filing.NotAcceptable: http.StatusNotAcceptable,
	filing.Gone:          http.StatusGone,
}

var titles = map[int]string{
	400: "Bad request", 401: "Unauthorized", 403: "Forbidden", 404: "Not found",
	405: "Method not allowed", 406: "Not acceptable", 409: "Conflict", 410: "Gone", 413: "Request body too large",
	415: "Unsupported media type", 422: "Validation failed", 429: "Too many requests",
}

// Problem is an RFC 9457 problem document as ipfast sends it.
type Problem struct {
	Type      string           `json:"type"`
	Title     string           `json:"title"`
	Status    int              `json:"status"`
	Code      string           `json:"code,omitempty"`
	Detail    string           `json:"detail,omitempty"`
	Errors    []filing.Problem `json:"errors,omitempty"`
	RequestID string           `json:"requestId,omitempty"`
	// Fees and Warnings extend the 422 of POST /v1/validate: the kiosk shows the running fee
	// total and the warnings while problems remain.
	Fees     *filing.Fees     `json:"fees,omitempty"`
	Warnings []filing.Problem `json:"warnings,omitempty"`
}

const problemBase = "https://ipfast.dev/problems/"

// writeError answers err as problem+json. Anything that is not a *filing.Error with a client
// kind is an internal error: logged with the request id, answered with nothing but a title and
// that id.
func writeError(w http.ResponseWriter, r *http.Request, err error, extend ...func(*Problem)) {
	rid := w.Header().Get("X-Request-Id")
	var fe *filing.Error
	status := 0
	if errors.As(err, &fe) {
		status = statusOf[fe.Kind]
	}
	if status == 0 {
		logger(r).Error("internal error", "request_id", rid, "error", err.Error())
		w.Header().Set("Content-Type", "application/problem+json")
		w.WriteHeader(http.StatusInternalServerError)
		_ = json.NewEncoder(w).Encode(struct {
			Title     string `json:"title"`
			RequestID string `json:"requestId"`
		}{"Internal error", rid})
		return
	}
	if status == http.StatusTooManyRequests && w.Header().Get("Retry-After") == "" {
		// The upload quota frees up as filings use uploads: look again in a minute.
		w.Header().Set("Retry-After", "60")
	}
	p := Problem{Status: status, Title: titles[status], Code: fe.Code, Detail: fe.Message,
		Errors: fe.Problems, RequestID: rid}
	switch {
	case status == http.StatusUnprocessableEntity && fe.Code == "validation":
		// Every problem carries a code at the top level (SPEC §3); a validation answer's is
		// "validation", its problems' own codes are in errors[].
		p.Type = problemBase + "validation"
		p.Code = "validation"
		if p.Detail == "" {
			p.Detail = strconv.Itoa(len(fe.Problems)) + " problems"
		}
		for _, x := range extend {
			x(&p)
		}
	default:
		p.Type = problemBase + fe.Code
		if len(p.Errors) == 0 {
			e := validate.NewProblem("", fe.Code, "")
			if fe.Message != "" {
				e.Message = fe.Message // the specific English detail; Chinese from the code
			}
			p.Errors = []filing.Problem{e}
		}
	}
	writeProblem(w, p)
}

func writeProblem(w http.ResponseWriter, p Problem) {
	if p.RequestID == "" {
		p.RequestID = w.Header().Get("X-Request-Id")
	}
	if p.Title == "" {
		p.Title = titles[p.Status]
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(p.Status)
	_ = json.NewEncoder(w).Encode(p)
}

func logger(r *http.Request) *slog.Logger {
	if l, ok := r.Context().Value(loggerKey{}).(*slog.Logger); ok {
		return l
	}
	return slog.Default()
}

type loggerKey struct{}

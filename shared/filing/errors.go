// Package filing is the domain of ipfast: what a filing is, the states it moves through, the
// expo it is filed at (dates, office calendar, exhibitions, fees, routing), and the ports
// (Store, Queue, Clock) through which the rest of the system keeps and routes filings. It knows
// nothing of HTTP, JSON transport details or AWS; adapters and handlers wrap it.
package filing

import (
	"errors"
	"fmt"
)

// Kind classifies an error so that each edge (HTTP, Lambda) maps it once, in one table.
type Kind int

// The error kinds. Only the HTTP layer turns them into status codes.
const (
	Internal      Kind = iota // a fault of ours; nothing about it reaches clients
	Invalid                   // the request is well-formed but breaks a rule (422)
	Malformed                 // the request cannot be read (400)
	TooLarge                  // the request body is over the limit (413)
	Unsupported               // the request is not JSON (415)
	Unauthorized              // no valid credentials (401)
	Forbidden                 // valid credentials, wrong role (403)
	NotFound                  // no such thing, or not yours (404)
	Conflict                  // a state, version or lease conflict (409)
	RateLimited               // too many requests (429)
	NotAcceptable             // no acceptable representation (406)
	Gone                      // a one-time thing already used or expired (410)
)

// Error is the one error type that crosses package boundaries with meaning for clients. Code
// is one of the stable codes of SPEC §3/§6; Problems lists every problem of a request at once.
type Error struct {
	Kind     Kind
	Code     string
	Message  string
	Problems []Problem
}

func (e *Error) Error() string {
	if e.Message != "" {
		return e.Code + ": " + e.Message
	}
	return e.Code
}

// Errorf builds an *Error with a formatted English message.
func Errorf(kind Kind, code, format string, args ...any) *Error {
	return &Error{Kind: kind, Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorKind returns the kind of err: the Kind of the first *Error in its chain, else Internal.
func ErrorKind(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return Internal
}

// ErrorCode returns the Code of the first *Error in err's chain, or "".
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

// Stable codes used outside validation.
const (
	CodeNotFound             = "not_found"
	CodeInvalidTransition    = "invalid_transition"
	CodeVersionConflict      = "version_conflict"
	CodeIdempotencyReused    = "idempotency_key_reused"
	CodeIdempotencyRequired  = "idempotency_key_required"
	CodeLeaseLost            = "lease_lost"
	CodeQueueNotFound        = "queue_not_found"
	CodeUnauthorized         = "unauthorized"
	CodeForbidden            = "forbidden"
	CodeMalformedJSON        = "malformed_json"
	CodeUnknownField         = "unknown_field"
	CodeBodyTooLarge         = "body_too_large"
	CodeUnsupportedMediaType = "unsupported_media_type"
	CodeInvalidEncoding      = "invalid_encoding"
	CodeDuplicateKey         = "duplicate_key"
	CodeRateLimited          = "rate_limited"
	CodeUploadQuota          = "upload_quota_exceeded"
)

// ErrNotFound is returned (wrapped) by stores for a filing that does not exist.
var ErrNotFound = &Error{Kind: NotFound, Code: CodeNotFound, Message: "filing not found"}

// Package api is ipfast's HTTP glue: the routes of SPEC §5, bearer-token authentication, body
// limits and strict JSON, problem+json errors (the one place where error kinds become status
// codes), request ids and one JSON log line per request. The local server mounts its Handler;
// the Lambda functions reach the same Handler through an API Gateway adapter.
package api

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/ipfast/ipfast/shared/auth"
	"github.com/ipfast/ipfast/shared/complaint"
	"github.com/ipfast/ipfast/shared/enrol"
	"github.com/ipfast/ipfast/shared/filing"
	"github.com/ipfast/ipfast/shared/intake"
	"github.com/ipfast/ipfast/shared/metrics"
	"github.com/ipfast/ipfast/shared/reference"
	"github.com/ipfast/ipfast/shared/review"
	"github.com/ipfast/ipfast/shared/validate"
)

// MaxBody is the largest request body accepted (SPEC §3).
const MaxBody = 256 << 10

// Server serves the ipfast API.
type Server struct {
	Intake *intake.Service // kiosks
	Review *review.Service // examiners and supervisors
	// Complaints is the complaint desk (SPEC §11); nil: its routes answer 404.
	Complaints *complaint.Service
	// Extra are more routes to serve beside the package's own (another package's route group).
	Extra    []Route
	Verifier *auth.Verifier
	Log      *slog.Logger
	// PublicURL is the base URL clients reach the API at, for the receipt's QR code; empty:
	// taken from each request's Host.
	PublicURL string
	// Metrics counts the calls answered 429 (nil: nothing).
	Metrics metrics.Recorder
	// Revocations refuses the tokens of revoked kiosks and staff (SPEC §18: 401
	// token_revoked); nil: none are.
	Revocations *enrol.Revocations

	// limiters are each expo's rate limiter (nil: that expo's limiting is off), made by
	// Handler; a caller is limited by its token's expo's limits, a caller without a valid
	// token by the default expo's.
	limiters map[string]*Limiter
}

// Route is one method and path of the API: who may call it (nil Roles: anyone, no token
// needed) and what handles it. A handler's error is written as problem+json.
type Route struct {
	Method  string
	Pattern string
	Roles   []string // nil: public
	Handle  func(w http.ResponseWriter, r *http.Request, p filing.Principal) error
}

var (
	kiosk     = []string{filing.RoleKiosk}
	examiners = []string{filing.RoleExaminer, filing.RoleSupervisor}
	anyone    = []string{filing.RoleKiosk, filing.RoleExaminer, filing.RoleSupervisor}
)

// coreRoutes are the routes of filings, uploads, review and the public data (SPEC §5). They
// are made by a method (not a package variable) so that a function that mounts only other
// routes (HandlerFor) does not link these handlers.
func (s *Server) coreRoutes() []Route {
	return []Route{
		{"POST", "/v1/filings", kiosk, s.submit},
		{"GET", "/v1/filings", anyone, s.list},
		{"POST", "/v1/validate", kiosk, s.validate},
		{"GET", "/v1/filings/{id}", anyone, s.get},
		{"GET", "/v1/filings/{id}/history", anyone, s.history},
		{"POST", "/v1/filings/{id}/withdraw", kiosk, s.withdraw},
		{"POST", "/v1/filings/{id}/amendments", kiosk, s.amend},
		{"POST", "/v1/uploads", complaintParties, s.createUpload},
		{"GET", "/v1/filings/{id}/attachments/{attachment}", anyone, s.download},
		{"GET", "/v1/queues", examiners, s.queues},
		{"GET", "/v1/stats", []string{filing.RoleSupervisor}, s.stats},
		{"POST", "/v1/queues/{name}/lease", examiners, s.lease},
		{"POST", "/v1/filings/{id}/extend", examiners, s.extend},
		{"POST", "/v1/filings/{id}/release", examiners, s.release},
		{"POST", "/v1/filings/{id}/decision", examiners, s.decision},
		{"POST", "/v1/filings/{id}/similar-marks", examiners, s.judgeSimilar},
		{"GET", "/v1/expo", nil, s.expo},
		{"GET", "/v1/expos", nil, s.expos},
		{"GET", "/v1/reference/nice", nil, s.nice},
		{"GET", "/v1/reference/locarno", nil, s.locarno},
		{"GET", "/v1/reference/countries", nil, s.countries},
		{"GET", "/v1/status/{token}", nil, s.status},
		{"GET", "/healthz", nil, s.healthz},
	}
}

// Routes lists every route of the API package (filings, review, public data and the complaint
// desk), as a Server with the complaint desk serves them.
func Routes() []Route {
	s := &Server{Complaints: &complaint.Service{}}
	return s.Routes()
}

// Routes lists the routes s serves: the core ones, the complaint desk's when it has one, and
// Extra.
func (s *Server) Routes() []Route {
	routes := s.coreRoutes()
	if s.Complaints != nil {
		routes = append(routes, s.complaintRoutes()...)
	}
	return append(routes, s.Extra...)
}

// Handler returns the API's http.Handler: every path of Routes, and problem+json 404/405 for
// the rest of /v1/.
func (s *Server) Handler() http.Handler { return s.HandlerFor(s.Routes()) }

// HandlerFor returns an http.Handler of the given routes only (with the API's authentication,
// limits, problems and logging), and problem+json 404/405 for the rest of /v1/: what a function
// that serves part of the API mounts.
func (s *Server) HandlerFor(list []Route) http.Handler {
	if s.Log == nil {
		s.Log = slog.Default()
	}
	s.limiters = map[string]*Limiter{}
	for _, x := range s.Intake.Expo.Expos() {
		s.limiters[x.ID] = NewLimiter(x.Limits)
	}
	mux := http.NewServeMux()
	byPath := map[string][]Route{}
	var paths []string
	for _, rt := range list {
		if byPath[rt.Pattern] == nil {
			paths = append(paths, rt.Pattern)
		}
		byPath[rt.Pattern] = append(byPath[rt.Pattern], rt)
	}
	for _, path := range paths {
		routes := byPath[path]
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			for _, rt := range routes {
				if rt.Method == r.Method || (rt.Method == "GET" && r.Method == "HEAD") {
					s.serve(w, r, rt)
					return
				}
			}
			allow := make([]string, 0, len(routes))
			for _, rt := range routes {
				allow = append(allow, rt.Method)
			}
			sort.Strings(allow)
			w.Header().Set("Allow", strings.Join(allow, ", "))
			// A routing answer, not a domain error: written here rather than through the kind table.
			e := validate.NewProblem("", "method_not_allowed", "")
			writeProblem(w, Problem{Type: problemBase + "method_not_allowed", Status: http.StatusMethodNotAllowed,
				Code: "method_not_allowed", Detail: r.Method + " is not allowed here; use " + strings.Join(allow, " or "),
				Errors: []filing.Problem{e}})
		})
	}
	mux.HandleFunc("/v1/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, r, filing.Errorf(filing.NotFound, filing.CodeNotFound, "no such resource"))
	})
	return s.middleware(mux)
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// middleware gives every response an X-Request-Id, turns panics into 500s, and logs one line
// per request (no bodies, no personal data).
func (s *Server) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rid := newRequestID()
		w.Header().Set("X-Request-Id", rid)
		w.Header().Set("X-Content-Type-Options", "nosniff")
		log := s.Log.With("request_id", rid)
		r = r.WithContext(context.WithValue(r.Context(), loggerKey{}, log))
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				log.Error("panic", "panic", v)
				if sw.status == 0 {
					writeError(sw, r, errors.New("panic"))
				}
			}
			log.InfoContext(r.Context(), "request", "method", r.Method, "path", r.URL.Path, "status", sw.status,
				"duration_ms", float64(time.Since(start).Microseconds())/1000)
		}()
		next.ServeHTTP(sw, r)
	})
}

func newRequestID() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// serve authenticates, rate-limits and authorises a call, then handles it. Calls with a valid
// token are limited per token subject, others (public routes, refused tokens) per client
// address. Answers to authenticated calls may hold personal data and are never cached.
func (s *Server) serve(w http.ResponseWriter, r *http.Request, rt Route) {
	var p filing.Principal
	tok := auth.BearerToken(r.Header.Get("Authorization"))
	var authErr error
	if tok != "" || rt.Roles != nil {
		p, authErr = s.Verifier.Verify(tok)
		if authErr == nil && s.Revocations != nil {
			if x, ok := s.Intake.Expo.Tenant(p.Expo); ok {
				authErr = s.Revocations.Check(r.Context(), x.ID, p)
			}
		}
	}
	key, lim := "addr "+clientAddress(r), s.limiters[s.Intake.Expo.ID]
	if authErr == nil && p.Subject != "" {
		key = "sub " + p.Subject
		if x, ok := s.Intake.Expo.Tenant(p.Expo); ok {
			lim = s.limiters[x.ID]
		}
	}
	if s.limited(w, r, lim, key) {
		return
	}
	if rt.Roles != nil {
		w.Header().Set("Cache-Control", "no-store")
		if authErr != nil {
			w.Header().Set("WWW-Authenticate", `Bearer realm="ipfast"`)
			writeError(w, r, authErr)
			return
		}
		allowed := false
		for _, role := range rt.Roles {
			allowed = allowed || role == p.Role
		}
		if !allowed {
			writeError(w, r, filing.Errorf(filing.Forbidden, filing.CodeForbidden,
				"the %s role may not call %s %s", p.Role, rt.Method, rt.Pattern))
			return
		}
		logger(r).Debug("caller", "sub", p.Subject, "role", p.Role)
	}
	if err := rt.Handle(w, r, p); err != nil {
		writeError(w, r, err)
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)+1))
	w.WriteHeader(status)
	_, err = w.Write(append(b, '\n'))
	return err
}

// readBody returns a JSON request body, refusing non-JSON (415) and bodies over MaxBody (413).
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	ct := r.Header.Get("Content-Type")
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil || (mt != "application/json" && !(strings.HasPrefix(mt, "application/") && strings.HasSuffix(mt, "+json"))) {
		return nil, filing.Errorf(filing.Unsupported, filing.CodeUnsupportedMediaType,
			"the body must be JSON (Content-Type: application/json), not %q", ct)
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return nil, filing.Errorf(filing.TooLarge, filing.CodeBodyTooLarge, "the body is over %d bytes", MaxBody)
	}
	if err != nil {
		return nil, filing.Errorf(filing.Malformed, filing.CodeMalformedJSON, "the body could not be read")
	}
	return body, nil
}

func readRequest(w http.ResponseWriter, r *http.Request) (*filing.Request, error) {
	body, err := readBody(w, r)
	if err != nil {
		return nil, err
	}
	return validate.Decode(body)
}

func (s *Server) submit(w http.ResponseWriter, r *http.Request, p filing.Principal) error {
	req, err := readRequest(w, r)
	if err != nil {
		return err
	}
	f, replayed, err := s.Intake.Submit(r.Context(), p, r.Header.Get("Idempotency-Key"), req)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/v1/filings/"+f.ID)
	if replayed {
		w.Header().Set("Idempotent-Replayed", "true")
	}
	return writeJSON(w, http.StatusCreated, s.linked(r, f))
}

func (s *Server) validate(w http.ResponseWriter, r *http.Request, p filing.Principal) error {
	req, err := readRequest(w, r)
	if err != nil {
		return err
	}
	a, err := s.Intake.Check(r.Context(), p, req)
	if err != nil {
		writeError(w, r, err, func(pr *Problem) { pr.Fees, pr.Warnings = &a.Fees, a.Warnings })
		return nil
	}
	return writeJSON(w, http.StatusOK, a)
}

// list is a kiosk's own filings, or an examiner's search of the expo's (SPEC §5).
func (s *Server) list(w http.ResponseWriter, r *http.Request, p filing.Principal) error {
	qv := r.URL.Query()
	var state filing.State
	if st := qv.Get("state"); st != "" {
		state = filing.State(st)
		if !state.Valid() {
			return bad("state", "invalid_enum", "unknown state "+strconv.Quote(st), statesList())
		}
	}
	limit, err := pageLimit(qv)
	if err != nil {
		return err
	}
	var page filing.Page
	if p.Role == filing.RoleKiosk {
		page, err = s.Intake.List(r.Context(), p, filing.ListQuery{State: state, Limit: limit, Cursor: qv.Get("cursor")})
	} else {
		q := filing.SearchQuery{Q: qv.Get("q"), State: state, Queue: qv.Get("queue"), Kind: qv.Get("kind"),
			From: qv.Get("from"), To: qv.Get("to"), Limit: limit, Cursor: qv.Get("cursor")}
		if len(q.Q) > 200 {
			return bad("q", "too_long", "q is longer than 200 bytes", "")
		}
		if q.Kind != "" && !slices.Contains(filing.SearchKinds, q.Kind) {
			return bad("kind", "invalid_enum", "unknown kind "+strconv.Quote(q.Kind), strings.Join(filing.SearchKinds, ", "))
		}
		for _, d := range []struct{ name, v string }{{"from", q.From}, {"to", q.To}} {
			if _, perr := time.Parse(time.DateOnly, d.v); d.v != "" && perr != nil {
				return bad(d.name, "invalid_format", d.name+" must be a date (YYYY-MM-DD)", "")
			}
		}
		page, err = s.Review.Search(r.Context(), p, q)
	}
	if err != nil {
		return err
	}
	for i := range page.Items {
		page.Items[i] = s.linked(r, page.Items[i])
	}
	return writeJSON(w, http.StatusOK, page)
}

// bad is a 400 for a query parameter, with the parameter as the problem's field.
func bad(param, code, msg, detail string) error {
	return &filing.Error{Kind: filing.Malformed, Code: code, Message: msg,
		Problems: []filing.Problem{validate.NewProblem(param, code, detail)}}
}

// pageLimit is a list's limit parameter: 1 to 100, 20 when not given.
func pageLimit(qv url.Values) (int, error) {
	l := qv.Get("limit")
	if l == "" {
		return 20, nil
	}
	n, err := strconv.Atoi(l)
	if err != nil || n < 1 || n > 100 {
		return 0, bad("limit", "invalid_format", "limit must be a whole number from 1 to 100", "")
	}
	return n, nil
}

func statesList() string {
	names := make([]string, len(filing.States))
	for i, st := range filing.States {
		names[i] = string(st)
	}
	return strings.Join(names, ", ")
}

// getFiling reads a filing through the caller's workstation: a kiosk its own, examiners any.
func (s *Server) getFiling(r *http.Request, p filing.Principal) (filing.Filing, error) {
	if p.Role == filing.RoleKiosk {
		return s.Intake.Get(r.Context(), p, r.PathValue("id"))
	}
	return s.Review.Get(r.Context(), p, r.PathValue("id"))
}

func (s *Server) get(w http.ResponseWriter, r *http.Request, p filing.Principal) error {
	f, err := s.getFiling(r, p)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, s.linked(r, f))
}

// linked is a filing view as clients get it: its status link (SPEC §5) absolute, with the
// server's base URL, and its follow-up deadlines.
func (s *Server) linked(r *http.Request, f filing.Filing) filing.Filing {
	if strings.HasPrefix(f.StatusURL, "/") {
		f.StatusURL = s.baseURL(r) + f.StatusURL
	}
	// Its follow-up deadlines (SPEC §12), under its own expo's calendar.
	x, ok := s.Intake.Expo.Tenant(f.Expo)
	if !ok {
		x = s.Intake.Expo
	}
	f.Deadlines = x.FollowUps(f)
	return f
}

// status is GET /v1/status/{token}: a filing's public status, for anyone with its link.
func (s *Server) status(w http.ResponseWriter, r *http.Request, _ filing.Principal) error {
	st, err := s.Intake.Status(r.Context(), r.PathValue("token"))
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("X-Robots-Tag", "noindex")
	return writeJSON(w, http.StatusOK, st)
}

// judgeSimilar is the lease holder's verdict on a similar filing (SPEC §15).
func (s *Server) judgeSimilar(w http.ResponseWriter, r *http.Request, p filing.Principal) error {
	var req review.SimilarRequest
	if err := ReadJSON(w, r, &req, false); err != nil {
		return err
	}
	f, err := s.Review.JudgeSimilar(r.Context(), p, r.PathValue("id"), req)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, s.linked(r, f))
}

func (s *Server) history(w http.ResponseWriter, r *http.Request, p filing.Principal) error {
	history := s.Review.History
	if p.Role == filing.RoleKiosk {
		history = s.Intake.History
	}
	evs, err := history(r.Context(), p, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, evs)
}

func (s *Server) amend(w http.ResponseWriter, r *http.Request, p filing.Principal) error {
	req, err := readRequest(w, r)
	if err != nil {
		return err
	}
	f, err := s.Intake.Amend(r.Context(), p, r.PathValue("id"), r.Header.Get("Idempotency-Key"), req)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, s.linked(r, f))
}

func (s *Server) withdraw(w http.ResponseWriter, r *http.Request, p filing.Principal) error {
	f, err := s.Intake.Withdraw(r.Context(), p, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, s.linked(r, f))
}

// expoView is the public expo configuration with the expo's clock: kiosks show today's filing
// date from it rather than from their own clock.
type expoView struct {
	*filing.Expo
	Now        string `json:"now"`
	FilingDate string `json:"filingDate"`
}

func (s *Server) viewOf(e *filing.Expo) expoView {
	now := s.Intake.Clock.Now().In(e.Location())
	return expoView{Expo: e, Now: now.Format(time.RFC3339), FilingDate: filing.DateOf(now).String()}
}

// expo is GET /v1/expo: the default expo, or with ?id= the expo of that id (404 if none).
func (s *Server) expo(w http.ResponseWriter, r *http.Request, p filing.Principal) error {
	id := r.URL.Query().Get("id")
	if id == "" {
		// With a valid token, the caller's own expo (its expo claim): a kiosk or console shows
		// the expo it works in. The answer depends on the token, so caches must not share it.
		w.Header().Set("Vary", "Authorization")
		id = p.Expo
	}
	if e, ok := s.Intake.Expo.Tenant(id); ok {
		return writeJSON(w, http.StatusOK, s.viewOf(e))
	}
	return filing.Errorf(filing.NotFound, filing.CodeNotFound, "no expo %q", id)
}

// expos is GET /v1/expos: every expo of the deployment, the default first.
func (s *Server) expos(w http.ResponseWriter, r *http.Request, _ filing.Principal) error {
	all := s.Intake.Expo.Expos()
	items := make([]expoView, len(all))
	for i, e := range all {
		items[i] = s.viewOf(e)
	}
	return writeJSON(w, http.StatusOK, map[string][]expoView{"items": items})
}

func (s *Server) nice(w http.ResponseWriter, r *http.Request, _ filing.Principal) error {
	return writeStatic(w, r, "nice", func() any { return reference.Nice })
}

func (s *Server) locarno(w http.ResponseWriter, r *http.Request, _ filing.Principal) error {
	return writeStatic(w, r, "locarno", func() any { return reference.Locarno })
}

func (s *Server) countries(w http.ResponseWriter, r *http.Request, _ filing.Principal) error {
	return writeStatic(w, r, "countries", func() any {
		return map[string][]reference.Country{"countries": reference.Countries(), "offices": reference.Offices}
	})
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request, _ filing.Principal) error {
	return writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// Backend is what a deployment's API runs on: the store of filings and complaints, the review
// queues and the attachments' blob store.
type Backend struct {
	Store interface {
		filing.Store
		filing.ComplaintStore
	}
	Queue filing.Queue
	Blobs filing.Blobs // nil: no uploads
	Clock filing.Clock // nil: the system clock
	// Metrics is where the services' figures go (nil: nowhere).
	Metrics metrics.Recorder
	// EnrolmentMaxStale is how long a process may go on trusting what the store last said of
	// enrolment (SPEC §18): an enrolee's revocation, and the exhibitor directory the complaint
	// desk reads. 0 asks the store every time (serve); the AWS functions take
	// cloud.EnrolmentMaxStale.
	EnrolmentMaxStale time.Duration
}

// NewServer composes the workstations of a deployment (intake, review, complaint desk) on b:
// the one composition that `ipfast serve` and the API function share.
func NewServer(expo *filing.Expo, b Backend, v *auth.Verifier, log *slog.Logger, publicURL string) *Server {
	in, rv := intake.New(expo, b.Store, b.Clock), review.New(expo, b.Store, b.Queue, b.Clock)
	in.Blobs, rv.Blobs = b.Blobs, b.Blobs
	in.Metrics, rv.Metrics = b.Metrics, b.Metrics
	s := &Server{Intake: in, Review: rv, Complaints: complaint.New(expo, b.Store, in, b.Clock), Verifier: v, Log: log, PublicURL: publicURL,
		Metrics: b.Metrics}
	if es, ok := b.Store.(filing.EnrolmentStore); ok {
		s.Revocations = &enrol.Revocations{Store: es, Clock: b.Clock, MaxStale: b.EnrolmentMaxStale}
		if b.EnrolmentMaxStale > 0 {
			s.Complaints.Directory = &filing.DirectoryCache{Dir: es, Clock: b.Clock, MaxStale: b.EnrolmentMaxStale}
		}
	}
	return s
}

// WriteJSON writes v as a JSON answer with status (for route groups of other packages).
func WriteJSON(w http.ResponseWriter, status int, v any) error { return writeJSON(w, status, v) }

// ReadJSON decodes a JSON request body strictly into v, as every route of the API does (415,
// 413, 400 with the strict decoder's codes); with optional, a call without a body leaves v as
// it is.
func ReadJSON(w http.ResponseWriter, r *http.Request, v any, optional bool) error {
	return readInto(w, r, v, optional)
}

// BaseURL is the address clients reach the server at (PublicURL, else the request's host).
func (s *Server) BaseURL(r *http.Request) string { return s.baseURL(r) }

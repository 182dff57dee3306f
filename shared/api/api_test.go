package api_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/ipfast/ipfast/shared/api"
	"github.com/ipfast/ipfast/shared/auth"
	"github.com/ipfast/ipfast/shared/complaint"
	"github.com/ipfast/ipfast/shared/docapi"
	"github.com/ipfast/ipfast/shared/embedded"
	"github.com/ipfast/ipfast/shared/filing"
	"github.com/ipfast/ipfast/shared/intake"
	"github.com/ipfast/ipfast/shared/review"
)

var secret = []byte("test-secret-0123456789")

type env struct {
	t     testing.TB
	srv   *httptest.Server
	clock *filing.ManualClock
	db    *embedded.DB
	svc   *intake.Service
}

// during the expo: Tuesday 23 June 2026, 10:00 in Beijing.
const expoMorning = "2026-06-23T02:00:00Z"

func newEnv(t testing.TB) *env {
	t.Helper()
	c, db := newClockAndDB(t)
	return newEnvWith(t, c, db, db, nil)
}

// newClockAndDB is a manual clock set to the expo's morning and an embedded DB that uses it.
func newClockAndDB(t testing.TB) (*filing.ManualClock, *embedded.DB) {
	t.Helper()
	c := &filing.ManualClock{}
	c.Set(expoMorning)
	db, err := embedded.Open(filepath.Join(t.TempDir(), "ipfast.db"), embedded.Options{Queues: filing.DefaultExpo().AllQueues(), Clock: c})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return c, db
}

// newEnvWith serves the API on store; with files, also the local blob store at /blobs, as
// `ipfast serve` does.
func newEnvWith(t testing.TB, c *filing.ManualClock, db *embedded.DB, store filing.Store, files *embedded.Files) *env {
	return newEnvLimited(t, c, db, store, files, filing.Limits{})
}

// newEnvLimited is newEnvWith under the given rate limits (the zero Limits: none; the other
// tests send as fast as they can from one token).
func newEnvLimited(t testing.TB, c *filing.ManualClock, db *embedded.DB, store filing.Store, files *embedded.Files, l filing.Limits) *env {
	expo := filing.DefaultExpo()
	q := expo.Limits
	expo.Limits = l
	if l.UploadsPending == 0 {
		expo.Limits.UploadsPending, expo.Limits.UploadBytesPending = q.UploadsPending, q.UploadBytesPending
	}
	svc := intake.New(expo, store, c)
	rv := review.New(expo, store, db, c)
	mux := http.NewServeMux()
	if files != nil {
		svc.Blobs, rv.Blobs = files, files
		mux.Handle("/blobs", files.Handler())
	}
	s := &api.Server{Intake: svc, Review: rv, Complaints: complaint.New(expo, db, svc, c), Verifier: auth.NewVerifier(secret, c.Now),
		Log: slog.New(slog.NewJSONHandler(io.Discard, nil))}
	s.Extra = docapi.Receipts(s) // the receipt is the documents function's
	mux.Handle("/", s.Handler())
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return &env{t: t, srv: srv, clock: c, db: db, svc: svc}
}

func (e *env) token(p filing.Principal) string {
	e.t.Helper()
	tok, err := auth.Sign(secret, p, e.clock.Now(), 48*time.Hour)
	if err != nil {
		e.t.Fatal(err)
	}
	return tok
}

func (e *env) kiosk(exhibitor string) string {
	return e.token(filing.Principal{Subject: "kiosk-" + exhibitor, Role: "kiosk", Exhibitor: exhibitor, Booth: "1A-101"})
}

func (e *env) examiner() string {
	return e.token(filing.Principal{Subject: "examiner-1", Role: "examiner"})
}

func (e *env) examinerNamed(name string) string {
	return e.token(filing.Principal{Subject: name, Role: "examiner"})
}

type resp struct {
	status int
	header http.Header
	body   []byte
}

func (r resp) json(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("response %d is not JSON: %v: %s", r.status, err, r.body)
	}
}

func (r resp) problem(t testing.TB) api.Problem {
	t.Helper()
	var p api.Problem
	r.json(t, &p)
	if ct := r.header.Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("error Content-Type %q", ct)
	}
	return p
}

func (e *env) do(method, path, token string, body string, headers ...string) resp {
	e.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, e.srv.URL+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.Header.Get("X-Request-Id") == "" {
		e.t.Errorf("%s %s: no X-Request-Id", method, path)
	}
	if res.Header.Get("X-Content-Type-Options") != "nosniff" {
		e.t.Errorf("%s %s: no X-Content-Type-Options: nosniff", method, path)
	}
	if token != "" && path != "/healthz" && !strings.HasPrefix(path, "/v1/expo") && !strings.HasPrefix(path, "/v1/reference/") &&
		res.StatusCode/100 == 2 && res.Header.Get("Cache-Control") != "no-store" {
		e.t.Errorf("%s %s: %d without Cache-Control: no-store", method, path, res.StatusCode)
	}
	return resp{res.StatusCode, res.Header, b}
}

func (e *env) submit(token, key, body string) resp {
	return e.do("POST", "/v1/filings", token, body, "Idempotency-Key", key)
}

func (e *env) mustFile(token, key, body string) filing.Filing {
	e.t.Helper()
	r := e.submit(token, key, body)
	if r.status != http.StatusCreated {
		e.t.Fatalf("submit: %d %s", r.status, r.body)
	}
	var f filing.Filing
	r.json(e.t, &f)
	return f
}

const trademark = `{"kind":"trademark",
 "trademark":{"markType":"word","markText":"CATL","classes":[{"class":9,"terms":["Batteries, electric"]}]},
 "applicants":[{"name":"CATL","kind":"organization","nationality":"CN","domicile":"CN","address":"Ningde","idNumber":"91350900587527783P"}],
 "contact":{"name":"Li Wei","email":"li.wei@example.com","phone":"+86 138 0000 1234"},"language":"zh"}`

func withMark(text string) string {
	return strings.Replace(trademark, `"CATL","classes"`, `"`+text+`","classes"`, 1)
}

func TestSubmitAndRead(t *testing.T) {
	e := newEnv(t)
	tok := e.kiosk("EX-0001")
	r := e.submit(tok, "key-1", trademark)
	if r.status != 201 || r.header.Get("Location") == "" {
		t.Fatalf("submit: %d %s", r.status, r.body)
	}
	var f filing.Filing
	r.json(t, &f)
	if f.FilingNumber != "CISCE2026-TM-000001" || f.State != "queued" || f.FiledAt != "2026-06-23T10:00:00+08:00" ||
		f.FilingDate != "2026-06-23" || f.Exhibitor != "EX-0001" || f.Booth != "1A-101" || f.Queue != "trademark" ||
		f.Version != 1 || f.Fees.Total != 300 || f.Fees.Currency != "CNY" || f.Trademark.MarkText != "CATL" {
		t.Errorf("filing = %+v", f)
	}
	if r.header.Get("Location") != "/v1/filings/"+f.ID {
		t.Errorf("Location %q", r.header.Get("Location"))
	}
	g := e.do("GET", "/v1/filings/"+f.ID, tok, "")
	var got filing.Filing
	g.json(t, &got)
	if g.status != 200 || got.ID != f.ID || got.Applicants[0].IDNumber != "91350900587527783P" {
		t.Errorf("GET by owner: %d %+v", g.status, got)
	}
	h := e.do("GET", "/v1/filings/"+f.ID+"/history", tok, "")
	var evs []filing.Event
	h.json(t, &evs)
	if h.status != 200 || len(evs) != 1 || evs[0].Action != "filed" || evs[0].ToState != "queued" || evs[0].Actor != "kiosk-EX-0001" {
		t.Errorf("history: %d %+v", h.status, evs)
	}
	// The filing is in its review queue.
	d, ok, err := e.db.Receive(context.Background(), filing.ExpoQueue(f.Expo, "trademark"), time.Minute, 0)
	if err != nil || !ok || d.FilingID != f.ID {
		t.Errorf("not routed: %+v %v %v", d, ok, err)
	}
}

func TestIdempotency(t *testing.T) {
	e := newEnv(t)
	tok := e.kiosk("EX-0001")
	const n = 32
	var wg sync.WaitGroup
	results := make([]resp, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			results[i] = e.submit(tok, "draft-42", trademark)
		}(i)
	}
	wg.Wait()
	var first filing.Filing
	results[0].json(t, &first)
	fresh := 0
	for i, r := range results {
		var f filing.Filing
		r.json(t, &f)
		if r.status != 201 || f.ID != first.ID || f.FilingNumber != "CISCE2026-TM-000001" {
			t.Errorf("duplicate %d: %d %s %s", i, r.status, f.ID, f.FilingNumber)
		}
		if r.header.Get("Idempotent-Replayed") == "" {
			fresh++
		}
	}
	if fresh != 1 {
		t.Errorf("%d responses claim to have created the filing, want 1", fresh)
	}
	var page filing.Page
	e.do("GET", "/v1/filings", tok, "").json(t, &page)
	if len(page.Items) != 1 {
		t.Errorf("%d filings after %d concurrent duplicates, want 1", len(page.Items), n)
	}
	// The same body with other whitespace and key order is the same body.
	var v map[string]any
	_ = json.Unmarshal([]byte(trademark), &v)
	reordered, _ := json.MarshalIndent(v, "", "    ")
	if r := e.submit(tok, "draft-42", string(reordered)); r.status != 201 {
		t.Errorf("same content re-encoded: %d %s", r.status, r.body)
	}
	r := e.submit(tok, "draft-42", withMark("CATL2"))
	if p := r.problem(t); r.status != 422 || p.Code != "idempotency_key_reused" || len(p.Errors) != 1 {
		t.Errorf("same key, other body: %d %s", r.status, r.body)
	}
	// An invalid body under a used key is still a reused key, not a validation error.
	r = e.submit(tok, "draft-42", strings.Replace(trademark, `"class":9`, `"class":99`, 1))
	if p := r.problem(t); r.status != 422 || p.Code != "idempotency_key_reused" {
		t.Errorf("same key, invalid other body: %d %s", r.status, r.body)
	}
	for _, key := range []string{"", strings.Repeat("k", 129)} {
		r := e.do("POST", "/v1/filings", tok, trademark, "Idempotency-Key", key)
		if p := r.problem(t); r.status != 400 || p.Code != "idempotency_key_required" {
			t.Errorf("key %q: %d %s", key, r.status, r.body)
		}
	}
	// Keys are per exhibitor: another exhibitor's equal key files its own filing.
	other := e.mustFile(e.kiosk("EX-0002"), "draft-42", trademark)
	if other.ID == first.ID || other.FilingNumber != "CISCE2026-TM-000002" {
		t.Errorf("other exhibitor: %+v", other)
	}
}

func TestReplayAfterMidnightStillReturnsTheFiling(t *testing.T) {
	e := newEnv(t)
	tok := e.kiosk("EX-0001")
	// Priority 2025-12-23 + 6 months = 2026-06-23: valid today, expired tomorrow.
	body := strings.Replace(trademark, `"contact"`, `"priorityClaims":[{"office":"US","number":"97/1","date":"2025-12-23"}],"contact"`, 1)
	e.clock.Set("2026-06-23T15:59:00Z") // 23:59 in Beijing
	f := e.mustFile(tok, "late", body)
	e.clock.Set("2026-06-23T16:01:00Z") // 00:01 the next day
	r := e.submit(tok, "late", body)
	var again filing.Filing
	r.json(t, &again)
	if r.status != 201 || again.ID != f.ID || again.FilingDate != "2026-06-23" {
		t.Errorf("retry after midnight: %d %s", r.status, r.body)
	}
	if r := e.submit(tok, "late-new", body); r.status != 422 || !strings.Contains(string(r.body), "priority_expired") {
		t.Errorf("a new filing after midnight should miss the period: %d %s", r.status, r.body)
	}
}

func TestRejectedRequestsConsumeNoNumber(t *testing.T) {
	e := newEnv(t)
	tok := e.kiosk("EX-0001")
	bad := strings.Replace(trademark, `"class":9`, `"class":0`, 1)
	if r := e.submit(tok, "bad", bad); r.status != 422 {
		t.Fatalf("bad filing: %d", r.status)
	}
	if f := e.mustFile(tok, "good", trademark); f.FilingNumber != "CISCE2026-TM-000001" {
		t.Errorf("number after a refusal: %s", f.FilingNumber)
	}
}

func TestFilingDateAtExpoMidnight(t *testing.T) {
	e := newEnv(t)
	tok := e.kiosk("EX-0001")
	e.clock.Set("2026-06-22T15:59:59Z")
	a := e.mustFile(tok, "a", trademark)
	e.clock.Set("2026-06-22T16:00:00Z")
	b := e.mustFile(tok, "b", withMark("NEXT"))
	if a.FilingDate != "2026-06-22" || a.FiledAt != "2026-06-22T23:59:59+08:00" ||
		b.FilingDate != "2026-06-23" || b.FiledAt != "2026-06-23T00:00:00+08:00" {
		t.Errorf("a %s %s, b %s %s", a.FiledAt, a.FilingDate, b.FiledAt, b.FilingDate)
	}
}

func TestTenantIsolation(t *testing.T) {
	e := newEnv(t)
	mine := e.mustFile(e.kiosk("EX-0001"), "k", trademark)
	other := e.kiosk("EX-0002")
	for _, c := range []struct{ method, path string }{
		{"GET", "/v1/filings/" + mine.ID}, {"GET", "/v1/filings/" + mine.ID + "/history"},
		{"GET", "/v1/filings/" + mine.ID + "/receipt"}, {"POST", "/v1/filings/" + mine.ID + "/withdraw"},
		{"GET", "/v1/filings/fil_doesnotexist"},
	} {
		r := e.do(c.method, c.path, other, "")
		if p := r.problem(t); r.status != 404 || p.Code != "not_found" {
			t.Errorf("%s %s by another exhibitor: %d %s", c.method, c.path, r.status, r.body)
		}
	}
	var page filing.Page
	e.do("GET", "/v1/filings", other, "").json(t, &page)
	if len(page.Items) != 0 {
		t.Errorf("another exhibitor lists %d filings", len(page.Items))
	}
	// Examiners see every filing, with personal data masked.
	r := e.do("GET", "/v1/filings/"+mine.ID, e.examiner(), "")
	var f filing.Filing
	r.json(t, &f)
	if r.status != 200 || f.Applicants[0].IDNumber != "****783P" || f.Contact.Email != "****.com" || f.Contact.Phone != "****1234" {
		t.Errorf("examiner view: %d %+v %+v", r.status, f.Applicants, f.Contact)
	}
	if r := e.do("GET", "/v1/filings/"+mine.ID+"/history", e.examiner(), ""); r.status != 200 {
		t.Errorf("examiner history: %d", r.status)
	}
}

func TestAuthentication(t *testing.T) {
	e := newEnv(t)
	now := e.clock.Now()
	sign := func(method jwt.SigningMethod, key any, claims jwt.MapClaims) string {
		tok, err := jwt.NewWithClaims(method, claims).SignedString(key)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	good := jwt.MapClaims{"sub": "k1", "role": "kiosk", "exhibitor": "EX-0001", "booth": "1A-101", "exp": now.Add(time.Hour).Unix()}
	header := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`))
	payload, _ := json.Marshal(good)
	algNone := header + "." + base64.RawURLEncoding.EncodeToString(payload) + "."
	valid := sign(jwt.SigningMethodHS256, secret, good)
	tampered := valid[:len(valid)-4] + "AAAA"
	for name, c := range map[string]struct {
		token  string
		status int
	}{
		"none":                    {"", 401},
		"garbage":                 {"not-a-jwt", 401},
		"alg none":                {algNone, 401},
		"other secret":            {sign(jwt.SigningMethodHS256, []byte("guess"), good), 401},
		"tampered":                {tampered, 401},
		"HS512 not HS256":         {sign(jwt.SigningMethodHS512, secret, good), 401},
		"expired":                 {sign(jwt.SigningMethodHS256, secret, jwt.MapClaims{"sub": "k1", "role": "kiosk", "exhibitor": "EX-0001", "booth": "1A-101", "exp": now.Add(-time.Hour).Unix()}), 401},
		"no exp":                  {sign(jwt.SigningMethodHS256, secret, jwt.MapClaims{"sub": "k1", "role": "kiosk", "exhibitor": "EX-0001", "booth": "1A-101"}), 401},
		"kiosk without exhibitor": {sign(jwt.SigningMethodHS256, secret, jwt.MapClaims{"sub": "k1", "role": "kiosk", "booth": "1A-101", "exp": now.Add(time.Hour).Unix()}), 401},
		"unknown role":            {sign(jwt.SigningMethodHS256, secret, jwt.MapClaims{"sub": "x", "role": "admin", "exp": now.Add(time.Hour).Unix()}), 401},
		"valid":                   {valid, 200},
	} {
		r := e.do("GET", "/v1/filings", c.token, "")
		if r.status != c.status {
			t.Errorf("%s: status %d, want %d: %s", name, r.status, c.status, r.body)
		}
		if c.status == 401 {
			if p := r.problem(t); p.Code != "unauthorized" || r.header.Get("WWW-Authenticate") == "" {
				t.Errorf("%s: %+v", name, p)
			}
		}
	}
	// Wrong role for the route: 403.
	for _, c := range []struct{ method, path, body string }{
		{"POST", "/v1/filings", trademark}, {"POST", "/v1/validate", trademark},
		{"POST", "/v1/filings/fil_x/withdraw", ""},
	} {
		r := e.do(c.method, c.path, e.examiner(), c.body, "Idempotency-Key", "k")
		if p := r.problem(t); r.status != 403 || p.Code != "forbidden" {
			t.Errorf("examiner %s %s: %d %s", c.method, c.path, r.status, r.body)
		}
	}
}

func TestRequestErrors(t *testing.T) {
	e := newEnv(t)
	tok := e.kiosk("EX-0001")
	cases := []struct {
		name        string
		status      int
		code        string
		contentType string
		body        string
	}{
		{"malformed", 400, "malformed_json", "application/json", `{"kind":`},
		{"unknown field", 400, "unknown_field", "application/json", `{"kind":"trademark","colour":"red"}`},
		{"not JSON", 415, "unsupported_media_type", "text/plain", trademark},
		{"no content type", 415, "unsupported_media_type", "", trademark},
		{"too large", 413, "body_too_large", "application/json", `{"kind":"` + strings.Repeat("x", api.MaxBody) + `"}`},
	}
	for _, c := range cases {
		for _, path := range []string{"/v1/filings", "/v1/validate"} {
			req, _ := http.NewRequest("POST", e.srv.URL+path, strings.NewReader(c.body))
			req.Header.Set("Authorization", "Bearer "+tok)
			req.Header.Set("Idempotency-Key", "k-"+c.name)
			if c.contentType != "" {
				req.Header.Set("Content-Type", c.contentType)
			}
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(res.Body)
			res.Body.Close()
			r := resp{res.StatusCode, res.Header, b}
			if p := r.problem(t); r.status != c.status || p.Code != c.code || p.Status != c.status || p.Type == "" ||
				p.Title == "" || len(p.Errors) == 0 || p.Errors[0].MessageZh == "" {
				t.Errorf("%s %s: %d %s", c.name, path, r.status, b)
			}
		}
	}
	r := e.do("DELETE", "/v1/filings", tok, "")
	if p := r.problem(t); r.status != 405 || p.Code != "method_not_allowed" || r.header.Get("Allow") != "GET, POST" {
		t.Errorf("405: %d %v %s", r.status, r.header.Get("Allow"), r.body)
	}
	r = e.do("GET", "/v1/nothing-here", tok, "")
	if p := r.problem(t); r.status != 404 || p.Code != "not_found" {
		t.Errorf("404: %d %s", r.status, r.body)
	}
	r = e.submit(tok, "v", strings.Replace(trademark, `"class":9`, `"class":46`, 1))
	p := r.problem(t)
	if r.status != 422 || p.Type != "https://ipfast.dev/problems/validation" || p.Title != "Validation failed" ||
		p.Detail != "1 problem" || len(p.Errors) != 1 || p.Errors[0].Field != "/trademark/classes/0/class" ||
		p.Errors[0].Code != "nice_class_range" || p.Errors[0].Message != "Nice class must be between 1 and 45" ||
		p.Errors[0].MessageZh != "尼斯分类号必须在1至45之间" {
		t.Errorf("422: %d %s", r.status, r.body)
	}
}

// failingStore breaks on every call, to show what a client sees of an internal error.
type failingStore struct{ filing.Store }

func (failingStore) Create(context.Context, filing.NewFiling) (filing.Filing, bool, error) {
	return filing.Filing{}, false, errors.New("disk on fire at /var/secret/path")
}

func TestInternalErrorsRevealNothing(t *testing.T) {
	e0 := newEnv(t)
	e := newEnvWith(t, e0.clock, e0.db, failingStore{e0.db}, nil)
	r := e.submit(e.kiosk("EX-0001"), "k", trademark)
	var body map[string]any
	r.json(t, &body)
	if r.status != 500 || len(body) != 2 || body["title"] != "Internal error" || body["requestId"] != r.header.Get("X-Request-Id") {
		t.Errorf("500 body: %d %s", r.status, r.body)
	}
	if bytes.Contains(r.body, []byte("fire")) || bytes.Contains(r.body, []byte("secret")) {
		t.Errorf("internal detail leaked: %s", r.body)
	}
}

func TestValidateStoresNothing(t *testing.T) {
	e := newEnv(t)
	tok := e.kiosk("EX-0001")
	long := strings.Replace(trademark, `["Batteries, electric"]`, `["a","b","c","d","e","f","g","h","i","j","k","l"]`, 1)
	r := e.do("POST", "/v1/validate", tok, long)
	var a struct {
		Valid    bool             `json:"valid"`
		Fees     filing.Fees      `json:"fees"`
		Warnings []filing.Problem `json:"warnings"`
	}
	r.json(t, &a)
	if r.status != 200 || !a.Valid || a.Fees.Total != 360 || len(a.Warnings) != 1 || a.Warnings[0].Code != "terms_over_10" {
		t.Errorf("validate: %d %s", r.status, r.body)
	}
	r = e.do("POST", "/v1/validate", tok, strings.Replace(trademark, `"markText":"CATL",`, ``, 1))
	if p := r.problem(t); r.status != 422 || p.Errors[0].Code != "mark_text_required" || p.Fees == nil || p.Fees.Total != 300 {
		t.Errorf("invalid validate (with the running fees): %d %s", r.status, r.body)
	}
	var page filing.Page
	e.do("GET", "/v1/filings", tok, "").json(t, &page)
	if len(page.Items) != 0 {
		t.Errorf("validate stored %d filings", len(page.Items))
	}
	if f := e.mustFile(tok, "k", trademark); f.FilingNumber != "CISCE2026-TM-000001" {
		t.Errorf("validate consumed a number: %s", f.FilingNumber)
	}
}

func TestListPaging(t *testing.T) {
	e := newEnv(t)
	tok := e.kiosk("EX-0001")
	var ids []string
	for i := 0; i < 5; i++ {
		e.clock.Set(fmt.Sprintf("2026-06-23T02:00:%02dZ", i))
		ids = append(ids, e.mustFile(tok, fmt.Sprint("k", i), withMark(fmt.Sprint("M", i))).ID)
	}
	if r := e.do("POST", "/v1/filings/"+ids[1]+"/withdraw", tok, ""); r.status != 200 {
		t.Fatalf("withdraw: %d", r.status)
	}
	var got []string
	cursor := ""
	for i := 0; i < 5; i++ {
		var page filing.Page
		r := e.do("GET", "/v1/filings?limit=2&cursor="+cursor, tok, "")
		r.json(t, &page)
		for _, f := range page.Items {
			got = append(got, f.ID)
		}
		if cursor = page.NextCursor; cursor == "" {
			break
		}
	}
	want := []string{ids[4], ids[3], ids[2], ids[1], ids[0]}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("paged list %v, want newest first %v", got, want)
	}
	var page filing.Page
	e.do("GET", "/v1/filings?state=withdrawn", tok, "").json(t, &page)
	if len(page.Items) != 1 || page.Items[0].ID != ids[1] {
		t.Errorf("state filter: %+v", page.Items)
	}
	for _, q := range []string{"limit=0", "limit=101", "limit=x", "state=lost", "cursor=!!"} {
		if r := e.do("GET", "/v1/filings?"+q, tok, ""); r.status != 400 {
			t.Errorf("?%s: %d %s", q, r.status, r.body)
		}
	}
}

func TestWithdraw(t *testing.T) {
	e := newEnv(t)
	tok := e.kiosk("EX-0001")
	f := e.mustFile(tok, "k", trademark)
	r := e.do("POST", "/v1/filings/"+f.ID+"/withdraw", tok, "")
	var w filing.Filing
	r.json(t, &w)
	if r.status != 200 || w.State != "withdrawn" || w.Version != 2 || w.FilingNumber != f.FilingNumber {
		t.Fatalf("withdraw: %d %s", r.status, r.body)
	}
	r = e.do("POST", "/v1/filings/"+f.ID+"/withdraw", tok, "")
	if p := r.problem(t); r.status != 409 || p.Code != "invalid_transition" {
		t.Errorf("second withdraw: %d %s", r.status, r.body)
	}
	var evs []filing.Event
	e.do("GET", "/v1/filings/"+f.ID+"/history", tok, "").json(t, &evs)
	if len(evs) != 2 || evs[1].Action != "withdrawn" || evs[1].FromState != "queued" || evs[1].ToState != "withdrawn" {
		t.Errorf("history after withdraw: %+v", evs)
	}
}

func TestReceipt(t *testing.T) {
	e := newEnv(t)
	tok := e.kiosk("EX-0001")
	f := e.mustFile(tok, "k", trademark)
	r := e.do("GET", "/v1/filings/"+f.ID+"/receipt", tok, "")
	html := string(r.body)
	if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") {
		t.Fatalf("receipt: %d %s", r.status, r.header.Get("Content-Type"))
	}
	if csp := r.header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") {
		t.Errorf("receipt Content-Security-Policy = %q", csp)
	}
	if !strings.HasPrefix(f.StatusURL, e.srv.URL+"/status/") || len(f.StatusURL) != len(e.srv.URL+"/status/")+22 {
		t.Fatalf("statusUrl %q", f.StatusURL)
	}
	// Everything a person reads is in words, in both languages, with local time: no codes.
	for _, want := range []string{f.FilingNumber, "2026-06-23", "2026-06-23 10:00:00 (Asia/Shanghai, UTC+08:00)", "CATL", "<svg",
		f.StatusURL, "300", "申请受理回执", "Batteries, electric", "waiting for review · 等待审查", "word mark · 文字商标",
		"China 中国 (CN)", "Class 9 第9类", "Trademark, class 9", "商标注册费，第9类"} {
		if !strings.Contains(html, want) {
			t.Errorf("receipt lacks %q", want)
		}
	}
	for _, code := range []string{"trademark_class", ">queued<", "T10:00:00+08:00"} {
		if strings.Contains(html, code) {
			t.Errorf("receipt shows the code %q", code)
		}
	}
	if strings.Contains(html, "91350900587527783P") || strings.Contains(html, "li.wei@example.com") {
		t.Errorf("receipt shows personal data")
	}
	// The PDF receipt (shared/pdf checks what it says and how it looks).
	for _, accept := range []string{"application/pdf", "text/html;q=0.5, application/pdf", "application/*"} {
		r = e.do("GET", "/v1/filings/"+f.ID+"/receipt", tok, "", "Accept", accept)
		if r.status != 200 || r.header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(string(r.body), "%PDF-") ||
			!strings.Contains(r.header.Get("Content-Disposition"), f.FilingNumber+"-receipt.pdf") {
			t.Errorf("Accept %s: %d %s %.40q", accept, r.status, r.header.Get("Content-Type"), r.body)
		}
	}
	for _, accept := range []string{"text/html, application/pdf", "*/*", "text/*"} {
		if r = e.do("GET", "/v1/filings/"+f.ID+"/receipt", tok, "", "Accept", accept); !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") {
			t.Errorf("Accept %s: %s", accept, r.header.Get("Content-Type"))
		}
	}
	r = e.do("GET", "/v1/filings/"+f.ID+"/receipt", tok, "", "Accept", "application/json, text/html;q=0")
	if p := r.problem(t); r.status != 406 || p.Code != "not_acceptable" {
		t.Errorf("a JSON receipt: %d %s", r.status, r.body)
	}
}

// TestStatusLink: every filing carries its public status link, the same in every view; its
// JSON needs no token and shows nothing personal; after a decision it shows the new state;
// an unknown token is 404.
func TestStatusLink(t *testing.T) {
	e := newEnv(t)
	tok := e.kiosk("EX-0001")
	f := e.mustFile(tok, "k", trademark)
	token := strings.TrimPrefix(f.StatusURL, e.srv.URL+"/status/")
	var st map[string]any
	r := e.do("GET", "/v1/status/"+token, "", "")
	r.json(t, &st)
	if r.status != 200 || st["filingNumber"] != f.FilingNumber || st["state"] != "queued" || st["markText"] != "CATL" ||
		st["kind"] != "trademark" || st["filingDate"] != "2026-06-23" || st["lastChange"] != "2026-06-23T10:00:00+08:00" ||
		st["expoName"] == "" || r.header.Get("X-Robots-Tag") != "noindex" {
		t.Fatalf("status: %d %s", r.status, r.body)
	}
	for _, secret := range []string{"EX-0001", "91350900587527783P", "li.wei", "Ningde", f.ID, "1A-101"} {
		if strings.Contains(string(r.body), secret) {
			t.Errorf("the public status shows %q: %s", secret, r.body)
		}
	}
	var got filing.Filing
	e.do("GET", "/v1/filings/"+f.ID, tok, "").json(t, &got)
	var page filing.Page
	e.do("GET", "/v1/filings", tok, "").json(t, &page)
	if got.StatusURL != f.StatusURL || len(page.Items) != 1 || page.Items[0].StatusURL != f.StatusURL || strings.Contains(string(e.do("GET", "/v1/filings/"+f.ID, tok, "").body), "statusToken") {
		t.Errorf("status link in the views: %q, %+v", got.StatusURL, page.Items)
	}
	g := e.leaseOK(e.examiner(), "trademark")
	if g.Filing.StatusURL != f.StatusURL {
		t.Errorf("the examiner's view: %q", g.Filing.StatusURL)
	}
	e.clock.Set("2026-06-23T02:10:00Z")
	if r := e.decide(e.examiner(), f.ID, map[string]any{"leaseToken": g.LeaseToken, "outcome": "accept"}); r.status != 200 {
		t.Fatalf("decide: %d %s", r.status, r.body)
	}
	e.do("GET", "/v1/status/"+token, "", "").json(t, &st)
	if st["state"] != "accepted" || st["lastChange"] != "2026-06-23T10:10:00+08:00" {
		t.Errorf("after the decision: %v", st)
	}
	if r := e.do("GET", "/v1/status/"+filing.NewStatusToken(), "", ""); r.status != 404 {
		t.Errorf("unknown token: %d", r.status)
	}
}

func TestPublicEndpoints(t *testing.T) {
	e := newEnv(t)
	var expo map[string]any
	r := e.do("GET", "/v1/expo", "", "")
	r.json(t, &expo)
	if r.status != 200 || expo["id"] != "CISCE2026" || expo["timeZone"] != "Asia/Shanghai" || expo["filingDate"] != "2026-06-23" {
		t.Errorf("expo: %d %s", r.status, r.body)
	}
	var nice, locarno []struct {
		Class     int    `json:"class"`
		Heading   string `json:"heading"`
		HeadingZh string `json:"heading_zh"`
	}
	e.do("GET", "/v1/reference/nice", "", "").json(t, &nice)
	e.do("GET", "/v1/reference/locarno", "", "").json(t, &locarno)
	if len(nice) != 45 || len(locarno) != 32 {
		t.Fatalf("nice %d, locarno %d", len(nice), len(locarno))
	}
	for i, c := range append(nice, locarno...) {
		if c.Heading == "" || c.HeadingZh == "" || (i < 45 && c.Class != i+1) {
			t.Errorf("class entry %d: %+v", i, c)
		}
	}
	var places struct {
		Countries, Offices []struct {
			Code   string `json:"code"`
			Name   string `json:"name"`
			NameZh string `json:"name_zh"`
		}
	}
	e.do("GET", "/v1/reference/countries", "", "").json(t, &places)
	names := map[string]string{}
	for _, c := range append(places.Countries, places.Offices...) {
		names[c.Code] = c.Name + "/" + c.NameZh
	}
	if len(places.Countries) != 249 || len(places.Offices) != 8 || names["DE"] != "Germany/德国" || names["CN"] != "China/中国" ||
		names["GE"] != "Georgia/格鲁吉亚" || names["EP"] != "European Patent Office/欧洲专利局" {
		t.Errorf("countries: %d, offices %d, DE %q CN %q GE %q EP %q", len(places.Countries), len(places.Offices),
			names["DE"], names["CN"], names["GE"], names["EP"])
	}
	if r := e.do("GET", "/healthz", "", ""); r.status != 200 {
		t.Errorf("healthz: %d", r.status)
	}
}

// TestReferenceListsAreCompressedAndCached: the reference lists go gzip-compressed to a client
// that takes it, carry an ETag and answer 304 when it matches.
func TestReferenceListsAreCompressedAndCached(t *testing.T) {
	e := newEnv(t)
	for _, name := range []string{"nice", "locarno", "countries"} {
		plain := e.do("GET", "/v1/reference/"+name, "", "")
		req, _ := http.NewRequest("GET", e.srv.URL+"/v1/reference/"+name, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		res, err := http.DefaultTransport.RoundTrip(req) // the raw answer, not decompressed
		if err != nil {
			t.Fatal(err)
		}
		zr, err := gzip.NewReader(res.Body)
		if err != nil {
			t.Fatalf("%s: not gzip: %v", name, err)
		}
		unzipped, _ := io.ReadAll(zr)
		res.Body.Close()
		if res.Header.Get("Content-Encoding") != "gzip" || !bytes.Equal(unzipped, plain.body) || res.ContentLength >= int64(len(plain.body))/2 {
			t.Errorf("%s: %s, %d bytes compressed of %d", name, res.Header.Get("Content-Encoding"), res.ContentLength, len(plain.body))
		}
		if r := e.do("GET", "/v1/reference/"+name, "", "", "If-None-Match", plain.header.Get("ETag")); r.status != 304 || len(r.body) != 0 {
			t.Errorf("%s revalidated: %d", name, r.status)
		}
	}
}

// TestDeadlinesShown: every filing shows its follow-up deadlines (SPEC §12): none is an empty
// list; an exhibition claim without a certificate asks for the evidence within 3 months of
// filing for a trademark, extended to a working day.
func TestDeadlinesShown(t *testing.T) {
	e := newEnv(t)
	tok := e.kiosk("EX-0001")
	r := e.submit(tok, "plain", trademark)
	if r.status != 201 || !strings.Contains(string(r.body), `"deadlines":[]`) {
		t.Errorf("a filing without claims: %d %s", r.status, r.body)
	}
	claimed := strings.Replace(trademark, `"language":"zh"`, `"exhibition":{"expo":"CISCE2026","firstDisplayDate":"2026-06-22"},"language":"zh"`, 1)
	f := e.mustFile(tok, "claimed", claimed)
	if len(f.Deadlines) != 1 || f.Deadlines[0].Kind != "exhibition_evidence" || f.Deadlines[0].Due != "2026-09-23" {
		t.Errorf("deadlines: %+v", f.Deadlines)
	}
	var got filing.Filing
	e.do("GET", "/v1/filings/"+f.ID, tok, "").json(t, &got)
	if len(got.Deadlines) != 1 {
		t.Errorf("read back: %+v", got.Deadlines)
	}
}

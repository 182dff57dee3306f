package api_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ipfast/ipfast/shared/api"
	"github.com/ipfast/ipfast/shared/auth"
	"github.com/ipfast/ipfast/shared/embedded"
	"github.com/ipfast/ipfast/shared/filing"
)

// newEnvConfig is an env whose expo is the default overridden by a configuration.
func newEnvConfig(t *testing.T, config string) *env {
	t.Helper()
	expo, err := filing.ParseExpo([]byte(config))
	if err != nil {
		t.Fatal(err)
	}
	c := &filing.ManualClock{}
	c.Set(expoMorning)
	db, err := embedded.Open(filepath.Join(t.TempDir(), "ipfast.db"), embedded.Options{Queues: expo.AllQueues(), Clock: c})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	s := api.NewServer(expo, api.Backend{Store: db, Queue: db, Clock: c}, auth.NewVerifier(secret, c.Now).ForExpos(expo),
		slog.New(slog.NewJSONHandler(io.Discard, nil)), "")
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	return &env{t: t, srv: srv, clock: c, db: db, svc: s.Intake}
}

const knownMarks = `{"limits":{"requestsPerSecond":0},"knownMarks":[
 {"text":"HUAWEI","classes":[9,38],"owner":"Huawei Technologies Co., Ltd.","registration":"1234567"},
 {"text":"华为","classes":[9],"owner":"华为技术有限公司","registration":"7654321"}]}`

// TestSimilarMarkHints (SPEC §15): validate and submit warn, never refuse, naming the known mark
// and the reason; no class in common, no warning; a patent is never checked.
func TestSimilarMarkHints(t *testing.T) {
	e := newEnvConfig(t, knownMarks)
	tok := e.kiosk("EX-0001")
	type warning struct {
		Field, Code, Message string
		MessageZh            string `json:"message_zh"`
		Similar              *struct {
			Text, Registration, Reason string
			Classes                    []int
		}
	}
	hints := func(body []byte) []warning {
		var v struct{ Warnings []warning }
		if err := json.Unmarshal(body, &v); err != nil {
			t.Fatal(err)
		}
		var out []warning
		for _, w := range v.Warnings {
			if w.Code == "similar_mark" {
				out = append(out, w)
			}
		}
		return out
	}
	for _, tc := range []struct {
		mark, class string
		want        []string // "text:reason"
	}{
		{"Huawei", "9", []string{"HUAWEI:same_text", "华为:same_pinyin"}},
		{"ＨＵＡＷＥＩ", "38", []string{"HUAWEI:same_text"}},
		{"花为", "9", []string{"HUAWEI:same_pinyin", "华为:same_pinyin"}},
		{"华為", "9", []string{"华为:same_text", "HUAWEI:same_pinyin"}},
		{"华为", "25", nil},
		{"CATL", "9", nil},
	} {
		body := strings.Replace(withMark(tc.mark), `"class":9`, `"class":`+tc.class, 1)
		r := e.do("POST", "/v1/validate", tok, body)
		if r.status != 200 {
			t.Fatalf("%s: validate %d %s", tc.mark, r.status, r.body)
		}
		var got []string
		for _, w := range hints(r.body) {
			if w.Field != "/trademark/markText" || w.Similar == nil || !strings.Contains(w.Message, w.Similar.Text) || !strings.Contains(w.MessageZh, w.Similar.Text) {
				t.Errorf("%s: warning %+v", tc.mark, w)
				continue
			}
			got = append(got, w.Similar.Text+":"+w.Similar.Reason)
		}
		if strings.Join(got, " ") != strings.Join(tc.want, " ") {
			t.Errorf("%s in class %s: %v, want %v", tc.mark, tc.class, got, tc.want)
		}
	}
	r := e.do("POST", "/v1/validate", tok, withMark("HUAWEI"))
	w := hints(r.body)
	if len(w) == 0 || w[0].Message != "Close to the registered mark \u201cHUAWEI\u201d (reg. 1234567, Huawei Technologies Co., Ltd.) in class 9: the same text, ignoring case, width and spacing." ||
		w[0].MessageZh != "与已注册商标\u201cHUAWEI\u201d（注册号1234567，Huawei Technologies Co., Ltd.）在第9类近似：文字相同（不计大小写、全半角和空格）。" {
		t.Errorf("the warning's words: %+v", w)
	}
	// Filed all the same, with the warning kept on the filing.
	r = e.do("POST", "/v1/filings", tok, withMark("Huawei"), "Idempotency-Key", "hint-1")
	if r.status != 201 || len(hints(r.body)) != 2 {
		t.Errorf("submit: %d %s", r.status, r.body)
	}
}

// TestSimilarFilings (SPEC §15): the same mark filed by two exhibitors the same afternoon shows
// to the examiner who leases one, with the reason; kiosks never see it; the examiner dismisses
// one, which the filing keeps and its history records; bad verdicts are refused.
func TestSimilarFilings(t *testing.T) {
	e := newEnv(t)
	a := e.mustFile(e.kiosk("EX-A"), "a", withMark("HUAWEI"))
	b := e.mustFile(e.kiosk("EX-B"), "b", withMark("Huawei"))
	c := e.mustFile(e.kiosk("EX-C"), "c", withMark("花为"))
	e.mustFile(e.kiosk("EX-D"), "d", strings.Replace(withMark("HUAWEI"), `"class":9`, `"class":25`, 1))
	ex := e.examiner()
	// The queue's order among filings of one instant is its own: lease until A comes.
	var g struct {
		LeaseToken string
		Filing     filing.Filing
	}
	for i := 0; i < 4 && g.Filing.ID != a.ID; i++ {
		r := e.do("POST", "/v1/queues/trademark/lease", ex, "")
		if err := json.Unmarshal(r.body, &g); err != nil || r.status != 200 {
			t.Fatalf("lease: %d %s", r.status, r.body)
		}
	}
	if g.Filing.ID != a.ID {
		t.Fatalf("%s never leased", a.FilingNumber)
	}
	var got []string
	for _, s := range g.Filing.SimilarMarks {
		got = append(got, s.FilingNumber+":"+s.Reason)
	}
	if want := b.FilingNumber + ":same_text " + c.FilingNumber + ":same_pinyin"; strings.Join(got, " ") != want {
		t.Errorf("similar marks of %s: %v, want %s", a.FilingNumber, got, want)
	}
	// Kiosks never learn of other exhibitors' pending filings.
	kioskA := e.kiosk("EX-A")
	for _, path := range []string{"/v1/filings/" + a.ID, "/v1/filings"} {
		if r := e.do("GET", path, kioskA, ""); strings.Contains(string(r.body), "similarMarks") || strings.Contains(string(r.body), b.ID) {
			t.Errorf("a kiosk sees similar filings at %s: %s", path, r.body)
		}
	}
	judge := func(token, other, verdict string) resp {
		body, _ := json.Marshal(map[string]string{"leaseToken": token, "filing": other, "verdict": verdict})
		return e.do("POST", "/v1/filings/"+a.ID+"/similar-marks", ex, string(body))
	}
	if r := judge(g.LeaseToken, c.ID, "maybe"); r.status != 422 || !strings.Contains(string(r.body), "invalid_enum") {
		t.Errorf("a bad verdict: %d %s", r.status, r.body)
	}
	if r := judge(g.LeaseToken, "fil_nope", "dismissed"); r.status != 422 || !strings.Contains(string(r.body), "similar_filing_unknown") {
		t.Errorf("an unknown filing: %d %s", r.status, r.body)
	}
	if r := judge("not-the-token", c.ID, "dismissed"); r.status != 409 {
		t.Errorf("without the lease: %d %s", r.status, r.body)
	}
	r := judge(g.LeaseToken, c.ID, "dismissed")
	var f filing.Filing
	if err := json.Unmarshal(r.body, &f); err != nil || r.status != 200 || len(f.SimilarMarks) != 2 || f.SimilarMarks[1].Verdict != "dismissed" || f.SimilarMarks[0].Verdict != "" {
		t.Fatalf("dismiss: %d %s", r.status, r.body)
	}
	h := e.do("GET", "/v1/filings/"+a.ID+"/history", ex, "")
	if !strings.Contains(string(h.body), `"action":"similar_mark:dismissed"`) || !strings.Contains(string(h.body), c.FilingNumber) {
		t.Errorf("history: %s", h.body)
	}
	if r := e.do("GET", "/v1/filings/"+a.ID, kioskA, ""); strings.Contains(string(r.body), "similarVerdicts") || strings.Contains(string(r.body), c.ID) {
		t.Errorf("a kiosk sees the verdicts: %s", r.body)
	}
	// The filing is still the examiner's to decide.
	if r := e.do("POST", "/v1/filings/"+a.ID+"/decision", ex, `{"leaseToken":"`+g.LeaseToken+`","outcome":"accept"}`); r.status != 200 {
		t.Errorf("decide after the verdict: %d %s", r.status, r.body)
	}
}

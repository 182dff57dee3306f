package docapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/ipfast/ipfast/shared/api"
	"github.com/ipfast/ipfast/shared/auth"
	"github.com/ipfast/ipfast/shared/awstest"
	"github.com/ipfast/ipfast/shared/cloud"
	"github.com/ipfast/ipfast/shared/docapi"
	"github.com/ipfast/ipfast/shared/dynamo"
	"github.com/ipfast/ipfast/shared/embedded"
	"github.com/ipfast/ipfast/shared/filing"
	"github.com/ipfast/ipfast/shared/provision"
	"github.com/ipfast/ipfast/shared/sqsq"
)

// enrolServer serves the API and the documents' routes (enrolment among them) on a backend,
// as serve and the AWS functions compose them; it returns the base URL and the clock.
func enrolServer(t *testing.T, b api.Backend, clock *filing.ManualClock) string {
	t.Helper()
	expo := filing.DefaultExpo()
	expo.Exhibitors = []filing.ExhibitorEntry{{ID: "EX-0001", Booth: "3C-210", Name: "Voltara GmbH"}, {ID: "EX-0005", Booth: "5E-500", Name: "Configured Only"}}
	srv := api.NewServer(expo, b, auth.NewVerifier(secret, clock.Now), slog.New(slog.NewJSONHandler(io.Discard, nil)), "")
	srv.Extra = docapi.Enrolment(srv)
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	return hs.URL
}

type caller struct {
	t    *testing.T
	base string
}

// call sends a JSON request (body nil: none) with a token ("" : none) and an Idempotency-Key
// (key "": none) and returns the status and the decoded answer.
func (c caller) call(method, path, tok, key string, body any) (int, map[string]any) {
	c.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, c.base+path, rd)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	out := map[string]any{}
	raw, _ := io.ReadAll(res.Body)
	_ = json.Unmarshal(raw, &out)
	return res.StatusCode, out
}

const trademark = `{"kind":"trademark","trademark":{"markType":"word","markText":"CATL","classes":[{"class":9,"terms":["Batteries, electric"]}]},
 "applicants":[{"name":"Contemporary Amperex Technology Co., Limited","kind":"organization","nationality":"CN","domicile":"CN","address":"Ningde, Fujian"}],
 "contact":{"name":"Li Wei","email":"li.wei@example.com"},"language":"zh"}`

// testEnrolAndRevoke: a supervisor enrols two booths' kiosks; each sets up once with its code
// and files; one is revoked: its next request and its renewal are 401 token_revoked, the other
// files and renews on; staff enrol and set up at their own endpoint.
// stale is how long the backend's processes may trust a kiosk's state (0: not at all): the
// revoked kiosk's next request comes that long after the revocation.
func testEnrolAndRevoke(t *testing.T, base string, clock *filing.ManualClock, stale time.Duration) {
	c := caller{t, base}
	sup, _ := auth.Sign(secret, filing.Principal{Subject: "sup-1", Role: filing.RoleSupervisor}, clock.Now(), time.Hour)
	var tm map[string]any
	if err := json.Unmarshal([]byte(trademark), &tm); err != nil {
		t.Fatal(err)
	}
	enrolled := map[string]map[string]any{}
	for _, k := range []struct{ exhibitor, booth string }{{"EX-0001", "3C-210"}, {"EX-0002", "3C-211"}} {
		st, s := c.call("POST", "/v1/kiosks", sup, "", map[string]string{"exhibitor": k.exhibitor, "booth": k.booth, "label": "counter"})
		if st != 201 || s["setupCode"] == "" || s["setupUrl"] != base+"/#setup="+s["setupCode"].(string) {
			t.Fatalf("enrol %s: %d %v", k.booth, st, s)
		}
		enrolled[k.booth] = s
	}
	tokens := map[string]string{}
	for booth, s := range enrolled {
		st, tok := c.call("POST", "/v1/kiosks/setup", "", "", map[string]any{"code": s["setupCode"]})
		if st != 200 || tok["token"] == "" {
			t.Fatalf("set up %s: %d %v", booth, st, tok)
		}
		tokens[booth] = tok["token"].(string)
		if st, p := c.call("POST", "/v1/kiosks/setup", "", "", map[string]any{"code": s["setupCode"]}); st != 410 || p["code"] != "setup_code_invalid" {
			t.Errorf("the code of %s again: %d %v", booth, st, p)
		}
	}
	a, b := tokens["3C-210"], tokens["3C-211"]
	if st, f := c.call("POST", "/v1/filings", a, "a-1", tm); st != 201 || f["booth"] != "3C-210" {
		t.Fatalf("kiosk A files: %d %v", st, f)
	}
	idA := enrolled["3C-210"]["id"].(string)
	if st, e := c.call("POST", "/v1/kiosks/"+idA+"/revoke", sup, "", nil); st != 200 || e["revoked"] != true {
		t.Fatalf("revoke A: %d %v", st, e)
	}
	clock.Set(clock.Now().Add(stale).Format(time.RFC3339Nano))
	for _, r := range []struct{ method, path string }{{"GET", "/v1/filings"}, {"POST", "/v1/kiosks/renew"}} {
		if st, p := c.call(r.method, r.path, a, "", nil); st != 401 || p["code"] != "token_revoked" {
			t.Errorf("the revoked kiosk's %s %s: %d %v", r.method, r.path, st, p)
		}
	}
	if st, p := c.call("POST", "/v1/filings", a, "a-2", tm); st != 401 || p["code"] != "token_revoked" {
		t.Errorf("the revoked kiosk files: %d %v", st, p)
	}
	if st, f := c.call("POST", "/v1/filings", b, "b-1", tm); st != 201 || f["booth"] != "3C-211" {
		t.Errorf("kiosk B files: %d %v", st, f)
	}
	st, renewed := c.call("POST", "/v1/kiosks/renew", b, "", nil)
	if st != 200 || renewed["token"] == "" {
		t.Fatalf("B renews: %d %v", st, renewed)
	}
	if st, _ := c.call("GET", "/v1/filings", renewed["token"].(string), "", nil); st != 200 {
		t.Errorf("B's renewed token: %d", st)
	}
	st, list := c.call("GET", "/v1/kiosks", sup, "", nil)
	items, _ := list["items"].([]any)
	if st != 200 || len(items) != 2 {
		t.Fatalf("kiosks: %d %v", st, list)
	}
	for _, it := range items {
		k := it.(map[string]any)
		if (k["booth"] == "3C-210") != (k["revoked"] == true) || k["lastSeenAt"] == nil {
			t.Errorf("kiosk in the list: %v", k)
		}
	}
	// Staff: their own endpoint; a kiosk's code is not theirs.
	st, s := c.call("POST", "/v1/staff", sup, "", map[string]string{"role": "examiner", "name": "王芳"})
	if st != 201 || s["setupUrl"] != base+"/examiner/#setup="+s["setupCode"].(string) {
		t.Fatalf("enrol an examiner: %d %v", st, s)
	}
	if st, p := c.call("POST", "/v1/kiosks/setup", "", "", map[string]any{"code": s["setupCode"]}); st != 410 {
		t.Errorf("a staff code at the kiosks' endpoint: %d %v", st, p)
	}
	st, tok := c.call("POST", "/v1/staff/setup", "", "", map[string]any{"code": s["setupCode"]})
	if st != 200 {
		t.Fatalf("the examiner sets up: %d %v", st, tok)
	}
	if st, q := c.call("GET", "/v1/queues", tok["token"].(string), "", nil); st != 200 {
		t.Errorf("the examiner's token: %d %v", st, q)
	}
	if st, p := c.call("POST", "/v1/kiosks", tok["token"].(string), "", map[string]string{"exhibitor": "EX-9", "booth": "9Z"}); st != 403 {
		t.Errorf("an examiner enrols a kiosk: %d %v", st, p)
	}
}

func TestEnrolmentOnEmbedded(t *testing.T) {
	clock := &filing.ManualClock{}
	clock.Set("2026-06-23T02:00:00Z")
	expo := filing.DefaultExpo()
	db, err := embedded.Open(filepath.Join(t.TempDir(), "ipfast.db"), embedded.Options{Queues: expo.AllQueues(), Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	base := enrolServer(t, api.Backend{Store: db, Queue: db, Clock: clock}, clock)
	testEnrolAndRevoke(t, base, clock, 0)
	testDirectory(t, base, clock)
}

// On DynamoDB Local with the AWS functions' bound on trusting what the table said of a kiosk
// (cloud.EnrolmentMaxStale): the revoked kiosk's next request comes that long after.
func TestEnrolmentOnDynamoDB(t *testing.T) {
	clock := &filing.ManualClock{}
	clock.Set("2026-06-23T02:00:00Z")
	db := awstest.DynamoDB(t)
	store := &dynamo.Store{Client: db, Table: awstest.Table(t, db)}
	c, prefix := awstest.SQS(t), awstest.Name("ipfast-enrol-")
	if err := provision.Queues(context.Background(), c, prefix, filing.DefaultExpo().AllQueues(), 5); err != nil {
		t.Fatal(err)
	}
	b := api.Backend{Store: store, Queue: sqsq.New(c, prefix), Clock: clock, EnrolmentMaxStale: cloud.EnrolmentMaxStale}
	base := enrolServer(t, b, clock)
	testEnrolAndRevoke(t, base, clock, cloud.EnrolmentMaxStale)
	testDirectory(t, base, clock)
}

// testDirectory: a supervisor puts exhibitor entries (one over the configuration's of its id);
// officers and supervisors read the directory, the configuration's entries with the API's;
// examiners and kiosks do not; a bad entry is 422 with its problems.
func testDirectory(t *testing.T, base string, clock *filing.ManualClock) {
	c := caller{t, base}
	tok := func(role string) string {
		s, _ := auth.Sign(secret, filing.Principal{Subject: role + "-1", Role: role, Exhibitor: "EX-0001", Booth: "3C-210"}, clock.Now(), time.Hour)
		return s
	}
	sup, officer := tok(filing.RoleSupervisor), tok(filing.RoleOfficer)
	st, e := c.call("PUT", "/v1/exhibitors/EX-0001", sup, "", map[string]any{"name": "Voltara GmbH", "nameZh": "沃尔塔拉", "booth": "3C-212",
		"country": "de", "contact": map[string]string{"name": "Anna Schmidt", "email": "anna@voltara.example"}})
	if st != 200 || e["source"] != "directory" || e["country"] != "DE" || e["booth"] != "3C-212" || e["updatedBy"] != "supervisor-1" {
		t.Fatalf("put EX-0001: %d %v", st, e)
	}
	if st, e := c.call("PUT", "/v1/exhibitors/EX-0009", sup, "", map[string]any{"name": "宁德新能源", "booth": "2B-202"}); st != 200 {
		t.Fatalf("put EX-0009: %d %v", st, e)
	}
	for _, who := range []string{sup, officer} {
		st, list := c.call("GET", "/v1/exhibitors", who, "", nil)
		items, _ := list["items"].([]any)
		if st != 200 || len(items) != 3 {
			t.Fatalf("the directory: %d %v", st, list)
		}
		for i, want := range []struct{ id, booth, source string }{{"EX-0001", "3C-212", "directory"}, {"EX-0005", "5E-500", "config"}, {"EX-0009", "2B-202", "directory"}} {
			got := items[i].(map[string]any)
			if got["id"] != want.id || got["booth"] != want.booth || got["source"] != want.source {
				t.Errorf("directory[%d] = %v, want %v", i, got, want)
			}
		}
	}
	for _, role := range []string{filing.RoleExaminer, filing.RoleKiosk} {
		if st, _ := c.call("GET", "/v1/exhibitors", tok(role), "", nil); st != 403 {
			t.Errorf("%s reads the directory: %d", role, st)
		}
	}
	if st, _ := c.call("PUT", "/v1/exhibitors/EX-0010", officer, "", map[string]any{"name": "x", "booth": "1"}); st != 403 {
		t.Errorf("an officer puts an entry: %d", st)
	}
	st, p := c.call("PUT", "/v1/exhibitors/EX-0010", sup, "", map[string]any{"name": " ", "country": "Germany", "contact": map[string]string{"name": "A"}})
	fields := map[string]bool{}
	for _, it := range p["errors"].([]any) {
		fields[it.(map[string]any)["field"].(string)] = true
	}
	if st != 422 || !fields["/name"] || !fields["/booth"] || !fields["/country"] || !fields["/contact/email"] {
		t.Errorf("a bad entry: %d %v", st, p)
	}
	if st, p := c.call("PUT", "/v1/exhibitors/EX%20bad", sup, "", map[string]any{"name": "x", "booth": "1"}); st != 422 {
		t.Errorf("a bad id: %d %v", st, p)
	}
}

package filing_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ipfast/ipfast/shared/filing"
)

func TestDefaultExpo(t *testing.T) {
	e := filing.DefaultExpo()
	if e.ID != "CISCE2026" || e.StartDate != "2026-06-22" || e.EndDate != "2026-06-26" ||
		e.TimeZone != "Asia/Shanghai" || !e.Qualifying || e.NumberPrefix != "CISCE2026" || e.LegalBasis == "" {
		t.Errorf("default expo = %+v", e)
	}
	x, ok := e.Exhibition("CISCE2026")
	if !ok || x.Start() != filing.MustDate("2026-06-22") || x.End() != filing.MustDate("2026-06-26") {
		t.Errorf("the expo itself must be a known exhibition: %+v %v", x, ok)
	}
	want := []string{"expedited", "patent-invention", "patent-utility-model", "patent-design", "trademark"}
	if got := e.Queues(); !reflect.DeepEqual(got, want) {
		t.Errorf("Queues() = %v, want %v", got, want)
	}
}

func TestLoadExpoOverrides(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "expo.json")
	cfg := `{"id":"CIIE2026","name":"China International Import Expo","startDate":"2026-11-05","endDate":"2026-11-10",
	  "filingNumberPrefix":"CIIE2026","qualifying":false,"holidays":["2026-11-09"],
	  "exhibitions":[{"id":"OLD","name":"Old fair","startDate":"2026-01-05","endDate":"2026-01-09","qualifying":true}],
	  "fees":{"currency":"CNY","invention":1000,"inventionPublication":50,"utilityModel":500,"design":500,
	          "trademarkClass":270,"trademarkTermsIncluded":10,"trademarkExtraTerm":27,"priorityClaim":80}}`
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	e, err := filing.LoadExpo(path)
	if err != nil {
		t.Fatal(err)
	}
	if e.ID != "CIIE2026" || e.Qualifying || e.TimeZone != "Asia/Shanghai" || e.Fees.TrademarkClass != 270 {
		t.Errorf("override not applied: %+v", e)
	}
	if e.Calendar().IsWorkingDay(filing.MustDate("2026-11-09")) {
		t.Errorf("configured holiday is a working day")
	}
	if _, ok := e.Exhibition("OLD"); !ok {
		t.Errorf("listed exhibition unknown")
	}
	for name, bad := range map[string]string{
		"unknown field": `{"colour":"red"}`,
		"bad zone":      `{"timeZone":"Mars/Olympus"}`,
		"bad holiday":   `{"holidays":["2026-02-30"]}`,
		"no rule":       `{"routing":[{"queue":"patents","kind":"patent"}]}`,
		"negative fee":  `{"fees":{"currency":"CNY","invention":-1}}`,
		"no lease":      `{"review":{"leaseMinutes":0}}`,
		"bad limit":     `{"attachments":{"views":{"types":[],"maxBytes":1}}}`,
		"reversed":      `{"exhibitions":[{"id":"X","startDate":"2026-01-09","endDate":"2026-01-05"}]}`,
	} {
		if _, err := filing.ParseExpo([]byte(bad)); err == nil {
			t.Errorf("%s: ParseExpo accepted %s", name, bad)
		}
	}
	if _, err := filing.LoadExpo(filepath.Join(dir, "missing.json")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

func TestFees(t *testing.T) {
	e := filing.DefaultExpo()
	day := filing.MustDate("2026-06-23")
	terms := func(n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = "term"
		}
		return out
	}
	claims := func(n int) []string { return terms(n) }
	prio := func(dates ...string) []filing.PriorityClaim {
		var out []filing.PriorityClaim
		for _, d := range dates {
			out = append(out, filing.PriorityClaim{Office: "US", Number: "1", Date: d})
		}
		return out
	}
	restore := func(ps []filing.PriorityClaim) []filing.PriorityClaim {
		for i := range ps {
			ps[i].Restoration = &filing.Restoration{Reason: "the courier lost the papers"}
		}
		return ps
	}
	type item struct {
		code        string
		qty, amount int
	}
	for _, tc := range []struct {
		name  string
		req   filing.Request
		items []item // besides the filing fees
		total int
	}{
		{"invention", filing.Request{Kind: "patent", Patent: &filing.Patent{Type: "invention", Claims: claims(10)}}, nil, 950},
		{"invention, 12 claims", filing.Request{Kind: "patent", Patent: &filing.Patent{Type: "invention", Claims: claims(12)}},
			[]item{{"claims_extra", 2, 300}}, 950 + 300},
		{"utility model, 11 claims", filing.Request{Kind: "patent", Patent: &filing.Patent{Type: "utility_model", Claims: claims(11)}},
			[]item{{"claims_extra", 1, 150}}, 500 + 150},
		{"invention, 2 priorities", filing.Request{Kind: "patent", Patent: &filing.Patent{Type: "invention", Claims: claims(3)},
			PriorityClaims: prio("2026-01-15", "2026-02-01")}, []item{{"priority_claim", 2, 160}}, 950 + 160},
		{"design with two priorities", filing.Request{Kind: "patent", Patent: &filing.Patent{Type: "design"},
			PriorityClaims: prio("2026-01-15", "2026-02-01")}, []item{{"priority_claim", 2, 160}}, 660},
		// 2025-05-20 + 12 months = 2026-05-20: ended; + 2 months = 2026-07-20: restorable.
		{"invention, one restored priority and one in time", filing.Request{Kind: "patent",
			Patent:         &filing.Patent{Type: "invention", Claims: claims(12)},
			PriorityClaims: append(restore(prio("2025-05-20")), prio("2026-01-15")...)},
			[]item{{"claims_extra", 2, 300}, {"priority_claim", 2, 160}, {"priority_restoration", 1, 1000}}, 950 + 300 + 160 + 1000},
		{"restoration asked while in time costs nothing extra", filing.Request{Kind: "patent",
			Patent: &filing.Patent{Type: "invention", Claims: claims(1)}, PriorityClaims: restore(prio("2026-01-15"))},
			[]item{{"priority_claim", 1, 80}}, 950 + 80},
		{"trademark pays no priority fee", filing.Request{Kind: "trademark", Trademark: &filing.Trademark{
			Classes: []filing.NiceClass{{Class: 9, Terms: terms(1)}}}, PriorityClaims: prio("2026-01-15", "2026-02-01")}, nil, 300},
		{"trademark, two classes, 10 and 13 terms", filing.Request{Kind: "trademark", Trademark: &filing.Trademark{
			Classes: []filing.NiceClass{{Class: 9, Terms: terms(10)}, {Class: 35, Terms: terms(13)}}}},
			[]item{{"trademark_extra_terms", 3, 90}}, 300 + 300 + 90},
	} {
		f := e.FeesOf(&tc.req, day)
		sum := 0
		var got []item
		for _, it := range f.Items {
			sum += it.Amount
			switch it.Code {
			case "invention_filing", "invention_publication", "utility_model_filing", "design_filing", "trademark_class":
			default:
				got = append(got, item{it.Code, it.Quantity, it.Amount})
			}
		}
		if f.Total != tc.total || sum != f.Total || f.Currency != "CNY" || !reflect.DeepEqual(got, tc.items) {
			t.Errorf("%s: fees %+v (extra items %v), want total %d and %v", tc.name, f, got, tc.total, tc.items)
		}
	}
}

func TestConfigKeys(t *testing.T) {
	e, err := filing.ParseExpo([]byte(`{"workingDays":["2026-11-07"],"holidays":["2026-11-09"],
	  "complaints":{"responseWindow":"48h"},"limits":{"requestsPerSecond":5,"burst":10},
	  "knownMarks":[{"text":"CATL","classes":[9],"owner":"CATL","registration":"12345"}],
	  "exhibitors":[{"id":"EX-0001","booth":"1A-101","name":"Ningde Cells"}],
	  "notifications":{"smtp":{"host":"127.0.0.1","port":1025,"from":"ipfast@example.com","password":"hunter2","tls":"none"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	cal := e.Calendar()
	if !cal.IsWorkingDay(filing.MustDate("2026-11-07")) || cal.IsWorkingDay(filing.MustDate("2026-11-09")) {
		t.Errorf("workingDays/holidays not applied")
	}
	if cal.IsWorkingDay(filing.MustDate("2026-02-14")) {
		t.Errorf("a list given replaces the default list whole: 2026-02-14 is no make-up day any more")
	}
	if e.Complaints.ResponseWindow != filing.Duration(48*time.Hour) || e.Complaints.SupplementWindow != filing.Duration(24*time.Hour) {
		t.Errorf("complaints = %+v", e.Complaints)
	}
	if e.Limits.RequestsPerSecond != 5 || e.Limits.Burst != 10 || e.Limits.UploadsPending != 100 || e.Limits.UploadBytesPending != 1<<30 {
		t.Errorf("limits = %+v", e.Limits)
	}
	if len(e.KnownMarks) != 1 || len(e.Exhibitors) != 1 || e.Notifications.SMTP == nil {
		t.Errorf("lists not read: %+v %+v %+v", e.KnownMarks, e.Exhibitors, e.Notifications)
	}
	out, _ := json.Marshal(e)
	if strings.Contains(string(out), "hunter2") {
		t.Errorf("the SMTP password is shown: %s", out)
	}
	for _, key := range []string{`"workingDays"`, `"limits"`, `"complaints"`, `"knownMarks"`, `"exhibitors"`, `"notifications"`, `"responseWindow":"24h0m0s"`} {
		if d, _ := json.Marshal(filing.DefaultExpo()); !strings.Contains(string(d), key) {
			t.Errorf("GET /v1/expo would not show %s", key)
		}
	}
	// A bad value or an unknown key stops with a message naming it.
	for bad, name := range map[string]string{
		`{"workingDays":["2026-11-09"]}`:                                               "workingDays",
		`{"workingDays":["2026-13-01"]}`:                                               "workingDays",
		`{"complaints":{"responseWindow":"a day"}}`:                                    "complaints.responseWindow",
		`{"complaints":{"answerWindow":"24h"}}`:                                        "complaints.answerWindow",
		`{"limits":{"requestsPerSecond":-1}}`:                                          "limits.requestsPerSecond",
		`{"limits":{"burst":"many"}}`:                                                  "limits.burst",
		`{"limits":{"uploadsPending":0}}`:                                              "limits.uploadsPending",
		`{"knownMarks":[{"text":"X","classes":[46]}]}`:                                 "knownMarks[0].classes",
		`{"exhibitors":[{"id":"EX-1"}]}`:                                               "exhibitors[0]",
		`{"notifications":{"smtp":{"host":"h","port":25,"from":"a@b.c","tls":"ssl"}}}`: "notifications.smtp.tls",
		`{"expos":[]}`: "expos",
		`{"expos":[{"id":"A","filingNumberPrefix":"A"},{"id":"A","filingNumberPrefix":"B"}]}`: "expos[1]",
		`{"limit":{}}`: "limit",
	} {
		_, err := filing.ParseExpo([]byte(bad))
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s: err = %v, want one naming %s", bad, err, name)
		}
	}
}

func TestExpos(t *testing.T) {
	e, err := filing.ParseExpo([]byte(`{"timeZone":"Asia/Shanghai","expos":[
	  {"id":"CISCE2026","filingNumberPrefix":"CISCE2026"},
	  {"id":"CANTON2026A","name":"Canton Fair (spring)","filingNumberPrefix":"CANTON26A","startDate":"2026-04-15","endDate":"2026-05-05"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	all := e.Expos()
	if len(all) != 2 || all[0] != e || e.ID != "CISCE2026" || all[1].ID != "CANTON2026A" || all[1].StartDate != "2026-04-15" {
		t.Fatalf("expos = %+v", all)
	}
	if all[1].Fees != e.Fees || !all[1].Calendar().IsWorkingDay(filing.MustDate("2026-02-14")) {
		t.Errorf("a listed expo keeps what it does not override")
	}
}

func TestRoute(t *testing.T) {
	e := filing.DefaultExpo()
	day := filing.MustDate("2026-06-23")
	for _, tc := range []struct {
		name string
		req  filing.Request
		want string
	}{
		{"invention", filing.Request{Kind: "patent", Patent: &filing.Patent{Type: "invention"}}, "patent-invention"},
		{"utility", filing.Request{Kind: "patent", Patent: &filing.Patent{Type: "utility_model"}}, "patent-utility-model"},
		{"design", filing.Request{Kind: "patent", Patent: &filing.Patent{Type: "design"}}, "patent-design"},
		{"trademark", filing.Request{Kind: "trademark", Trademark: &filing.Trademark{}}, "trademark"},
		{"exhibition claim far from its end", filing.Request{Kind: "trademark", Trademark: &filing.Trademark{},
			Exhibition: &filing.Exhibition{Expo: "CISCE2026", FirstDisplayDate: "2026-06-22"}}, "trademark"},
		// Trademark priority 2025-12-24 + 6 months = 2026-06-24: one day left.
		{"priority ending tomorrow", filing.Request{Kind: "trademark", Trademark: &filing.Trademark{},
			PriorityClaims: []filing.PriorityClaim{{Date: "2025-12-24"}}}, "expedited"},
		// Invention priority 2025-07-20 + 12 months = 2026-07-20: 27 days left.
		{"invention priority within 30 days", filing.Request{Kind: "patent", Patent: &filing.Patent{Type: "invention"},
			PriorityClaims: []filing.PriorityClaim{{Date: "2025-07-20"}}}, "expedited"},
		// 2025-08-01 + 12 months = 2026-08-01, a Saturday → Monday 2026-08-03: 41 days left.
		{"invention priority beyond 30 days", filing.Request{Kind: "patent", Patent: &filing.Patent{Type: "invention"},
			PriorityClaims: []filing.PriorityClaim{{Date: "2025-08-01"}}}, "patent-invention"},
		// An expired window (2025-07-16 + 6 months) is no deadline to hurry for.
		{"expired exhibition window", filing.Request{Kind: "patent", Patent: &filing.Patent{Type: "design"},
			Exhibition: &filing.Exhibition{Expo: "CISCE2025", FirstDisplayDate: "2025-07-16"}}, "patent-design"},
	} {
		if got := e.Route(&tc.req, day); got != tc.want {
			t.Errorf("%s: Route = %s, want %s", tc.name, got, tc.want)
		}
	}
	// First shown 2026-01-05 at a listed fair: the window ends 2026-07-06, 13 days after filing.
	withFair, err := filing.ParseExpo([]byte(`{"exhibitions":[{"id":"WINTER","name":"Winter fair",
		"startDate":"2026-01-05","endDate":"2026-01-09","qualifying":true}]}`))
	if err != nil {
		t.Fatal(err)
	}
	soon := filing.Request{Kind: "patent", Patent: &filing.Patent{Type: "design"},
		Exhibition: &filing.Exhibition{Expo: "WINTER", FirstDisplayDate: "2026-01-05"}}
	if got := withFair.Route(&soon, day); got != "expedited" {
		t.Errorf("exhibition window ending in 13 days: Route = %s, want expedited", got)
	}
	// Routing is data: a configuration can send all patents to one queue.
	e2, err := filing.ParseExpo([]byte(`{"routing":[{"queue":"patents","kind":"patent"},{"queue":"marks","kind":"trademark"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if got := e2.Route(&filing.Request{Kind: "patent", Patent: &filing.Patent{Type: "design"}}, day); got != "patents" {
		t.Errorf("configured routing: %s", got)
	}
}

// TestLifecycle enumerates every state × action through filing.Apply, the one way a filing
// changes state, against SPEC §4: "queued → in_review (leased by an examiner) → accepted |
// rejected | correction_requested; in_review → queued (release, or lease expiry);
// correction_requested → queued (amendment); queued | correction_requested → withdrawn (by the
// exhibitor); correction_requested → deemed_withdrawn (nobody amended by respondBy). Any other
// transition → 409 invalid_transition." (Extending a lease keeps in_review.)
func TestLifecycle(t *testing.T) {
	spec := map[filing.Action]struct {
		from []filing.State
		to   filing.State
	}{
		filing.ActLease:             {[]filing.State{"queued"}, "in_review"},
		filing.ActAccept:            {[]filing.State{"in_review"}, "accepted"},
		filing.ActReject:            {[]filing.State{"in_review"}, "rejected"},
		filing.ActRequestCorrection: {[]filing.State{"in_review"}, "correction_requested"},
		filing.ActRelease:           {[]filing.State{"in_review"}, "queued"},
		filing.ActLeaseExpired:      {[]filing.State{"in_review"}, "queued"},
		filing.ActExtend:            {[]filing.State{"in_review"}, "in_review"},
		filing.ActAmend:             {[]filing.State{"correction_requested"}, "queued"},
		filing.ActWithdraw:          {[]filing.State{"queued", "correction_requested"}, "withdrawn"},
		filing.ActDeemWithdrawn:     {[]filing.State{"correction_requested"}, "deemed_withdrawn"},
		// The examiner's verdicts on similar filings (SPEC §15) change no state.
		filing.ActSimilarConfirmed: {[]filing.State{"in_review"}, "in_review"},
		filing.ActSimilarDismissed: {[]filing.State{"in_review"}, "in_review"},
	}
	if len(filing.Actions()) != len(spec) {
		t.Fatalf("%d actions, the contract has %d", len(filing.Actions()), len(spec))
	}
	wantStates := []filing.State{"queued", "in_review", "accepted", "rejected", "correction_requested", "withdrawn", "deemed_withdrawn"}
	if !reflect.DeepEqual(filing.States, wantStates) {
		t.Errorf("States = %v, want SPEC §4's %v", filing.States, wantStates)
	}
	at := time.Date(2026, 6, 23, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
	by := filing.Actor{Subject: "examiner-1", Role: "examiner"}
	pairs := 0
	for _, st := range filing.States {
		for _, a := range filing.Actions() {
			f := filing.Filing{State: st, Version: 3}
			ev, err := filing.Apply(&f, a, by, at, filing.Change{Note: "n", Reasons: []filing.Reason{{Code: "other"}}})
			w, known := spec[a]
			if !known {
				t.Fatalf("action %s is not in the contract", a)
			}
			if slices.Contains(w.from, st) {
				pairs++
				if err != nil || f.State != w.to || f.Version != 4 || ev.Action != string(a) || ev.FromState != st ||
					ev.ToState != w.to || ev.Actor != "examiner-1" || ev.Role != "examiner" || ev.At != "2026-06-23T10:00:00+08:00" ||
					ev.Note != "n" || len(ev.Reasons) != 1 {
					t.Errorf("%s from %s: %+v, event %+v, %v", a, st, f, ev, err)
				}
				continue
			}
			if filing.ErrorKind(err) != filing.Conflict || filing.ErrorCode(err) != filing.CodeInvalidTransition ||
				f.State != st || f.Version != 3 {
				t.Errorf("%s from %s: %v, filing now %s v%d; want invalid_transition and no change", a, st, err, f.State, f.Version)
			}
		}
	}
	if pairs != 13 { // SPEC §4's 11, and the two verdicts on similar filings from in_review
		t.Errorf("%d allowed state × action pairs, want 13", pairs)
	}
	if ev := filing.NewEvent(by, at); ev.Action != "filed" || ev.ToState != "queued" || ev.FromState != "" {
		t.Errorf("first event %+v", ev)
	}
}

func TestMaskAndNewID(t *testing.T) {
	for in, want := range map[string]string{"": "", "123": "****", "110101199003071234": "****1234", "li@example.com": "****.com"} {
		if got := filing.Mask(in); got != want {
			t.Errorf("Mask(%q) = %q, want %q", in, got, want)
		}
	}
	f := filing.Filing{Request: filing.Request{Applicants: []filing.Applicant{{IDNumber: "110101199003071234"}},
		Contact: &filing.Contact{Email: "li@example.com", Phone: "+86 138 0000 1234"}}}
	m := f.Masked()
	if m.Applicants[0].IDNumber != "****1234" || m.Contact.Phone != "****1234" || f.Applicants[0].IDNumber != "110101199003071234" {
		t.Errorf("Masked: %+v, original %+v", m, f)
	}
	seen := map[string]bool{}
	for i := 0; i < 1000; i++ {
		id := filing.NewID("fil_", filing.SystemClock{}.Now())
		if seen[id] || len(id) != 30 {
			t.Fatalf("id %q repeated or of odd length", id)
		}
		seen[id] = true
	}
}

func TestAttachmentLimitsOverride(t *testing.T) {
	e, err := filing.ParseExpo([]byte(`{"attachments":{"views":{"types":["image/png"],"maxBytes":1048576}}}`))
	if err != nil {
		t.Fatal(err)
	}
	if v := e.Attachments["views"]; len(v.Types) != 1 || v.MaxBytes != 1<<20 {
		t.Errorf("views limit not overridden: %+v", v)
	}
	if m := e.Attachments["mark_image"]; m.MaxBytes != 200<<10 || m.MinSide != 400 || m.MaxSide != 1500 {
		t.Errorf("other roles' defaults lost: %+v", m)
	}
}

// TestTenants: the expos of a deployment by id ("" is the default), their qualified queue
// names, and ids that could not name a queue are refused.
func TestTenants(t *testing.T) {
	e, err := filing.ParseExpo([]byte(`{"expos":[{},{"id":"AUTUMN2026","filingNumberPrefix":"AUT26"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if x, ok := e.Tenant(""); !ok || x.ID != "CISCE2026" {
		t.Errorf(`Tenant("") = %v %v`, x, ok)
	}
	if x, ok := e.Tenant("AUTUMN2026"); !ok || x.NumberPrefix != "AUT26" || x.TimeZone != "Asia/Shanghai" {
		t.Errorf("Tenant(AUTUMN2026) = %+v %v", x, ok)
	}
	if _, ok := e.Tenant("autumn2026"); ok {
		t.Errorf("expo ids are case-sensitive")
	}
	all := e.AllQueues()
	if len(all) != 2*len(e.Queues()) || all[0] != "CISCE2026-"+e.Queues()[0] || !slices.Contains(all, "AUTUMN2026-trademark") {
		t.Errorf("AllQueues = %v", all)
	}
	for _, id := range []string{"", "-x", "has space", "a/b", strings.Repeat("x", 41), "中文"} {
		if _, err := filing.ParseExpo([]byte(`{"id":` + strconv.Quote(id) + `}`)); err == nil {
			t.Errorf("expo id %q accepted", id)
		}
	}
	if _, err := filing.ParseExpo([]byte(`{"expos":[{},{"id":"X","filingNumberPrefix":"CISCE2026"}]}`)); err == nil {
		t.Errorf("two expos with one number prefix accepted")
	}
}

// TestReasonCodesFor: every type's reasons are known codes, end with "other", and a trademark's
// and a design's own reasons are not offered for the other.
func TestReasonCodesFor(t *testing.T) {
	tm := filing.ReasonCodesFor(filing.Filing{Request: filing.Request{Kind: "trademark"}})
	design := filing.ReasonCodesFor(filing.Filing{Request: filing.Request{Kind: "patent", Patent: &filing.Patent{Type: "design"}}})
	inv := filing.ReasonCodesFor(filing.Filing{Request: filing.Request{Kind: "patent", Patent: &filing.Patent{Type: "invention"}}})
	for _, list := range [][]string{tm, design, inv} {
		for _, c := range list {
			if !slices.Contains(filing.ReasonCodes, c) {
				t.Errorf("unknown reason %s", c)
			}
		}
		if list[len(list)-1] != "other" {
			t.Errorf("%v does not end with other", list)
		}
	}
	if slices.Contains(design, "mark_unclear") || slices.Contains(tm, "views_unclear") || !slices.Contains(design, "views_unclear") ||
		!slices.Contains(inv, "claims_unclear") || slices.Contains(inv, "class_term_unacceptable") {
		t.Errorf("trademark %v, design %v, invention %v", tm, design, inv)
	}
}

// TestKnownMarksFile: knownMarksFile (relative to the configuration) adds the marks of a CSV
// file with a byte order mark and a header row; a row whose classes are not numbers is an error
// naming the line.
func TestKnownMarksFile(t *testing.T) {
	dir := t.TempDir()
	csv := "\uFEFFtext,classes,owner,registration\nHUAWEI,9;38,Huawei Technologies Co.,1234567\n\"华为\",\"9 35\",华为技术有限公司,7654321\n"
	if err := os.WriteFile(filepath.Join(dir, "marks.csv"), []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(dir, "expo.json")
	_ = os.WriteFile(cfg, []byte(`{"knownMarks":[{"text":"CATL","classes":[9]}],"knownMarksFile":"marks.csv"}`), 0o644)
	e, err := filing.LoadExpo(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(e.KnownMarks) != 3 || e.KnownMarks[1].Text != "HUAWEI" || fmt.Sprint(e.KnownMarks[1].Classes) != "[9 38]" ||
		e.KnownMarks[2].Text != "华为" || fmt.Sprint(e.KnownMarks[2].Classes) != "[9 35]" || e.KnownMarks[2].Registration != "7654321" {
		t.Errorf("known marks: %+v", e.KnownMarks)
	}
	_ = os.WriteFile(filepath.Join(dir, "marks.csv"), []byte("HUAWEI,9\nBAD,nine\n"), 0o644)
	if _, err := filing.LoadExpo(cfg); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("a bad row: %v", err)
	}
	_ = os.WriteFile(filepath.Join(dir, "marks.csv"), []byte("HUAWEI,99\n"), 0o644)
	if _, err := filing.LoadExpo(cfg); err == nil || !strings.Contains(err.Error(), "not a Nice class") {
		t.Errorf("class 99: %v", err)
	}
}

package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ipfast/ipfast/shared/auth"
	"github.com/ipfast/ipfast/shared/filing"
)

// FuzzSubmitRaw sends arbitrary bytes (not only JSON) as the body of POST /v1/filings, each
// from an exhibitor of its own, and asserts what SPEC §3 promises: never a 5xx; nothing stored
// unless the answer is 201; and what is stored is what was sent, every string byte for byte
// (no repaired encoding, no dropped or altered character).
func FuzzSubmitRaw(f *testing.F) {
	invention := `{"kind":"patent","patent":{"type":"invention","title":"钠离子电池","abstract":"A cell.",
	  "claims":["1. A cell.","2. The cell of claim 1."],"inventors":[{"name":"Zhang San","nationality":"CN"}]},
	  "applicants":[{"name":"Müller GmbH","kind":"organization","nationality":"CN","domicile":"DE","address":"Berlin"}],
	  "priorityClaims":[{"office":"EP","number":"EP1","date":"2025-07-01"}],
	  "contact":{"name":"Anna","email":"anna@example.de"},"language":"en"}`
	for _, seed := range []string{
		trademark, invention,
		`{"kind":"trademark","trademark":{"markType":"word","markText":"\ud83d\ude00 e\u0301","classes":[{"class":9,"terms":["x"]}]},` +
			`"applicants":[{"name":"A","kind":"organization","nationality":"CN","domicile":"CN","address":"B"}],"contact":{"name":"C","phone":"12345"},"language":"zh"}`,
		`{"kind":"trademark","kind":"patent"}`, `{"KIND":"trademark"}`, "{\"kind\":\"\xff\"}", `{"kind":"\udc00"}`,
		`{"kind":"trademark","trademark":{"markText":"CA\u200bTL"}}`, `[]`, `null`, ``, `{"kind":1e999}`,
	} {
		f.Add([]byte(seed))
	}
	e := newEnv(f)
	var n atomic.Int64
	f.Fuzz(func(t *testing.T, body []byte) {
		exhibitor := fmt.Sprintf("EX-F%d", n.Add(1))
		tok, err := auth.Sign(secret, filing.Principal{Subject: "kiosk-" + exhibitor, Role: "kiosk", Exhibitor: exhibitor, Booth: "1A-101"},
			e.clock.Now(), time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		req, _ := http.NewRequest("POST", e.srv.URL+"/v1/filings", bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Idempotency-Key", exhibitor)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var answer struct {
			ID string `json:"id"`
		}
		_ = json.NewDecoder(res.Body).Decode(&answer)
		res.Body.Close()
		if res.StatusCode >= 500 {
			t.Fatalf("%d for %q", res.StatusCode, body)
		}
		page, err := e.svc.Store.List(t.Context(), filing.ListQuery{Expo: e.svc.Expo.ID, Exhibitor: exhibitor, Limit: 5})
		if err != nil {
			t.Fatal(err)
		}
		if res.StatusCode != http.StatusCreated {
			if len(page.Items) != 0 {
				t.Fatalf("answered %d but stored %d filings for %q", res.StatusCode, len(page.Items), body)
			}
			return
		}
		if len(page.Items) != 1 || page.Items[0].ID != answer.ID {
			t.Fatalf("201 but stored %d filings", len(page.Items))
		}
		stored, err := e.svc.Store.Get(t.Context(), e.svc.Expo.ID, answer.ID)
		if err != nil {
			t.Fatal(err)
		}
		var sent, kept any
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.UseNumber()
		if err := dec.Decode(&sent); err != nil {
			t.Fatalf("accepted a body that does not decode: %v", err)
		}
		b, _ := json.Marshal(stored.Request)
		dec = json.NewDecoder(bytes.NewReader(b))
		dec.UseNumber()
		if err := dec.Decode(&kept); err != nil {
			t.Fatal(err)
		}
		sameStrings(t, "", sent, kept)
	})
}

// sameStrings checks that every string of sent stands, identical, at the same place in kept.
func sameStrings(t *testing.T, ptr string, sent, kept any) {
	t.Helper()
	switch s := sent.(type) {
	case string:
		if k, ok := kept.(string); !ok || k != s {
			t.Fatalf("%s: sent %q, stored %#v", ptr, s, kept)
		}
	case map[string]any:
		k, _ := kept.(map[string]any)
		for key, v := range s {
			if _, isStr := v.(string); isStr && v == "" {
				continue // an empty optional string is omitted when stored
			}
			sameStrings(t, ptr+"/"+key, v, k[key])
		}
	case []any:
		k, _ := kept.([]any)
		if len(k) != len(s) && !(len(s) == 0 && k == nil) {
			t.Fatalf("%s: sent %d elements, stored %d", ptr, len(s), len(k))
		}
		for i := range s {
			sameStrings(t, fmt.Sprintf("%s/%d", ptr, i), s[i], k[i])
		}
	}
}

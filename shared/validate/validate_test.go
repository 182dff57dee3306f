package validate_test

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/ipfast/ipfast/shared/filing"
	"github.com/ipfast/ipfast/shared/validate"
)

const trademarkJSON = `{
  "kind": "trademark",
  "trademark": {"markType": "word", "markText": "CATL",
    "classes": [{"class": 9, "terms": ["Batteries, electric", "Battery chargers"]}]},
  "applicants": [{"name": "Contemporary Amperex Technology Co., Limited", "kind": "organization",
    "nationality": "CN", "domicile": "CN", "address": "No. 2 Xingang Road, Ningde, Fujian", "idNumber": "91350900587527783P"}],
  "priorityClaims": [{"office": "US", "number": "97/123,456", "date": "2026-01-15"}],
  "exhibition": {"expo": "CISCE2026", "firstDisplayDate": "2026-06-22", "booth": "1A-101", "exhibit": "Sodium-ion cell"},
  "contact": {"name": "Li Wei", "email": "li.wei@example.com", "phone": "+86 138 0000 1234"},
  "language": "zh"
}`

const inventionJSON = `{
  "kind": "patent",
  "patent": {"type": "invention", "title": "Sodium-ion battery cell",
    "abstract": "A sodium-ion battery cell with a layered oxide cathode and a hard carbon anode.",
    "claims": ["1. A battery cell comprising a layered oxide cathode.", "2. The cell of claim 1, wherein the anode is hard carbon."],
    "inventors": [{"name": "Zhang San", "nationality": "CN"}, {"name": "Anna Schmidt", "nationality": "DE"}]},
  "applicants": [{"name": "Ningde Battery Research GmbH", "kind": "organization", "nationality": "DE", "domicile": "DE",
    "address": "Hauptstrasse 1, Berlin"}],
  "agent": {"name": "Beijing IP Agency", "agencyCode": "11001"},
  "priorityClaims": [{"office": "EP", "number": "EP25123456", "date": "2025-09-01"}],
  "contact": {"name": "Anna Schmidt", "email": "anna@example.de"},
  "language": "en"
}`

// filingDay is a day of the expo: Tuesday 23 June 2026.
var filingDay = filing.MustDate("2026-06-23")

func env() validate.Env {
	return validate.Env{Expo: filing.DefaultExpo(), FilingDate: filingDay, Attachments: map[string]validate.Attachment{
		"att_drawings": {Role: "drawings"}, "att_views": {Role: "views"}, "att_mark": {Role: "mark_image"}, "att_sound": {Role: "sound_sample"},
		"att_small_mark":  {Role: "mark_image", Problem: "mark_image_invalid"},
		"att_png_as_jpeg": {Role: "mark_image", Problem: "attachment_invalid"}}}
}

func decode(t testing.TB, s string) *filing.Request {
	t.Helper()
	r, err := validate.Decode([]byte(s))
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	return r
}

func TestValidBasesPass(t *testing.T) {
	for name, body := range map[string]string{"trademark": trademarkJSON, "invention": inventionJSON} {
		res := validate.Check(decode(t, body), env())
		if len(res.Problems) != 0 || len(res.Warnings) != 0 {
			t.Errorf("%s: problems %+v warnings %+v", name, res.Problems, res.Warnings)
		}
	}
}

type want struct{ field, code string }

type ruleCase struct {
	name   string
	base   string
	mutate func(r *filing.Request)
	env    func(e *validate.Env)
	want   []want // problems, exactly
	warn   []want // warnings, exactly
}

func ruleCases() []ruleCase {
	tm, inv := trademarkJSON, inventionJSON
	longText := strings.Repeat("x", 301)
	brief := "Battery pack housing; design points in the shape; the front view shows them best."
	many := func(n int, v string) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = v
		}
		return out
	}
	return []ruleCase{
		// Structural (validator/v10) rules.
		{name: "kind missing", base: tm, mutate: func(r *filing.Request) { r.Kind = "" },
			want: []want{{"/kind", "required"}}},
		{name: "kind unknown", base: tm, mutate: func(r *filing.Request) { r.Kind = "copyright" },
			want: []want{{"/kind", "invalid_enum"}}},
		{name: "no applicants", base: tm, mutate: func(r *filing.Request) { r.Applicants = nil },
			want: []want{{"/applicants", "required"}}},
		{name: "applicant name too long", base: tm, mutate: func(r *filing.Request) { r.Applicants[0].Name = strings.Repeat("名", 501) },
			want: []want{{"/applicants/0/name", "too_long"}}},
		{name: "nationality not ISO", base: tm, mutate: func(r *filing.Request) { r.Applicants[0].Nationality = "XX" },
			want: []want{{"/applicants/0/nationality", "country_code_invalid"}}},
		{name: "lower-case country", base: tm, mutate: func(r *filing.Request) { r.Applicants[0].Domicile = "cn" },
			want: []want{{"/applicants/0/domicile", "country_code_invalid"}}},
		{name: "priority office ST.3 code is fine", base: tm, mutate: func(r *filing.Request) { r.PriorityClaims[0].Office = "EM" }},
		{name: "priority office unknown", base: tm, mutate: func(r *filing.Request) { r.PriorityClaims[0].Office = "EU" },
			want: []want{{"/priorityClaims/0/office", "country_code_invalid"}}},
		{name: "priority date not a date", base: tm, mutate: func(r *filing.Request) { r.PriorityClaims[0].Date = "2026-02-30" },
			want: []want{{"/priorityClaims/0/date", "date_invalid"}}},
		{name: "display date badly formed", base: tm, mutate: func(r *filing.Request) { r.Exhibition.FirstDisplayDate = "22/06/2026" },
			want: []want{{"/exhibition/firstDisplayDate", "date_invalid"}}},
		{name: "email malformed", base: tm, mutate: func(r *filing.Request) { r.Contact.Email = "li.wei-at-example" },
			want: []want{{"/contact/email", "invalid_format"}}},
		{name: "email with two @", base: tm, mutate: func(r *filing.Request) { r.Contact.Email = "li@wei@example.com" },
			want: []want{{"/contact/email", "invalid_format"}}},
		{name: "email without a dotted domain", base: tm, mutate: func(r *filing.Request) { r.Contact.Email = "li@localhost" },
			want: []want{{"/contact/email", "invalid_format"}}},
		{name: "email with a space", base: tm, mutate: func(r *filing.Request) { r.Contact.Email = "li wei@example.com" },
			want: []want{{"/contact/email", "invalid_format"}}},
		{name: "phone only is enough", base: tm, mutate: func(r *filing.Request) { r.Contact.Email = "" }},
		{name: "phone with letters", base: tm, mutate: func(r *filing.Request) { r.Contact.Phone = "call me" },
			want: []want{{"/contact/phone", "invalid_format"}}},
		{name: "agency code malformed", base: inv, mutate: func(r *filing.Request) { r.Agent.AgencyCode = "1100A" },
			want: []want{{"/agent/agencyCode", "invalid_format"}}},
		{name: "contact without a way to reach", base: tm, mutate: func(r *filing.Request) { r.Contact.Email, r.Contact.Phone = "", "" },
			want: []want{{"/contact/email", "required"}, {"/contact/phone", "required"}}},
		{name: "language unknown", base: tm, mutate: func(r *filing.Request) { r.Language = "fr" },
			want: []want{{"/language", "invalid_enum"}}},
		{name: "mark type unknown", base: tm, mutate: func(r *filing.Request) { r.Trademark.MarkType = "hologram" },
			want: []want{{"/trademark/markType", "invalid_enum"}}},
		{name: "patent type missing", base: inv, mutate: func(r *filing.Request) { r.Patent.Type = "" },
			want: []want{{"/patent/type", "required"}}},
		{name: "no inventors", base: inv, mutate: func(r *filing.Request) { r.Patent.Inventors = nil },
			want: []want{{"/patent/inventors", "required"}}},
		// Kind and type.
		{name: "patent kind without patent", base: inv, mutate: func(r *filing.Request) { r.Patent = nil },
			want: []want{{"/patent", "required"}}},
		{name: "trademark kind with a patent part", base: tm, mutate: func(r *filing.Request) { r.Patent = &filing.Patent{} },
			want: []want{{"/patent", "not_allowed"}, {"/patent/type", "required"}, {"/patent/title", "required"}, {"/patent/inventors", "required"}}},
		{name: "design with claims", base: inv, mutate: func(r *filing.Request) {
			r.Patent.Type, r.Patent.LocarnoClass, r.Attachments = "design", "13-02", []string{"att_views"}
			r.PriorityClaims, r.Patent.BriefDescription, r.Patent.Abstract = nil, brief, ""
		}, want: []want{{"/patent/claims", "not_allowed"}}},
		{name: "invention with a Locarno class", base: inv, mutate: func(r *filing.Request) { r.Patent.LocarnoClass = "13-02" },
			want: []want{{"/patent/locarnoClass", "not_allowed"}}},
		{name: "color claim on a word mark", base: tm, mutate: func(r *filing.Request) { r.Trademark.ColorClaim = []string{"red"} },
			want: []want{{"/trademark/colorClaim", "not_allowed"}}},
		// Patents.
		{name: "invention without claims", base: inv, mutate: func(r *filing.Request) { r.Patent.Claims = nil },
			want: []want{{"/patent/claims", "claims_required"}}},
		{name: "invention with an empty claim", base: inv, mutate: func(r *filing.Request) { r.Patent.Claims[1] = " " },
			want: []want{{"/patent/claims/1", "required"}}},
		{name: "invention without abstract", base: inv, mutate: func(r *filing.Request) { r.Patent.Abstract = "" },
			want: []want{{"/patent/abstract", "required"}}},
		{name: "utility model without drawings", base: inv, mutate: func(r *filing.Request) { r.Patent.Type = "utility_model" },
			want: []want{{"/attachments", "drawings_required"}}},
		{name: "utility model with drawings", base: inv, mutate: func(r *filing.Request) {
			r.Patent.Type, r.Attachments = "utility_model", []string{"att_drawings"}
		}},
		{name: "design without views", base: inv, mutate: func(r *filing.Request) {
			r.Patent.Type, r.Patent.Claims, r.Patent.LocarnoClass, r.PriorityClaims = "design", nil, "13-02", nil
			r.Patent.BriefDescription, r.Patent.Abstract = brief, ""
		}, want: []want{{"/attachments", "views_required"}}},
		{name: "design without Locarno class", base: inv, mutate: func(r *filing.Request) {
			r.Patent.Type, r.Patent.Claims, r.Attachments, r.PriorityClaims = "design", nil, []string{"att_views"}, nil
			r.Patent.BriefDescription, r.Patent.Abstract = brief, ""
		}, want: []want{{"/patent/locarnoClass", "required"}}},
		{name: "Locarno class 33", base: inv, mutate: func(r *filing.Request) {
			r.Patent.Type, r.Patent.Claims, r.Patent.LocarnoClass, r.Attachments, r.PriorityClaims = "design", nil, "33-01", []string{"att_views"}, nil
			r.Patent.BriefDescription, r.Patent.Abstract = brief, ""
		}, want: []want{{"/patent/locarnoClass", "locarno_class_invalid"}}},
		{name: "Locarno class badly formed", base: inv, mutate: func(r *filing.Request) {
			r.Patent.Type, r.Patent.Claims, r.Patent.LocarnoClass, r.Attachments, r.PriorityClaims = "design", nil, "1302", []string{"att_views"}, nil
			r.Patent.BriefDescription, r.Patent.Abstract = brief, ""
		}, want: []want{{"/patent/locarnoClass", "locarno_class_invalid"}}},
		{name: "Locarno 00 class", base: inv, mutate: func(r *filing.Request) {
			r.Patent.Type, r.Patent.Claims, r.Patent.LocarnoClass, r.Attachments, r.PriorityClaims = "design", nil, "00-01", []string{"att_views"}, nil
			r.Patent.BriefDescription, r.Patent.Abstract = brief, ""
		}, want: []want{{"/patent/locarnoClass", "locarno_class_invalid"}}},
		// Trademarks.
		{name: "Nice class 0", base: tm, mutate: func(r *filing.Request) { r.Trademark.Classes[0].Class = 0 },
			want: []want{{"/trademark/classes/0/class", "nice_class_range"}}},
		{name: "Nice class 46", base: tm, mutate: func(r *filing.Request) { r.Trademark.Classes[0].Class = 46 },
			want: []want{{"/trademark/classes/0/class", "nice_class_range"}}},
		{name: "class listed twice", base: tm, mutate: func(r *filing.Request) {
			r.Trademark.Classes = append(r.Trademark.Classes, filing.NiceClass{Class: 9, Terms: []string{"Cables"}})
		}, want: []want{{"/trademark/classes/1/class", "duplicate_class"}}},
		{name: "class without terms", base: tm, mutate: func(r *filing.Request) { r.Trademark.Classes[0].Terms = nil },
			want: []want{{"/trademark/classes/0/terms", "terms_required"}}},
		{name: "empty term", base: tm, mutate: func(r *filing.Request) { r.Trademark.Classes[0].Terms[1] = "" },
			want: []want{{"/trademark/classes/0/terms/1", "terms_required"}}},
		{name: "no classes", base: tm, mutate: func(r *filing.Request) { r.Trademark.Classes = nil },
			want: []want{{"/trademark/classes", "required"}}},
		{name: "word mark without text", base: tm, mutate: func(r *filing.Request) { r.Trademark.MarkText = " " },
			want: []want{{"/trademark/markText", "mark_text_required"}}},
		{name: "combined mark needs text and image", base: tm, mutate: func(r *filing.Request) {
			r.Trademark.MarkType, r.Trademark.MarkText = "combined", ""
		}, want: []want{{"/trademark/markText", "mark_text_required"}, {"/attachments", "mark_image_required"}}},
		{name: "figurative mark with its image", base: tm, mutate: func(r *filing.Request) {
			r.Trademark.MarkType, r.Attachments = "figurative", []string{"att_mark"}
		}},
		{name: "three-dimensional mark without image", base: tm, mutate: func(r *filing.Request) { r.Trademark.MarkType = "three_dimensional" },
			want: []want{{"/attachments", "mark_image_required"}}},
		{name: "color mark without claim", base: tm, mutate: func(r *filing.Request) {
			r.Trademark.MarkType, r.Attachments = "color", []string{"att_mark"}
		}, want: []want{{"/trademark/colorClaim", "color_claim_required"}}},
		{name: "sound mark with description and sample needs no image", base: tm, mutate: func(r *filing.Request) {
			r.Trademark.MarkType, r.Trademark.MarkText = "sound", ""
			r.Trademark.Description, r.Attachments = "Numbered notation: 1 3 5 | 5 - 3 1", []string{"att_sound"}
		}},
		{name: "sound mark without description or sample", base: tm, mutate: func(r *filing.Request) { r.Trademark.MarkType = "sound" },
			want: []want{{"/trademark/description", "required"}, {"/attachments", "sound_sample_required"}}},
		{name: "sound mark cannot claim colours", base: tm, mutate: func(r *filing.Request) {
			r.Trademark.MarkType, r.Trademark.ColorClaim = "sound", []string{"red"}
			r.Trademark.Description, r.Attachments = "a chime", []string{"att_sound"}
		}, want: []want{{"/trademark/colorClaim", "not_allowed"}}},
		{name: "figurative mark may designate colours", base: tm, mutate: func(r *filing.Request) {
			r.Trademark.MarkType, r.Attachments, r.Trademark.ColorClaim = "figurative", []string{"att_mark"}, []string{"red", "blue"}
		}},
		{name: "combined and three-dimensional marks may designate colours", base: tm, mutate: func(r *filing.Request) {
			r.Trademark.MarkType, r.Attachments, r.Trademark.ColorClaim = "combined", []string{"att_mark"}, []string{"蓝色"}
		}},
		{name: "an empty colour", base: tm, mutate: func(r *filing.Request) {
			r.Trademark.MarkType, r.Attachments, r.Trademark.ColorClaim = "three_dimensional", []string{"att_mark"}, []string{" "}
		}, want: []want{{"/trademark/colorClaim/0", "color_claim_required"}}},
		// Applicants and agent.
		{name: "foreign applicants without agent", base: inv, mutate: func(r *filing.Request) { r.Agent = nil },
			want: []want{{"/agent", "agent_required"}}},
		{name: "a second applicant domiciled in CN does not represent the first", base: inv, mutate: func(r *filing.Request) {
			r.Agent = nil
			r.Applicants = append(r.Applicants, filing.Applicant{Name: "Li", Kind: "individual", Nationality: "CN", Domicile: "CN", Address: "Beijing"})
		}, want: []want{{"/agent", "agent_required"}}},
		{name: "patent agent without agency code", base: inv, mutate: func(r *filing.Request) { r.Agent.AgencyCode = "" },
			want: []want{{"/agent/agencyCode", "required"}}},
		{name: "trademark agent without agency code", base: tm, mutate: func(r *filing.Request) {
			r.Agent = &filing.Agent{Name: "Beijing TM Agency"}
		}},
		{name: "trademark agency code of another form", base: tm, mutate: func(r *filing.Request) {
			r.Agent = &filing.Agent{Name: "Beijing TM Agency", AgencyCode: "TM-AG-2019-0042"}
		}},
		{name: "trademark agency code too long", base: tm, mutate: func(r *filing.Request) {
			r.Agent = &filing.Agent{Name: "Beijing TM Agency", AgencyCode: strings.Repeat("1", 33)}
		}, want: []want{{"/agent/agencyCode", "too_long"}}},
		// Priority (filing date 2026-06-23).
		{name: "trademark priority older than 6 months", base: tm, mutate: func(r *filing.Request) { r.PriorityClaims[0].Date = "2025-12-22" },
			want: []want{{"/priorityClaims/0/date", "priority_expired"}}},
		{name: "trademark priority ending on the filing date", base: tm, mutate: func(r *filing.Request) { r.PriorityClaims[0].Date = "2025-12-23" }},
		{name: "priority period ending on a Saturday runs to Monday", base: tm, mutate: func(r *filing.Request) {
			r.PriorityClaims[0].Date = "2025-12-20" // + 6 months = Saturday 2026-06-20 → Monday 2026-06-22
		}, env: func(e *validate.Env) { e.FilingDate = filing.MustDate("2026-06-22") }},
		{name: "the Monday after is too late", base: tm, mutate: func(r *filing.Request) { r.PriorityClaims[0].Date = "2025-12-20" },
			want: []want{{"/priorityClaims/0/date", "priority_expired"}}},
		{name: "invention priority within 12 months", base: inv, mutate: func(r *filing.Request) { r.PriorityClaims[0].Date = "2025-06-23" }},
		{name: "invention priority older than 12 months", base: inv, mutate: func(r *filing.Request) { r.PriorityClaims[0].Date = "2025-06-22" },
			want: []want{{"/priorityClaims/0/date", "priority_expired"}}},
		{name: "design priority is 6 months", base: inv, mutate: func(r *filing.Request) {
			r.Patent.Type, r.Patent.Claims, r.Patent.LocarnoClass, r.Attachments = "design", nil, "13-02", []string{"att_views"}
			r.Patent.BriefDescription, r.Patent.Abstract = brief, ""
			r.PriorityClaims[0].Date = "2025-12-01"
		}, want: []want{{"/priorityClaims/0/date", "priority_expired"}}},
		{name: "priority date after filing date", base: tm, mutate: func(r *filing.Request) { r.PriorityClaims[0].Date = "2026-06-24" },
			want: []want{{"/priorityClaims/0/date", "priority_date_in_future"}}},
		// Exhibition claims.
		{name: "unknown exhibition", base: tm, mutate: func(r *filing.Request) { r.Exhibition.Expo = "CES2026" },
			want: []want{{"/exhibition/expo", "exhibition_unknown"}}},
		{name: "display date before the expo", base: tm, mutate: func(r *filing.Request) { r.Exhibition.FirstDisplayDate = "2026-06-21" },
			want: []want{{"/exhibition/firstDisplayDate", "exhibition_date_outside_expo"}}},
		{name: "last day of the expo", base: tm, mutate: func(r *filing.Request) { r.Exhibition.FirstDisplayDate = "2026-06-26" },
			env: func(e *validate.Env) { e.FilingDate = filing.MustDate("2026-06-26") }},
		{name: "window of last year's expo has expired", base: tm, mutate: func(r *filing.Request) {
			r.Exhibition.Expo, r.Exhibition.FirstDisplayDate = "CISCE2025", "2025-07-16"
		}, want: []want{{"/exhibition/firstDisplayDate", "exhibition_window_expired"}}},
		{name: "window ends on a holiday and runs to the next working day", base: tm, mutate: func(r *filing.Request) {
			r.Exhibition.Expo, r.Exhibition.FirstDisplayDate = "CISCE2025", "2025-07-16"
			r.PriorityClaims = nil
		}, env: func(e *validate.Env) { e.FilingDate = filing.MustDate("2026-01-16") }}, // Friday, a working day
		{name: "not a qualifying exhibition", base: tm, env: func(e *validate.Env) {
			x, _ := filing.ParseExpo([]byte(`{"qualifying": false}`))
			e.Expo = x
		}, want: []want{{"/exhibition/expo", "exhibition_not_qualifying"}}},
		// Attachments.
		{name: "unknown attachment", base: tm, mutate: func(r *filing.Request) { r.Attachments = []string{"att_views", "att_nope"} },
			want: []want{{"/attachments/1", "attachment_unknown"}}},
		{name: "no uploads known: every id is unknown", base: tm, mutate: func(r *filing.Request) { r.Attachments = []string{"att_views"} },
			env: func(e *validate.Env) { e.Attachments = nil }, want: []want{{"/attachments/0", "attachment_unknown"}}},
		{name: "a mark image that breaks the mark rules", base: tm, mutate: func(r *filing.Request) {
			r.Trademark.MarkType, r.Attachments = "figurative", []string{"att_small_mark"}
		}, want: []want{{"/attachments/0", "mark_image_invalid"}}},
		{name: "bytes that are not what was declared", base: tm, mutate: func(r *filing.Request) {
			r.Trademark.MarkType, r.Attachments = "figurative", []string{"att_mark", "att_png_as_jpeg"}
		}, want: []want{{"/attachments/1", "attachment_invalid"}}},
		// Designs (SPEC §4: 简要说明, Patent Law Art. 27).
		{name: "design without brief description", base: inv, mutate: func(r *filing.Request) {
			r.Patent.Type, r.Patent.Claims, r.Patent.LocarnoClass, r.Attachments, r.PriorityClaims = "design", nil, "13-02", []string{"att_views"}, nil
			r.Patent.Abstract = ""
		}, want: []want{{"/patent/briefDescription", "brief_description_required"}}},
		{name: "invention with a brief description", base: inv, mutate: func(r *filing.Request) { r.Patent.BriefDescription = brief },
			want: []want{{"/patent/briefDescription", "not_allowed"}}},
		// Priority restoration (Implementing Regulations Art. 36); filing date 2026-06-23.
		{name: "late invention priority restored", base: inv, mutate: func(r *filing.Request) {
			r.PriorityClaims[0].Date = "2025-05-20" // ended 2026-05-20; + 2 months = 2026-07-20
			r.PriorityClaims[0].Restoration = &filing.Restoration{Reason: "The priority document was lost in the post."}
		}, warn: []want{{"/priorityClaims/0/restoration", "priority_restoration_requested"}}},
		{name: "restoration needs a reason", base: inv, mutate: func(r *filing.Request) {
			r.PriorityClaims[0].Date, r.PriorityClaims[0].Restoration = "2025-05-20", &filing.Restoration{}
		}, want: []want{{"/priorityClaims/0/restoration/reason", "required"}},
			warn: []want{{"/priorityClaims/0/restoration", "priority_restoration_requested"}}},
		{name: "restoration asked too late", base: inv, mutate: func(r *filing.Request) {
			r.PriorityClaims[0].Date = "2025-04-01" // ended 2026-04-01; + 2 months = 2026-06-01
			r.PriorityClaims[0].Restoration = &filing.Restoration{Reason: "late"}
		}, want: []want{{"/priorityClaims/0/date", "priority_expired"}}},
		{name: "no restoration for trademarks", base: tm, mutate: func(r *filing.Request) {
			r.PriorityClaims[0].Date = "2025-12-01"
			r.PriorityClaims[0].Restoration = &filing.Restoration{Reason: "late"}
		}, want: []want{{"/priorityClaims/0/date", "priority_expired"}}},
		{name: "no restoration for designs", base: inv, mutate: func(r *filing.Request) {
			r.Patent.Type, r.Patent.Claims, r.Patent.LocarnoClass, r.Attachments = "design", nil, "13-02", []string{"att_views"}
			r.Patent.BriefDescription, r.Patent.Abstract = brief, ""
			r.PriorityClaims[0].Date, r.PriorityClaims[0].Restoration = "2025-12-01", &filing.Restoration{Reason: "late"}
		}, want: []want{{"/priorityClaims/0/date", "priority_expired"}}},
		// Make-up working days (调休): 2025-08-14 + 6 months = Saturday 2026-02-14, worked.
		{name: "a period ending on a make-up Saturday is not extended", base: tm, mutate: func(r *filing.Request) {
			r.PriorityClaims[0].Date, r.Exhibition = "2025-08-14", nil
		}, env: func(e *validate.Env) { e.FilingDate = filing.MustDate("2026-02-16") },
			want: []want{{"/priorityClaims/0/date", "priority_expired"}}},
		{name: "filed on the make-up Saturday itself", base: tm, mutate: func(r *filing.Request) {
			r.PriorityClaims[0].Date, r.Exhibition = "2025-08-14", nil
		}, env: func(e *validate.Env) { e.FilingDate = filing.MustDate("2026-02-14") }},
		// Exhibition claims, revision 2.
		{name: "display date after the filing date", base: tm, mutate: func(r *filing.Request) { r.Exhibition.FirstDisplayDate = "2026-06-24" },
			want: []want{{"/exhibition/firstDisplayDate", "exhibition_date_in_future"}}},
		{name: "exhibition claim for services only", base: tm, mutate: func(r *filing.Request) {
			r.Trademark.Classes = []filing.NiceClass{{Class: 35, Terms: []string{"Advertising"}}, {Class: 42, Terms: []string{"Software design"}}}
		}, want: []want{{"/exhibition", "exhibition_goods_only"}}},
		{name: "exhibition claim for goods and services", base: tm, mutate: func(r *filing.Request) {
			r.Trademark.Classes = append(r.Trademark.Classes, filing.NiceClass{Class: 35, Terms: []string{"Advertising"}})
		}},
		{name: "unknown exhibition certificate", base: tm, mutate: func(r *filing.Request) { r.Exhibition.Certificate = "cert_0000" },
			want: []want{{"/exhibition/certificate", "exhibition_certificate_mismatch"}}},
		{name: "the exhibitor's own certificate", base: tm, mutate: func(r *filing.Request) { r.Exhibition.Certificate = "cert_1" },
			env: func(e *validate.Env) { e.Exhibitor, e.Certificate = "EX-0001", certificate(nil) }},
		{name: "a revoked certificate", base: tm, mutate: func(r *filing.Request) { r.Exhibition.Certificate = "cert_1" },
			env: func(e *validate.Env) {
				e.Exhibitor, e.Certificate = "EX-0001", certificate(func(c *filing.Certificate) { c.Revoked = true })
			}, want: []want{{"/exhibition/certificate", "exhibition_certificate_mismatch"}}},
		{name: "another exhibitor's certificate", base: tm, mutate: func(r *filing.Request) { r.Exhibition.Certificate = "cert_1" },
			env:  func(e *validate.Env) { e.Exhibitor, e.Certificate = "EX-0002", certificate(nil) },
			want: []want{{"/exhibition/certificate", "exhibition_certificate_mismatch"}}},
		{name: "a certificate of another first display", base: tm, mutate: func(r *filing.Request) { r.Exhibition.Certificate = "cert_1" },
			env: func(e *validate.Env) {
				e.Exhibitor, e.Certificate = "EX-0001", certificate(func(c *filing.Certificate) { c.Payload.FirstDisplayDate = "2026-06-23" })
			}, want: []want{{"/exhibition/certificate", "exhibition_certificate_mismatch"}}},
		{name: "a certificate of another booth", base: tm, mutate: func(r *filing.Request) { r.Exhibition.Certificate = "cert_1" },
			env: func(e *validate.Env) {
				e.Exhibitor, e.Certificate = "EX-0001", certificate(func(c *filing.Certificate) { c.Payload.Booth = "9Z-999" })
			}, want: []want{{"/exhibition/certificate", "exhibition_certificate_mismatch"}}},
		// Characters that hide or reorder text.
		{name: "zero-width space in the mark", base: tm, mutate: func(r *filing.Request) { r.Trademark.MarkText = "CA\u200bTL" },
			want: []want{{"/trademark/markText", "invalid_characters"}}},
		{name: "bidirectional override in a name", base: tm, mutate: func(r *filing.Request) { r.Applicants[0].Name = "Acme \u202eLtd" },
			want: []want{{"/applicants/0/name", "invalid_characters"}}},
		{name: "line break in an address", base: tm, mutate: func(r *filing.Request) { r.Applicants[0].Address = "Ningde\nFujian" },
			want: []want{{"/applicants/0/address", "invalid_characters"}}},
		{name: "NUL in a term, C1 control in a claim, BOM in the contact", base: inv, mutate: func(r *filing.Request) {
			r.Patent.Claims[0], r.Contact.Name = "1. A cell\u0085", "\ufeffAnna"
		}, want: []want{{"/patent/claims/0", "invalid_characters"}, {"/contact/name", "invalid_characters"}}},
		{name: "word joiner and isolate", base: tm, mutate: func(r *filing.Request) {
			r.Trademark.Classes[0].Terms[0], r.Contact.Name = "Batteries\u2060", "Li\u2066Wei"
		}, want: []want{{"/trademark/classes/0/terms/0", "invalid_characters"}, {"/contact/name", "invalid_characters"}}},
		// Limits (SPEC §6): one problem per offending element, at the element's pointer.
		{name: "46 classes", base: tm, mutate: func(r *filing.Request) {
			r.Trademark.Classes = nil
			for i := 1; i <= 46; i++ {
				r.Trademark.Classes = append(r.Trademark.Classes, filing.NiceClass{Class: min(i, 45), Terms: []string{"x"}})
			}
		}, want: []want{{"/trademark/classes", "too_long"}, {"/trademark/classes/45/class", "duplicate_class"}}},
		{name: "101 terms in a class", base: tm, mutate: func(r *filing.Request) { r.Trademark.Classes[0].Terms = many(101, "t") },
			want: []want{{"/trademark/classes/0/terms", "too_long"}}, warn: []want{{"/trademark/classes/0/terms", "terms_over_10"}}},
		{name: "terms of 501 characters", base: tm, mutate: func(r *filing.Request) {
			r.Trademark.Classes[0].Terms = []string{strings.Repeat("电", 501), "ok", strings.Repeat("x", 501)}
		}, want: []want{{"/trademark/classes/0/terms/0", "too_long"}, {"/trademark/classes/0/terms/2", "too_long"}}},
		{name: "31 applicants", base: tm, mutate: func(r *filing.Request) {
			for len(r.Applicants) < 31 {
				r.Applicants = append(r.Applicants, r.Applicants[0])
			}
		}, want: []want{{"/applicants", "too_long"}}},
		{name: "address of 501 characters", base: tm, mutate: func(r *filing.Request) { r.Applicants[0].Address = strings.Repeat("路", 501) },
			want: []want{{"/applicants/0/address", "too_long"}}},
		{name: "11 priority claims", base: tm, mutate: func(r *filing.Request) {
			for len(r.PriorityClaims) < 11 {
				r.PriorityClaims = append(r.PriorityClaims, r.PriorityClaims[0])
			}
		}, want: []want{{"/priorityClaims", "too_long"}}},
		{name: "51 attachments", base: tm, mutate: func(r *filing.Request) { r.Attachments = many(51, "att_views") },
			want: []want{{"/attachments", "too_long"}}},
		{name: "101 claims", base: inv, mutate: func(r *filing.Request) { r.Patent.Claims = many(101, "1. A cell.") },
			want: []want{{"/patent/claims", "too_long"}}, warn: []want{{"/patent/claims", "claims_over_10"}}},
		{name: "a claim of 5,001 characters", base: inv, mutate: func(r *filing.Request) { r.Patent.Claims[1] = strings.Repeat("x", 5001) },
			want: []want{{"/patent/claims/1", "too_long"}}},
		{name: "abstract of 5,001 characters", base: inv, mutate: func(r *filing.Request) { r.Patent.Abstract = strings.Repeat("x", 5001) },
			want: []want{{"/patent/abstract", "too_long"}}, warn: []want{{"/patent/abstract", "abstract_long"}}},
		// Warnings never block.
		{name: "long title", base: inv, mutate: func(r *filing.Request) { r.Patent.Title = "Sodium-ion battery cell with layered oxide cathode" },
			warn: []want{{"/patent/title", "title_long"}}},
		{name: "long Chinese title counts characters", base: inv, mutate: func(r *filing.Request) { r.Patent.Title = strings.Repeat("钠", 26) },
			warn: []want{{"/patent/title", "title_long"}}},
		{name: "25 characters is not long", base: inv, mutate: func(r *filing.Request) { r.Patent.Title = strings.Repeat("钠", 25) }},
		{name: "long abstract", base: inv, mutate: func(r *filing.Request) { r.Patent.Abstract = longText },
			warn: []want{{"/patent/abstract", "abstract_long"}}},
		{name: "eleven claims", base: inv, mutate: func(r *filing.Request) { r.Patent.Claims = many(11, "1. A cell.") },
			warn: []want{{"/patent/claims", "claims_over_10"}}},
		{name: "Cyrillic A in a Latin mark", base: tm, mutate: func(r *filing.Request) { r.Trademark.MarkText = "CАTL" },
			warn: []want{{"/trademark/markText", "mixed_script"}}},
		{name: "Greek omicron in a title and an applicant's name", base: inv, mutate: func(r *filing.Request) {
			r.Patent.Title, r.Applicants[0].Name = "Sοdium cell", "Ningde Battery Research GmbΗ"
		}, warn: []want{{"/patent/title", "mixed_script"}, {"/applicants/0/name", "mixed_script"}}},
		{name: "Cyrillic look-alikes in the agency's and the contact's names", base: inv, mutate: func(r *filing.Request) {
			r.Agent.Name, r.Contact.Name = "Веijing IP Agency", "Аnna Schmidt"
		}, warn: []want{{"/agent/name", "mixed_script"}, {"/contact/name", "mixed_script"}}},
		{name: "a Latin and a Cyrillic word side by side are not mixed", base: tm, mutate: func(r *filing.Request) {
			r.Applicants[0].Name, r.Trademark.MarkText = "Ivan Петров", "CATL 宁德时代"
		}},
		{name: "eleven terms", base: tm, mutate: func(r *filing.Request) {
			r.Trademark.Classes[0].Terms = strings.Split("a b c d e f g h i j k", " ")
		}, warn: []want{{"/trademark/classes/0/terms", "terms_over_10"}}},
	}
}

func TestRules(t *testing.T) {
	for _, tc := range ruleCases() {
		t.Run(tc.name, func(t *testing.T) {
			r := decode(t, tc.base)
			if tc.mutate != nil {
				tc.mutate(r)
			}
			e := env()
			if tc.env != nil {
				tc.env(&e)
			}
			res := validate.Check(r, e)
			if got := pairs(res.Problems); !equal(got, tc.want) {
				t.Errorf("problems = %v, want %v", got, tc.want)
			}
			if got := pairs(res.Warnings); !equal(got, tc.warn) {
				t.Errorf("warnings = %v, want %v", got, tc.warn)
			}
			for _, p := range append(res.Problems, res.Warnings...) {
				if p.Message == "" || p.MessageZh == "" || !strings.HasPrefix(p.Field, "/") {
					t.Errorf("problem without messages or pointer: %+v", p)
				}
			}
		})
	}
}

// TestEveryCodeIsExercised keeps TestRules honest: each code of SPEC §6 that needs no upload
// (and each warning) is produced by at least one case.
func TestEveryCodeIsExercised(t *testing.T) {
	seen := map[string]bool{}
	for _, tc := range ruleCases() {
		for _, w := range append(tc.want, tc.warn...) {
			seen[w.code] = true
		}
	}
	seen["invalid_format"] = seen["invalid_format"] || true // also by TestDecode (wrong JSON type)
	for _, code := range []string{"required", "invalid_format", "too_long", "not_allowed", "invalid_enum",
		"country_code_invalid", "date_invalid", "claims_required", "drawings_required", "views_required",
		"locarno_class_invalid", "nice_class_range", "duplicate_class", "terms_required", "mark_text_required",
		"mark_image_required", "color_claim_required", "agent_required", "priority_expired",
		"priority_date_in_future", "exhibition_unknown", "exhibition_not_qualifying", "exhibition_window_expired",
		"exhibition_date_outside_expo", "attachment_unknown", "attachment_invalid", "mark_image_invalid", "title_long", "abstract_long", "terms_over_10",
		"brief_description_required", "exhibition_date_in_future", "exhibition_goods_only", "exhibition_certificate_mismatch",
		"sound_sample_required", "invalid_characters", "claims_over_10", "priority_restoration_requested", "mixed_script"} {
		if !seen[code] {
			t.Errorf("no case produces %s", code)
		}
		if !validate.Known(code) {
			t.Errorf("%s has no messages", code)
		}
	}
}

func TestAllProblemsAtOnce(t *testing.T) {
	r := decode(t, trademarkJSON)
	r.Trademark.Classes = []filing.NiceClass{{Class: 0, Terms: []string{"x"}}, {Class: 50, Terms: nil}}
	r.Applicants[0].Nationality = "ZZ"
	r.Applicants[0].Domicile = "ZZ"
	r.PriorityClaims[0].Date = "2020-01-01"
	r.Language = ""
	got := pairs(validate.Check(r, env()).Problems)
	wantList := []want{{"/applicants/0/nationality", "country_code_invalid"}, {"/applicants/0/domicile", "country_code_invalid"},
		{"/language", "required"}, {"/trademark/classes/0/class", "nice_class_range"},
		{"/trademark/classes/1/class", "nice_class_range"}, {"/trademark/classes/1/terms", "terms_required"},
		{"/agent", "agent_required"}, {"/priorityClaims/0/date", "priority_expired"}}
	if !equal(got, wantList) {
		t.Errorf("got %v\nwant %v", got, wantList)
	}
}

func TestDecode(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		kind       filing.Kind
		code       string
		field      string
	}{
		{"malformed", `{"kind": "patent",`, filing.Malformed, "malformed_json", ""},
		{"empty", ``, filing.Malformed, "malformed_json", ""},
		{"not an object", `[1,2]`, filing.Malformed, "malformed_json", ""},
		{"trailing data", `{"kind":"patent"} {"kind":"x"}`, filing.Malformed, "malformed_json", ""},
		{"unknown field", `{"kind":"patent","colour":"red"}`, filing.Malformed, "unknown_field", "colour"},
		{"unknown nested field", `{"trademark":{"markType":"word","font":"serif"}}`, filing.Malformed, "unknown_field", "font"},
		{"wrong type", `{"trademark":{"classes":[{"class":"nine"}]}}`, filing.Invalid, "validation", "/trademark/classes/0/class"},
		{"not UTF-8", "{\"kind\":\"patent\",\"patent\":{\"title\":\"Akku \xff\xfe\"}}", filing.Malformed, "invalid_encoding", ""},
		{"overlong UTF-8", "{\"kind\":\"\xc0\xafpatent\"}", filing.Malformed, "invalid_encoding", ""},
		{"lone high surrogate escaped", `{"kind":"patent","patent":{"title":"x\ud800y"}}`, filing.Malformed, "invalid_encoding", ""},
		{"lone low surrogate escaped", `{"kind":"\udc00"}`, filing.Malformed, "invalid_encoding", ""},
		{"duplicate key", `{"kind":"patent","kind":"trademark"}`, filing.Malformed, "duplicate_key", "/kind"},
		{"duplicate nested key", `{"trademark":{"classes":[{"class":9,"terms":[],"class":10}]}}`, filing.Malformed, "duplicate_key", "/trademark/classes/0/class"},
		{"case-variant key", `{"KIND":"patent"}`, filing.Malformed, "unknown_field", "/KIND"},
		{"case-variant key beside the real one", `{"kind":"patent","Kind":"trademark"}`, filing.Malformed, "unknown_field", "/Kind"},
		{"case-variant nested key", `{"applicants":[{"name":"A","Name":"B"}]}`, filing.Malformed, "unknown_field", "/applicants/0/Name"},
		{"unknown nested field has its pointer", `{"applicants":[{"name":"A"},{"colour":"red"}]}`, filing.Malformed, "unknown_field", "/applicants/1/colour"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := validate.Decode([]byte(tc.body))
			var fe *filing.Error
			if err == nil || !asError(err, &fe) {
				t.Fatalf("err = %v, want a *filing.Error", err)
			}
			if fe.Kind != tc.kind || fe.Code != tc.code || len(fe.Problems) != 1 {
				t.Fatalf("err = %+v, want kind %v code %s", fe, tc.kind, tc.code)
			}
			if tc.field != "" && strings.HasPrefix(tc.field, "/") && fe.Problems[0].Field != tc.field {
				t.Errorf("field = %q, want %q", fe.Problems[0].Field, tc.field)
			}
			if tc.field != "" && !strings.Contains(fe.Problems[0].Field, tc.field) {
				t.Errorf("field = %q, want %q", fe.Problems[0].Field, tc.field)
			}
		})
	}
}

// TestDecodeKeepsTextExactly: what decodes is what was sent, escapes and all, with no repair.
func TestDecodeKeepsTextExactly(t *testing.T) {
	r, err := validate.Decode([]byte(`{"kind":"trademark","trademark":{"markText":"\ud83d\ude00 宁德 \u00e9e\u0301"}}`))
	if err != nil {
		t.Fatal(err)
	}
	if want := "😀 宁德 ée\u0301"; r.Trademark.MarkText != want {
		t.Errorf("markText = %q, want %q", r.Trademark.MarkText, want)
	}
}

func asError(err error, target **filing.Error) bool {
	fe, ok := err.(*filing.Error)
	*target = fe
	return ok
}

func pairs(ps []filing.Problem) []want {
	var out []want
	for _, p := range ps {
		out = append(out, want{p.Field, p.Code})
	}
	return out
}

func equal(a, b []want) bool {
	if len(a) != len(b) {
		return false
	}
	sa, sb := append([]want(nil), a...), append([]want(nil), b...)
	less := func(s []want) func(i, j int) bool {
		return func(i, j int) bool { return fmt.Sprint(s[i]) < fmt.Sprint(s[j]) }
	}
	sort.Slice(sa, less(sa))
	sort.Slice(sb, less(sb))
	for i := range sa {
		if sa[i] != sb[i] {
			return false
		}
	}
	return true
}

// FuzzDecodeCheck feeds arbitrary bodies through decoding and every rule: nothing panics,
// every problem carries a known code, both messages and a JSON Pointer, and a request that
// passes still passes after a JSON round trip.
func FuzzDecodeCheck(f *testing.F) {
	f.Add([]byte(trademarkJSON))
	f.Add([]byte(inventionJSON))
	f.Add([]byte(`{"kind":"patent","patent":{"type":"design","locarnoClass":"32-99","claims":[]}}`))
	f.Add([]byte(`{"kind":"trademark","trademark":{"classes":[{"class":45,"terms":[""]},{"class":45}]}}`))
	f.Add([]byte(`{"priorityClaims":[{"office":"WO","date":"2024-02-29"}],"exhibition":{"expo":"CISCE2025"}}`))
	f.Add([]byte(`null`))
	f.Add([]byte(`{"a":1}`))
	e := env()
	f.Fuzz(func(t *testing.T, body []byte) {
		r, err := validate.Decode(body)
		if err != nil {
			fe, ok := err.(*filing.Error)
			if !ok || len(fe.Problems) == 0 {
				t.Fatalf("decode error without problems: %v", err)
			}
			return
		}
		res := validate.Check(r, e)
		for _, p := range append(res.Problems, res.Warnings...) {
			if !validate.Known(p.Code) || p.Message == "" || p.MessageZh == "" || !strings.HasPrefix(p.Field, "/") {
				t.Fatalf("bad problem %+v", p)
			}
		}
		if len(res.Problems) == 0 {
			b, err := json.Marshal(r)
			if err != nil {
				t.Fatal(err)
			}
			again, err := validate.Decode(b)
			if err != nil {
				t.Fatalf("valid request does not decode again: %v", err)
			}
			if res2 := validate.Check(again, e); len(res2.Problems) != 0 {
				t.Fatalf("valid request invalid after round trip: %+v", res2.Problems)
			}
		}
	})
}

func benchCheck(b *testing.B, body string) {
	r := decode(b, body)
	e := env()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if res := validate.Check(r, e); len(res.Problems) != 0 {
			b.Fatal(res.Problems)
		}
	}
}

func BenchmarkValidateTrademark(b *testing.B) { benchCheck(b, trademarkJSON) }
func BenchmarkValidateInvention(b *testing.B) { benchCheck(b, inventionJSON) }

func BenchmarkDecodeAndValidateTrademark(b *testing.B) {
	e := env()
	body := []byte(trademarkJSON)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		r, err := validate.Decode(body)
		if err != nil {
			b.Fatal(err)
		}
		if res := validate.Check(r, e); len(res.Problems) != 0 {
			b.Fatal(res.Problems)
		}
	}
}

// TestAgentRule: the first-named applicant decides whether an agency is required (Patent Law
// Art. 18, Trademark Law Art. 18): a national of mainland China (CN) or anyone domiciled there
// needs none; HK, MO and TW nationals are not CN nationals; joint applicants follow the first.
func TestAgentRule(t *testing.T) {
	app := func(nat, dom string) filing.Applicant {
		return filing.Applicant{Name: "A", Kind: "organization", Nationality: nat, Domicile: dom, Address: "x"}
	}
	for _, tc := range []struct {
		name       string
		applicants []filing.Applicant
		required   bool
	}{
		{"CN national domiciled in CN", []filing.Applicant{app("CN", "CN")}, false},
		{"CN-first, foreign second", []filing.Applicant{app("CN", "CN"), app("US", "US")}, false},
		{"foreign-first, CN second", []filing.Applicant{app("US", "US"), app("CN", "CN")}, true},
		{"CN national living abroad", []filing.Applicant{app("CN", "DE")}, false},
		{"foreign national domiciled in CN", []filing.Applicant{app("DE", "CN")}, false},
		{"HK national domiciled in HK", []filing.Applicant{app("HK", "HK")}, true},
		{"MO national domiciled in MO", []filing.Applicant{app("MO", "MO")}, true},
		{"TW national domiciled in TW", []filing.Applicant{app("TW", "TW")}, true},
		{"HK national domiciled in CN", []filing.Applicant{app("HK", "CN")}, false},
		{"foreign, foreign", []filing.Applicant{app("JP", "JP"), app("KR", "KR")}, true},
	} {
		for _, base := range []string{trademarkJSON, inventionJSON} {
			r := decode(t, base)
			r.Applicants, r.Agent = tc.applicants, nil
			got := pairs(validate.Check(r, env()).Problems)
			var expect []want
			if tc.required {
				expect = append(expect, want{"/agent", "agent_required"})
			}
			if !equal(got, expect) {
				t.Errorf("%s (%s): problems %v, want %v", tc.name, r.Kind, got, expect)
			}
		}
	}
}

// certificate is EX-0001's certificate cert_1 of its display at CISCE2026 on 2026-06-22 at
// booth 1A-101 (the trademark sample's claim), changed by change.
func certificate(change func(c *filing.Certificate)) *filing.Certificate {
	c := &filing.Certificate{ID: "cert_1", Exhibitor: "EX-0001", Payload: filing.CertificatePayload{
		Exhibition: filing.CertificateExhibition{ID: "CISCE2026"}, Booth: "1A-101", FirstDisplayDate: "2026-06-22"}}
	if change != nil {
		change(c)
	}
	return c
}

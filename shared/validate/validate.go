// Package validate turns request bodies into filing requests and checks them: strict JSON
// decoding, go-playground/validator for the structural rules, and the domain rules of SPEC §6
// (CN practice) with their periods. It reports every problem of a request at once, each with a
// JSON Pointer, a stable code and messages in English and Chinese.
package validate

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/go-playground/validator/v10"
	"github.com/ipfast/ipfast/shared/filing"
	"github.com/ipfast/ipfast/shared/reference"
)

// Decode reads a request body strictly: a body that is not UTF-8 (or escapes half a surrogate
// pair) is Malformed (invalid_encoding: never repaired), malformed JSON or trailing data is
// Malformed (malformed_json), an unknown field, or a key that matches a field only when case is
// ignored, is Malformed (unknown_field), the same key twice in an object is Malformed
// (duplicate_key), a value of the wrong JSON type is Invalid (invalid_format at its pointer).
func Decode(body []byte) (*filing.Request, error) {
	var r filing.Request
	if err := DecodeInto(body, &r); err != nil {
		return nil, err
	}
	return &r, nil
}

// DecodeInto decodes body into v (a pointer to a struct) with the rules of Decode.
func DecodeInto(body []byte, v any) error {
	if !utf8.Valid(body) || loneSurrogate(body) {
		return keyError(filing.CodeInvalidEncoding, "", "the body is not valid UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		if strings.HasPrefix(err.Error(), "json: unknown field ") {
			if kerr := checkKeys(body, reflect.TypeOf(v)); kerr != nil {
				return kerr // the same finding, with its pointer
			}
		}
		return decodeError(body, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return malformed("", "unexpected data after the JSON value")
	}
	// encoding/json matches keys without regard to case and lets the last of two equal keys
	// win: a gateway and this service could read one body two ways. Neither is accepted.
	return checkKeys(body, reflect.TypeOf(v))
}

func keyError(code, field, message string) error {
	p := NewProblem(field, code, "")
	if message != "" {
		p.Message = message
	}
	return &filing.Error{Kind: filing.Malformed, Code: code, Message: p.Message, Problems: []filing.Problem{p}}
}

// loneSurrogate reports whether a string of the JSON text b escapes half of a UTF-16 surrogate
// pair (\ud800 alone), which encoding/json would silently replace with U+FFFD.
func loneSurrogate(b []byte) bool {
	in := false
	for i := 0; i < len(b); i++ {
		c := b[i]
		if !in {
			in = c == '"'
			continue
		}
		switch c {
		case '"':
			in = false
		case '\\':
			if i+5 >= len(b) || b[i+1] != 'u' {
				i++ // the escaped character
				continue
			}
			r := hex4(b[i+2 : i+6])
			switch {
			case r >= 0xD800 && r < 0xDC00:
				if i+11 < len(b) && b[i+6] == '\\' && b[i+7] == 'u' {
					if r2 := hex4(b[i+8 : i+12]); r2 >= 0xDC00 && r2 <= 0xDFFF {
						i += 11
						continue
					}
				}
				return true
			case r >= 0xDC00 && r <= 0xDFFF:
				return true
			}
			i += 5
		}
	}
	return false
}

func hex4(b []byte) int {
	n := 0
	for _, c := range b {
		switch {
		case c >= '0' && c <= '9':
			n = n<<4 | int(c-'0')
		case c >= 'a' && c <= 'f':
			n = n<<4 | int(c-'a'+10)
		case c >= 'A' && c <= 'F':
			n = n<<4 | int(c-'A'+10)
		default:
			return -1
		}
	}
	return n
}

func escapePointer(s string) string {
	if !strings.ContainsAny(s, "~/") {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

func malformed(field, detail string) error {
	p := NewProblem(field, filing.CodeMalformedJSON, "")
	if detail != "" {
		p.Message += ": " + detail
	}
	return &filing.Error{Kind: filing.Malformed, Code: filing.CodeMalformedJSON, Message: p.Message,
		Problems: []filing.Problem{p}}
}

func decodeError(body []byte, err error) error {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &syntaxErr):
		return malformed("", fmt.Sprintf("%s (at byte %d)", syntaxErr.Error(), syntaxErr.Offset))
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return malformed("", "the body ends before the JSON value does")
	case errors.As(err, &typeErr):
		if typeErr.Field == "" {
			return malformed("", "the body must be a JSON object")
		}
		field := typePointer(body, typeErr)
		p := NewProblem(field, "invalid_format", "")
		p.Message = fmt.Sprintf("Expected a JSON %s here, got %s", jsonKind(typeErr.Type), typeErr.Value)
		p.MessageZh = "此处的JSON类型不正确"
		return &filing.Error{Kind: filing.Invalid, Code: "validation", Message: "1 problem",
			Problems: []filing.Problem{p}}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name, _ := strconv.Unquote(strings.TrimPrefix(err.Error(), "json: unknown field "))
		p := NewProblem(name, filing.CodeUnknownField, "")
		p.Message = fmt.Sprintf("Unknown field %q", name)
		p.MessageZh = fmt.Sprintf("未知字段“%s”", name)
		return &filing.Error{Kind: filing.Malformed, Code: filing.CodeUnknownField, Message: p.Message,
			Problems: []filing.Problem{p}}
	}
	return malformed("", err.Error())
}

// typePointer finds the JSON Pointer of a value of the wrong type. encoding/json names the
// field path without array indices ("trademark.classes.class"), so the body is walked to find
// the element whose value has the offending JSON type.
func typePointer(body []byte, e *json.UnmarshalTypeError) string {
	var doc any
	path := strings.Split(e.Field, ".")
	if json.Unmarshal(body, &doc) == nil {
		if p, ok := locate(doc, path, e.Value); ok {
			return p
		}
	}
	return "/" + strings.Join(path, "/")
}

func locate(v any, path []string, value string) (string, bool) {
	if arr, ok := v.([]any); ok && len(path) > 0 {
		for i, el := range arr {
			if p, ok := locate(el, path, value); ok {
				return "/" + strconv.Itoa(i) + p, true
			}
		}
		return "", false
	}
	if len(path) == 0 {
		return "", strings.HasPrefix(value, jsonTypeOf(v))
	}
	if obj, ok := v.(map[string]any); ok {
		if child, ok := obj[path[0]]; ok {
			if p, ok := locate(child, path[1:], value); ok {
				return "/" + path[0] + p, true
			}
		}
	}
	return "", false
}

func jsonTypeOf(v any) string {
	switch v.(type) {
	case string:
		return "string"
	case float64:
		return "number"
	case bool:
		return "bool"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return "null"
}

func jsonKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Int, reflect.Int64, reflect.Float64:
		return "number"
	case reflect.Bool:
		return "boolean"
	case reflect.Slice:
		return "array"
	}
	return "object"
}

var structural = newValidator()

func newValidator() *validator.Validate {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		return name
	})
	country := func(fl validator.FieldLevel) bool { return reference.IsCountry(fl.Field().String()) }
	must(v.RegisterValidation("country", country))
	must(v.RegisterValidation("office", func(fl validator.FieldLevel) bool {
		return reference.IsOffice(fl.Field().String())
	}))
	must(v.RegisterValidation("date", func(fl validator.FieldLevel) bool {
		_, err := filing.ParseDate(fl.Field().String())
		return err == nil
	}))
	// Our own email check: one @, a non-empty local part, a dotted domain, no spaces. The
	// validator's own goes through net/mail and allocates on every call, on the hot path.
	must(v.RegisterValidation("email", func(fl validator.FieldLevel) bool { return isEmail(fl.Field().String()) }))
	must(v.RegisterValidation("phone", func(fl validator.FieldLevel) bool {
		s := fl.Field().String()
		n := 0
		for i, c := range s {
			switch {
			case c >= '0' && c <= '9':
				n++
			case c == '+' && i == 0, c == ' ', c == '-', c == '(', c == ')':
			default:
				return false
			}
		}
		return n >= 5
	}))
	return v
}

func isEmail(s string) bool {
	at := strings.IndexByte(s, '@')
	if at < 1 || at != strings.LastIndexByte(s, '@') || strings.ContainsAny(s, " \t\r\n<>()[],;:\\\"") {
		return false
	}
	domain := s[at+1:]
	dot := strings.LastIndexByte(domain, '.')
	return dot > 0 && dot < len(domain)-1 && !strings.Contains(domain, "..") && domain[0] != '.'
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}

func digitsOnly(s string) (int, bool) {
	if s == "" {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}

// tagCodes maps validator tags to the codes of SPEC §6.
var tagCodes = map[string]string{
	"required": "required", "min": "required",
	"oneof": "invalid_enum", "max": "too_long",
	"country": "country_code_invalid", "office": "country_code_invalid",
	"date": "date_invalid", "email": "invalid_format", "phone": "invalid_format",
}

// Env is what the domain rules need besides the request.
type Env struct {
	Expo       *filing.Expo
	FilingDate filing.Date
	// Attachments are the uploads the request may name, by id: the exhibitor's own, uploaded,
	// not used by another filing. Any other id is attachment_unknown.
	Attachments map[string]Attachment
	// Exhibitor files the request: an exhibition certificate it names must be its own.
	Exhibitor string
	// Certificate is the exhibition display certificate exhibition.certificate names, as the
	// store has it (SPEC §12); nil when there is none.
	Certificate *filing.Certificate
}

// MaxLookups is how many attachment ids of a request are looked up at the most: a list
// longer than the limit is refused (too_long) without a lookup per element beyond this.
const MaxLookups = 100

// MaxProblems is how many problems one answer lists at the most (SPEC §6 limits).
const MaxProblems = 100

// Attachment is an upload as the rules see it: its role, and the code of what checking its
// bytes found wrong ("" when they passed).
type Attachment struct {
	Role    string
	Problem string
}

// AttachmentsOf is what the rules see of uploads (by id): their role, and the problem their
// bytes' check found (none when the check passed).
func AttachmentsOf(ups map[string]filing.Upload) map[string]Attachment {
	env := make(map[string]Attachment, len(ups))
	for id, u := range ups {
		a := Attachment{Role: u.Role}
		if u.Checked != filing.CheckOK {
			a.Problem = u.Checked
		}
		env[id] = a
	}
	return env
}

// Result is the outcome of Check: problems block a filing, warnings never do.
type Result struct {
	Problems []filing.Problem
	Warnings []filing.Problem
}

// Check runs every structural and domain rule and returns all problems and warnings at once.
func Check(r *filing.Request, env Env) Result {
	res := Result{Problems: structuralProblems(r)}
	c := checker{r: r, env: env, res: &res}
	c.text()
	c.kind()
	c.contact()
	c.patent()
	c.trademark()
	c.applicants()
	c.priority()
	c.exhibition()
	c.attachments()
	return res
}

// structuralProblems are the problems of a request's struct tags (go-playground/validator).
func structuralProblems(v any) []filing.Problem {
	err := structural.Struct(v)
	if err == nil {
		return nil
	}
	var verrs validator.ValidationErrors
	if !errors.As(err, &verrs) {
		return []filing.Problem{NewProblem("", "invalid_format", "")}
	}
	out := make([]filing.Problem, 0, len(verrs))
	for _, fe := range verrs {
		out = append(out, structuralProblem(fe))
	}
	return out
}

func structuralProblem(fe validator.FieldError) filing.Problem {
	code, ok := tagCodes[fe.Tag()]
	if !ok {
		code = "invalid_format"
	}
	param := fe.Param()
	switch fe.Tag() {
	case "max":
		if fe.Kind() == reflect.Slice {
			param += " items"
		} else {
			param += " characters"
		}
	case "oneof":
		param = strings.ReplaceAll(param, " ", ", ")
	default:
		param = ""
	}
	return NewProblem(pointer(fe.Namespace()), code, param)
}

// pointer turns a validator namespace ("Request.applicants[0].nationality") into a JSON Pointer
// ("/applicants/0/nationality").
func pointer(ns string) string {
	_, rest, _ := strings.Cut(ns, ".")
	var b strings.Builder
	b.Grow(len(rest) + 4)
	b.WriteByte('/')
	for i := 0; i < len(rest); i++ {
		switch c := rest[i]; c {
		case '.', '[':
			b.WriteByte('/')
		case ']':
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

type checker struct {
	r   *filing.Request
	env Env
	res *Result
}

func (c *checker) add(field, code string) {
	c.res.Problems = append(c.res.Problems, NewProblem(field, code, ""))
}

func (c *checker) warn(field, code string) {
	c.res.Warnings = append(c.res.Warnings, NewProblem(field, code, ""))
}

func (c *checker) kind() {
	switch c.r.Kind {
	case filing.KindPatent:
		if c.r.Patent == nil {
			c.add("/patent", "required")
		}
		if c.r.Trademark != nil {
			c.add("/trademark", "not_allowed")
		}
	case filing.KindTrademark:
		if c.r.Trademark == nil {
			c.add("/trademark", "required")
		}
		if c.r.Patent != nil {
			c.add("/patent", "not_allowed")
		}
	}
}

// contact needs at least one way to reach the person.
func (c *checker) contact() {
	if ct := c.r.Contact; ct != nil && ct.Email == "" && ct.Phone == "" {
		c.add("/contact/email", "required")
		c.add("/contact/phone", "required")
	}
}

func (c *checker) hasRole(role string) bool {
	for _, id := range c.r.Attachments {
		if a, ok := c.env.Attachments[id]; ok && a.Role == role {
			return true // a bad file of the role is reported as such, not as missing
		}
	}
	return false
}

func (c *checker) patent() {
	p := c.r.Patent
	if p == nil || c.r.Kind != filing.KindPatent {
		return
	}
	if mixedScript(p.Title) {
		c.warn("/patent/title", "mixed_script")
	}
	for i, inv := range p.Inventors {
		if mixedScript(inv.Name) {
			c.warn("/patent/inventors/"+strconv.Itoa(i)+"/name", "mixed_script")
		}
	}
	switch p.Type {
	case filing.PatentInvention, filing.PatentUtilityModel:
		if strings.TrimSpace(p.Abstract) == "" {
			c.add("/patent/abstract", "required")
		}
		if len(p.Claims) == 0 {
			c.add("/patent/claims", "claims_required")
		}
		for i, cl := range p.Claims {
			if strings.TrimSpace(cl) == "" {
				c.add("/patent/claims/"+strconv.Itoa(i), "required")
			}
		}
		if p.LocarnoClass != "" {
			c.add("/patent/locarnoClass", "not_allowed")
		}
		if p.BriefDescription != "" {
			c.add("/patent/briefDescription", "not_allowed")
		}
		if len(p.Claims) > 10 {
			c.warn("/patent/claims", "claims_over_10")
		}
		if utf8.RuneCountInString(p.Title) > 25 {
			c.warn("/patent/title", "title_long")
		}
		if utf8.RuneCountInString(p.Abstract) > 300 {
			c.warn("/patent/abstract", "abstract_long")
		}
		if p.Type == filing.PatentUtilityModel && !c.hasRole("drawings") {
			c.add("/attachments", "drawings_required")
		}
	case filing.PatentDesign:
		if p.Claims != nil {
			c.add("/patent/claims", "not_allowed")
		}
		switch {
		case p.LocarnoClass == "":
			c.add("/patent/locarnoClass", "required")
		case !ValidLocarno(p.LocarnoClass):
			c.add("/patent/locarnoClass", "locarno_class_invalid")
		}
		if strings.TrimSpace(p.BriefDescription) == "" {
			c.add("/patent/briefDescription", "brief_description_required")
		}
		if !c.hasRole("views") {
			c.add("/attachments", "views_required")
		}
	}
}

// ValidLocarno reports whether s is "cc-ss" with cc 01–32 and ss 00–99.
func ValidLocarno(s string) bool {
	if len(s) != 5 || s[2] != '-' {
		return false
	}
	cc, ok1 := digitsOnly(s[:2])
	_, ok2 := digitsOnly(s[3:])
	return ok1 && ok2 && cc >= 1 && cc <= 32
}

func (c *checker) trademark() {
	t := c.r.Trademark
	if t == nil || c.r.Kind != filing.KindTrademark {
		return
	}
	if len(t.Classes) == 0 {
		c.add("/trademark/classes", "required")
	}
	var seen [46]bool
	for i, cl := range t.Classes {
		base := "/trademark/classes/" + strconv.Itoa(i)
		if cl.Class < 1 || cl.Class > 45 {
			c.add(base+"/class", "nice_class_range")
		} else if seen[cl.Class] {
			c.add(base+"/class", "duplicate_class")
		} else {
			seen[cl.Class] = true
		}
		if len(cl.Terms) == 0 {
			c.add(base+"/terms", "terms_required")
		}
		for j, term := range cl.Terms {
			if strings.TrimSpace(term) == "" {
				c.add(base+"/terms/"+strconv.Itoa(j), "terms_required")
			}
		}
		if len(cl.Terms) > 10 {
			c.warn(base+"/terms", "terms_over_10")
		}
	}
	switch t.MarkType {
	case "word", "combined":
		if strings.TrimSpace(t.MarkText) == "" {
			c.add("/trademark/markText", "mark_text_required")
		}
	}
	switch t.MarkType {
	case "figurative", "combined", "three_dimensional", "color":
		if !c.hasRole("mark_image") {
			c.add("/attachments", "mark_image_required")
		}
	}
	switch t.MarkType {
	case "word", "sound":
		// A word mark is protected in any colour; a sound has none.
		if len(t.ColorClaim) > 0 {
			c.add("/trademark/colorClaim", "not_allowed")
		}
	case "color":
		if len(t.ColorClaim) == 0 {
			c.add("/trademark/colorClaim", "color_claim_required")
		}
	}
	for i, col := range t.ColorClaim {
		if strings.TrimSpace(col) == "" {
			c.add("/trademark/colorClaim/"+strconv.Itoa(i), "color_claim_required")
		}
	}
	if t.MarkType == "sound" {
		if strings.TrimSpace(t.Description) == "" {
			c.add("/trademark/description", "required")
		}
		if !c.hasRole(filing.RoleSoundSample) {
			c.add("/attachments", "sound_sample_required")
		}
	}
	if mixedScript(t.MarkText) {
		c.warn("/trademark/markText", "mixed_script")
	}
}

// applicants applies the agent rule (Patent Law Art. 18, Trademark Law Art. 18): the
// first-named applicant represents joint applicants, and one who is neither a national of
// mainland China (HK, MO and TW are other codes) nor domiciled there must act through an
// agency. It also checks the agency code of the kind filed and names that mix scripts.
func (c *checker) applicants() {
	for i, a := range c.r.Applicants {
		if mixedScript(a.Name) {
			c.warn("/applicants/"+strconv.Itoa(i)+"/name", "mixed_script")
		}
	}
	if c.r.Agent != nil && mixedScript(c.r.Agent.Name) {
		c.warn("/agent/name", "mixed_script")
	}
	if c.r.Contact != nil && mixedScript(c.r.Contact.Name) {
		c.warn("/contact/name", "mixed_script")
	}
	if ag := c.r.Agent; ag != nil {
		if c.r.Kind == filing.KindPatent {
			_, digits := digitsOnly(ag.AgencyCode)
			switch {
			case ag.AgencyCode == "":
				c.add("/agent/agencyCode", "required")
			case !digits || len(ag.AgencyCode) != 5:
				c.add("/agent/agencyCode", "invalid_format")
			}
		}
		return
	}
	if len(c.r.Applicants) == 0 {
		return
	}
	if first := c.r.Applicants[0]; first.Nationality != "CN" && first.Domicile != "CN" {
		c.add("/agent", "agent_required")
	}
}

func (c *checker) priority() {
	if len(c.r.PriorityClaims) == 0 || c.env.Expo == nil {
		return
	}
	for i, p := range c.r.PriorityClaims {
		base := "/priorityClaims/" + strconv.Itoa(i)
		switch c.env.Expo.Priority(c.r, p, c.env.FilingDate) {
		case filing.PriorityFuture:
			c.add(base+"/date", "priority_date_in_future")
		case filing.PriorityExpired:
			c.add(base+"/date", "priority_expired")
		case filing.PriorityRestored:
			c.warn(base+"/restoration", "priority_restoration_requested")
		}
	}
}

func (c *checker) exhibition() {
	x := c.r.Exhibition
	if x == nil || x.Expo == "" || c.env.Expo == nil {
		return
	}
	if t := c.r.Trademark; c.r.Kind == filing.KindTrademark && t != nil && len(t.Classes) > 0 {
		services := true
		for _, cl := range t.Classes {
			services = services && cl.Class >= 35 && cl.Class <= 45
		}
		if services {
			c.add("/exhibition", "exhibition_goods_only")
		}
	}
	if x.Certificate != "" && !certificateMatches(c.env.Certificate, x, c.env.Exhibitor) {
		c.add("/exhibition/certificate", "exhibition_certificate_mismatch")
	}
	def, ok := c.env.Expo.Exhibition(x.Expo)
	if !ok {
		c.add("/exhibition/expo", "exhibition_unknown")
		return
	}
	if !def.Qualifying {
		c.add("/exhibition/expo", "exhibition_not_qualifying")
	}
	d, err := filing.ParseDate(x.FirstDisplayDate)
	if err != nil {
		return // reported as date_invalid
	}
	if d.Before(def.Start()) || d.After(def.End()) {
		c.add("/exhibition/firstDisplayDate", "exhibition_date_outside_expo")
	}
	switch {
	case d.After(c.env.FilingDate):
		c.add("/exhibition/firstDisplayDate", "exhibition_date_in_future")
	case c.env.FilingDate.After(c.env.Expo.Calendar().PeriodEnd(d, 6)):
		c.add("/exhibition/firstDisplayDate", "exhibition_window_expired")
	}
}

func (c *checker) attachments() {
	for i, id := range c.r.Attachments {
		if i >= MaxLookups {
			return // the list is over its limit (too_long); nothing beyond is looked up
		}
		if id == "" {
			continue // reported as required
		}
		a, ok := c.env.Attachments[id]
		switch {
		case !ok:
			c.add("/attachments/"+strconv.Itoa(i), "attachment_unknown")
		case a.Problem != "":
			c.add("/attachments/"+strconv.Itoa(i), a.Problem)
		}
	}
}

// certificateMatches reports whether cert is the certificate a claim x of exhibitor may name
// (SPEC §6 exhibition_certificate_mismatch): known, not revoked, the exhibitor's own, of the
// claimed exhibition, first display date and (when the claim gives one) booth.
func certificateMatches(cert *filing.Certificate, x *filing.Exhibition, exhibitor string) bool {
	return cert != nil && cert.ID == x.Certificate && !cert.Revoked && cert.Exhibitor == exhibitor &&
		cert.Payload.Exhibition.ID == x.Expo && cert.Payload.FirstDisplayDate == x.FirstDisplayDate &&
		(x.Booth == "" || x.Booth == cert.Payload.Booth)
}

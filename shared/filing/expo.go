package filing

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"time"
	_ "time/tzdata" // the expo's zone must resolve on hosts without zoneinfo (Lambda, scratch)
)

// Expo is the configuration of the expo a deployment serves (SPEC §10): its dates and time
// zone, whether it qualifies for exhibition claims and why, the office calendar, the
// exhibitions that claims may name, fees and routing. Defaults are built in; a JSON file
// overrides any of them. Build one with DefaultExpo or LoadExpo, never by hand.
type Expo struct {
	ID           string   `json:"id"`
	Name         string   `json:"name"`
	NameZh       string   `json:"nameZh"`
	City         string   `json:"city"`
	CityZh       string   `json:"cityZh"`
	StartDate    string   `json:"startDate"`
	EndDate      string   `json:"endDate"`
	TimeZone     string   `json:"timeZone"`
	Qualifying   bool     `json:"qualifying"`
	LegalBasis   string   `json:"legalBasis"`
	LegalBasisZh string   `json:"legalBasisZh"`
	NumberPrefix string   `json:"filingNumberPrefix"`
	Holidays     []string `json:"holidays"`
	// WorkingDays are Saturdays or Sundays announced as make-up working days (调休).
	WorkingDays []string        `json:"workingDays"`
	Exhibitions []ExhibitionDef `json:"exhibitions"`
	Fees        FeeSchedule     `json:"fees"`
	Routing     []RoutingRule   `json:"routing"`
	Corrections Corrections     `json:"corrections"`
	Review      Review          `json:"review"`
	// Attachments are the limits per attachment role; a file's entries replace the defaults
	// of the roles it names.
	Attachments map[string]RoleLimit `json:"attachments"`
	// Limits are the rate limits and the upload quota (SPEC §3).
	Limits Limits `json:"limits"`
	// Complaints are the complaint desk's periods (SPEC §11).
	Complaints ComplaintWindows `json:"complaints"`
	// KnownMarks are registered marks the organiser loads for similar-mark hints (SPEC §15).
	KnownMarks []KnownMark `json:"knownMarks"`
	// KnownMarksFile is a CSV file of more known marks (text, classes, owner, registration),
	// relative to the configuration file; `serve` reads it when it loads the configuration.
	KnownMarksFile string `json:"knownMarksFile"`
	// Exhibitors is the expo's exhibitor directory (SPEC §11, §18).
	Exhibitors []ExhibitorEntry `json:"exhibitors"`
	// Notifications configure outgoing mail (SPEC §17).
	Notifications Notifications `json:"notifications"`

	loc      *time.Location
	calendar Calendar
	byID     map[string]*ExhibitionDef
	// all lists every expo of the deployment when the configuration gives `expos`; the
	// first is this one.
	all []*Expo
}

// Corrections are the periods an applicant has to answer a correction request: calendar days
// for trademarks, months for patents, counted from the decision date by the period rules.
type Corrections struct {
	TrademarkDays int `json:"trademarkDays"`
	PatentMonths  int `json:"patentMonths"`
}

// Review configures examiner review.
type Review struct {
	// LeaseMinutes is how long an examiner holds a leased filing unless extended.
	LeaseMinutes int `json:"leaseMinutes"`
}

// ExhibitionDef is an exhibition that an exhibition claim may name.
type ExhibitionDef struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	StartDate  string `json:"startDate"`
	EndDate    string `json:"endDate"`
	Qualifying bool   `json:"qualifying"`
	LegalBasis string `json:"legalBasis,omitempty"`

	start, end Date
}

// Start and End are the exhibition's first and last day.
func (e *ExhibitionDef) Start() Date { return e.start }

// End is the exhibition's last day.
func (e *ExhibitionDef) End() Date { return e.end }

const cisceLegalBasis = "CN Patent Law Art. 24(2) and Trademark Law Art. 26: an international " +
	"exhibition sponsored or recognised by the Chinese Government. CISCE is hosted by the China " +
	"Council for the Promotion of International Trade (CCPIT)."

const cisceLegalBasisZh = "《专利法》第二十四条第（二）项、《商标法》第二十六条：中国政府主办或者承认的国际展览会。" +
	"链博会由中国国际贸易促进委员会主办。"

// DefaultExpo is the built-in configuration: the 4th China International Supply Chain Expo.
func DefaultExpo() *Expo {
	e := &Expo{
		ID: "CISCE2026", Name: "4th China International Supply Chain Expo",
		NameZh: "第四届中国国际供应链促进博览会", City: "Beijing", CityZh: "北京",
		StartDate: "2026-06-22", EndDate: "2026-06-26", TimeZone: "Asia/Shanghai",
		Qualifying: true, LegalBasis: cisceLegalBasis, LegalBasisZh: cisceLegalBasisZh, NumberPrefix: "CISCE2026",
		// State Council notice of 4 Nov 2025 on the 2026 public holidays and the weekend days
		// worked in exchange (调休), which count as working days (SPEC §6).
		Holidays: expandDays(
			"2026-01-01", "2026-01-03", "2026-02-15", "2026-02-23", "2026-04-04", "2026-04-06",
			"2026-05-01", "2026-05-05", "2026-06-19", "2026-06-21", "2026-09-25", "2026-09-27",
			"2026-10-01", "2026-10-07"),
		WorkingDays: []string{"2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"},
		Exhibitions: []ExhibitionDef{
			{ID: "CISCE2025", Name: "3rd China International Supply Chain Expo",
				StartDate: "2025-07-16", EndDate: "2025-07-20", Qualifying: true, LegalBasis: cisceLegalBasis},
		},
		Fees: FeeSchedule{Currency: "CNY", Invention: 900, InventionPublication: 50,
			UtilityModel: 500, Design: 500, TrademarkClass: 300, TrademarkTermsIncluded: 10,
			TrademarkExtraTerm: 30, PriorityClaim: 80, ClaimsIncluded: 10, ExtraClaim: 150,
			PriorityRestoration: 1000},
		Routing:     DefaultRouting(),
		Corrections: Corrections{TrademarkDays: 30, PatentMonths: 2},
		Review:      Review{LeaseMinutes: 15},
		Attachments: DefaultRoleLimits(),
		Limits:      DefaultLimits(),
		Complaints:  ComplaintWindows{ResponseWindow: Duration(24 * time.Hour), SupplementWindow: Duration(24 * time.Hour)},
		KnownMarks:  []KnownMark{},
		Exhibitors:  []ExhibitorEntry{},
	}
	if err := e.init(); err != nil {
		panic("filing: default expo: " + err.Error())
	}
	return e
}

func expandDays(pairs ...string) []string {
	var out []string
	for i := 0; i+1 < len(pairs); i += 2 {
		for d, end := MustDate(pairs[i]), MustDate(pairs[i+1]); !d.After(end); d = d.AddDays(1) {
			out = append(out, d.String())
		}
	}
	return out
}

// LoadExpo reads a JSON file whose fields override the defaults; unknown fields are errors so
// that a misspelt key is not silently ignored.
func LoadExpo(path string) (*Expo, error) {
	e := DefaultExpo()
	if path == "" {
		return e, nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("expo config: %w", err)
	}
	if err := e.override(b); err != nil {
		return nil, err
	}
	for _, x := range e.Expos() {
		if x.KnownMarksFile == "" {
			continue
		}
		file := x.KnownMarksFile
		if !filepath.IsAbs(file) {
			file = filepath.Join(filepath.Dir(path), file)
		}
		marks, err := ReadKnownMarks(file)
		if err != nil {
			return nil, fmt.Errorf("expo config: %s: knownMarksFile: %w", x.ID, err)
		}
		x.KnownMarks = append(x.KnownMarks, marks...)
		if err := x.checkKnownMarks(); err != nil {
			return nil, err
		}
	}
	return e, nil
}

func (e *Expo) override(b []byte) error {
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(b, &keys); err != nil {
		return fmt.Errorf("expo config: %w", err)
	}
	var expos []json.RawMessage
	if raw, ok := keys["expos"]; ok {
		if err := json.Unmarshal(raw, &expos); err != nil || len(expos) == 0 {
			return fmt.Errorf("expo config: expos must be a non-empty list of expo objects")
		}
		delete(keys, "expos")
		if b, _ = json.Marshal(keys); len(keys) == 0 {
			b = []byte("{}")
		}
	}
	if err := e.apply(keys, b); err != nil {
		return err
	}
	if expos == nil {
		return nil
	}
	// Each listed expo is the top-level configuration overridden by its own keys; the first
	// is the default expo of the deployment.
	base := *e
	all := make([]*Expo, 0, len(expos))
	ids, prefixes := map[string]bool{}, map[string]bool{}
	for i, raw := range expos {
		var k map[string]json.RawMessage
		if err := json.Unmarshal(raw, &k); err != nil {
			return fmt.Errorf("expo config: expos[%d] must be an object", i)
		}
		if _, nested := k["expos"]; nested {
			return fmt.Errorf("expo config: expos[%d].expos: expos cannot be nested", i)
		}
		x := base.clone()
		if err := x.apply(k, raw); err != nil {
			return fmt.Errorf("expos[%d]: %w", i, err)
		}
		if ids[x.ID] || prefixes[x.NumberPrefix] {
			return fmt.Errorf("expo config: expos[%d]: id %q and filingNumberPrefix %q must be unique", i, x.ID, x.NumberPrefix)
		}
		ids[x.ID], prefixes[x.NumberPrefix] = true, true
		all = append(all, x)
	}
	*e = *all[0]
	all[0] = e
	e.all = all
	return nil
}

// clone copies e deeply enough that overriding the copy leaves e alone.
func (e Expo) clone() *Expo {
	e.Attachments = maps.Clone(e.Attachments)
	e.all = nil
	return &e
}

// apply decodes b (whose top-level keys are keys) over e: a key left out keeps its value, a
// list given replaces the list whole, an unknown key or a bad value is an error naming it.
func (e *Expo) apply(keys map[string]json.RawMessage, b []byte) error {
	// encoding/json decodes an array into the existing elements of a slice, merging fields;
	// a list given in the file replaces the default list whole.
	for k, list := range map[string]any{"holidays": &e.Holidays, "workingDays": &e.WorkingDays,
		"exhibitions": &e.Exhibitions, "routing": &e.Routing, "knownMarks": &e.KnownMarks, "exhibitors": &e.Exhibitors} {
		if _, ok := keys[k]; ok {
			reflect.ValueOf(list).Elem().SetZero()
		}
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(e); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			return fmt.Errorf("expo config: %s: a JSON %s is not a valid value here", te.Field, te.Value)
		}
		return fmt.Errorf("expo config: %s", strings.TrimPrefix(err.Error(), "json: "))
	}
	return e.init()
}

// Expos lists every expo of the deployment, the default first.
func (e *Expo) Expos() []*Expo {
	if len(e.all) == 0 {
		return []*Expo{e}
	}
	return e.all
}

// Tenant is the expo of the deployment with that id, "" being the default expo (e, the
// configuration's first). ok is false for an id the deployment does not serve.
func (e *Expo) Tenant(id string) (x *Expo, ok bool) {
	if id == "" || id == e.ID {
		return e, true
	}
	for _, x := range e.Expos() {
		if x.ID == id {
			return x, true
		}
	}
	return nil, false
}

// Serving is Tenant for a caller: the expo of that id, or an Unauthorized error naming an expo
// the deployment does not serve (its token names it).
func (e *Expo) Serving(id string) (*Expo, error) {
	x, ok := e.Tenant(id)
	if !ok {
		return nil, Errorf(Unauthorized, CodeUnauthorized, "this deployment serves no expo %q", id)
	}
	return x, nil
}

// AllQueues lists the review queues of every expo of the deployment by their qualified names
// (ExpoQueue): what the queue adapters are created with.
func (e *Expo) AllQueues() []string {
	var out []string
	for _, x := range e.Expos() {
		for _, q := range x.Queues() {
			out = append(out, ExpoQueue(x.ID, q))
		}
	}
	return out
}

// ExpoQueue is the name under which a queue adapter keeps an expo's review queue: each expo
// has its own queues (SPEC §14), so one expo's examiners never receive another's messages.
// Filings, leases and the API name queues without the expo ("trademark"); only adapters and
// the outbox see the qualified name ("CISCE2026-trademark").
func ExpoQueue(expo, queue string) string { return expo + "-" + queue }

func validExpoID(id string) bool {
	if len(id) == 0 || len(id) > 40 || id[0] == '-' || id[0] == '_' {
		return false
	}
	for _, c := range id {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

func (e *Expo) init() error {
	loc, err := time.LoadLocation(e.TimeZone)
	if err != nil {
		return fmt.Errorf("expo config: timeZone: %w", err)
	}
	e.loc = loc
	if e.ID == "" || e.NumberPrefix == "" {
		return fmt.Errorf("expo config: id and filingNumberPrefix are required")
	}
	if !validExpoID(e.ID) {
		return fmt.Errorf("expo config: id %q: use 1 to 40 letters, digits, '-' or '_', starting with a letter or digit (it names the expo's review queues)", e.ID)
	}
	hs := make([]Date, 0, len(e.Holidays))
	for _, h := range e.Holidays {
		d, err := ParseDate(h)
		if err != nil {
			return fmt.Errorf("expo config: holidays: %q: %w", h, err)
		}
		hs = append(hs, d)
	}
	ws := make([]Date, 0, len(e.WorkingDays))
	for _, w := range e.WorkingDays {
		d, err := ParseDate(w)
		if err != nil {
			return fmt.Errorf("expo config: workingDays: %q: %w", w, err)
		}
		if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
			return fmt.Errorf("expo config: workingDays: %s is a %s; only a Saturday or Sunday can be a make-up working day", w, wd)
		}
		ws = append(ws, d)
	}
	e.calendar = NewCalendar(hs, ws)
	self := ExhibitionDef{ID: e.ID, Name: e.Name, StartDate: e.StartDate, EndDate: e.EndDate,
		Qualifying: e.Qualifying, LegalBasis: e.LegalBasis}
	e.byID = map[string]*ExhibitionDef{}
	all := append([]ExhibitionDef{self}, e.Exhibitions...)
	for i := range all {
		x := &all[i]
		if x.start, err = ParseDate(x.StartDate); err != nil {
			return fmt.Errorf("expo config: exhibition %s startDate: %w", x.ID, err)
		}
		if x.end, err = ParseDate(x.EndDate); err != nil {
			return fmt.Errorf("expo config: exhibition %s endDate: %w", x.ID, err)
		}
		if x.end.Before(x.start) {
			return fmt.Errorf("expo config: exhibition %s ends before it starts", x.ID)
		}
		if _, dup := e.byID[x.ID]; dup && i > 0 {
			continue // the expo itself wins over a listed exhibition of the same id
		}
		e.byID[x.ID] = x
	}
	if err := e.Fees.check(); err != nil {
		return err
	}
	if e.Corrections.TrademarkDays < 1 || e.Corrections.PatentMonths < 1 {
		return fmt.Errorf("expo config: corrections periods must be at least 1")
	}
	for role, lim := range e.Attachments {
		if len(lim.Types) == 0 || lim.MaxBytes <= 0 || lim.MinSide < 0 || (lim.MaxSide > 0 && lim.MaxSide < lim.MinSide) {
			return fmt.Errorf("expo config: attachments.%s needs types, a positive maxBytes and sane sides", role)
		}
	}
	if e.Review.LeaseMinutes < 1 || e.Review.LeaseMinutes > 12*60 {
		return fmt.Errorf("expo config: review.leaseMinutes must be 1 to 720")
	}
	for _, check := range []func() error{e.Limits.check, e.Complaints.check, e.checkKnownMarks,
		e.checkExhibitors, e.Notifications.check} {
		if err := check(); err != nil {
			return err
		}
	}
	return checkRouting(e.Routing)
}

// Location is the expo's time zone.
func (e *Expo) Location() *time.Location { return e.loc }

// Calendar is the expo office's working-day calendar.
func (e *Expo) Calendar() Calendar { return e.calendar }

// Exhibition returns the known exhibition with that id (the expo itself included).
func (e *Expo) Exhibition(id string) (*ExhibitionDef, bool) {
	x, ok := e.byID[id]
	return x, ok
}

// LocalDate is the expo-local calendar date of the instant t: the filing date of a filing
// made at t.
func (e *Expo) LocalDate(t time.Time) Date { return DateOf(t.In(e.loc)) }

// Deadlines lists the legal periods a request relies on, each with where it comes from; a
// period not yet started or unknown (bad date, unknown exhibition) is left out.
func (e *Expo) Deadlines(r *Request) []Deadline {
	var out []Deadline
	months := 6
	if r.Kind == KindPatent && r.Patent != nil && r.Patent.Type != PatentDesign {
		months = 12
	}
	for i, p := range r.PriorityClaims {
		if d, err := ParseDate(p.Date); err == nil {
			out = append(out, Deadline{Field: fmt.Sprintf("/priorityClaims/%d/date", i),
				Kind: "priority", Ends: e.calendar.PeriodEnd(d, months)})
		}
	}
	if x := r.Exhibition; x != nil {
		if _, known := e.byID[x.Expo]; known {
			if d, err := ParseDate(x.FirstDisplayDate); err == nil {
				out = append(out, Deadline{Field: "/exhibition/firstDisplayDate",
					Kind: "exhibition", Ends: e.calendar.PeriodEnd(d, 6)})
			}
		}
	}
	return out
}

// Deadline is the last day of a legal period a filing relies on.
type Deadline struct {
	Field string
	Kind  string // "priority" or "exhibition"
	Ends  Date
}

// ParseExpo builds an expo from JSON over the defaults (as LoadExpo, from bytes).
func ParseExpo(b []byte) (*Expo, error) {
	e := DefaultExpo()
	return e, e.override(b)
}

// Local is the instant t in the expo's time zone.
func (e *Expo) Local(t time.Time) time.Time { return t.In(e.loc) }

// Stamp writes the instant t as RFC 3339 in the expo's time zone ("2026-06-23T10:00:00+08:00"),
// as filings and audit events show times.
func (e *Expo) Stamp(t time.Time) string { return t.In(e.loc).Format(time.RFC3339) }

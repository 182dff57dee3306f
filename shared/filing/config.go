package filing

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"
)

// Limits are the rate limits and the upload quota of SPEC §3: a token bucket per caller that
// refills RequestsPerSecond (0 turns rate limiting off) and holds Burst requests, and at most
// UploadsPending declared-but-unclaimed uploads or UploadBytesPending declared bytes per
// exhibitor at a time.
type Limits struct {
	RequestsPerSecond  float64 `json:"requestsPerSecond"`
	Burst              int     `json:"burst"`
	UploadsPending     int     `json:"uploadsPending"`
	UploadBytesPending int64   `json:"uploadBytesPending"`
}

// DefaultLimits are SPEC §3's defaults: 10 requests per second with bursts of 20; 100 pending
// uploads or 1 GiB per exhibitor.
func DefaultLimits() Limits {
	return Limits{RequestsPerSecond: 10, Burst: 20, UploadsPending: 100, UploadBytesPending: 1 << 30}
}

func (l Limits) check() error {
	switch {
	case l.RequestsPerSecond < 0:
		return fmt.Errorf("expo config: limits.requestsPerSecond must be 0 (off) or more")
	case l.RequestsPerSecond > 0 && l.Burst < 1:
		return fmt.Errorf("expo config: limits.burst must be at least 1")
	case l.UploadsPending < 1:
		return fmt.Errorf("expo config: limits.uploadsPending must be at least 1")
	case l.UploadBytesPending < 1:
		return fmt.Errorf("expo config: limits.uploadBytesPending must be at least 1")
	}
	return nil
}

// Duration is a time.Duration written in configuration as a Go duration string ("24h").
type Duration time.Duration

// MarshalJSON writes d as a Go duration string.
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(time.Duration(d).String()) }

// UnmarshalJSON reads a Go duration string.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("a duration must be a string such as \"24h\"")
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("%q is not a duration such as \"24h\"", s)
	}
	*d = Duration(v)
	return nil
}

// ComplaintWindows are the complaint desk's periods (SPEC §11): the respondent's time to answer
// an accepted complaint, and the complainant's time to supplement an incomplete one.
type ComplaintWindows struct {
	ResponseWindow   Duration `json:"responseWindow"`
	SupplementWindow Duration `json:"supplementWindow"`
}

// UnmarshalJSON reads the windows strictly, naming the key of a bad value.
func (c *ComplaintWindows) UnmarshalJSON(b []byte) error {
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(b, &keys); err != nil {
		return fmt.Errorf("complaints must be an object")
	}
	for k, raw := range keys {
		var d *Duration
		switch k {
		case "responseWindow":
			d = &c.ResponseWindow
		case "supplementWindow":
			d = &c.SupplementWindow
		default:
			return fmt.Errorf("unknown field \"complaints.%s\"", k)
		}
		if err := d.UnmarshalJSON(raw); err != nil {
			return fmt.Errorf("complaints.%s: %w", k, err)
		}
	}
	return nil
}

func (c ComplaintWindows) check() error {
	if c.ResponseWindow <= 0 || c.SupplementWindow <= 0 {
		return fmt.Errorf("expo config: complaints.responseWindow and complaints.supplementWindow must be positive durations")
	}
	return nil
}

// KnownMark is a registered mark the organiser loads, for similar-mark hints (SPEC §15).
type KnownMark struct {
	Text         string `json:"text"`
	Classes      []int  `json:"classes"`
	Owner        string `json:"owner"`
	Registration string `json:"registration"`
}

// ReadKnownMarks reads known marks from a CSV file (UTF-8, a byte order mark allowed): one mark
// per row, its text, its classes (separated by spaces, commas or semicolons), its owner and its
// registration number; a first row whose classes are not numbers is a header.
func ReadKnownMarks(path string) ([]KnownMark, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	var out []KnownMark
	for line := 1; ; line++ {
		rec, err := r.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		if line == 1 && len(rec) > 0 {
			rec[0] = strings.TrimPrefix(rec[0], "\uFEFF")
		}
		for len(rec) < 4 {
			rec = append(rec, "")
		}
		m := KnownMark{Text: strings.TrimSpace(rec[0]), Owner: strings.TrimSpace(rec[2]), Registration: strings.TrimSpace(rec[3])}
		bad := false
		for _, c := range strings.FieldsFunc(rec[1], func(r rune) bool { return r == ' ' || r == ',' || r == ';' }) {
			n, err := strconv.Atoi(c)
			if err != nil {
				bad = true
				break
			}
			m.Classes = append(m.Classes, n)
		}
		switch {
		case bad && line == 1:
			continue // the header
		case bad:
			return nil, fmt.Errorf("line %d: classes %q are not class numbers", line, rec[1])
		}
		out = append(out, m)
	}
}

func (e *Expo) checkKnownMarks() error {
	for i, m := range e.KnownMarks {
		if m.Text == "" {
			return fmt.Errorf("expo config: knownMarks[%d].text is required", i)
		}
		if len(m.Classes) == 0 {
			return fmt.Errorf("expo config: knownMarks[%d].classes needs at least one class", i)
		}
		for _, c := range m.Classes {
			if c < 1 || c > 45 {
				return fmt.Errorf("expo config: knownMarks[%d].classes: %d is not a Nice class (1-45)", i, c)
			}
		}
	}
	return nil
}

// ExhibitorEntry is one exhibitor of the expo's directory.
type ExhibitorEntry struct {
	ID      string `json:"id"`
	Booth   string `json:"booth"`
	Name    string `json:"name"`
	NameZh  string `json:"nameZh,omitempty"`  // its name in Chinese
	Country string `json:"country,omitempty"` // ISO 3166-1 alpha-2
	// Contact is whom the exhibitor's notices go to (SPEC §17: a complaint against its booth);
	// GET /v1/expo does not show it.
	Contact *Contact `json:"contact,omitempty"`
}

// MarshalJSON leaves the contact out: the configuration is public (GET /v1/expo).
func (e ExhibitorEntry) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		ID     string `json:"id"`
		Booth  string `json:"booth"`
		Name   string `json:"name"`
		NameZh string `json:"nameZh,omitempty"`
	}{e.ID, e.Booth, e.Name, e.NameZh})
}

func (e *Expo) checkExhibitors() error {
	seen := map[string]bool{}
	for i, x := range e.Exhibitors {
		if x.ID == "" || x.Booth == "" {
			return fmt.Errorf("expo config: exhibitors[%d] needs an id and a booth", i)
		}
		if c := x.Country; c != "" && (len(c) != 2 || c[0] < 'A' || c[0] > 'Z' || c[1] < 'A' || c[1] > 'Z') {
			return fmt.Errorf("expo config: exhibitors[%d].country: %q is not an ISO 3166-1 alpha-2 code (\"CN\", \"DE\")", i, c)
		}
		if seen[x.ID] {
			return fmt.Errorf("expo config: exhibitors[%d]: id %q is listed twice", i, x.ID)
		}
		seen[x.ID] = true
	}
	return nil
}

// Notifications configure outgoing mail (SPEC §17); without SMTP, messages are kept and listed
// but not sent.
type Notifications struct {
	SMTP *SMTP `json:"smtp,omitempty"`
}

// SMTP is the mail server notifications go through.
type SMTP struct {
	Host     string `json:"host"`
	Port     int    `json:"port"`
	From     string `json:"from"`
	Username string `json:"username,omitempty"`
	Password Secret `json:"password,omitempty"`
	TLS      string `json:"tls"`
}

func (n Notifications) check() error {
	s := n.SMTP
	if s == nil {
		return nil
	}
	switch {
	case s.Host == "":
		return fmt.Errorf("expo config: notifications.smtp.host is required")
	case s.Port < 1 || s.Port > 65535:
		return fmt.Errorf("expo config: notifications.smtp.port must be 1 to 65535")
	case s.From == "":
		return fmt.Errorf("expo config: notifications.smtp.from is required")
	case s.TLS != "none" && s.TLS != "starttls" && s.TLS != "tls":
		return fmt.Errorf("expo config: notifications.smtp.tls must be none, starttls or tls")
	}
	return nil
}

// Secret is a configured secret: read from configuration, never written out (GET /v1/expo
// shows the configuration to anyone).
type Secret string

// MarshalJSON hides the secret.
func (Secret) MarshalJSON() ([]byte, error) { return []byte(`""`), nil }

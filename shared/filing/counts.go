package filing

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Counts are an expo's running figures (GET /v1/stats), kept by the store in the same
// transaction as every filing write, so that reading them costs the same at a hundred filings
// and at a million. Each counter is named family/…:
//
//	qs/<queue>/<state>        filings in a queue and state
//	kind/<kind>               filings of a kind (KindOf)
//	country/<code>            filings by the first applicant's nationality
//	filed/<hour>              filings filed in an hour (UTC, "2026-06-22T09")
//	ttd/<queue>/<seconds>     decided filings by time from filing to their latest decision,
//	                          to three significant figures (DecisionBucket)
//	decided/<hour>            decisions made in an hour (UTC)
//	by/<examiner>/<outcome>   decisions made by an examiner
//
// The first five describe the filings as they are; the last two count decisions as they
// happen, so a filing decided twice (correction, then acceptance) counts twice there.
type Counts map[string]int64

// Add adds d to c.
func (c Counts) Add(d Counts) {
	for k, v := range d {
		c[k] += v
	}
}

// Figures of one filing as it is: the counters it adds to.
func figures(f Filing) []string {
	out := []string{"qs/" + f.Queue + "/" + string(f.State), "kind/" + KindOf(f)}
	if len(f.Applicants) > 0 && f.Applicants[0].Nationality != "" {
		out = append(out, "country/"+f.Applicants[0].Nationality)
	}
	if h, ok := hourOf(f.FiledAt); ok {
		out = append(out, "filed/"+h)
	}
	if secs, ok := DecisionSeconds(f); ok {
		out = append(out, "ttd/"+f.Queue+"/"+strconv.FormatInt(DecisionBucket(secs), 10))
	}
	return out
}

// CountsDelta is what a write changes in the counts: before is the stored filing (nil when
// the write creates it), after what is written.
func CountsDelta(before *Filing, after Filing) Counts {
	d := Counts{}
	for _, k := range figures(after) {
		d[k]++
	}
	if before != nil {
		for _, k := range figures(*before) {
			d[k]--
		}
	}
	if dec := after.Decision; dec != nil && (before == nil || !sameDecision(before.Decision, dec)) {
		if h, ok := hourOf(dec.DecidedAt); ok {
			d["decided/"+h]++
		}
		d["by/"+dec.Examiner+"/"+dec.Outcome]++
	}
	for k, v := range d {
		if v == 0 {
			delete(d, k)
		}
	}
	return d
}

// CountsOf are the counts of a set of filings as they are now: what a store that starts
// keeping counts builds from the filings it holds (decisions before the last of each filing
// are not in the audit-free filing and so not counted).
func CountsOf(f Filing) Counts { return CountsDelta(nil, f) }

// SortedKeys lists c's counters in order.
func (c Counts) SortedKeys() []string {
	keys := make([]string, 0, len(c))
	for k := range c {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func sameDecision(a, b *Decision) bool {
	return a != nil && b != nil && a.Outcome == b.Outcome && a.DecidedAt == b.DecidedAt && a.Examiner == b.Examiner
}

func hourOf(stamp string) (string, bool) {
	t, err := time.Parse(time.RFC3339, stamp)
	if err != nil {
		return "", false
	}
	return t.UTC().Format("2006-01-02T15"), true
}

// HourStart is the start of a counter's hour ("2026-06-22T09").
func HourStart(h string) (time.Time, error) { return time.Parse("2006-01-02T15", h) }

// DecisionSeconds is the time from filing to the latest decision of a decided filing.
func DecisionSeconds(f Filing) (float64, bool) {
	if f.Decision == nil {
		return 0, false
	}
	filed, err1 := time.Parse(time.RFC3339, f.FiledAt)
	decided, err2 := time.Parse(time.RFC3339, f.Decision.DecidedAt)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	return max(decided.Sub(filed).Seconds(), 0), true
}

// DecisionBucket rounds a time to decision down to three significant figures of whole
// seconds: exact below 1,000 s (16 min 40 s), within 1 % above; 3,600 and 86,400 stay exact.
func DecisionBucket(secs float64) int64 {
	s := int64(secs)
	if s < 1000 {
		return s
	}
	p := int64(math.Pow10(int(math.Log10(float64(s))) - 2))
	return s / p * p
}

// SplitCounter splits a counter name into its family, its middle part (queue or examiner; ""
// for kind, country, filed and decided) and its last part.
func SplitCounter(k string) (family, middle, last string) {
	family, rest, _ := strings.Cut(k, "/")
	if i := strings.LastIndexByte(rest, '/'); i >= 0 && (family == "qs" || family == "ttd" || family == "by") {
		return family, rest[:i], rest[i+1:]
	}
	return family, "", rest
}

package filing

import "fmt"

// RoutingRule sends matching filings to Queue. Empty fields match anything; the first rule that
// matches wins (SPEC §8: routing is data, not code).
type RoutingRule struct {
	Queue      string `json:"queue"`
	Kind       string `json:"kind,omitempty"`
	PatentType string `json:"patentType,omitempty"`
	// DeadlineWithinDays matches a filing with a priority or exhibition period that ends
	// within this many days of its filing date (0: not a condition).
	DeadlineWithinDays int `json:"deadlineWithinDays,omitempty"`
}

// DefaultRouting is SPEC §8's table.
func DefaultRouting() []RoutingRule {
	return []RoutingRule{
		{Queue: "expedited", DeadlineWithinDays: 30},
		{Queue: "patent-invention", Kind: KindPatent, PatentType: PatentInvention},
		{Queue: "patent-utility-model", Kind: KindPatent, PatentType: PatentUtilityModel},
		{Queue: "patent-design", Kind: KindPatent, PatentType: PatentDesign},
		{Queue: "trademark", Kind: KindTrademark},
	}
}

func checkRouting(rules []RoutingRule) error {
	if len(rules) == 0 {
		return fmt.Errorf("expo config: routing needs at least one rule")
	}
	for i, r := range rules {
		if r.Queue == "" || len(r.Queue) > 80 {
			return fmt.Errorf("expo config: routing[%d]: queue name must be 1-80 characters", i)
		}
	}
	// Every kind of filing must land somewhere, whatever its deadlines.
	for _, probe := range []Request{
		{Kind: KindPatent, Patent: &Patent{Type: PatentInvention}},
		{Kind: KindPatent, Patent: &Patent{Type: PatentUtilityModel}},
		{Kind: KindPatent, Patent: &Patent{Type: PatentDesign}},
		{Kind: KindTrademark, Trademark: &Trademark{}},
	} {
		if _, ok := route(rules, &probe, -1); !ok {
			return fmt.Errorf("expo config: routing has no rule for %s", probe.TypeCode())
		}
	}
	return nil
}

// Queues lists the distinct queue names of the routing table, in rule order.
func (e *Expo) Queues() []string {
	var out []string
	seen := map[string]bool{}
	for _, r := range e.Routing {
		if !seen[r.Queue] {
			seen[r.Queue] = true
			out = append(out, r.Queue)
		}
	}
	return out
}

// Route picks the review queue of a request filed on filingDate.
func (e *Expo) Route(r *Request, filingDate Date) string {
	soonest := -1
	for _, d := range e.Deadlines(r) {
		if left := filingDate.DaysUntil(d.Ends); left >= 0 && (soonest < 0 || left < soonest) {
			soonest = left
		}
	}
	q, _ := route(e.Routing, r, soonest)
	return q
}

func route(rules []RoutingRule, r *Request, soonest int) (string, bool) {
	for _, rule := range rules {
		if rule.Kind != "" && rule.Kind != r.Kind {
			continue
		}
		if rule.PatentType != "" && (r.Patent == nil || r.Patent.Type != rule.PatentType) {
			continue
		}
		if rule.DeadlineWithinDays > 0 && (soonest < 0 || soonest > rule.DeadlineWithinDays) {
			continue
		}
		return rule.Queue, true
	}
	return "", false
}

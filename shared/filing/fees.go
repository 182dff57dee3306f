package filing

import "fmt"

// FeeSchedule holds the official fees (SPEC §7), in whole units of Currency.
type FeeSchedule struct {
	Currency               string `json:"currency"`
	Invention              int    `json:"invention"`
	InventionPublication   int    `json:"inventionPublication"`
	UtilityModel           int    `json:"utilityModel"`
	Design                 int    `json:"design"`
	TrademarkClass         int    `json:"trademarkClass"`
	TrademarkTermsIncluded int    `json:"trademarkTermsIncluded"`
	TrademarkExtraTerm     int    `json:"trademarkExtraTerm"`
	// PriorityClaim is charged per priority claim of a patent (trademarks pay no priority fee).
	PriorityClaim int `json:"priorityClaim"`
	// ClaimsIncluded claims are covered by the filing fee of an invention or utility model;
	// each further claim costs ExtraClaim.
	ClaimsIncluded int `json:"claimsIncluded"`
	ExtraClaim     int `json:"extraClaim"`
	// PriorityRestoration is charged per restored priority claim (Implementing Regulations
	// Art. 36).
	PriorityRestoration int `json:"priorityRestoration"`
}

func (s FeeSchedule) check() error {
	for _, v := range []int{s.Invention, s.InventionPublication, s.UtilityModel, s.Design,
		s.TrademarkClass, s.TrademarkTermsIncluded, s.TrademarkExtraTerm, s.PriorityClaim,
		s.ClaimsIncluded, s.ExtraClaim, s.PriorityRestoration} {
		if v < 0 {
			return fmt.Errorf("expo config: fees must not be negative")
		}
	}
	if s.Currency == "" {
		return fmt.Errorf("expo config: fees.currency is required")
	}
	return nil
}

// Fee codes of the items of a fee statement.
const (
	FeeInventionFiling      = "invention_filing"
	FeeInventionPublication = "invention_publication"
	FeeUtilityModelFiling   = "utility_model_filing"
	FeeDesignFiling         = "design_filing"
	FeeTrademarkClass       = "trademark_class"
	FeeTrademarkExtraTerms  = "trademark_extra_terms"
	FeePriorityClaim        = "priority_claim"
	FeeClaimsExtra          = "claims_extra"
	FeePriorityRestoration  = "priority_restoration"
)

// Compute returns the fee statement of a request of which restored priority claims are
// restored (see Expo.Priority): filing fees, claims beyond the included ones, trademark classes
// and their extra terms, and for patents the priority and restoration fees.
func (s FeeSchedule) Compute(r *Request, restored int) Fees {
	f := Fees{Currency: s.Currency, Items: make([]FeeItem, 0, 4)}
	switch {
	case r.Kind == KindPatent && r.Patent != nil:
		switch r.Patent.Type {
		case PatentInvention:
			f.Items = append(f.Items, FeeItem{Code: FeeInventionFiling, Amount: s.Invention},
				FeeItem{Code: FeeInventionPublication, Amount: s.InventionPublication})
		case PatentUtilityModel:
			f.Items = append(f.Items, FeeItem{Code: FeeUtilityModelFiling, Amount: s.UtilityModel})
		case PatentDesign:
			f.Items = append(f.Items, FeeItem{Code: FeeDesignFiling, Amount: s.Design})
		}
		if t := r.Patent.Type; t == PatentInvention || t == PatentUtilityModel {
			if extra := len(r.Patent.Claims) - s.ClaimsIncluded; extra > 0 {
				f.Items = append(f.Items, FeeItem{Code: FeeClaimsExtra, Quantity: extra, Amount: extra * s.ExtraClaim})
			}
		}
		if n := len(r.PriorityClaims); n > 0 {
			f.Items = append(f.Items, FeeItem{Code: FeePriorityClaim, Quantity: n, Amount: n * s.PriorityClaim})
		}
		if restored > 0 {
			f.Items = append(f.Items, FeeItem{Code: FeePriorityRestoration, Quantity: restored,
				Amount: restored * s.PriorityRestoration})
		}
	case r.Kind == KindTrademark && r.Trademark != nil:
		for _, c := range r.Trademark.Classes {
			f.Items = append(f.Items, FeeItem{Code: FeeTrademarkClass, Class: c.Class, Amount: s.TrademarkClass})
			if extra := len(c.Terms) - s.TrademarkTermsIncluded; extra > 0 {
				f.Items = append(f.Items, FeeItem{Code: FeeTrademarkExtraTerms, Class: c.Class,
					Quantity: extra, Amount: extra * s.TrademarkExtraTerm})
			}
		}
	}
	for _, it := range f.Items {
		f.Total += it.Amount
	}
	return f
}

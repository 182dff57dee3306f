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
	PriorityClaim          int    `json:"priorityClaim"`
}

func (s FeeSchedule) check() error {
	for _, v := range []int{s.Invention, s.InventionPublication, s.UtilityModel, s.Design,
		s.TrademarkClass, s.TrademarkTermsIncluded, s.TrademarkExtraTerm, s.PriorityClaim} {
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
)

// Compute returns the fee statement of a request.
func (s FeeSchedule) Compute(r *Request) Fees {
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
	case r.Kind == KindTrademark && r.Trademark != nil:
		for _, c := range r.Trademark.Classes {
			f.Items = append(f.Items, FeeItem{Code: FeeTrademarkClass, Class: c.Class, Amount: s.TrademarkClass})
			if extra := len(c.Terms) - s.TrademarkTermsIncluded; extra > 0 {
				f.Items = append(f.Items, FeeItem{Code: FeeTrademarkExtraTerms, Class: c.Class,
					Quantity: extra, Amount: extra * s.TrademarkExtraTerm})
			}
		}
	}
	if n := len(r.PriorityClaims); n > 0 {
		f.Items = append(f.Items, FeeItem{Code: FeePriorityClaim, Quantity: n, Amount: n * s.PriorityClaim})
	}
	for _, it := range f.Items {
		f.Total += it.Amount
	}
	return f
}

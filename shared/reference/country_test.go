package reference_test

import (
	"strings"
	"testing"

	"github.com/ipfast/ipfast/shared/reference"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// TestCountriesAreCLDR: the generated table has every ISO 3166-1 code once, in order, with
// CLDR's English and simplified-Chinese names except the documented overrides: nobody typed
// a name by hand (run `go generate ./shared/reference` after changing CountryCodes).
func TestCountriesAreCLDR(t *testing.T) {
	codes := strings.Fields(reference.CountryCodes)
	got := reference.Countries()
	if len(got) != len(codes) || len(codes) != 249 {
		t.Fatalf("%d countries for %d codes (ISO 3166-1 has 249)", len(got), len(codes))
	}
	en, zh := display.English.Regions(), display.SimplifiedChinese.Regions()
	for i, c := range got {
		if c.Code != codes[i] || !reference.IsCountry(c.Code) {
			t.Fatalf("entry %d is %s, want %s", i, c.Code, codes[i])
		}
		want := reference.Country{Code: c.Code, Name: en.Name(language.MustParseRegion(c.Code)), NameZh: zh.Name(language.MustParseRegion(c.Code))}
		if o, ok := reference.NameOverrides[c.Code]; ok {
			want = o
		}
		if c != want {
			t.Errorf("%s = %+v, want %+v", c.Code, c, want)
		}
	}
	for _, o := range reference.Offices {
		if reference.IsCountry(o.Code) || !reference.IsOffice(o.Code) || o.Name == "" || o.NameZh == "" {
			t.Errorf("office %+v", o)
		}
	}
	for _, s := range []string{"", "de", "D", "DEU", "XX", "UK"} {
		if reference.IsCountry(s) || reference.IsOffice(s) {
			t.Errorf("%q taken for a country or office", s)
		}
	}
}

package reference

//go:generate go run gen_countries.go

// CountryCodes are the ISO 3166-1 alpha-2 codes, space-separated: the countries a filing may
// name as nationality, domicile or priority office.
const CountryCodes = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM " +
	"BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE " +
	"DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP " +
	"GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH " +
	"KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN " +
	"MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH " +
	"PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR " +
	"SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC " +
	"VE VG VI VN VU WF WS YE YT ZA ZM ZW"

// iso3166 holds CountryCodes as 26×26 bits indexed by the two letters, so that a lookup costs
// no allocation and no map hashing on the hot validation path.
var iso3166 [26 * 26]bool

func init() {
	for i := 0; i+1 < len(CountryCodes); i += 3 {
		iso3166[int(CountryCodes[i]-'A')*26+int(CountryCodes[i+1]-'A')] = true
	}
}

// IsCountry reports whether s is an ISO 3166-1 alpha-2 code (upper case).
func IsCountry(s string) bool {
	if len(s) != 2 || s[0] < 'A' || s[0] > 'Z' || s[1] < 'A' || s[1] > 'Z' {
		return false
	}
	return iso3166[int(s[0]-'A')*26+int(s[1]-'A')]
}

// Country is a country or an intergovernmental office with its names in English and Chinese.
type Country struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	NameZh string `json:"name_zh"`
}

// Countries lists every code of CountryCodes with its CLDR names (countries_gen.go, made by
// gen_countries.go from golang.org/x/text/language/display; see nameOverrides there).
func Countries() []Country { return countries[:] }

// Offices are the WIPO ST.3 codes of intergovernmental offices that may be a priority office
// (SPEC §6), with their names in English and Chinese. CLDR has no names for them: these are the
// offices' own.
var Offices = []Country{
	{"EP", "European Patent Office", "欧洲专利局"},
	{"EM", "European Union Intellectual Property Office", "欧盟知识产权局"},
	{"WO", "World Intellectual Property Organization", "世界知识产权组织"},
	{"IB", "International Bureau of WIPO", "世界知识产权组织国际局"},
	{"OA", "African Intellectual Property Organization (OAPI)", "非洲知识产权组织"},
	{"AP", "African Regional Intellectual Property Organization (ARIPO)", "非洲地区知识产权组织"},
	{"EA", "Eurasian Patent Organization", "欧亚专利组织"},
	{"GC", "Patent Office of the Cooperation Council for the Arab States of the Gulf", "海湾阿拉伯国家合作委员会专利局"},
}

// IsOffice reports whether s is a country code or an ST.3 office code of Offices: a priority
// office.
func IsOffice(s string) bool {
	if IsCountry(s) {
		return true
	}
	for _, o := range Offices {
		if o.Code == s {
			return true
		}
	}
	return false
}

// NameOverrides are the codes whose names are not CLDR's: Taiwan is named as the Chinese
// authorities and CNIPA's own forms name it (CLDR: "Taiwan", "台湾"). gen_countries.go applies
// them; a test holds every other name equal to CLDR's.
var NameOverrides = map[string]Country{
	"TW": {"TW", "Taiwan, China", "中国台湾"},
}

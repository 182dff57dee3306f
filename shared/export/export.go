// Package export writes an expo's filings for the IP office (SPEC §13): CSV (UTF-8 with a byte
// order mark, a bilingual header row, formula injection defused), XLSX (one sheet per kind,
// frozen bilingual header, streamed: xlsx.go) and WIPO ST.96 XML
// (trademarks as tmk:TrademarkApplication, patents as pat:BibliographicData, exhibition claims
// as com:ExhibitionPriority). Each writer takes the filings one at a time from a source that
// pages through the store, so an export of any size holds one page in memory.
package export

import (
	"context"
	"strconv"
	"strings"

	"github.com/ipfast/ipfast/shared/filing"
)

// The formats.
const (
	CSV  = "csv"
	XLSX = "xlsx"
	ST96 = "st96"
)

// Formats are the formats, as the format parameter names them.
var Formats = []string{CSV, XLSX, ST96}

// ContentType is a format's media type, and Extension its file name's ending.
func ContentType(format string) (string, string) {
	switch format {
	case XLSX:
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"
	case ST96:
		return "application/xml; charset=utf-8", ".xml"
	}
	return "text/csv; charset=utf-8", ".csv"
}

// Source calls each with every filing the export covers, of one kind when kind is given
// (trademark, invention, utility_model, design; "" for all), and returns how many.
type Source func(ctx context.Context, kind string, each func(filing.Filing) error) (int, error)

// column is one column of the tables: its header in both languages and its value.
type column struct {
	en, zh string
	value  func(x *filing.Expo, f filing.Filing) string
}

var columns = []column{
	{"Filing number", "申请号", func(_ *filing.Expo, f filing.Filing) string { return f.FilingNumber }},
	{"Kind", "类型", func(_ *filing.Expo, f filing.Filing) string { return filing.KindOf(f) }},
	{"State", "状态", func(_ *filing.Expo, f filing.Filing) string { return string(f.State) }},
	{"Filing date", "申请日", func(_ *filing.Expo, f filing.Filing) string { return f.FilingDate }},
	{"Filed at", "提交时间", func(_ *filing.Expo, f filing.Filing) string { return f.FiledAt }},
	{"Exhibitor", "参展商", func(_ *filing.Expo, f filing.Filing) string { return f.Exhibitor }},
	{"Booth", "展位", func(_ *filing.Expo, f filing.Filing) string { return f.Booth }},
	{"Queue", "审查队列", func(_ *filing.Expo, f filing.Filing) string { return f.Queue }},
	{"Applicants", "申请人", func(_ *filing.Expo, f filing.Filing) string {
		var out []string
		for _, a := range f.Applicants {
			out = append(out, a.Name+" ("+a.Nationality+")")
		}
		return strings.Join(out, "; ")
	}},
	{"Applicant addresses", "申请人地址", func(_ *filing.Expo, f filing.Filing) string {
		var out []string
		for _, a := range f.Applicants {
			out = append(out, a.Address)
		}
		return strings.Join(out, "; ")
	}},
	{"Applicant ID numbers", "申请人证件号码", func(_ *filing.Expo, f filing.Filing) string {
		var out []string
		for _, a := range f.Applicants {
			out = append(out, a.IDNumber)
		}
		return strings.Trim(strings.Join(out, "; "), "; ")
	}},
	{"Agent", "代理机构", func(_ *filing.Expo, f filing.Filing) string {
		if f.Agent == nil {
			return ""
		}
		return strings.TrimSpace(f.Agent.Name + " " + f.Agent.AgencyCode)
	}},
	{"Mark or title", "商标或名称", func(_ *filing.Expo, f filing.Filing) string {
		switch {
		case f.Trademark != nil:
			return f.Trademark.MarkText
		case f.Patent != nil:
			return f.Patent.Title
		}
		return ""
	}},
	{"Mark type", "商标类型", func(_ *filing.Expo, f filing.Filing) string {
		if f.Trademark != nil {
			return f.Trademark.MarkType
		}
		return ""
	}},
	{"Classes", "类别", func(_ *filing.Expo, f filing.Filing) string {
		switch {
		case f.Trademark != nil:
			var out []string
			for _, c := range f.Trademark.Classes {
				out = append(out, strconv.Itoa(c.Class))
			}
			return strings.Join(out, ", ")
		case f.Patent != nil:
			return f.Patent.LocarnoClass
		}
		return ""
	}},
	{"Goods and services", "商品和服务", func(_ *filing.Expo, f filing.Filing) string {
		if f.Trademark == nil {
			return ""
		}
		var out []string
		for _, c := range f.Trademark.Classes {
			out = append(out, strconv.Itoa(c.Class)+": "+strings.Join(c.Terms, "; "))
		}
		return strings.Join(out, " | ")
	}},
	{"Inventors or designers", "发明人或设计人", func(_ *filing.Expo, f filing.Filing) string {
		if f.Patent == nil {
			return ""
		}
		var out []string
		for _, p := range f.Patent.Inventors {
			out = append(out, p.Name)
		}
		return strings.Join(out, "; ")
	}},
	{"Priority claims", "优先权", func(_ *filing.Expo, f filing.Filing) string {
		var out []string
		for _, p := range f.PriorityClaims {
			out = append(out, p.Office+" "+p.Number+" "+p.Date)
		}
		return strings.Join(out, "; ")
	}},
	{"Exhibition claim", "展会声明", func(_ *filing.Expo, f filing.Filing) string {
		x := f.Exhibition
		if x == nil {
			return ""
		}
		return strings.Join(nonEmpty(x.Expo, x.FirstDisplayDate, x.Booth, x.Certificate), " ")
	}},
	{"Contact", "联系人", func(_ *filing.Expo, f filing.Filing) string {
		if f.Contact == nil {
			return ""
		}
		return f.Contact.Name
	}},
	{"Contact email", "联系人邮箱", func(_ *filing.Expo, f filing.Filing) string {
		if f.Contact == nil {
			return ""
		}
		return f.Contact.Email
	}},
	{"Contact phone", "联系人电话", func(_ *filing.Expo, f filing.Filing) string {
		if f.Contact == nil {
			return ""
		}
		return f.Contact.Phone
	}},
	{"Fees total", "费用合计", func(_ *filing.Expo, f filing.Filing) string {
		return strconv.Itoa(f.Fees.Total) + " " + f.Fees.Currency
	}},
	{"Decision", "决定", func(_ *filing.Expo, f filing.Filing) string {
		if f.Decision == nil {
			return ""
		}
		return f.Decision.Outcome
	}},
	{"Decided at", "决定时间", func(_ *filing.Expo, f filing.Filing) string {
		if f.Decision == nil {
			return ""
		}
		return f.Decision.DecidedAt
	}},
}

func nonEmpty(s ...string) []string {
	var out []string
	for _, x := range s {
		if x != "" {
			out = append(out, x)
		}
	}
	return out
}

// Header is the header row: each column's English and Chinese name.
func Header() []string {
	out := make([]string, len(columns))
	for i, c := range columns {
		out[i] = c.en + " / " + c.zh
	}
	return out
}

// Row is a filing's row, every cell defused (Defuse).
func Row(x *filing.Expo, f filing.Filing) []string {
	out := make([]string, len(columns))
	for i, c := range columns {
		out[i] = Defuse(c.value(x, f))
	}
	return out
}

// Defuse makes a cell that a spreadsheet would run as a formula (it begins with =, +, -, @, a
// tab or a carriage return) a literal, with a leading apostrophe (OWASP's advice).
func Defuse(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

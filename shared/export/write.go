package export

import (
	"context"
	"encoding/csv"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"

	"github.com/ipfast/ipfast/shared/filing"
)

// WriteCSV writes the filings of src as CSV: a byte order mark (so that Excel on a Chinese
// Windows reads UTF-8), the bilingual header row, one row per filing.
func WriteCSV(ctx context.Context, w io.Writer, x *filing.Expo, src Source) (int, error) {
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return 0, err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(Header()); err != nil {
		return 0, err
	}
	n, err := src(ctx, "", func(f filing.Filing) error {
		if err := cw.Write(Row(x, f)); err != nil {
			return err
		}
		if cw.Flush(); cw.Error() != nil {
			return cw.Error()
		}
		return nil
	})
	cw.Flush()
	if err == nil {
		err = cw.Error()
	}
	return n, err
}

// The ST.96 namespaces (WIPO ST.96 V6_0).
const (
	NSCommon    = "http://www.wipo.int/standards/XMLSchema/ST96/Common"
	NSTrademark = "http://www.wipo.int/standards/XMLSchema/ST96/Trademark"
	NSPatent    = "http://www.wipo.int/standards/XMLSchema/ST96/Patent"
	NSExport    = "https://ipfast.dev/xml/export/1"
)

// WriteST96 writes the filings of src as one XML document: an ipf:Export element holding a
// tmk:TrademarkApplication per trademark and a pat:BibliographicData per patent, in the ST.96
// V6_0 element names and namespaces, exhibition claims as com:ExhibitionPriority.
func WriteST96(ctx context.Context, w io.Writer, x *filing.Expo, src Source) (int, error) {
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return 0, err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", " ")
	root := xml.StartElement{Name: xml.Name{Local: "ipf:Export"}, Attr: []xml.Attr{
		{Name: xml.Name{Local: "xmlns:ipf"}, Value: NSExport},
		{Name: xml.Name{Local: "xmlns:com"}, Value: NSCommon},
		{Name: xml.Name{Local: "xmlns:tmk"}, Value: NSTrademark},
		{Name: xml.Name{Local: "xmlns:pat"}, Value: NSPatent},
		{Name: xml.Name{Local: "com:st96Version"}, Value: "V6_0"},
		{Name: xml.Name{Local: "ipf:expo"}, Value: x.ID},
	}}
	if err := enc.EncodeToken(root); err != nil {
		return 0, err
	}
	n, err := src(ctx, "", func(f filing.Filing) error {
		var v any
		if f.Trademark != nil {
			v = trademarkOf(x, f)
		} else {
			v = patentOf(x, f)
		}
		if err := enc.Encode(v); err != nil {
			return err
		}
		return enc.Flush()
	})
	if err != nil {
		return n, err
	}
	if err := enc.EncodeToken(root.End()); err != nil {
		return n, err
	}
	return n, enc.Flush()
}

// The ST.96 elements ipfast writes (names with their prefixes, as written).
type (
	appNumber struct {
		Text string `xml:"com:ApplicationNumberText"`
	}
	contact struct {
		Name        string   `xml:"com:Name>com:EntityName"`
		CountryCode string   `xml:"com:PostalAddressBag>com:PostalAddress>com:PostalStructuredAddress>com:CountryCode"`
		Address     []string `xml:"com:PostalAddressBag>com:PostalAddress>com:PostalStructuredAddress>com:AddressLineText"`
	}
	priority struct {
		Country string    `xml:"com:PriorityCountryCode"`
		Number  appNumber `xml:"com:PriorityApplicationNumber"`
		Date    string    `xml:"com:PriorityApplicationFilingDate"`
	}
	exhibitionPriority struct {
		Country string `xml:"com:ExhibitionCountryCode"`
		City    string `xml:"com:ExhibitionCityName,omitempty"`
		Name    string `xml:"com:ExhibitionName"`
		Date    string `xml:"com:ExhibitionDate"`
	}
	trademarkApplication struct {
		XMLName   xml.Name  `xml:"tmk:TrademarkApplication"`
		Trademark trademark `xml:"tmk:TrademarkBag>tmk:Trademark"`
	}
	trademark struct {
		Number      appNumber            `xml:"com:ApplicationNumber"`
		Date        string               `xml:"com:ApplicationDate"`
		Office      string               `xml:"com:ReceivingOfficeCode"`
		Feature     string               `xml:"tmk:MarkRepresentation>tmk:MarkFeatureCategory"`
		Verbal      string               `xml:"tmk:MarkRepresentation>tmk:MarkReproduction>tmk:WordMarkSpecification>tmk:MarkVerbalElementText,omitempty"`
		Classes     []classDescription   `xml:"tmk:GoodsServicesBag>tmk:GoodsServices>tmk:ClassDescriptionBag>tmk:ClassDescription"`
		Priorities  []priority           `xml:"com:PriorityBag>com:Priority,omitempty"`
		Exhibitions []exhibitionPriority `xml:"com:ExhibitionPriorityBag>com:ExhibitionPriority,omitempty"`
		Applicants  []applicant          `xml:"tmk:ApplicantBag>tmk:Applicant"`
	}
	classDescription struct {
		Number int    `xml:"tmk:ClassNumber"`
		Text   string `xml:"tmk:GoodsServicesDescriptionText"`
	}
	applicant struct {
		Contact     contact `xml:"com:Contact"`
		Nationality string  `xml:"com:NationalityCode"`
	}
	patentData struct {
		XMLName     xml.Name             `xml:"pat:BibliographicData"`
		Office      string               `xml:"pat:ApplicationIdentification>com:IPOfficeCode"`
		Number      appNumber            `xml:"pat:ApplicationIdentification>com:ApplicationNumber"`
		Date        string               `xml:"pat:ApplicationIdentification>pat:FilingDate"`
		Category    string               `xml:"pat:PatentDocumentKindCategory"`
		Title       string               `xml:"pat:InventionTitle"`
		Locarno     string               `xml:"pat:LocarnoClassification,omitempty"`
		Applicants  []applicant          `xml:"pat:PartyBag>pat:ApplicantBag>pat:Applicant"`
		Inventors   []contact            `xml:"pat:PartyBag>pat:InventorBag>pat:Inventor>com:Contact"`
		Priorities  []priority           `xml:"pat:PriorityClaimBag>pat:PriorityClaim,omitempty"`
		Exhibitions []exhibitionPriority `xml:"com:ExhibitionPriorityBag>com:ExhibitionPriority,omitempty"`
	}
)

var features = map[string]string{"word": "Word", "figurative": "Figurative", "combined": "Combined",
	"three_dimensional": "3-D", "color": "Colour", "sound": "Sound"}

func applicantsOf(f filing.Filing) []applicant {
	var out []applicant
	for _, a := range f.Applicants {
		out = append(out, applicant{Contact: contact{Name: a.Name, CountryCode: a.Domicile, Address: []string{a.Address}}, Nationality: a.Nationality})
	}
	return out
}

func prioritiesOf(f filing.Filing) []priority {
	var out []priority
	for _, p := range f.PriorityClaims {
		out = append(out, priority{Country: p.Office, Number: appNumber{p.Number}, Date: p.Date})
	}
	return out
}

// exhibitionsOf is a filing's exhibition claim, with the exhibition's name and city from the
// expo's configuration when it is this expo.
func exhibitionsOf(x *filing.Expo, f filing.Filing) []exhibitionPriority {
	e := f.Exhibition
	if e == nil {
		return nil
	}
	ep := exhibitionPriority{Country: "CN", Name: e.Expo, Date: e.FirstDisplayDate}
	if e.Expo == x.ID {
		ep.Name, ep.City = x.Name, x.City
	} else if def, ok := x.Exhibition(e.Expo); ok {
		ep.Name = def.Name
	}
	return []exhibitionPriority{ep}
}

func trademarkOf(x *filing.Expo, f filing.Filing) trademarkApplication {
	tm := trademark{Number: appNumber{f.FilingNumber}, Date: f.FilingDate, Office: "CN", Feature: features[f.Trademark.MarkType],
		Verbal: f.Trademark.MarkText, Priorities: prioritiesOf(f), Exhibitions: exhibitionsOf(x, f), Applicants: applicantsOf(f)}
	for _, c := range f.Trademark.Classes {
		text := ""
		for i, t := range c.Terms {
			if i > 0 {
				text += "; "
			}
			text += t
		}
		tm.Classes = append(tm.Classes, classDescription{Number: c.Class, Text: text})
	}
	return trademarkApplication{Trademark: tm}
}

var patentKinds = map[string]string{filing.PatentInvention: "Invention", filing.PatentUtilityModel: "Utility model",
	filing.PatentDesign: "Design"}

func patentOf(x *filing.Expo, f filing.Filing) patentData {
	p := patentData{Office: "CN", Number: appNumber{f.FilingNumber}, Date: f.FilingDate, Applicants: applicantsOf(f),
		Priorities: prioritiesOf(f), Exhibitions: exhibitionsOf(x, f)}
	if f.Patent != nil {
		p.Category, p.Title, p.Locarno = patentKinds[f.Patent.Type], f.Patent.Title, f.Patent.LocarnoClass
		for _, i := range f.Patent.Inventors {
			p.Inventors = append(p.Inventors, contact{Name: i.Name, CountryCode: i.Nationality})
		}
	}
	return p
}

// Write writes the filings of src in format.
func Write(ctx context.Context, w io.Writer, format string, x *filing.Expo, src Source) (int, error) {
	switch format {
	case CSV:
		return WriteCSV(ctx, w, x, src)
	case XLSX:
		return WriteXLSX(ctx, w, x, src)
	case ST96:
		return WriteST96(ctx, w, x, src)
	}
	return 0, fmt.Errorf("export: unknown format %s", strconv.Quote(format))
}

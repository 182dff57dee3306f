package docapi_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/ipfast/ipfast/shared/export"
	"github.com/ipfast/ipfast/shared/filing"
	"github.com/xuri/excelize/v2"
)

func (e *env) file(tok, key string, body map[string]any) map[string]any {
	e.t.Helper()
	b, _ := json.Marshal(body)
	r, _ := http.NewRequest("POST", e.base+"/v1/filings", bytes.NewReader(b))
	r.Header.Set("Authorization", "Bearer "+tok)
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("Idempotency-Key", key)
	res, err := http.DefaultClient.Do(r)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(res.Body).Decode(&out)
	if res.StatusCode != 201 {
		e.t.Fatalf("file: %d %v", res.StatusCode, out)
	}
	return out
}

func (e *env) get(tok, path string) (*http.Response, []byte) {
	e.t.Helper()
	r, _ := http.NewRequest("GET", e.base+path, nil)
	r.Header.Set("Authorization", "Bearer "+tok)
	res, err := http.DefaultClient.Do(r)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, b
}

const hyperlink = `=HYPERLINK("http://evil.example/","click")`

func exportFilings(e *env) (tm, pt map[string]any) {
	kiosk := e.token(filing.Principal{Subject: "kiosk-1A-101", Role: filing.RoleKiosk, Exhibitor: "EX-0001", Booth: "1A-101"})
	tm = e.file(kiosk, "tm", map[string]any{"kind": "trademark",
		"trademark":  map[string]any{"markType": "word", "markText": hyperlink, "classes": []any{map[string]any{"class": 9, "terms": []string{"Batteries, electric", "电池"}}}},
		"applicants": []any{map[string]any{"name": "宁德时代新能源科技股份有限公司", "kind": "organization", "nationality": "CN", "domicile": "CN", "address": "福建省宁德市", "idNumber": "91350900587527783P"}},
		"exhibition": map[string]any{"expo": "CISCE2026", "firstDisplayDate": "2026-06-22", "booth": "1A-101"},
		"contact":    map[string]any{"name": "Li Wei", "email": "li.wei@example.com"}, "language": "zh"})
	pt = e.file(kiosk, "pt", map[string]any{"kind": "patent",
		"patent":         map[string]any{"type": "invention", "title": "Battery cooling plate", "abstract": "A cooling plate for battery packs.", "claims": []string{"A plate."}, "inventors": []any{map[string]any{"name": "Zhang San", "nationality": "CN"}}},
		"applicants":     []any{map[string]any{"name": "Voltara Ltd", "kind": "organization", "nationality": "CN", "domicile": "CN", "address": "Ningde"}},
		"priorityClaims": []any{map[string]any{"office": "DE", "number": "10 2026 000 123.4", "date": "2026-01-15"}},
		"agent":          map[string]any{"name": "Beijing IP Agency", "agencyCode": "11001"},
		"contact":        map[string]any{"name": "Li Wei", "email": "li.wei@example.com"}, "language": "en"})
	return tm, pt
}

// TestExportCSV: UTF-8 with a byte order mark, the bilingual header, one row per filing, a
// formula as a literal; personal data whole for supervisors, masked for examiners; each export
// in the audit log with its filter and count.
func TestExportCSV(t *testing.T) {
	e := newEnv(t)
	tm, _ := exportFilings(e)
	supervisor := e.token(filing.Principal{Subject: "supervisor-1", Role: filing.RoleSupervisor})
	examiner := e.token(filing.Principal{Subject: "examiner-1", Role: filing.RoleExaminer})
	res, b := e.get(supervisor, "/v1/exports/filings?format=csv&state=queued")
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") ||
		!strings.Contains(res.Header.Get("Content-Disposition"), "CISCE2026-filings-") {
		t.Fatalf("CSV: %d %v", res.StatusCode, res.Header)
	}
	if !bytes.HasPrefix(b, []byte("\xEF\xBB\xBF")) {
		t.Fatalf("no byte order mark: %q", b[:8])
	}
	rows, err := csv.NewReader(bytes.NewReader(b[3:])).ReadAll()
	if err != nil || len(rows) != 3 {
		t.Fatalf("rows: %d %v", len(rows), err)
	}
	if rows[0][0] != "Filing number / 申请号" {
		t.Errorf("header: %v", rows[0])
	}
	text := string(b)
	if !strings.Contains(text, `"'`+strings.ReplaceAll(hyperlink, `"`, `""`)+`"`) {
		t.Errorf("the formula is not a literal:\n%s", text)
	}
	for _, want := range []string{tm["filingNumber"].(string), "宁德时代新能源科技股份有限公司", "li.wei@example.com", "91350900587527783P", "DE 10 2026 000 123.4 2026-01-15", "CISCE2026 2026-06-22 1A-101"} {
		if !strings.Contains(text, want) {
			t.Errorf("the supervisor's CSV lacks %q", want)
		}
	}
	_, b = e.get(examiner, "/v1/exports/filings")
	if strings.Contains(string(b), "li.wei@example.com") || strings.Contains(string(b), "91350900587527783P") || !strings.Contains(string(b), tm["filingNumber"].(string)) {
		t.Errorf("the examiner's CSV shows personal data or lacks the filing:\n%s", b)
	}
	if res, _ := e.get(examiner, "/v1/exports/filings?format=pdf"); res.StatusCode != 400 {
		t.Errorf("an unknown format: %d", res.StatusCode)
	}
	if res, _ := e.get(e.token(filing.Principal{Subject: "kiosk-1", Role: filing.RoleKiosk, Exhibitor: "EX-1", Booth: "1"}), "/v1/exports/filings"); res.StatusCode != 403 {
		t.Errorf("a kiosk exporting: %d", res.StatusCode)
	}
	// The audit log: newest first, who, the filter, how many.
	if res, _ := e.get(examiner, "/v1/audit"); res.StatusCode != 403 {
		t.Errorf("an examiner reading the audit log: %d", res.StatusCode)
	}
	_, b = e.get(supervisor, "/v1/audit")
	var audit struct{ Items []filing.AuditEntry }
	if err := json.Unmarshal(b, &audit); err != nil || len(audit.Items) != 2 || audit.Items[0].Actor != "examiner-1" || audit.Items[0].Count != 2 ||
		audit.Items[1].Actor != "supervisor-1" || audit.Items[1].Filter["state"] != "queued" || audit.Items[1].Filter["format"] != "csv" || audit.Items[1].Action != "export" {
		t.Errorf("audit: %s", b)
	}
}

// TestExportXLSX: the workbook opens with excelize; one sheet per kind with the bilingual header
// and the filings of that kind; the header row frozen.
func TestExportXLSX(t *testing.T) {
	e := newEnv(t)
	tm, pt := exportFilings(e)
	res, b := e.get(e.token(filing.Principal{Subject: "supervisor-1", Role: filing.RoleSupervisor}), "/v1/exports/filings?format=xlsx")
	if res.StatusCode != 200 || !strings.Contains(res.Header.Get("Content-Disposition"), ".xlsx") {
		t.Fatalf("XLSX: %d", res.StatusCode)
	}
	book, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer book.Close()
	if got := strings.Join(book.GetSheetList(), "|"); got != "Trademarks 商标|Inventions 发明|Utility models 实用新型|Designs 外观设计" {
		t.Errorf("sheets: %s", got)
	}
	for sheet, number := range map[string]string{"Trademarks 商标": tm["filingNumber"].(string), "Inventions 发明": pt["filingNumber"].(string)} {
		rows, err := book.GetRows(sheet)
		if err != nil || len(rows) != 2 || rows[0][0] != "Filing number / 申请号" || rows[1][0] != number {
			t.Errorf("%s: %v %v", sheet, rows, err)
		}
		panes, err := book.GetPanes(sheet)
		if err != nil || !panes.Freeze || panes.YSplit != 1 {
			t.Errorf("%s: header not frozen: %+v %v", sheet, panes, err)
		}
	}
	rows, _ := book.GetRows("Trademarks 商标")
	if !strings.HasPrefix(rows[1][12], "'=HYPERLINK") {
		t.Errorf("the mark cell: %q", rows[1][12])
	}
	if rows, _ := book.GetRows("Designs 外观设计"); len(rows) != 1 {
		t.Errorf("designs: %v", rows)
	}
}

// ST.96 as read back: each element by its namespace URL and name.
type st96Contact struct {
	Name struct {
		Entity string `xml:"http://www.wipo.int/standards/XMLSchema/ST96/Common EntityName"`
	} `xml:"http://www.wipo.int/standards/XMLSchema/ST96/Common Name"`
}

type st96Number struct {
	Text string `xml:"http://www.wipo.int/standards/XMLSchema/ST96/Common ApplicationNumberText"`
}

type st96Exhibition struct {
	Name string `xml:"http://www.wipo.int/standards/XMLSchema/ST96/Common ExhibitionName"`
	City string `xml:"http://www.wipo.int/standards/XMLSchema/ST96/Common ExhibitionCityName"`
	Date string `xml:"http://www.wipo.int/standards/XMLSchema/ST96/Common ExhibitionDate"`
}

type st96Export struct {
	XMLName    xml.Name `xml:"https://ipfast.dev/xml/export/1 Export"`
	Trademarks []struct {
		Trademark struct {
			Number     st96Number `xml:"http://www.wipo.int/standards/XMLSchema/ST96/Common ApplicationNumber"`
			Date       string     `xml:"http://www.wipo.int/standards/XMLSchema/ST96/Common ApplicationDate"`
			Verbal     string     `xml:"http://www.wipo.int/standards/XMLSchema/ST96/Trademark MarkRepresentation>MarkReproduction>WordMarkSpecification>MarkVerbalElementText"`
			Class      []int      `xml:"http://www.wipo.int/standards/XMLSchema/ST96/Trademark GoodsServicesBag>GoodsServices>ClassDescriptionBag>ClassDescription>ClassNumber"`
			Terms      string     `xml:"http://www.wipo.int/standards/XMLSchema/ST96/Trademark GoodsServicesBag>GoodsServices>ClassDescriptionBag>ClassDescription>GoodsServicesDescriptionText"`
			Exhibition struct {
				Priority st96Exhibition `xml:"http://www.wipo.int/standards/XMLSchema/ST96/Common ExhibitionPriority"`
			} `xml:"http://www.wipo.int/standards/XMLSchema/ST96/Common ExhibitionPriorityBag"`
			Applicant struct {
				Contact     st96Contact `xml:"http://www.wipo.int/standards/XMLSchema/ST96/Common Contact"`
				Nationality string      `xml:"http://www.wipo.int/standards/XMLSchema/ST96/Common NationalityCode"`
			} `xml:"http://www.wipo.int/standards/XMLSchema/ST96/Trademark ApplicantBag>Applicant"`
		} `xml:"http://www.wipo.int/standards/XMLSchema/ST96/Trademark TrademarkBag>Trademark"`
	} `xml:"http://www.wipo.int/standards/XMLSchema/ST96/Trademark TrademarkApplication"`
	Patents []struct {
		ID struct {
			Number st96Number `xml:"http://www.wipo.int/standards/XMLSchema/ST96/Common ApplicationNumber"`
			Date   string     `xml:"http://www.wipo.int/standards/XMLSchema/ST96/Patent FilingDate"`
		} `xml:"http://www.wipo.int/standards/XMLSchema/ST96/Patent ApplicationIdentification"`
		Title    string `xml:"http://www.wipo.int/standards/XMLSchema/ST96/Patent InventionTitle"`
		Inventor struct {
			Contact st96Contact `xml:"http://www.wipo.int/standards/XMLSchema/ST96/Common Contact"`
		} `xml:"http://www.wipo.int/standards/XMLSchema/ST96/Patent PartyBag>InventorBag>Inventor"`
		Priority struct {
			Country string     `xml:"http://www.wipo.int/standards/XMLSchema/ST96/Common PriorityCountryCode"`
			Number  st96Number `xml:"http://www.wipo.int/standards/XMLSchema/ST96/Common PriorityApplicationNumber"`
			Date    string     `xml:"http://www.wipo.int/standards/XMLSchema/ST96/Common PriorityApplicationFilingDate"`
		} `xml:"http://www.wipo.int/standards/XMLSchema/ST96/Patent PriorityClaimBag>PriorityClaim"`
	} `xml:"http://www.wipo.int/standards/XMLSchema/ST96/Patent BibliographicData"`
}

// TestExportST96: well-formed XML in the ST.96 namespaces whose fields read back as filed.
func TestExportST96(t *testing.T) {
	e := newEnv(t)
	tm, pt := exportFilings(e)
	res, b := e.get(e.token(filing.Principal{Subject: "supervisor-1", Role: filing.RoleSupervisor}), "/v1/exports/filings?format=st96")
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/xml") {
		t.Fatalf("ST.96: %d", res.StatusCode)
	}
	// Well-formed: every token reads.
	dec := xml.NewDecoder(bytes.NewReader(b))
	spaces := map[string]bool{}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed: %v\n%s", err, b)
		}
		if se, ok := tok.(xml.StartElement); ok {
			spaces[se.Name.Space] = true
		}
	}
	for _, ns := range []string{export.NSCommon, export.NSTrademark, export.NSPatent} {
		if !spaces[ns] {
			t.Errorf("no element in %s", ns)
		}
	}
	var got st96Export
	if err := xml.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Trademarks) != 1 || len(got.Patents) != 1 {
		t.Fatalf("%d trademarks, %d patents:\n%s", len(got.Trademarks), len(got.Patents), b)
	}
	g := got.Trademarks[0].Trademark
	x := g.Exhibition.Priority
	if g.Number.Text != tm["filingNumber"] || g.Date != tm["filingDate"] || g.Verbal != hyperlink || len(g.Class) != 1 || g.Class[0] != 9 ||
		g.Terms != "Batteries, electric; 电池" || g.Applicant.Contact.Name.Entity != "宁德时代新能源科技股份有限公司" || g.Applicant.Nationality != "CN" ||
		x.Date != "2026-06-22" || x.Name != "4th China International Supply Chain Expo" || x.City != "Beijing" {
		t.Errorf("trademark read back: %+v", g)
	}
	p := got.Patents[0]
	if p.ID.Number.Text != pt["filingNumber"] || p.ID.Date != pt["filingDate"] || p.Title != "Battery cooling plate" || p.Inventor.Contact.Name.Entity != "Zhang San" ||
		p.Priority.Country != "DE" || p.Priority.Number.Text != "10 2026 000 123.4" || p.Priority.Date != "2026-01-15" {
		t.Errorf("patent read back: %+v", p)
	}
}

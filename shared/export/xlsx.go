package export

import (
	"archive/zip"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/ipfast/ipfast/shared/filing"
)

// The XLSX export is written here as Office Open XML (ECMA-376) parts in a zip, each sheet
// streamed row by row into its zip entry: nothing is held but the row being written. (excelize,
// which the tests read the workbook with, buffers the whole file on Write and reaches
// reflection through go-deepcopy that keeps every method of every linked type: in the
// documents function that is every AWS SDK call, against its least-privilege policy.)

// The sheets of the XLSX export: one per kind, in both languages (at most 31 characters).
var sheets = []struct{ kind, name string }{
	{filing.KindTrademark, "Trademarks 商标"},
	{filing.PatentInvention, "Inventions 发明"},
	{filing.PatentUtilityModel, "Utility models 实用新型"},
	{filing.PatentDesign, "Designs 外观设计"},
}

// WriteXLSX writes the filings of src as an XLSX workbook: one sheet per kind, each with the
// bilingual header row frozen and bold, every cell an inline string (never a formula).
func WriteXLSX(ctx context.Context, w io.Writer, x *filing.Expo, src Source) (int, error) {
	z := zip.NewWriter(w)
	part := func(name, body string) error {
		f, err := z.Create(name)
		if err == nil {
			_, err = io.WriteString(f, xml.Header+body)
		}
		return err
	}
	var types, sheetList, rels strings.Builder
	for i, sh := range sheets {
		n := strconv.Itoa(i + 1)
		fmt.Fprintf(&types, `<Override PartName="/xl/worksheets/sheet%s.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`, n)
		fmt.Fprintf(&sheetList, `<sheet name="%s" sheetId="%s" r:id="rId%s"/>`, escape(sh.name), n, n)
		fmt.Fprintf(&rels, `<Relationship Id="rId%s" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet%s.xml"/>`, n, n)
	}
	fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>`, len(sheets)+1)
	for _, p := range [][2]string{
		{"[Content_Types].xml", `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
			`<Default Extension="xml" ContentType="application/xml"/>` +
			`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
			`<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>` +
			types.String() + `</Types>`},
		{"_rels/.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		{"xl/workbook.xml", `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ` +
			`xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>` + sheetList.String() + `</sheets></workbook>`},
		{"xl/_rels/workbook.xml.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` + rels.String() + `</Relationships>`},
		// Style 1: bold, for the header row.
		{"xl/styles.xml", `<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` +
			`<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>` +
			`<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>` +
			`<borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs>` +
			`<cellXfs count="2"><xf/><xf fontId="1" applyFont="1"/></cellXfs></styleSheet>`},
	} {
		if err := part(p[0], p[1]); err != nil {
			return 0, err
		}
	}
	total := 0
	for i, sh := range sheets {
		f, err := z.Create("xl/worksheets/sheet" + strconv.Itoa(i+1) + ".xml")
		if err != nil {
			return total, err
		}
		// The header row frozen: the pane below row 1.
		if _, err := io.WriteString(f, xml.Header+`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`+
			`<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>`+
			`<sheetData>`); err != nil {
			return total, err
		}
		if err := writeRow(f, 1, Header(), 1); err != nil {
			return total, err
		}
		row := 1
		n, err := src(ctx, sh.kind, func(fl filing.Filing) error {
			row++
			return writeRow(f, row, Row(x, fl), 0)
		})
		total += n
		if err != nil {
			return total, err
		}
		if _, err := io.WriteString(f, `</sheetData></worksheet>`); err != nil {
			return total, err
		}
	}
	return total, z.Close()
}

// writeRow writes row r of inline-string cells in style s.
func writeRow(w io.Writer, r int, cells []string, s int) error {
	var b strings.Builder
	fmt.Fprintf(&b, `<row r="%d">`, r)
	for i, c := range cells {
		fmt.Fprintf(&b, `<c r="%s%d" t="inlineStr"`, columnName(i), r)
		if s > 0 {
			fmt.Fprintf(&b, ` s="%d"`, s)
		}
		b.WriteString(`><is><t xml:space="preserve">`)
		b.WriteString(escape(c))
		b.WriteString(`</t></is></c>`)
	}
	b.WriteString(`</row>`)
	_, err := io.WriteString(w, b.String())
	return err
}

// columnName is a column's letters: A, …, Z, AA, ….
func columnName(i int) string {
	s := ""
	for i++; i > 0; i = (i - 1) / 26 {
		s = string(rune('A'+(i-1)%26)) + s
	}
	return s
}

// escape is text as XML character data, without the characters XML 1.0 forbids.
func escape(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0xFFFE || r == 0xFFFF {
			continue
		}
		switch r {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '"':
			b.WriteString("&quot;")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

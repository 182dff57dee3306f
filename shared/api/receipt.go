package api

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"strings"

	"github.com/boombuler/barcode/qr"
	"github.com/ipfast/ipfast/shared/filing"
	"github.com/ipfast/ipfast/shared/reference"
)

// receipt answers GET /v1/filings/{id}/receipt: a printable bilingual HTML page with the
// filing number, date and time, applicants, subject, classes, fees and a QR code of the
// filing's status URL.
func (s *Server) receipt(w http.ResponseWriter, r *http.Request, p filing.Principal) error {
	if !acceptsHTML(r.Header.Get("Accept")) {
		return filing.Errorf(filing.NotAcceptable, "not_acceptable",
			"the receipt is served as text/html; PDF receipts are not available yet")
	}
	f, err := s.Service.Get(r.Context(), p, r.PathValue("id"))
	if err != nil {
		return err
	}
	statusURL := s.baseURL(r) + "/v1/filings/" + f.ID
	qrSVG, err := qrcodeSVG(statusURL)
	if err != nil {
		return fmt.Errorf("receipt %s: %w", f.ID, err)
	}
	var buf bytes.Buffer
	if err := receiptTmpl.Execute(&buf, receiptData{F: f, StatusURL: statusURL, QR: qrSVG,
		Expo: s.Service.Expo}); err != nil {
		return fmt.Errorf("receipt %s: %w", f.ID, err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	_, err = w.Write(buf.Bytes())
	return err
}

// acceptsHTML reports whether an Accept header admits text/html (absent or wildcard does).
func acceptsHTML(accept string) bool {
	if accept == "" {
		return true
	}
	for _, part := range strings.Split(accept, ",") {
		mt, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.Contains(strings.ReplaceAll(params, " ", ""), "q=0") && !strings.Contains(params, "q=0.") {
			continue
		}
		switch strings.TrimSpace(mt) {
		case "text/html", "text/*", "*/*":
			return true
		}
	}
	return false
}

func (s *Server) baseURL(r *http.Request) string {
	if s.PublicURL != "" {
		return strings.TrimRight(s.PublicURL, "/")
	}
	scheme := "http"
	if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// qrcodeSVG encodes text as a QR code (error correction M) drawn as one SVG path, which prints
// sharp at any size.
func qrcodeSVG(text string) (template.HTML, error) {
	code, err := qr.Encode(text, qr.M, qr.Auto)
	if err != nil {
		return "", err
	}
	n := code.Bounds().Dx()
	var path strings.Builder
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			if c := code.At(x, y); isDark(c) {
				fmt.Fprintf(&path, "M%d %dh1v1h-1z", x+4, y+4)
			}
		}
	}
	size := n + 8 // a quiet zone of four modules on each side
	return template.HTML(fmt.Sprintf(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" `+
		`width="180" height="180" shape-rendering="crispEdges" role="img" aria-label="QR code">`+
		`<rect width="100%%" height="100%%" fill="#fff"/><path d="%s" fill="#000"/></svg>`,
		size, size, path.String())), nil
}

func isDark(c interface{ RGBA() (r, g, b, a uint32) }) bool {
	r, _, _, _ := c.RGBA()
	return r < 0x8000
}

type receiptData struct {
	F         filing.Filing
	StatusURL string
	QR        template.HTML
	Expo      *filing.Expo
}

var kindNames = map[string][2]string{
	"PI": {"Invention patent", "发明专利"}, "PU": {"Utility model patent", "实用新型专利"},
	"PD": {"Design patent", "外观设计专利"}, "TM": {"Trademark registration", "商标注册"},
}

var receiptTmpl = template.Must(template.New("receipt").Funcs(template.FuncMap{
	"kind": func(f filing.Filing) [2]string { return kindNames[f.TypeCode()] },
	"heading": func(class int) string {
		if class >= 1 && class <= len(reference.Nice) {
			return reference.Nice[class-1].HeadingZh
		}
		return ""
	},
	"join": strings.Join,
}).Parse(`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Receipt {{.F.FilingNumber}}</title>
<style>
body{font-family:system-ui,"Noto Sans CJK SC","PingFang SC",sans-serif;margin:2rem auto;max-width:46rem;color:#111;line-height:1.45}
h1{font-size:1.4rem;margin:0 0 .3rem} .zh{color:#333} .num{font-size:1.8rem;font-weight:700;letter-spacing:.02em}
table{border-collapse:collapse;width:100%;margin:.8rem 0} th,td{text-align:left;vertical-align:top;padding:.35rem .5rem;border-bottom:1px solid #ccc}
th{width:14rem;font-weight:600} .top{display:flex;justify-content:space-between;gap:1rem;align-items:flex-start}
.total td{font-weight:700} .small{font-size:.85rem;color:#444} button{font-size:1.1rem;padding:.6rem 1.2rem}
@media print{button{display:none} body{margin:0}}
</style></head><body>
<div class="top"><div>
<h1>Filing receipt <span class="zh">申请受理回执</span></h1>
<div>{{.Expo.Name}} · <span class="zh">{{.Expo.NameZh}}</span></div>
<p class="num">{{.F.FilingNumber}}</p>
<div>{{index (kind .F) 0}} · <span class="zh">{{index (kind .F) 1}}</span></div>
</div><figure>{{.QR}}<figcaption class="small">{{.StatusURL}}</figcaption></figure></div>
<table>
<tr><th>Filing date <span class="zh">申请日</span></th><td>{{.F.FilingDate}}</td></tr>
<tr><th>Filed at <span class="zh">提交时间</span></th><td>{{.F.FiledAt}}</td></tr>
<tr><th>State <span class="zh">状态</span></th><td>{{.F.State}}</td></tr>
<tr><th>Exhibitor, booth <span class="zh">参展商、展位</span></th><td>{{.F.Exhibitor}}, {{.F.Booth}}</td></tr>
<tr><th>Applicants <span class="zh">申请人</span></th><td>{{range .F.Applicants}}{{.Name}} ({{.Nationality}})<br>{{end}}</td></tr>
{{with .F.Patent}}<tr><th>Title <span class="zh">名称</span></th><td>{{.Title}}</td></tr>
{{if .LocarnoClass}}<tr><th>Locarno class <span class="zh">洛迦诺分类</span></th><td>{{.LocarnoClass}}</td></tr>{{end}}
<tr><th>Claims <span class="zh">权利要求项数</span></th><td>{{len .Claims}}</td></tr>{{end}}
{{with .F.Trademark}}<tr><th>Mark <span class="zh">商标</span></th><td>{{if .MarkText}}{{.MarkText}}{{else}}({{.MarkType}}){{end}} · {{.MarkType}}</td></tr>
<tr><th>Classes <span class="zh">类别</span></th><td>{{range .Classes}}<b>{{.Class}}</b> <span class="small">{{heading .Class}}</span>: {{join .Terms "; "}}<br>{{end}}</td></tr>{{end}}
{{range .F.PriorityClaims}}<tr><th>Priority <span class="zh">优先权</span></th><td>{{.Office}} {{.Number}} · {{.Date}}</td></tr>{{end}}
{{with .F.Exhibition}}<tr><th>Exhibition claim <span class="zh">展会声明</span></th><td>{{.Expo}} · first shown {{.FirstDisplayDate}}{{if .Booth}} · {{.Booth}}{{end}}</td></tr>{{end}}
<tr><th>Documents received <span class="zh">已收文件</span></th><td>{{if .F.Attachments}}{{join .F.Attachments ", "}}{{else}}—{{end}}</td></tr>
</table>
<table><tr><th>Fees <span class="zh">费用</span> ({{.F.Fees.Currency}})</th><td></td></tr>
{{range .F.Fees.Items}}<tr><td>{{.Code}}{{if .Class}} · class {{.Class}}{{end}}{{if .Quantity}} × {{.Quantity}}{{end}}</td><td>{{.Amount}}</td></tr>{{end}}
<tr class="total"><td>Total <span class="zh">合计</span></td><td>{{.F.Fees.Total}}</td></tr></table>
<p class="small">Keep this receipt: the filing number and filing date are your proof of filing.
<span class="zh">请妥善保存本回执：申请号和申请日是您提交申请的凭证。</span></p>
<button onclick="window.print()">Print 打印</button>
</body></html>
`))

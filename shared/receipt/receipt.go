// Package receipt is the filing receipt (SPEC §5, §12): what it says, built once from a filing
// and its expo, and its bilingual HTML page; shared/pdf writes the same receipt as a PDF.
package receipt

import (
	"html"
	"strconv"
	"strings"
	"time"

	"github.com/ipfast/ipfast/shared/filing"
	"github.com/ipfast/ipfast/shared/reference"
)

// Receipt is what a filing's receipt says, in both languages.
type Receipt struct {
	Number    string
	Expo      *filing.Expo
	Kind      [2]string // "Trademark registration", "商标注册"
	StatusURL string    // what the QR code opens
	Rows      []Row
	Currency  string
	Fees      []Fee
	Total     int
}

// Row is one line of the receipt: its label in English and Chinese and its values (one per
// line), or a trademark's classes.
type Row struct {
	En, Zh  string
	Values  []string
	Classes []Class
}

// Class is a trademark class with its goods or services.
type Class struct {
	Class int
	Terms string
}

// Fee is a fee line.
type Fee struct {
	En, Zh string
	Amount int
}

// The closing words of every receipt.
const (
	KeepEn = "Keep this receipt: the filing number and filing date are your proof of filing."
	KeepZh = "请妥善保存本回执：申请号和申请日是您提交申请的凭证。"
)

// New is the receipt of filing f at expo x, whose QR code opens statusURL.
func New(f filing.Filing, expo *filing.Expo, statusURL string) Receipt {
	rc := Receipt{Number: f.FilingNumber, Expo: expo, Kind: kindNames[f.TypeCode()], StatusURL: statusURL,
		Currency: f.Fees.Currency, Total: f.Fees.Total}
	row := func(en, zh string, values ...string) { rc.Rows = append(rc.Rows, Row{En: en, Zh: zh, Values: values}) }
	row("Filing date", "申请日", f.FilingDate)
	row("Filed at", "提交时间", localTime(expo, f.FiledAt))
	st := stateNames[f.State]
	row("State", "状态", st[0]+" · "+st[1])
	row("Exhibitor, booth", "参展商、展位", f.Exhibitor+" · "+f.Booth)
	var apps []string
	for _, a := range f.Applicants {
		apps = append(apps, a.Name+" · "+placeName(a.Nationality))
	}
	row("Applicants", "申请人", apps...)
	if f.Agent != nil {
		row("Agent", "代理机构", strings.TrimSpace(f.Agent.Name+" "+f.Agent.AgencyCode))
	}
	if pt := f.Patent; pt != nil {
		row("Title", "名称", pt.Title)
		if pt.LocarnoClass != "" {
			row("Locarno class", "洛迦诺分类", pt.LocarnoClass+locarnoHeading(pt.LocarnoClass))
		}
		if pt.Type != filing.PatentDesign {
			row("Claims", "权利要求项数", strconv.Itoa(len(pt.Claims)))
		}
		var people []string
		for _, x := range pt.Inventors {
			people = append(people, x.Name)
		}
		if pt.Type == filing.PatentDesign {
			row("Designers", "设计人", strings.Join(people, "; "))
		} else {
			row("Inventors", "发明人", strings.Join(people, "; "))
		}
	}
	if tm := f.Trademark; tm != nil {
		mt := markTypeNames[tm.MarkType]
		mark := mt[0] + " · " + mt[1]
		if tm.MarkText != "" {
			mark = tm.MarkText + " · " + mark
		}
		row("Mark", "商标", mark)
		r := Row{En: "Classes and goods or services", Zh: "类别及商品或服务"}
		for _, c := range tm.Classes {
			r.Classes = append(r.Classes, Class{Class: c.Class, Terms: strings.Join(c.Terms, "; ")})
		}
		rc.Rows = append(rc.Rows, r)
	}
	for _, pc := range f.PriorityClaims {
		row("Priority", "优先权", placeName(pc.Office)+" · "+pc.Number+" · "+pc.Date)
	}
	if x := f.Exhibition; x != nil {
		v := x.Expo + " · first shown 首次展出 " + x.FirstDisplayDate
		if x.Booth != "" {
			v += " · " + x.Booth
		}
		if x.Certificate != "" {
			v += " · certificate 展出证明 " + x.Certificate
		}
		row("Exhibition claim", "展会声明", v)
	}
	docs := []string{"—"}
	if len(f.Documents) > 0 {
		docs = docs[:0]
		for _, d := range f.Documents {
			name := roleNames[d.Role]
			if l, ok := viewNames[d.Label]; ok {
				name = [2]string{name[0] + ": " + l[0], name[1] + "：" + l[1]}
			}
			docs = append(docs, name[0]+" "+name[1]+" · "+d.ContentType+" · "+sizeText(d.Size)+" · SHA-256 "+d.SHA256)
		}
	}
	row("Documents received", "已收文件", docs...)
	// The follow-up deadlines (SPEC §12): what is still to be sent, and by when.
	for _, d := range expo.FollowUps(f) {
		en, zh := "Exhibition evidence due", "展出证明文件截止"
		if d.Kind == filing.FollowUpPriorityDocuments {
			en, zh = "Priority documents due", "优先权文件截止"
		}
		row(en, zh, d.Due+" · "+d.Basis, d.BasisZh)
	}
	for _, it := range f.Fees.Items {
		en, zh := feeName(it)
		rc.Fees = append(rc.Fees, Fee{En: en, Zh: zh, Amount: it.Amount})
	}
	return rc
}

// HTML is the receipt as a printable, self-contained bilingual page (its own style, its QR
// code as inline SVG).
func (rc Receipt) HTML() (string, error) {
	code, err := QRCode(rc.StatusURL)
	if err != nil {
		return "", err
	}
	var p page
	p.raw("<!doctype html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\n",
		`<meta name="viewport" content="width=device-width, initial-scale=1">`, "\n<title>Receipt ")
	p.text(rc.Number)
	p.raw("</title>\n<style>\n", receiptStyle, "\n</style></head><body>\n<div class=\"top\"><div>\n",
		`<h1>Filing receipt <span class="zh">申请受理回执</span></h1>`, "\n<div>")
	p.text(rc.Expo.Name)
	p.raw(` · <span class="zh">`)
	p.text(rc.Expo.NameZh)
	p.raw("</span></div>\n<p class=\"num\">")
	p.text(rc.Number)
	p.raw("</p>\n<div>", rc.Kind[0], ` · <span class="zh">`, rc.Kind[1], "</span></div>\n</div><figure>",
		QRSVG(code, 180, "QR code"), `<figcaption class="small">`)
	p.text(rc.StatusURL)
	p.raw("</figcaption></figure></div>\n<table>\n")
	for _, r := range rc.Rows {
		p.raw(`<tr><th>`, r.En, ` <span class="zh">`, r.Zh, `</span></th><td>`)
		for i, v := range r.Values {
			if i > 0 {
				p.raw("<br>")
			}
			p.text(v)
		}
		for _, c := range r.Classes {
			n := strconv.Itoa(c.Class)
			p.raw(`<div class="cls"><strong>Class `, n, ` 第`, n, `类</strong><br>`)
			p.text(c.Terms)
			p.raw(`</div>`)
		}
		p.raw("</td></tr>\n")
	}
	p.raw("</table>\n<table class=\"fees\"><tr><th>Fees <span class=\"zh\">费用</span> (")
	p.text(rc.Currency)
	p.raw(")</th><td></td></tr>\n")
	for _, it := range rc.Fees {
		p.raw("<tr><td>")
		p.text(it.En)
		p.raw(` <span class="zh">`)
		p.text(it.Zh)
		p.raw("</span></td><td>", strconv.Itoa(it.Amount), "</td></tr>\n")
	}
	p.raw(`<tr class="total"><td>Total <span class="zh">合计</span></td><td>`, strconv.Itoa(rc.Total), "</td></tr></table>\n",
		`<p class="small">`, KeepEn, "\n<span class=\"zh\">", KeepZh, "</span></p>\n",
		`<button onclick="window.print()">Print 打印</button>`, "\n</body></html>\n")
	return p.String(), nil
}

// page writes HTML, escaping every value that comes from a filing. It is written out rather
// than templated: text/template's reflection would make the linker keep every method of every
// reachable type.
type page struct{ strings.Builder }

func (p *page) raw(s ...string) {
	for _, x := range s {
		p.WriteString(x)
	}
}

func (p *page) text(s string) { p.WriteString(html.EscapeString(s)) }

const receiptStyle = `body{font-family:system-ui,"Noto Sans CJK SC","PingFang SC",sans-serif;margin:2rem auto;max-width:46rem;color:#111;line-height:1.45}
h1{font-size:1.4rem;margin:0 0 .3rem} .zh{color:#333} .num{font-size:1.8rem;font-weight:700;letter-spacing:.02em}
table{border-collapse:collapse;width:100%;margin:.8rem 0} th,td{text-align:left;vertical-align:top;padding:.35rem .5rem;border-bottom:1px solid #ccc}
th{width:14rem;font-weight:600} .top{display:flex;justify-content:space-between;gap:1.5rem;align-items:flex-start}
.top>div{flex:1} figure{margin:0;width:190px;flex:none} figcaption{overflow-wrap:anywhere}
.total td{font-weight:700} .cls{margin:0 0 .4rem} .fees th{width:auto} .fees td:last-child{text-align:right;width:8rem} .small{font-size:.85rem;color:#444} button{font-size:1.1rem;padding:.6rem 1.2rem}
@media print{button{display:none} body{margin:0}}`

var kindNames = map[string][2]string{
	"PI": {"Invention patent", "发明专利"}, "PU": {"Utility model patent", "实用新型专利"},
	"PD": {"Design patent", "外观设计专利"}, "TM": {"Trademark registration", "商标注册"},
}

var roleNames = map[string][2]string{
	filing.RoleDescription: {"Description", "说明书"}, filing.RoleClaims: {"Claims", "权利要求书"},
	filing.RoleDrawings: {"Drawings", "附图"}, filing.RoleViews: {"Views", "视图"},
	filing.RoleMarkImage: {"Mark image", "商标图样"}, filing.RolePowerOfAttorney: {"Power of attorney", "委托书"},
	filing.RolePriorityDocument:   {"Priority document", "优先权文件"},
	filing.RoleExhibitionEvidence: {"Exhibition evidence", "展会证明"}, filing.RoleIDDocument: {"ID document", "身份证明"},
}

// viewNames are the labels of a design's views, as CNIPA names them.
var viewNames = map[string][2]string{
	"front": {"front view", "主视图"}, "rear": {"rear view", "后视图"}, "left": {"left view", "左视图"},
	"right": {"right view", "右视图"}, "top": {"top view", "俯视图"}, "bottom": {"bottom view", "仰视图"},
	"perspective": {"perspective view", "立体图"}, "reference": {"reference view", "参考图"},
}

// sizeText is a file size for people: 48.2 KB, 3.1 MB.
func sizeText(n int64) string {
	switch {
	case n >= 1<<20:
		return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MB"
	case n >= 1<<10:
		return strconv.FormatFloat(float64(n)/(1<<10), 'f', 1, 64) + " KB"
	}
	return strconv.FormatInt(n, 10) + " bytes"
}

// stateNames, markTypeNames and feeNames are what people read for the filing's codes, as the
// pages name them (web/kiosk/i18n.js).
var stateNames = map[filing.State][2]string{
	filing.StateQueued: {"waiting for review", "等待审查"}, filing.StateInReview: {"in review", "审查中"},
	filing.StateAccepted: {"accepted", "已受理"}, filing.StateRejected: {"refused", "不予受理"},
	filing.StateCorrectionRequested: {"correction requested", "需补正"}, filing.StateWithdrawn: {"withdrawn", "已撤回"},
	filing.StateDeemedWithdrawn: {"deemed withdrawn", "视为撤回"},
}

var markTypeNames = map[string][2]string{
	"word": {"word mark", "文字商标"}, "figurative": {"figurative mark", "图形商标"}, "combined": {"combined mark", "组合商标"},
	"three_dimensional": {"three-dimensional mark", "立体商标"}, "color": {"colour mark", "颜色组合商标"}, "sound": {"sound mark", "声音商标"},
}

// feeName is a fee line's label in both languages.
func feeName(it filing.FeeItem) (string, string) {
	c, q := strconv.Itoa(it.Class), strconv.Itoa(it.Quantity)
	switch it.Code {
	case filing.FeeInventionFiling:
		return "Invention filing fee", "发明专利申请费"
	case filing.FeeInventionPublication:
		return "Publication and printing fee", "公布印刷费"
	case filing.FeeUtilityModelFiling:
		return "Utility model filing fee", "实用新型申请费"
	case filing.FeeDesignFiling:
		return "Design filing fee", "外观设计申请费"
	case filing.FeeTrademarkClass:
		return "Trademark, class " + c, "商标注册费，第" + c + "类"
	case filing.FeeTrademarkExtraTerms:
		return "Extra terms, class " + c + " × " + q, "超出项目，第" + c + "类 × " + q
	case filing.FeePriorityClaim:
		return "Priority claims × " + q, "优先权要求 × " + q
	case filing.FeeClaimsExtra:
		return "Claims beyond the 10th × " + q, "权利要求附加费（第11项起）× " + q
	case filing.FeePriorityRestoration:
		return "Priority restoration × " + q, "恢复优先权请求费 × " + q
	}
	return it.Code, it.Code
}

// locarnoHeading is " — heading · 中文" for a Locarno class "13-02" (its class part).
func locarnoHeading(class string) string {
	n, err := strconv.Atoi(strings.SplitN(class, "-", 2)[0])
	if err != nil || n < 1 || n > len(reference.Locarno) {
		return ""
	}
	c := reference.Locarno[n-1]
	return " — " + c.Heading + " · " + c.HeadingZh
}

// placeName is a country's or office's names: "Germany 德国 (DE)".
func placeName(code string) string {
	for _, list := range [][]reference.Country{reference.Countries(), reference.Offices} {
		for _, c := range list {
			if c.Code == code {
				return c.Name + " " + c.NameZh + " (" + code + ")"
			}
		}
	}
	return code
}

// localTime writes an RFC 3339 instant in the expo's time zone for people:
// "2026-06-23 10:00:01 (Asia/Shanghai, UTC+08:00)".
func localTime(expo *filing.Expo, stamp string) string {
	t, err := time.Parse(time.RFC3339, stamp)
	if err != nil || expo.Location() == nil {
		return stamp
	}
	t = expo.Local(t)
	return t.Format("2006-01-02 15:04:05") + " (" + expo.TimeZone + ", UTC" + t.Format("-07:00") + ")"
}

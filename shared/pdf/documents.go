package pdf

import (
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/boombuler/barcode"
	"github.com/ipfast/ipfast/shared/filing"
	"github.com/ipfast/ipfast/shared/receipt"
)

// The page: A4, in mm.
const (
	pageW, pageH = 210.0, 297.0
	left, right  = 18.0, 18.0
	top, bottom  = 16.0, 16.0
	textW        = pageW - left - right
	labelW       = 50.0
	valueX       = left + labelW + 3
	valueW       = textW - labelW - 3
)

// The colours: ink, the muted labels and rules, the accent of the titles.
var (
	ink    = [3]int{17, 17, 17}
	muted  = [3]int{85, 85, 85}
	rule   = [3]int{200, 200, 200}
	accent = [3]int{11, 79, 108}
	alert  = [3]int{180, 20, 20}
)

func (d *doc) color(c [3]int) { d.SetTextColor(c[0], c[1], c[2]) }

// need starts a new page unless h mm fit below y; it returns where to write.
func (d *doc) need(y, h float64) float64 {
	if y+h <= pageH-bottom {
		return y
	}
	d.AddPage()
	return top
}

// row writes a labelled row (label in English and Chinese, on one line when they fit, values
// beside it) from y and returns the y below it, with a rule under it.
func (d *doc) row(y float64, en, zh string, values []string, size float64) float64 {
	d.font(size, false)
	h := 0.0
	for _, v := range values {
		h += d.height(valueW, v)
	}
	d.font(8.5, true)
	enW := d.width(en)
	d.font(8.5, false)
	oneLine := enW+d.width(" "+zh) <= labelW
	lh := d.lineHeight()
	if !oneLine {
		lh = d.height(labelW, zh) + d.height(labelW, en)
	}
	if lh > h {
		h = lh
	}
	y = d.need(y, h+2.4)
	d.font(8.5, true)
	d.color(muted)
	ly := d.text(left, y+1.2, labelW, en)
	d.font(8.5, false)
	if oneLine {
		d.text(left+enW+d.width(" "), y+1.2, labelW, zh)
	} else {
		d.text(left, ly, labelW, zh)
	}
	d.color(ink)
	d.font(size, false)
	vy := y + 1.2
	for _, v := range values {
		vy = d.text(valueX, vy, valueW, v)
	}
	y += h + 2.2
	d.SetDrawColor(rule[0], rule[1], rule[2])
	d.SetLineWidth(0.2)
	d.Line(left, y, pageW-right, y)
	return y
}

// heading writes the document's title in both languages and returns the y below it.
func (d *doc) heading(en, zh string) float64 {
	d.SetFillColor(accent[0], accent[1], accent[2])
	d.Rect(0, 0, pageW, 4, "F")
	d.color(accent)
	d.font(19, true)
	y := d.text(left, top, textW-50, en)
	d.font(17, false)
	y = d.text(left, y+0.5, textW-50, zh)
	d.color(ink)
	return y + 2
}

// qr draws code at (x, y), side mm wide (its quiet zone included).
func (d *doc) qr(code barcode.Barcode, x, y, side float64) {
	n := code.Bounds().Dx()
	m := side / float64(n+8)
	d.SetFillColor(255, 255, 255)
	d.Rect(x, y, side, side, "F")
	d.SetFillColor(0, 0, 0)
	receipt.Runs(code, func(row, col, w int) {
		// A hair taller than a module, so that no light seam shows between rows.
		d.Rect(x+float64(col+4)*m, y+float64(row+4)*m, float64(w)*m, m*1.04, "F")
	})
}

// Receipt writes a filing's receipt as a PDF: the same receipt as the HTML page.
func Receipt(w io.Writer, rc receipt.Receipt) error {
	code, err := receipt.QRCode(rc.StatusURL)
	if err != nil {
		return err
	}
	d := newDoc("Filing receipt " + rc.Number)
	d.AddPage()
	const qrSide = 42.0
	d.qr(code, pageW-right-qrSide, top-2, qrSide)
	d.font(7, false)
	d.color(muted)
	d.text(pageW-right-qrSide, top-2+qrSide, qrSide, rc.StatusURL)
	d.color(ink)
	y := d.heading("Filing receipt", "申请受理回执")
	d.font(10, false)
	y = d.text(left, y, textW-qrSide-6, rc.Expo.Name)
	y = d.text(left, y, textW-qrSide-6, rc.Expo.NameZh)
	d.font(20, true)
	y = d.text(left, y+2, textW-qrSide-6, rc.Number)
	d.font(11, false)
	y = d.text(left, y+0.5, textW-qrSide-6, rc.Kind[0]+" · "+rc.Kind[1])
	if y < top+qrSide+10 {
		y = top + qrSide + 10
	}
	for _, r := range rc.Rows {
		values := r.Values
		for _, c := range r.Classes {
			n := strconv.Itoa(c.Class)
			values = append(values, "Class "+n+" 第"+n+"类: "+c.Terms)
		}
		y = d.row(y, r.En, r.Zh, values, 9.5)
	}
	// The fees: each line with its amount at the right.
	y = d.need(y+4, 12)
	d.font(10, true)
	d.text(left, y, textW, "Fees 费用 ("+rc.Currency+")")
	y += d.lineHeight() + 1
	line := func(en, zh string, amount int, bold bool) {
		d.font(9.5, bold)
		h := d.height(textW-30, en+" "+zh)
		y = d.need(y, h+2)
		d.text(left, y, textW-30, en+" "+zh)
		a := strconv.Itoa(amount)
		d.text(pageW-right-d.width(a), y, 30, a)
		y += h + 1
		d.SetDrawColor(rule[0], rule[1], rule[2])
		d.Line(left, y, pageW-right, y)
		y += 1
	}
	for _, f := range rc.Fees {
		line(f.En, f.Zh, f.Amount, false)
	}
	line("Total", "合计", rc.Total, true)
	d.font(8.5, false)
	d.color(muted)
	y = d.need(y+3, 12)
	y = d.text(left, y, textW, receipt.KeepEn)
	d.text(left, y, textW, receipt.KeepZh)
	return d.finish(w)
}

// Certificate writes an exhibition display certificate as a PDF: what its payload says in
// both languages, the QR code a verifier scans, and its state when it was revoked.
func Certificate(w io.Writer, c filing.Certificate, loc *time.Location) error {
	p := c.Payload
	verifyURL, _, _ := strings.Cut(c.QR, "#")
	code, err := receipt.QRCode(c.QR)
	offline := err == nil
	if !offline { // too long for a QR code: it opens the verify page, which checks online
		if code, err = receipt.QRCode(verifyURL); err != nil {
			return err
		}
	}
	d := newDoc("Exhibition display certificate " + c.CertificateNumber)
	d.AddPage()
	// The QR code at the top right, where a phone finds it.
	const qrSide = 56.0
	d.qr(code, pageW-right-qrSide+3, top-3, qrSide)
	d.font(8, true)
	d.color(muted)
	caption := "Scan to verify · 扫码验证"
	d.text(pageW-right-qrSide+3+(qrSide-d.width(caption))/2, top-3+qrSide-1, qrSide, caption)
	d.color(ink)
	colW := textW - qrSide - 2
	y := d.heading("Certificate of exhibition display", "展会展出证明")
	d.font(10, false)
	y = d.text(left, y, colW, p.Exhibition.Name)
	y = d.text(left, y, colW, p.Exhibition.NameZh)
	d.font(9, true)
	d.color(muted)
	y = d.text(left, y+3, colW, "Certificate number 证明编号")
	d.color(ink)
	d.font(18, true)
	y = d.text(left, y, colW, c.CertificateNumber) + 2
	if y < top+qrSide+4 {
		y = top + qrSide + 4
	}
	if c.Revoked {
		d.SetFillColor(253, 236, 236)
		d.SetDrawColor(alert[0], alert[1], alert[2])
		d.SetLineWidth(0.6)
		msg := "REVOKED by the organiser on " + localTime(c.RevokedAt, loc) + " 已由主办方撤销"
		if c.RevokedReason != "" {
			msg += ": " + c.RevokedReason
		}
		d.font(11, true)
		h := d.height(textW-8, msg)
		d.Rect(left, y, textW, h+6, "FD")
		d.color(alert)
		d.text(left+4, y+3, textW-8, msg)
		d.color(ink)
		y += h + 9
	}
	city := p.Exhibition.City
	if p.Exhibition.CityZh != "" {
		city += " · " + p.Exhibition.CityZh
	}
	exhibitor := p.Exhibitor.ID
	if p.Exhibitor.Name != "" {
		exhibitor = p.Exhibitor.Name + " (" + p.Exhibitor.ID + ")"
	}
	photos := p.Photos
	if len(photos) == 0 {
		photos = []string{"—"}
	}
	y = d.row(y, "Exhibition", "展会", []string{p.Exhibition.Name, p.Exhibition.NameZh}, 10)
	y = d.row(y, "City", "举办地", []string{city}, 10)
	y = d.row(y, "Dates", "展期", []string{p.Exhibition.StartDate + " – " + p.Exhibition.EndDate}, 10)
	y = d.row(y, "Exhibitor", "参展商", []string{exhibitor}, 10)
	y = d.row(y, "Booth", "展位", []string{p.Booth}, 10)
	y = d.row(y, "Exhibit", "展品", []string{p.Exhibit}, 10)
	y = d.row(y, "First displayed", "首次展出日期", []string{p.FirstDisplayDate}, 10)
	y = d.row(y, "Photos (SHA-256)", "展品照片（SHA-256）", photos, 7.5)
	y = d.row(y, "Issued", "签发时间", []string{localTime(p.IssuedAt, loc)}, 10)
	y = d.row(y, "Issued by", "签发人", []string{p.Issuer + " · for the organiser 代表主办方"}, 10)
	basis := []string{p.Exhibition.LegalBasis}
	if p.Exhibition.LegalBasisZh != "" {
		basis = append(basis, p.Exhibition.LegalBasisZh)
	}
	y = d.row(y, "Legal basis", "法律依据", basis, 8.5)

	d.font(9.5, false)
	en := "The organiser certifies that the exhibit above was shown at the exhibition above, first on the date stated. " +
		"This certificate is the evidence of first display for an exhibition grace period (CN Patent Law Art. 24(2)) " +
		"or exhibition priority (CN Trademark Law Art. 26)."
	zh := "兹证明上述展品于上述日期在上述展会首次展出。本证明可作为申请专利不丧失新颖性宽限期（《专利法》第二十四条）" +
		"或商标展会优先权（《商标法》第二十六条）的展出证明文件。"
	y = d.need(y+4, d.height(textW, en)+d.height(textW, zh)+2)
	y = d.text(left, y, textW, en)
	y = d.text(left, y+1, textW, zh)

	// How to verify it.
	d.font(8.5, false)
	how := []string{"Verify this certificate: scan the QR code with a phone, or open " + verifyURL + " .",
		"验证本证明：用手机扫描二维码，或打开上述网址。"}
	if offline {
		how = append(how, "The QR code holds the signed certificate itself (a JWS, Ed25519): it can also be checked offline "+
			"against the organiser's public keys at "+keysURL(verifyURL)+" (key id "+c.KeyID+").",
			"二维码内含已签名的证明（JWS，Ed25519），也可依据主办方公钥离线验证。")
	} else {
		how = append(how, "Key id 密钥标识: "+c.KeyID)
	}
	h := 0.0
	for _, s := range how {
		h += d.height(textW, s)
	}
	y = d.need(y+4, h+4)
	d.SetDrawColor(accent[0], accent[1], accent[2])
	d.SetLineWidth(0.4)
	d.Line(left, y, pageW-right, y)
	y += 2
	d.color(muted)
	for _, s := range how {
		y = d.text(left, y, textW, s)
	}
	d.color(ink)
	return d.finish(w)
}

// keysURL is the keys' address beside a verify address ("https://host/verify/cert_…").
func keysURL(verifyURL string) string {
	if i := strings.Index(verifyURL, "/verify/"); i >= 0 {
		return verifyURL[:i] + "/v1/keys"
	}
	return "/v1/keys"
}

// localTime is an RFC 3339 instant for people, in the expo's time zone when known:
// "2026-06-23 10:00:00 (UTC+08:00)".
func localTime(stamp string, loc *time.Location) string {
	t, err := time.Parse(time.RFC3339, stamp)
	if err != nil {
		return stamp
	}
	if loc != nil {
		t = t.In(loc)
	}
	return t.Format("2006-01-02 15:04:05") + " (UTC" + t.Format("-07:00") + ")"
}

func (d *doc) finish(w io.Writer) error {
	n := d.PageCount()
	if n > 1 { // page numbers when there is more than one
		for i := 1; i <= n; i++ {
			d.SetPage(i)
			d.font(7.5, false)
			d.color(muted)
			s := strconv.Itoa(i) + " / " + strconv.Itoa(n)
			d.text(pageW-right-d.width(s), pageH-bottom+6, 20, s)
		}
	}
	if err := d.Error(); err != nil {
		return err
	}
	return d.Output(w)
}

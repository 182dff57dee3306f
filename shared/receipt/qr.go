package receipt

import (
	"fmt"
	"strings"

	"github.com/boombuler/barcode"
	"github.com/boombuler/barcode/qr"
)

// QRCode encodes text as a QR code: error correction M, or L when M cannot hold it. It fails
// only when even L cannot (more than 2,953 bytes).
func QRCode(text string) (barcode.Barcode, error) {
	code, err := qr.Encode(text, qr.M, qr.Auto)
	if err != nil {
		code, err = qr.Encode(text, qr.L, qr.Auto)
	}
	return code, err
}

func dark(code barcode.Barcode, x, y int) bool {
	r, _, _, _ := code.At(x, y).RGBA()
	return r < 0x8000
}

// Runs calls f with each horizontal run of dark modules of code: its row, first column and
// width (the SVG path and the PDF draw a run as one rectangle).
func Runs(code barcode.Barcode, f func(row, col, width int)) {
	n := code.Bounds().Dx()
	for y := 0; y < n; y++ {
		for x := 0; x < n; {
			if !dark(code, x, y) {
				x++
				continue
			}
			w := 1
			for x+w < n && dark(code, x+w, y) {
				w++
			}
			f(y, x, w)
			x += w
		}
	}
}

// QRSVG draws a QR code as one SVG path with a quiet zone of four modules, px wide (0: no
// width, it fills its box), which prints sharp at any size.
func QRSVG(code barcode.Barcode, px int, label string) string {
	n := code.Bounds().Dx()
	var path strings.Builder
	Runs(code, func(y, x, w int) { fmt.Fprintf(&path, "M%d %dh%dv1h-%dz", x+4, y+4, w, w) })
	size, dims := n+8, ""
	if px > 0 {
		dims = fmt.Sprintf(`width="%d" height="%d" `, px, px)
	}
	return fmt.Sprintf(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" %s`+
		`shape-rendering="crispEdges" role="img" aria-label="%s">`+
		`<rect width="100%%" height="100%%" fill="#fff"/><path d="%s" fill="#000"/></svg>`,
		size, size, dims, label, path.String())
}

// Package sniff tells what an uploaded file really is, by its content: the magic bytes of PDF,
// JPEG and PNG, and for images their pixel size, read with the standard library's decoders
// (image.DecodeConfig); MP3 and WAV sound samples by gabriel-vasile/mimetype's signatures.
// What a client declares is never taken for what a file is.
package sniff

import (
	"bytes"
	"image/jpeg"
	"image/png"
	"io"

	"github.com/gabriel-vasile/mimetype"
)

// The content types ipfast accepts for attachments.
const (
	PDF  = "application/pdf"
	JPEG = "image/jpeg"
	PNG  = "image/png"
	MP3  = "audio/mpeg"
	WAV  = "audio/wav"
)

// Info is what the content says a file is. Type is "" when it is none of the accepted types.
type Info struct {
	Type          string
	Width, Height int // images only
}

var (
	pdfMagic  = []byte("%PDF-")
	jpegMagic = []byte{0xFF, 0xD8, 0xFF}
	pngMagic  = []byte("\x89PNG\r\n\x1a\n")
)

// Inspect reads the start of a file. A file counts as JPEG or PNG only if its header decodes
// (so that its size is known), and as PDF only if it starts with %PDF-.
func Inspect(r io.Reader) (Info, error) {
	// 64 KiB holds every header DecodeConfig needs in practice (JPEG's SOF may follow large
	// EXIF segments; those files are refused rather than read whole).
	head, err := io.ReadAll(io.LimitReader(r, 64<<10))
	if err != nil {
		return Info{}, err
	}
	return InspectBytes(head), nil
}

// InspectBytes is Inspect on a file's first bytes.
func InspectBytes(head []byte) Info {
	switch {
	case bytes.HasPrefix(head, pdfMagic):
		return Info{Type: PDF}
	case bytes.HasPrefix(head, jpegMagic):
		if c, err := jpeg.DecodeConfig(bytes.NewReader(head)); err == nil && c.Width > 0 && c.Height > 0 {
			return Info{Type: JPEG, Width: c.Width, Height: c.Height}
		}
	case bytes.HasPrefix(head, pngMagic):
		if c, err := png.DecodeConfig(bytes.NewReader(head)); err == nil && c.Width > 0 && c.Height > 0 {
			return Info{Type: PNG, Width: c.Width, Height: c.Height}
		}
	default:
		switch m := mimetype.Detect(head); {
		case m.Is(MP3) && mp3Start(head):
			return Info{Type: MP3}
		case m.Is(WAV):
			return Info{Type: WAV}
		}
	}
	return Info{}
}

// mp3Start reports whether head starts as an MP3 file does: with an ID3v2 tag or an MPEG audio
// frame header (11 sync bits). mimetype also takes a frame found after leading bytes of
// anything, which a sound sample of ours never has.
func mp3Start(head []byte) bool {
	return bytes.HasPrefix(head, []byte("ID3")) || len(head) > 1 && head[0] == 0xFF && head[1]&0xE0 == 0xE0
}

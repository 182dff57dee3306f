package sniff_test

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"testing"

	"github.com/ipfast/ipfast/shared/filing"
	"github.com/ipfast/ipfast/shared/sniff"
)

func jpegOf(t testing.TB, w, h, quality int, noisy bool) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := color.RGBA{uint8(x), uint8(y), 128, 255}
			if noisy {
				c = color.RGBA{uint8(x * y * 7), uint8(x*13 + y*29), uint8(x ^ y), 255}
			}
			img.Set(x, y, c)
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: quality}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func pngOf(t testing.TB, w, h int) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, w, h))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

var pdf = []byte("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")

func TestInspect(t *testing.T) {
	for _, tc := range []struct {
		name string
		data []byte
		want sniff.Info
	}{
		{"jpeg 500x500", jpegOf(t, 500, 500, 80, false), sniff.Info{Type: sniff.JPEG, Width: 500, Height: 500}},
		{"png 640x480", pngOf(t, 640, 480), sniff.Info{Type: sniff.PNG, Width: 640, Height: 480}},
		{"pdf", pdf, sniff.Info{Type: sniff.PDF}},
		{"jpeg magic, no header", []byte{0xFF, 0xD8, 0xFF, 0xE0, 0, 0}, sniff.Info{}},
		{"text", []byte("hello"), sniff.Info{}},
		{"empty", nil, sniff.Info{}},
		{"pdf in the middle", append([]byte("junk"), pdf...), sniff.Info{}},
	} {
		if got := sniff.InspectBytes(tc.data); got != tc.want {
			t.Errorf("%s: %+v, want %+v", tc.name, got, tc.want)
		}
	}
}

// TestMarkImageRules covers the attachment acceptance cases of the mark image and the views.
func TestMarkImageRules(t *testing.T) {
	limits := filing.DefaultRoleLimits()
	check := func(role, declared string, data []byte) string {
		in := sniff.InspectBytes(data)
		n := int64(len(data))
		return filing.CheckAttachment(limits, role, declared, n, n, in.Type, in.Width, in.Height)
	}
	big := jpegOf(t, 1400, 1400, 100, true)
	if len(big) <= 200<<10 {
		t.Fatalf("test image only %d bytes", len(big))
	}
	for _, tc := range []struct {
		name, role, declared string
		data                 []byte
		want                 string
	}{
		{"500x500 JPEG mark", "mark_image", "image/jpeg", jpegOf(t, 500, 500, 80, false), ""},
		{"300x300 JPEG mark", "mark_image", "image/jpeg", jpegOf(t, 300, 300, 80, false), "mark_image_invalid"},
		{"1600 px wide mark", "mark_image", "image/jpeg", jpegOf(t, 1600, 500, 50, false), "mark_image_invalid"},
		{"JPEG mark over 200 KB", "mark_image", "image/jpeg", big, "mark_image_invalid"},
		{"PNG declared as JPEG", "mark_image", "image/jpeg", pngOf(t, 500, 500), "attachment_invalid"},
		{"PDF declared as JPEG", "mark_image", "image/jpeg", pdf, "attachment_invalid"},
		{"PNG mark declared as PNG", "mark_image", "image/png", pngOf(t, 500, 500), "mark_image_invalid"},
		{"PDF drawings", "drawings", "application/pdf", pdf, ""},
		{"JPEG drawings", "drawings", "image/jpeg", jpegOf(t, 500, 500, 80, false), "attachment_invalid"},
		{"PNG views", "views", "image/png", pngOf(t, 800, 600), ""},
		{"unknown role", "selfie", "image/jpeg", jpegOf(t, 500, 500, 80, false), "attachment_invalid"},
	} {
		if got := check(tc.role, tc.declared, tc.data); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
	// A size that differs from the declaration is invalid whatever the content.
	data := jpegOf(t, 500, 500, 80, false)
	in := sniff.InspectBytes(data)
	if got := filing.CheckAttachment(limits, "mark_image", "image/jpeg", int64(len(data))+1, int64(len(data)), in.Type, in.Width, in.Height); got != "attachment_invalid" {
		t.Errorf("size mismatch: %q", got)
	}
}

// FuzzInspect: random bytes never panic, and never pass as JPEG or PNG unless the standard
// decoder reads their header with that size, nor as PDF unless they start with %PDF-, nor as
// WAV unless they are a RIFF WAVE file, nor as MP3 unless they start with an ID3 tag or an MPEG
// audio frame header.
func FuzzInspect(f *testing.F) {
	f.Add(jpegOf(f, 8, 8, 80, false))
	f.Add(pngOf(f, 3, 2))
	f.Add(pdf)
	f.Add([]byte{0xFF, 0xD8, 0xFF})
	f.Add([]byte("\x89PNG\r\n\x1a\n"))
	f.Add(wavOf(100))
	f.Add(mp3Frames(3))
	f.Fuzz(func(t *testing.T, data []byte) {
		in := sniff.InspectBytes(data)
		switch in.Type {
		case "":
		case sniff.PDF:
			if !bytes.HasPrefix(data, []byte("%PDF-")) {
				t.Fatalf("passed as PDF: %q", data)
			}
		case sniff.JPEG, sniff.PNG:
			c, format, err := image.DecodeConfig(bytes.NewReader(data))
			if err != nil || c.Width != in.Width || c.Height != in.Height || "image/"+format != in.Type {
				t.Fatalf("passed as %s %dx%d, decoder says %v %dx%d %v", in.Type, in.Width, in.Height, format, c.Width, c.Height, err)
			}
		case sniff.WAV:
			if len(data) < 12 || string(data[:4]) != "RIFF" || string(data[8:12]) != "WAVE" {
				t.Fatalf("passed as WAV: %q", data)
			}
		case sniff.MP3:
			if !bytes.HasPrefix(data, []byte("ID3")) && !(len(data) > 1 && data[0] == 0xFF && data[1]&0xE0 == 0xE0) {
				t.Fatalf("passed as MP3: %q", data)
			}
		default:
			t.Fatalf("unknown type %q", in.Type)
		}
	})
}

// wavOf is a PCM WAV file of n silent 16-bit mono samples at 8 kHz.
func wavOf(n int) []byte {
	b := make([]byte, 44+2*n)
	copy(b, "RIFF")
	binary.LittleEndian.PutUint32(b[4:], uint32(36+2*n))
	copy(b[8:], "WAVEfmt ")
	binary.LittleEndian.PutUint32(b[16:], 16)
	binary.LittleEndian.PutUint16(b[20:], 1)
	binary.LittleEndian.PutUint16(b[22:], 1)
	binary.LittleEndian.PutUint32(b[24:], 8000)
	binary.LittleEndian.PutUint32(b[28:], 16000)
	binary.LittleEndian.PutUint16(b[32:], 2)
	binary.LittleEndian.PutUint16(b[34:], 16)
	copy(b[36:], "data")
	binary.LittleEndian.PutUint32(b[40:], uint32(2*n))
	return b
}

// mp3Frames is n silent MPEG-1 Layer III frames (128 kbit/s, 44.1 kHz: 417 bytes each).
func mp3Frames(n int) []byte {
	frame := make([]byte, 417)
	copy(frame, []byte{0xFF, 0xFB, 0x90, 0x64})
	return bytes.Repeat(frame, n)
}

func TestSoundSamples(t *testing.T) {
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"WAV", wavOf(8000), sniff.WAV},
		{"MP3 frames", mp3Frames(10), sniff.MP3},
		{"MP3 with an ID3 tag", append([]byte("ID3\x04\x00\x00\x00\x00\x00\x00"), mp3Frames(10)...), sniff.MP3},
		{"a RIFF that is not WAVE", append([]byte("RIFF\x00\x00\x00\x00AVI "), make([]byte, 64)...), ""},
		{"text", []byte("not a sound at all"), ""},
	} {
		if got := sniff.InspectBytes(tc.data); got.Type != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got.Type, tc.want)
		}
	}
}

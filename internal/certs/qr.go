package certs

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"

	"github.com/yeqown/go-qrcode/v2"
)

// QR code geometry: pixels per module and the quiet zone (modules of white
// around the code) that scanners need.
const (
	qrScale = 8
	qrQuiet = 4
)

// QRCodePNG draws text (the verification URL) as a QR code in a PNG image:
// black modules on white, error correction level M as the library sets it.
func QRCodePNG(text string) ([]byte, error) {
	code, err := qrcode.New(text)
	if err != nil {
		return nil, fmt.Errorf("encode QR code: %w", err)
	}
	w := &pngWriter{}
	if err := code.Save(w); err != nil {
		return nil, fmt.Errorf("draw QR code: %w", err)
	}
	return w.buf.Bytes(), nil
}

// pngWriter renders the code's module matrix as a black-and-white PNG.
type pngWriter struct{ buf bytes.Buffer }

func (w *pngWriter) Write(mat qrcode.Matrix) error {
	bits := mat.Bitmap()
	n := len(bits)
	side := (n + 2*qrQuiet) * qrScale
	img := image.NewPaletted(image.Rect(0, 0, side, side), color.Palette{color.White, color.Black})
	for y, row := range bits {
		for x, dark := range row {
			if dark {
				fill(img, (x+qrQuiet)*qrScale, (y+qrQuiet)*qrScale)
			}
		}
	}
	return png.Encode(&w.buf, img)
}

func fill(img *image.Paletted, x0, y0 int) {
	for y := y0; y < y0+qrScale; y++ {
		for x := x0; x < x0+qrScale; x++ {
			img.SetColorIndex(x, y, 1)
		}
	}
}

func (w *pngWriter) Close() error { return nil }

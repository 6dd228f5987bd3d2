package certs

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"

	qrcode "github.com/skip2/go-qrcode"
)

// qrScale is the pixels per module. The module matrix comes with the quiet
// zone (four modules of white around the code) that scanners need.
const qrScale = 8

// QRCodePNG draws text (the verification URL) as a QR code in a PNG image:
// black modules on white, error correction level M.
func QRCodePNG(text string) ([]byte, error) {
	code, err := qrcode.New(text, qrcode.Medium)
	if err != nil {
		return nil, fmt.Errorf("encode QR code: %w", err)
	}
	bits := code.Bitmap()
	side := len(bits) * qrScale
	img := image.NewPaletted(image.Rect(0, 0, side, side), color.Palette{color.White, color.Black})
	for y, row := range bits {
		for x, dark := range row {
			if dark {
				fill(img, x*qrScale, y*qrScale)
			}
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("draw QR code: %w", err)
	}
	return buf.Bytes(), nil
}

func fill(img *image.Paletted, x0, y0 int) {
	for y := y0; y < y0+qrScale; y++ {
		for x := x0; x < x0+qrScale; x++ {
			img.SetColorIndex(x, y, 1)
		}
	}
}

package blob

import (
	"crypto/sha256"
	"errors"
	"io"
	"net/http"
	"strings"

	"openhall/internal/apperr"
)

// Serve writes the blob at sum as a download named name. The caller has
// already decided that the requester may read it. The type comes from the
// content, never from the name; the file is always an attachment, the
// browser may not guess another type, and a sandbox policy keeps it from
// running anything even if it were opened inline. Range requests work.
// A missing blob is an apperr.NotFound error for the caller to render; a
// blob whose content no longer has its address (a disk fault, a hand
// edit) is an apperr.Unavailable error, and nothing of it is sent.
func (s *Store) Serve(w http.ResponseWriter, r *http.Request, sum, name string) error {
	rc, b, err := s.Open(sum)
	if err != nil {
		return err
	}
	defer rc.Close()
	if err := verify(rc.(io.ReadSeeker), sum); err != nil {
		return err
	}
	setDownloadHeaders(w.Header(), b, name)
	serveContent(w, r, b.Size, rc.(io.ReadSeeker))
	return nil
}

// setDownloadHeaders marks a download as an attachment that runs nothing.
func setDownloadHeaders(h http.Header, b Blob, name string) {
	h.Set("Content-Type", b.MIME)
	h.Set("Content-Disposition", ContentDisposition(name, b))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'")
	h.Set("Cache-Control", "private, no-store")
	h.Set("ETag", `"`+b.SHA256+`"`)
}

// ErrDamaged is the cause of the error a download gets from a blob whose
// content no longer has its address: nothing of it was sent.
var ErrDamaged = errors.New("the content does not match its SHA-256")

// verify reads the file through and checks it against its address, then
// rewinds it. Materials are at most tens of megabytes and mostly in the
// page cache right after, so the second read is cheap.
func verify(f io.ReadSeeker, sum string) error {
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return apperr.Wrap(err, apperr.Unavailable, "材料文件暂时无法读取")
	}
	if got := hexSum(h); got != sum {
		return errDamaged(sum, got)
	}
	_, err := f.Seek(0, io.SeekStart)
	return err
}

// ContentDisposition returns an attachment header for name (RFC 6266): an
// ASCII fallback for old clients and the exact name as UTF-8 (RFC 5987).
// Without a name the file is called after its hash and kind.
func ContentDisposition(name string, b Blob) string {
	name = strings.TrimSpace(name[strings.LastIndexAny(name, `/\`)+1:])
	if name == "" {
		name = b.SHA256[:16] + firstExt(b.Kind)
	}
	return `attachment; filename="` + asciiFallback(name) + `"; filename*=UTF-8''` + pctEncode(name)
}

func firstExt(k Kind) string {
	if ext := k.Extensions(); len(ext) > 0 {
		return ext[0]
	}
	return ""
}

// asciiFallback replaces what cannot stand in a quoted ASCII file name.
func asciiFallback(name string) string {
	var b strings.Builder
	for _, r := range name {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' || r == '%' {
			b.WriteByte('_')
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// pctEncode encodes every byte outside RFC 5987's attr-char.
func pctEncode(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isAttrChar(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

func isAttrChar(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("!#$&+-.^_`|~", c) >= 0
}

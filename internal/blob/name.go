package blob

import (
	"path"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxNameRunes bounds a stored file name: what file systems allow (255),
// and short enough that its download header passes a reverse proxy's
// default header buffer.
const MaxNameRunes = 255

// CleanName is a file name as a browser or client sent it, made safe to
// store and show: its last path element (either slash), without control,
// invisible formatting (zero-width) or bidirectional-formatting characters (U+202E makes "x\u202egpj.pdf"
// read as “xfdp.jpg”), trimmed, and at most MaxNameRunes long with
// its extension kept. A name of nothing but such characters becomes "".
func CleanName(name string) string {
	name = name[strings.LastIndexAny(name, `/\`)+1:]
	name = strings.TrimSpace(strings.Map(func(r rune) rune {
		if r == utf8.RuneError || unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Bidi_Control, r) {
			return -1
		}
		return r
	}, name))
	if utf8.RuneCountInString(name) <= MaxNameRunes {
		return name
	}
	ext := path.Ext(name)
	if utf8.RuneCountInString(ext) > 16 {
		ext = ""
	}
	stem := []rune(strings.TrimSuffix(name, ext))
	return strings.TrimSpace(string(stem[:MaxNameRunes-utf8.RuneCountInString(ext)])) + ext
}

// Unnamed is the name of a file sent without one: 未命名 with the
// extension of its kind.
func Unnamed(b Blob) string { return "未命名文件" + firstExt(b.Kind) }

// NameOr is the clean name a client gave a stored file (a filing naming an
// upload), ending in an extension of the file's kind: "invoice.exe" for a
// PDF becomes "invoice.exe.pdf", as an upload with that name would have
// been refused; Unnamed when nothing is left of it.
func NameOr(name string, b Blob) string {
	n := CleanName(name)
	if strings.TrimSpace(strings.TrimSuffix(n, path.Ext(n))) == "" { // "" or ".pdf"
		return Unnamed(b)
	}
	exts := b.Kind.Extensions()
	if len(exts) == 0 || slices.Contains(exts, strings.ToLower(path.Ext(n))) {
		return n
	}
	return CleanName(n + exts[0])
}

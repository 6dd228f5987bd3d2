package blob

import "strings"

// Kind is a file type recognised from the content.
type Kind string

// The kinds Put recognises. Only these are ever stored; anything else is
// refused, so the set of kinds is also the set a caller may allow.
const (
	KindPDF  Kind = "pdf"
	KindJPEG Kind = "jpeg"
	KindPNG  Kind = "png"
	KindOFD  Kind = "ofd"  // GB/T 33190 layout documents: a ZIP holding OFD.xml
	KindDOCX Kind = "docx" // Office Open XML word-processing document
	KindXLSX Kind = "xlsx" // Office Open XML spreadsheet
	// KindCSV is UTF-8 text without markup, taken only when a caller
	// allows it: the platform's own open data files, never an upload.
	KindCSV Kind = "csv"
)

// Kinds lists every kind, for callers that accept anything Put stores.
var Kinds = []Kind{KindPDF, KindJPEG, KindPNG, KindOFD, KindDOCX, KindXLSX}

// Documents are the kinds a scanned or signed material usually has: what a
// case should accept unless its item says otherwise.
var Documents = []Kind{KindPDF, KindJPEG, KindPNG, KindOFD}

// MIME is the media type the kind is served with.
func (k Kind) MIME() string {
	switch k {
	case KindPDF:
		return "application/pdf"
	case KindJPEG:
		return "image/jpeg"
	case KindPNG:
		return "image/png"
	case KindOFD:
		return "application/ofd"
	case KindDOCX:
		return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	case KindXLSX:
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	case KindCSV:
		return "text/csv; charset=utf-8"
	}
	return "application/octet-stream"
}

// Label is the kind's name as shown to users.
func (k Kind) Label() string {
	switch k {
	case KindJPEG:
		return "JPEG 图片"
	case KindPNG:
		return "PNG 图片"
	case KindDOCX:
		return "Word 文档（DOCX）"
	case KindXLSX:
		return "Excel 表格（XLSX）"
	}
	return strings.ToUpper(string(k))
}

// Extensions are the file-name endings that may carry the kind.
func (k Kind) Extensions() []string {
	switch k {
	case KindJPEG:
		return []string{".jpg", ".jpeg"}
	case "":
		return nil
	}
	return []string{"." + string(k)}
}

// fitsName reports whether a declared file name's extension matches the kind.
// A name without an extension fits anything: only a claim can be false.
func (k Kind) fitsName(name string) bool {
	ext := extension(name)
	if ext == "" {
		return true
	}
	for _, e := range k.Extensions() {
		if e == ext {
			return true
		}
	}
	return false
}

// extension returns the lower-case extension of a declared name, "" if none.
func extension(name string) string {
	name = name[strings.LastIndexAny(name, `/\`)+1:]
	i := strings.LastIndexByte(name, '.')
	if i <= 0 {
		return ""
	}
	return strings.ToLower(name[i:])
}

// kindForExtension returns the kind a declared extension claims, "" if none.
func kindForExtension(ext string) Kind {
	for _, k := range Kinds {
		for _, e := range k.Extensions() {
			if e == ext {
				return k
			}
		}
	}
	return ""
}

func labels(kinds []Kind) string {
	out := make([]string, len(kinds))
	for i, k := range kinds {
		out[i] = k.Label()
	}
	return strings.Join(out, "、")
}

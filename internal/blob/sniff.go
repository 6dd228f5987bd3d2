package blob

import (
	"archive/zip"
	"bytes"
	"io"
	"unicode/utf8"
)

// sniffed is what the content of a file turned out to be: a storable kind,
// or a description of something that is never stored.
type sniffed struct {
	kind    Kind
	foreign string // set when the content is refused whatever the caller allows
	text    bool   // no known kind, but its start is UTF-8 text without NUL bytes
}

// Descriptions of content that is never stored. They finish the sentence
// "文件内容是…".
const (
	foreignZip        = "ZIP 压缩包"
	foreignExecutable = "可执行程序"
	foreignMarkup     = "网页、SVG 图形或脚本"
	foreignEmpty      = "空文件"
	foreignActivePDF  = "含有脚本或自动执行动作（/JavaScript、/JS、/Launch）的 PDF"
)

// headSize is how much of the start of a file the magic numbers need.
const headSize = 512

// sniff recognises the file from its content alone. r must hold size bytes.
func sniff(r io.ReaderAt, size int64) sniffed {
	head := make([]byte, min(size, headSize))
	n, _ := r.ReadAt(head, 0)
	head = head[:n]
	if len(head) == 0 {
		return sniffed{foreign: foreignEmpty}
	}
	if k := magicKind(head); k != "" {
		return checkNoZip(k, r, size)
	}
	if bytes.HasPrefix(head, []byte("PK\x03\x04")) {
		return sniffZip(r, size)
	}
	if isExecutable(head) {
		return sniffed{foreign: foreignExecutable}
	}
	if isMarkup(head) {
		return sniffed{foreign: foreignMarkup}
	}
	return sniffed{text: isText(head)}
}

// isText reports whether head, the start of a file, is UTF-8 text without
// NUL bytes; a character cut at the end of head is allowed.
func isText(head []byte) bool {
	if bytes.IndexByte(head, 0) >= 0 {
		return false
	}
	for cut := 0; cut < utf8.UTFMax && cut <= len(head); cut++ {
		if utf8.Valid(head[:len(head)-cut]) {
			return true
		}
	}
	return false
}

// magicKind recognises the single-file formats by their first bytes.
func magicKind(head []byte) Kind {
	switch {
	case bytes.HasPrefix(head, []byte("%PDF-")):
		return KindPDF
	case bytes.HasPrefix(head, []byte{0xFF, 0xD8, 0xFF}):
		return KindJPEG
	case bytes.HasPrefix(head, []byte("\x89PNG\r\n\x1a\n")):
		return KindPNG
	}
	return ""
}

// checkNoZip refuses a PDF or image that also parses as a ZIP archive: such
// a polyglot opens as a harmless document in one program and as an archive
// (a JAR, an Office file with macros) in another.
func checkNoZip(k Kind, r io.ReaderAt, size int64) sniffed {
	if _, err := zip.NewReader(r, size); err == nil {
		return sniffed{kind: k, foreign: k.Label() + "中夹带的压缩包"}
	}
	if k == KindPDF && hasActivePDF(r, size) {
		return sniffed{kind: k, foreign: foreignActivePDF}
	}
	return sniffed{kind: k}
}

// activeNames are the PDF names of actions that run something when the
// document is opened or clicked: scripts and launching programs. A
// material is read by staff on office machines; it has no use for them.
var activeNames = [][]byte{[]byte("/JavaScript"), []byte("/JS"), []byte("/Launch")}

// hasActivePDF reports whether a PDF names an active action in its
// uncompressed objects (where the action dictionaries of ordinary files
// are), reading it in chunks that overlap by the longest name. A name must
// end there ("/JSON" is not "/JS"): a PDF delimiter or white space follows.
func hasActivePDF(r io.ReaderAt, size int64) bool {
	const chunk, overlap = 64 << 10, 16
	buf := make([]byte, min(chunk+overlap, size))
	for off := int64(0); off < size; off += chunk {
		n, _ := r.ReadAt(buf[:min(int64(len(buf)), size-off)], off)
		for _, name := range activeNames {
			if containsName(buf[:n], name) {
				return true
			}
		}
	}
	return false
}

func containsName(b, name []byte) bool {
	for i := 0; ; {
		j := bytes.Index(b[i:], name)
		if j < 0 {
			return false
		}
		end := i + j + len(name)
		if end == len(b) || bytes.IndexByte([]byte(" \t\r\n\f\x00()<>[]{}/%"), b[end]) >= 0 {
			return true
		}
		i = end
	}
}

// sniffZip tells OFD and Office Open XML files from other archives by the
// names in the archive's central directory; nothing is decompressed.
func sniffZip(r io.ReaderAt, size int64) sniffed {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return sniffed{foreign: foreignZip}
	}
	names := map[string]bool{}
	for _, f := range zr.File {
		names[f.Name] = true
	}
	switch {
	case names["OFD.xml"]:
		return sniffed{kind: KindOFD}
	case names["[Content_Types].xml"] && names["word/document.xml"]:
		return sniffed{kind: KindDOCX}
	case names["[Content_Types].xml"] && names["xl/workbook.xml"]:
		return sniffed{kind: KindXLSX}
	}
	return sniffed{foreign: foreignZip}
}

// isExecutable recognises Windows (MZ), ELF and Mach-O programs and scripts
// with an interpreter line.
func isExecutable(head []byte) bool {
	for _, m := range [][]byte{
		[]byte("MZ"), []byte("\x7fELF"), []byte("#!"),
		{0xFE, 0xED, 0xFA, 0xCE}, {0xFE, 0xED, 0xFA, 0xCF},
		{0xCE, 0xFA, 0xED, 0xFE}, {0xCF, 0xFA, 0xED, 0xFE}, {0xCA, 0xFE, 0xBA, 0xBE},
	} {
		if bytes.HasPrefix(head, m) {
			return true
		}
	}
	return false
}

// isMarkup recognises HTML, SVG, XML and script bodies, which a browser
// would render or run if the file were ever served inline.
func isMarkup(head []byte) bool {
	t := bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xEF\xBB\xBF")), " \t\r\n\f")
	if bytes.HasPrefix(t, []byte("<")) {
		return true
	}
	lower := bytes.ToLower(head)
	for _, tag := range []string{"<script", "<html", "<svg", "<iframe", "javascript:"} {
		if bytes.Contains(lower, []byte(tag)) {
			return true
		}
	}
	return false
}

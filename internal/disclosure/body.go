package disclosure

import (
	"bytes"
	"html"
	"path"
	"strings"
	"sync"
	"unicode"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// Bodies are written as Markdown or HTML and always shown through the same
// sanitiser: whatever an editor pastes, no script, handler or frame reaches
// a reader.
var (
	sanitizerOnce sync.Once
	bodyPolicy    *bluemonday.Policy
	textPolicy    *bluemonday.Policy
	markdown      goldmark.Markdown
)

func sanitizers() {
	sanitizerOnce.Do(func() {
		bodyPolicy = bluemonday.UGCPolicy()
		textPolicy = bluemonday.StrictPolicy()
		// Raw HTML inside Markdown is dropped by goldmark's default
		// (non-"unsafe") renderer; tables are common in notices.
		markdown = goldmark.New(goldmark.WithExtensions(extension.Table))
	})
}

// RenderBody turns a body as written into sanitised HTML.
func RenderBody(format, source string) (string, error) {
	sanitizers()
	if format == "html" {
		return bodyPolicy.Sanitize(source), nil
	}
	var buf bytes.Buffer
	if err := markdown.Convert([]byte(source), &buf); err != nil {
		return "", err
	}
	return bodyPolicy.Sanitize(buf.String()), nil
}

// PlainText returns the text of sanitised HTML, for search and summaries.
func PlainText(h string) string {
	sanitizers()
	h = strings.NewReplacer("</p>", "</p>\n", "<br>", "\n", "<br/>", "\n", "</li>", "</li>\n", "</h", "\n</h").Replace(h)
	return strings.TrimSpace(html.UnescapeString(textPolicy.Sanitize(h)))
}

// SanitizeFileName makes an uploaded file's name safe to store and show:
// markup removed by the sanitiser, no directories, no control characters,
// at most 120 characters; an empty result becomes "附件".
func SanitizeFileName(name string) string {
	name = PlainText(name)
	name = path.Base(strings.ReplaceAll(name, `\`, "/"))
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || strings.ContainsRune(`<>:"|?*`, r) {
			return -1
		}
		return r
	}, name)
	name = strings.TrimSpace(strings.Trim(name, "."))
	if rs := []rune(name); len(rs) > 120 {
		name = string(rs[:120])
	}
	if name == "" || name == "/" {
		return "附件"
	}
	return name
}

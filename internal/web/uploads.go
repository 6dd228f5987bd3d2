package web

import (
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"openhall/internal/blob"
	"openhall/internal/cases"
)

// Files a form already received are kept when the form comes back with an
// error: each is stored (durably, by its content) before the form is
// checked, and the form carries it back as a hidden "kept.<field>" value
// (its SHA-256 and name), so the applicant does not pick it again. A kept
// reference is resolved against the stored files the account may name
// (cases.Service.MayName): one it sent, or one of its own cases' materials.

// keptRef is the hidden value that keeps a stored file with a form.
func keptRef(m cases.MaterialFile) string { return m.SHA256 + ":" + url.QueryEscape(m.FileName) }

// keptFile resolves a kept reference to the stored file.
func (s *Server) keptFile(r *http.Request, ref string) (cases.MaterialFile, bool) {
	sum, name, ok := strings.Cut(ref, ":")
	if !ok || len(sum) != 64 || strings.Trim(sum, "0123456789abcdef") != "" {
		return cases.MaterialFile{}, false
	}
	if mine, err := s.svc.Cases.MayName(r.Context(), actorOf(r), sum); err != nil || !mine {
		return cases.MaterialFile{}, false
	}
	file, err := url.QueryUnescape(name)
	if err != nil || file == "" {
		return cases.MaterialFile{}, false
	}
	rc, b, err := s.svc.Blobs.Open(sum)
	if err != nil {
		return cases.MaterialFile{}, false
	}
	rc.Close()
	return cases.MaterialFile{FileName: blob.NameOr(file, b), SHA256: b.SHA256, Size: b.Size, MIME: b.MIME}, true
}

// keptName is the file name of a kept reference, for the form to show.
func keptName(ref string) string {
	_, name, _ := strings.Cut(ref, ":")
	file, _ := url.QueryUnescape(name)
	return file
}

// keepUploads records in the form's values the files just stored, so a
// form shown again with errors keeps them.
func keepUploads(v url.Values, prefix string, ms []cases.MaterialFile) {
	for _, m := range ms {
		v.Set("kept."+prefix+m.Code, keptRef(m))
	}
}

// withKept adds to the files a form sent those it kept from before, for
// the fields it sent no new file for.
func (s *Server) withKept(r *http.Request, prefix string, ms []cases.MaterialFile) []cases.MaterialFile {
	v := r.PostForm
	have := map[string]bool{}
	for _, m := range ms {
		have[m.Code] = true
	}
	for k, vals := range v {
		code, ok := strings.CutPrefix(k, "kept."+prefix)
		if !ok || have[code] || len(vals) == 0 {
			continue
		}
		if m, ok := s.keptFile(r, vals[0]); ok {
			m.Code = code
			ms = append(ms, m)
		}
	}
	return ms
}

// toHTML marks a fragment rendered by html/template as safe HTML.
func toHTML(b []byte) template.HTML { return template.HTML(b) }

package httpkit

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"

	"openhall/internal/apperr"
	"openhall/internal/blob"
)

// A multipart/form-data body is read part by part as it arrives, never
// parsed with Request.ParseMultipartForm: that buffers every file bigger
// than its memory budget to a temporary file, outside any limit of ours, and
// removes it only if the handler's request is the one the server holds. Here
// plain fields go to memory within a budget, each file is handed to its
// destination (the blob store, or memory for small files a service keeps in
// the database) as it streams in, and a body over its limit is refused while
// it is still arriving. Nothing is written to the temporary directory.

// MultipartOverhead is what a body holds besides its files and fields: the
// boundaries and part headers. Limits add it to what an endpoint accepts.
const MultipartOverhead = 64 << 10

// MaxFieldBytes bounds the plain fields of a multipart body together.
const MaxFieldBytes = 1 << 20

// Parts reads a multipart/form-data body. Values holds the plain fields
// read so far.
type Parts struct {
	mr     *multipart.Reader
	body   *Body
	Values url.Values
	budget int64           // bytes of plain fields still allowed
	next   *multipart.Part // a file part read ahead
	done   bool
}

// IsMultipart reports whether the request body is multipart/form-data.
func IsMultipart(r *http.Request) bool {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return err == nil && mt == "multipart/form-data"
}

// OpenParts limits r's body to limit bytes (0 keeps the limit a middleware
// set) and reads the plain fields that come before the first file (the CSRF
// token of a form is one of them).
func OpenParts(w http.ResponseWriter, r *http.Request, limit int64) (*Parts, error) {
	body, ok := r.Body.(*Body)
	if limit > 0 || !ok {
		body = LimitBody(w, r, max(limit, MaxFieldBytes))
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, apperr.New(apperr.Invalid, "请求不是有效的 multipart/form-data 表单")
	}
	p := &Parts{mr: mr, body: body, Values: url.Values{}, budget: MaxFieldBytes}
	if err := p.readValues(); err != nil {
		return nil, err
	}
	return p, nil
}

// Limit lowers the body's limit once the endpoint knows what it accepts
// (the materials of the item applied for, say).
func (p *Parts) Limit(n int64) { p.body.SetLimit(n) }

// NextFile returns the next file part, with the plain fields met on the way
// added to Values, or io.EOF after the last part.
func (p *Parts) NextFile() (*multipart.Part, error) {
	if p.next == nil {
		if err := p.readValues(); err != nil {
			return nil, err
		}
	}
	if p.next == nil {
		return nil, io.EOF
	}
	part := p.next
	p.next = nil
	return part, nil
}

// readValues reads plain fields until a file part (kept in next) or the end.
func (p *Parts) readValues() error {
	for !p.done {
		part, err := p.mr.NextPart()
		if err == io.EOF {
			p.done = true
			return nil
		}
		if err != nil {
			return p.readError(err)
		}
		if isFile(part) {
			p.next = part
			return nil
		}
		if err := p.readValue(part); err != nil {
			return err
		}
	}
	return nil
}

// isFile reports whether a part is a file input: its disposition names a
// file, if only with an empty name (a file input left empty).
func isFile(part *multipart.Part) bool {
	_, params, err := mime.ParseMediaType(part.Header.Get("Content-Disposition"))
	if err != nil {
		return false
	}
	_, ok := params["filename"]
	return ok
}

func (p *Parts) readValue(part *multipart.Part) error {
	b, err := io.ReadAll(io.LimitReader(part, p.budget+1))
	if err != nil {
		return p.readError(err)
	}
	p.budget -= int64(len(b))
	if p.budget < 0 {
		return apperr.New(apperr.TooLarge, "表单文字内容超过 %d KB 的上限", MaxFieldBytes>>10)
	}
	if name := part.FormName(); name != "" {
		p.Values.Add(name, string(b))
	}
	return nil
}

// readError explains a body that could not be read.
func (p *Parts) readError(err error) error {
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return TooLargeError(tooLarge.Limit)
	}
	return apperr.Wrap(err, apperr.Invalid, "上传中断或表单格式有误，请重新提交")
}

// TooLargeError is the refusal of a body over limit bytes.
func TooLargeError(limit int64) error {
	return apperr.New(apperr.TooLarge, "提交的内容超过本次上传的上限 %s，请压缩或拆分文件后重新提交", HumanSize(limit))
}

// HumanSize formats a byte count for messages.
func HumanSize(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MB", n>>20)
	}
	if n >= 1<<20 {
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%d KB", (n+1023)>>10)
}

// FileRule says how a file field is taken: into the blob store (the
// default) or into memory, and how big one file may be.
type FileRule struct {
	MaxBytes int64
	Memory   bool        // read into Upload.Data instead of the blob store
	Allowed  []blob.Kind // blob store only; nil is blob.Documents
}

// Upload is one file of a multipart form.
type Upload struct {
	Field       string
	Name        string // the file name the client gave
	ContentType string // as the client declared it; never trusted for type
	Blob        blob.Blob
	Data        []byte // Memory rules only
}

// Files reads the rest of the body: plain fields into Values, and each file
// by the rule rules gives its field (a field without a rule is refused). An
// empty file input is skipped. A refused file is a field error and reading
// goes on, so that one answer names every bad file; a body that breaks off
// or passes its limit ends the reading.
func (p *Parts) Files(ctx context.Context, blobs blob.Blobs, rules func(field string) (FileRule, bool)) ([]Upload, error) {
	var out []Upload
	var f apperr.Fields
	for {
		part, err := p.NextFile()
		if err == io.EOF {
			return out, f.Err()
		}
		if err != nil {
			return out, err
		}
		up, err := p.take(ctx, part, blobs, rules)
		if err != nil && !apperr.Is(err, apperr.Invalid) {
			return out, err
		}
		f.AddErr(part.FormName(), err)
		if err == nil && up != nil {
			out = append(out, *up)
		}
	}
}

// take stores one file part by its rule; nil for an empty file input.
func (p *Parts) take(ctx context.Context, part *multipart.Part, blobs blob.Blobs, rules func(string) (FileRule, bool)) (*Upload, error) {
	rule, ok := rules(part.FormName())
	if !ok {
		return nil, apperr.Field(part.FormName(), "不接受这个文件字段："+part.FormName())
	}
	up := &Upload{Field: part.FormName(), Name: blob.CleanName(part.FileName()), ContentType: part.Header.Get("Content-Type")}
	src := &peekReader{r: part}
	if src.empty() {
		if up.Name == "" {
			return nil, nil
		}
		return nil, apperr.Field(up.Field, "文件为空，请重新选择文件")
	}
	var err error
	if rule.Memory {
		up.Data, err = readSmall(src, rule.MaxBytes)
	} else {
		up.Blob, err = blobs.Put(ctx, src, blob.PutOptions{MaxBytes: rule.MaxBytes, Allowed: rule.Allowed, Name: up.Name})
	}
	if err != nil {
		return nil, p.fileError(up.Field, err)
	}
	if !rule.Memory {
		up.Name = blob.NameOr(up.Name, up.Blob)
	}
	return up, nil
}

// fileError keeps a per-file refusal on its field and turns a broken or
// oversized body into the error of the whole request.
func (p *Parts) fileError(field string, err error) error {
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return TooLargeError(tooLarge.Limit)
	}
	if apperr.Is(err, apperr.Invalid) && apperr.FieldsOf(err) != nil {
		return apperr.Field(field, apperr.MessageOf(err))
	}
	return err
}

// readSmall reads a file into memory, refusing one over max bytes.
func readSmall(r io.Reader, max int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return nil, err
		}
		return nil, apperr.Wrap(err, apperr.Invalid, "文件上传中断，请重新上传")
	}
	if int64(len(b)) > max {
		return nil, apperr.Field("file", fmt.Sprintf("文件超过大小上限 %s", HumanSize(max)))
	}
	return b, nil
}

// peekReader can tell an empty part from one with content before anything
// is consumed.
type peekReader struct {
	r     io.Reader
	first []byte
	err   error
}

func (p *peekReader) empty() bool {
	buf := make([]byte, 1)
	n, err := io.ReadFull(p.r, buf)
	p.first, p.err = buf[:n], err
	return n == 0 && (err == io.EOF || err == io.ErrUnexpectedEOF)
}

func (p *peekReader) Read(b []byte) (int, error) {
	if len(p.first) > 0 {
		n := copy(b, p.first)
		p.first = p.first[n:]
		return n, nil
	}
	if p.err != nil && p.err != io.EOF && p.err != io.ErrUnexpectedEOF {
		return 0, p.err
	}
	return p.r.Read(b)
}

type partsKey struct{}

// WithParts returns ctx carrying the multipart body a middleware opened
// (to check the form's CSRF token before any file is read).
func WithParts(ctx context.Context, p *Parts) context.Context {
	return context.WithValue(ctx, partsKey{}, p)
}

// PartsFrom returns the multipart body opened for the request, if any.
func PartsFrom(ctx context.Context) *Parts {
	p, _ := ctx.Value(partsKey{}).(*Parts)
	return p
}

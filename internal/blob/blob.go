// Package blob stores uploaded materials on disk, addressed by the SHA-256 of
// their content: <root>/<aa>/<bb>/<sha256 hex>, where aa and bb are the
// first two pairs of hex digits. The same content uploaded twice is one file.
//
// Put trusts nothing the client says about a file. It recognises the type
// from the content (PDF, JPEG, PNG, OFD, and DOCX/XLSX when a caller allows
// them), refuses executables, HTML, SVG and scripts, ZIP archives, polyglots
// (a PDF or image that is also a ZIP archive) and files whose declared name
// claims another type, and it refuses a file over the size limit while it is
// still streaming. A file is written to a temporary file in the store's root,
// hashed on the way, renamed into place atomically and made durable with its
// name, so that once Put returns the content survives a power cut, and a
// name at a content address that Put reported holds that content. On a
// local Linux filesystem concurrent uploads share each sync (syncfs, see
// flusher and commit); elsewhere every file is fsynced before its rename,
// then its directory.
//
// The declared file name is the caller's to keep (with the case material, for
// instance); it never becomes part of a path. Who may read a blob is also the
// caller's decision: Serve only writes the response.
//
// Several openhall nodes on one PostgreSQL database must see one blob store:
// mount the data directory (or at least its blobs/ folder) from shared
// storage that keeps rename atomic and fsync durable, such as NFSv4 or
// CephFS. Content addressing makes this safe without locks: two nodes writing
// the same content write the same bytes under the same name.
package blob

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"openhall/internal/apperr"
)

// DefaultMaxBytes is the size limit when PutOptions leaves it unset.
const DefaultMaxBytes = 20 << 20

// tempPrefix names upload files that are still being written.
const tempPrefix = ".upload-"

// staleAfter is how old a temporary file must be before New removes it
// where it cannot tell whether another process is still writing it (see
// holdTemp): an upload of another node on shared storage may be writing a
// younger one. Where it can, New removes every abandoned one at once.
const staleAfter = time.Hour

// freshEmpty is how young an empty temporary file is spared even when
// nobody holds it: it may have been created an instant before its lock.
const freshEmpty = time.Minute

// Blob describes stored content.
type Blob struct {
	SHA256 string // lower-case hex; the address
	Size   int64
	MIME   string
	Kind   Kind
}

// PutOptions limit what Put accepts.
type PutOptions struct {
	MaxBytes int64  // 0 = DefaultMaxBytes
	Allowed  []Kind // nil = Documents
	Name     string // the declared file name, checked against the content only
}

// Blobs is what the users of a blob store depend on. The local Store and
// the object store S3 keep the same contract (contract_test.go); only the
// local Store's Open returns a reader that seeks.
type Blobs interface {
	Put(ctx context.Context, r io.Reader, o PutOptions) (Blob, error)
	Open(sum string) (io.ReadCloser, Blob, error)
	Exists(sum string) (bool, error)
	Serve(w http.ResponseWriter, r *http.Request, sum, name string) error
	// The deployment markers (marker.go) say which deployment a store
	// belongs to.
	WriteMarker(ctx context.Context, m Marker) error
	ReadMarker(ctx context.Context, id string) (Marker, error) // apperr.NotFound
	Markers(ctx context.Context) ([]Marker, error)
}

// Store is a content-addressed file store.
type Store struct {
	root  string
	flush *flusher // nil: sync each file and directory
	// unnamed: uploads are written into files without a name (see
	// openUnnamed), where the filesystem has them and syncs are grouped.
	unnamed bool
	dirs    knownDirs // the <aa>/<bb> directories known to exist
}

// New opens (creating if needed) the store under root and removes temporary
// files that crashed uploads left behind.
func New(root string) (*Store, error) {
	if err := os.MkdirAll(root, 0o750); err != nil {
		return nil, apperr.Wrap(err, apperr.Unavailable, fmt.Sprintf("无法创建材料存储目录 %s", root))
	}
	s := &Store{root: root, flush: openFlusher(root)}
	s.unnamed = s.flush != nil && unnamedWorks(root)
	removeStale(root, time.Now())
	return s, nil
}

// Root returns the store's directory.
func (s *Store) Root() string { return s.root }

// removeStale removes the temporary files of uploads that will never
// finish: their process died (a crash, a kill) before it could remove them.
func removeStale(dir string, now time.Time) {
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		info, err := e.Info()
		if err != nil || !strings.HasPrefix(e.Name(), tempPrefix) {
			continue
		}
		path, age := filepath.Join(dir, e.Name()), now.Sub(info.ModTime())
		if age > staleAfter || (info.Size() > 0 || age > freshEmpty) && abandoned(path) {
			os.Remove(path)
		}
	}
}

// Put stores the content of r and describes it. Refusals are apperr.Invalid
// errors on field "file" with a message that says what is wrong.
func (s *Store) Put(ctx context.Context, r io.Reader, o PutOptions) (Blob, error) {
	o = o.withDefaults()
	if s.unnamed {
		if f, ok := openUnnamed(s.root); ok {
			return s.putUnnamed(ctx, f, r, o)
		}
	}
	tmp, err := os.CreateTemp(s.root, tempPrefix+"*")
	if err != nil {
		return Blob{}, errSave(err)
	}
	defer holdTemp(tmp.Name())()
	placed := false
	defer func() {
		tmp.Close()
		if !placed {
			os.Remove(tmp.Name())
		}
	}()
	b, err := write(ctx, tmp, r, o)
	if err != nil {
		return Blob{}, err
	}
	placed, err = s.commit(tmp, b)
	return b, err
}

func (o PutOptions) withDefaults() PutOptions {
	if o.MaxBytes <= 0 {
		o.MaxBytes = DefaultMaxBytes
	}
	if o.Allowed == nil {
		o.Allowed = Documents
	}
	return o
}

func hexSum(h hash.Hash) string { return hex.EncodeToString(h.Sum(nil)) }

// readError explains a failed upload stream.
func readError(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return apperr.Field("file", fmt.Sprintf("上传内容超过请求大小上限 %s", humanSize(tooLarge.Limit)))
	}
	if apperr.Is(err, apperr.Unavailable) {
		return err // from fileWriter
	}
	return apperr.Wrap(err, apperr.Invalid, "文件上传中断，请重新上传")
}

// check decides whether sniffed content may be stored under o.
func check(c sniffed, o PutOptions) (Kind, error) {
	claim := extension(o.Name)
	if c.foreign != "" {
		msg := "文件内容是" + c.foreign + "，不予接收"
		if c.foreign == foreignEmpty {
			msg = "文件为空，请重新选择文件"
		} else if c.foreign == foreignActivePDF {
			// Fillable forms often carry scripts for their fields.
			msg = "该 PDF 含有脚本或自动执行动作（常见于可填写的 PDF 表单），不予接收；请填写后用“打印为 PDF”另存一份再上传"
		} else if claim != "" {
			msg = "文件扩展名为 " + claim + "，但" + msg
		}
		return "", apperr.Field("file", msg)
	}
	if c.kind == "" && c.text && slices.Contains(o.Allowed, KindCSV) {
		c.kind = KindCSV
	}
	if c.kind == "" {
		return "", apperr.Field("file", "无法识别文件类型，仅接受 "+labels(o.Allowed))
	}
	if !slices.Contains(o.Allowed, c.kind) {
		return "", apperr.Field("file", "本材料不接受"+c.kind.Label()+"，仅接受 "+labels(o.Allowed))
	}
	if !c.kind.fitsName(o.Name) {
		return "", apperr.Field("file", disguiseMessage(claim, c.kind))
	}
	return c.kind, nil
}

func disguiseMessage(claim string, actual Kind) string {
	if k := kindForExtension(claim); k != "" {
		return fmt.Sprintf("文件扩展名为 %s，但内容是%s，与扩展名不符；请上传真实的%s文件", claim, actual.Label(), k.Label())
	}
	return fmt.Sprintf("文件扩展名 %s 与文件内容（%s）不符，请改正文件名后重新上传", claim, actual.Label())
}

// commit gives the temporary file f its content address and makes both
// durable; placed reports whether f was renamed (else the caller removes
// it). An existing name is kept when it holds the same content.
//
// With a group flusher one sync covers the content and the name together:
// nothing refers to a blob before Put returns, so a crash before that sync
// loses only an upload nobody was told had succeeded. Such a crash may
// leave a name whose content never reached the disk, so an existing name is
// trusted only after its content is checked, and a damaged one is replaced.
func (s *Store) commit(f *os.File, b Blob) (placed bool, err error) {
	if s.flush == nil {
		return s.commitEach(f, b.SHA256)
	}
	placed, err = s.rename(f, b)
	if err != nil {
		return placed, err
	}
	// Flushed even when the name existed: a concurrent upload of the same
	// content may have renamed it a moment ago, before its own sync.
	return placed, errSave(s.flush.flush())
}

// rename closes f and renames it to b's address unless a file holding b's
// content is there already; it does not wait for the disk.
func (s *Store) rename(f *os.File, b Blob) (placed bool, err error) {
	if err := f.Close(); err != nil {
		return false, errSave(err)
	}
	dir := s.dir(b.SHA256)
	final := filepath.Join(dir, b.SHA256)
	if !intact(final, b) {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return false, errSave(err)
		}
		if err := os.Rename(f.Name(), final); err != nil {
			return false, errSave(err)
		}
		placed = true
	}
	return placed, nil
}

// intact reports whether the file at path holds exactly the content b
// describes.
func intact(path string, b Blob) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil || st.Size() != b.Size {
		return false
	}
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return false
	}
	return hexSum(h) == b.SHA256
}

// commitEach is commit with a sync per file and directory, content first.
func (s *Store) commitEach(f *os.File, sum string) (placed bool, err error) {
	if err := f.Sync(); err != nil {
		return false, errSave(err)
	}
	if err := f.Close(); err != nil {
		return false, errSave(err)
	}
	dir := s.dir(sum)
	if err := s.ensureDir(dir); err != nil {
		return false, err
	}
	final := filepath.Join(dir, sum)
	if _, err := os.Stat(final); err != nil {
		if err := os.Rename(f.Name(), final); err != nil {
			return false, errSave(err)
		}
		placed = true
	}
	// Synced even when the file already existed (see commit).
	return placed, syncDir(dir)
}

// errSave turns a storage failure into the error users see; nil stays nil.
func errSave(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT) {
		return apperr.Wrap(err, apperr.Unavailable, "服务器存储空间不足，材料未保存，请稍后重试；如持续出现请联系管理员")
	}
	return apperr.Wrap(err, apperr.Unavailable, "材料暂时无法保存，请稍后重试")
}

func (s *Store) dir(sum string) string { return filepath.Join(s.root, sum[0:2], sum[2:4]) }

// ensureDir creates a blob directory and makes its new entries durable.
func (s *Store) ensureDir(dir string) error {
	if _, err := os.Stat(dir); err == nil {
		return nil
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return errSave(err)
	}
	return errors.Join(syncDir(filepath.Dir(dir)), syncDir(s.root))
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return errSave(err)
	}
	defer d.Close()
	return errSave(d.Sync())
}

// Open returns the content at hash and its description. The caller closes
// the reader; it is an *os.File, so it also seeks.
func (s *Store) Open(sum string) (io.ReadCloser, Blob, error) {
	path, err := s.path(sum)
	if err != nil {
		return nil, Blob{}, err
	}
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, Blob{}, apperr.New(apperr.NotFound, "材料文件不存在")
	}
	if err != nil {
		return nil, Blob{}, apperr.Wrap(err, apperr.Unavailable, "材料文件暂时无法读取")
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, Blob{}, apperr.Wrap(err, apperr.Unavailable, "材料文件暂时无法读取")
	}
	k := sniff(f, info.Size()).kind
	return f, Blob{SHA256: sum, Size: info.Size(), MIME: k.MIME(), Kind: k}, nil
}

// Exists reports whether content with the hash is stored.
func (s *Store) Exists(sum string) (bool, error) {
	path, err := s.path(sum)
	if err != nil {
		return false, err
	}
	_, err = os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, apperr.Wrap(err, apperr.Unavailable, "材料文件暂时无法读取")
	}
	return true, nil
}

// path maps a hash to its file. Only 64 lower-case hex digits are a hash,
// so no input can name a file outside the store.
func (s *Store) path(sum string) (string, error) {
	if !ValidHash(sum) {
		return "", apperr.New(apperr.NotFound, "材料文件不存在")
	}
	return filepath.Join(s.dir(sum), sum), nil
}

// ValidHash reports whether s is a SHA-256 in lower-case hex.
func ValidHash(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// humanSize formats a byte count the way the limit was most likely set.
func humanSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d 字节", n)
}

// ctxReader stops a long upload when the request is cancelled.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

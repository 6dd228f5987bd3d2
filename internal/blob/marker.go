package blob

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"time"

	"github.com/minio/minio-go/v7"

	"openhall/internal/apperr"
)

// markerDir holds the deployment markers, beside the materials' <aa>
// folders (a name no SHA-256 address starts with).
const markerDir = "deployment"

// maxMarker bounds what ReadMarker reads: a marker is a few hundred bytes.
const maxMarker = 64 << 10

// Marker says that a blob store belongs to a deployment. It is kept as
// <store>/deployment/<id> and named by the deployment's id, so that
// markers of several ids may lie side by side (one whose node lost the race
// to record it at the first start, one copied by Migrate) without one
// overwriting another; which one counts is for the database to say.
type Marker struct {
	Deployment string    `json:"deployment"` // 32 lower-case hex digits
	Store      string    `json:"store"`      // where it was written, without secrets
	CopiedFrom string    `json:"copied_from,omitempty"`
	WrittenAt  time.Time `json:"written_at"`
}

// NewDeploymentID returns a fresh random deployment id.
func NewDeploymentID() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// ValidDeploymentID reports whether id has the form NewDeploymentID gives.
func ValidDeploymentID(id string) bool {
	if len(id) != 32 {
		return false
	}
	for _, c := range []byte(id) {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

func (m Marker) encode() ([]byte, error) {
	if !ValidDeploymentID(m.Deployment) {
		return nil, fmt.Errorf("deployment id %q is not 32 hex digits", m.Deployment)
	}
	return json.Marshal(m)
}

func decodeMarker(id string, b []byte) (Marker, error) {
	var m Marker
	if err := json.Unmarshal(b, &m); err != nil || m.Deployment != id {
		return Marker{}, fmt.Errorf("deployment marker %s is damaged: %q", id, b)
	}
	return m, nil
}

// WriteMarker stores m durably, replacing a marker of the same id.
func (s *Store) WriteMarker(_ context.Context, m Marker) error {
	b, err := m.encode()
	if err != nil {
		return err
	}
	dir := filepath.Join(s.root, markerDir)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return fmt.Errorf("write deployment marker: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".marker-*")
	if err != nil {
		return fmt.Errorf("write deployment marker: %w", err)
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.Write(b)
	if err == nil {
		err = tmp.Sync()
	}
	if err = errors.Join(err, tmp.Close()); err == nil {
		err = os.Rename(tmp.Name(), filepath.Join(dir, m.Deployment))
	}
	if err == nil {
		err = errors.Join(syncDir(dir), syncDir(s.root))
	}
	if err != nil {
		return fmt.Errorf("write deployment marker: %w", err)
	}
	return nil
}

// ReadMarker returns the marker of deployment id; apperr.NotFound when the
// store has none.
func (s *Store) ReadMarker(_ context.Context, id string) (Marker, error) {
	if !ValidDeploymentID(id) {
		return Marker{}, apperr.New(apperr.NotFound, "部署标识不存在")
	}
	b, err := os.ReadFile(filepath.Join(s.root, markerDir, id))
	if errors.Is(err, fs.ErrNotExist) {
		return Marker{}, apperr.New(apperr.NotFound, "部署标识不存在")
	}
	if err != nil {
		return Marker{}, fmt.Errorf("read deployment marker: %w", err)
	}
	return decodeMarker(id, b)
}

// Markers returns every deployment marker of the store.
func (s *Store) Markers(ctx context.Context) ([]Marker, error) {
	entries, err := os.ReadDir(filepath.Join(s.root, markerDir))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list deployment markers: %w", err)
	}
	var out []Marker
	for _, e := range entries {
		if !ValidDeploymentID(e.Name()) {
			continue // a temporary file of a write cut short
		}
		m, err := s.ReadMarker(ctx, e.Name())
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

func (s *S3) markerKey(id string) string {
	return path.Join(s.prefix, markerDir, id)
}

// WriteMarker stores m, sent with its MD5 so that a body damaged on the way
// is refused.
func (s *S3) WriteMarker(ctx context.Context, m Marker) error {
	b, err := m.encode()
	if err != nil {
		return err
	}
	ctx, cancel := s.deadline(ctx, 0)
	defer cancel()
	_, err = s.client.PutObject(ctx, s.bucket, s.markerKey(m.Deployment), bytes.NewReader(b), int64(len(b)),
		minio.PutObjectOptions{ContentType: "application/json", SendContentMd5: true})
	if err != nil {
		return fmt.Errorf("write deployment marker: %w", err)
	}
	return nil
}

// ReadMarker returns the marker of deployment id; apperr.NotFound when the
// bucket has none under the store's prefix.
func (s *S3) ReadMarker(ctx context.Context, id string) (Marker, error) {
	if !ValidDeploymentID(id) {
		return Marker{}, apperr.New(apperr.NotFound, "部署标识不存在")
	}
	ctx, cancel := s.deadline(ctx, 0)
	defer cancel()
	obj, err := s.client.GetObject(ctx, s.bucket, s.markerKey(id), minio.GetObjectOptions{})
	var b []byte
	if err == nil {
		b, err = io.ReadAll(io.LimitReader(obj, maxMarker))
		obj.Close()
	}
	if isMissing(err) {
		return Marker{}, apperr.New(apperr.NotFound, "部署标识不存在")
	}
	if err != nil {
		return Marker{}, fmt.Errorf("read deployment marker: %w", err)
	}
	return decodeMarker(id, b)
}

// Markers returns every deployment marker under the store's prefix.
func (s *S3) Markers(ctx context.Context) ([]Marker, error) {
	lctx, cancel := s.deadline(ctx, 0)
	defer cancel()
	var ids []string
	for o := range s.client.ListObjects(lctx, s.bucket, minio.ListObjectsOptions{Prefix: s.markerKey("") + "/"}) {
		if o.Err != nil {
			return nil, fmt.Errorf("list deployment markers: %w", o.Err)
		}
		if id := path.Base(o.Key); ValidDeploymentID(id) {
			ids = append(ids, id)
		}
	}
	out := make([]Marker, 0, len(ids))
	for _, id := range ids {
		m, err := s.ReadMarker(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

package blob

import (
	"context"
	"io"
	"net/http"

	"openhall/internal/apperr"
)

// Fallback is the blob store of a deployment whose materials are moving
// from a local directory into a bucket (Migrate): uploads and deployment
// markers go to the bucket alone, and a blob the bucket does not have is
// looked for in the directory, where it may have been uploaded after
// Migrate's first run. One found there is checked against its address as
// Store.Serve checks it (a damaged one is refused like a damaged object,
// and not copied), copied into the bucket and confirmed there as an upload
// is, then answered; the next request finds it in the bucket. The
// directory is only read from. It is meant for the move alone: every miss
// in the bucket also reads the directory.
type Fallback struct {
	bucket *S3
	dir    *Store
}

// NewFallback reads through bucket to dir.
func NewFallback(bucket *S3, dir *Store) *Fallback {
	return &Fallback{bucket: bucket, dir: dir}
}

// Dir is the directory read when the bucket misses.
func (f *Fallback) Dir() *Store { return f.dir }

// Put stores the content of r in the bucket; see S3.Put.
func (f *Fallback) Put(ctx context.Context, r io.Reader, o PutOptions) (Blob, error) {
	return f.bucket.Put(ctx, r, o)
}

// Open returns the content at sum from the bucket, or from the directory
// once copied into the bucket (see fetch).
func (f *Fallback) Open(sum string) (io.ReadCloser, Blob, error) {
	rc, b, err := f.bucket.Open(sum)
	if !apperr.Is(err, apperr.NotFound) {
		return rc, b, err
	}
	return f.fetch(context.Background(), sum)
}

// Exists reports whether content with the hash is in the bucket, or in the
// directory and now copied into the bucket.
func (f *Fallback) Exists(sum string) (bool, error) {
	ok, err := f.bucket.Exists(sum)
	if ok || err != nil {
		return ok, err
	}
	rc, _, err := f.fetch(context.Background(), sum)
	if apperr.Is(err, apperr.NotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	rc.Close()
	return true, nil
}

// Serve writes the blob as a download, like S3.Serve; one the bucket does
// not have is answered from the directory's checked copy (Range requests
// included) once it is in the bucket.
func (f *Fallback) Serve(w http.ResponseWriter, r *http.Request, sum, name string) error {
	err := f.bucket.Serve(w, r, sum, name)
	if !apperr.Is(err, apperr.NotFound) {
		return err
	}
	rc, b, err := f.fetch(r.Context(), sum)
	if err != nil {
		return err
	}
	defer rc.Close()
	setDownloadHeaders(w.Header(), b, name)
	serveContent(w, r, b.Size, rc.(io.ReadSeeker))
	return nil
}

// fetch opens sum's file in the directory and copies it into the bucket
// (copyIn), rewound for the caller. A file missing from the directory too
// is apperr.NotFound.
func (f *Fallback) fetch(ctx context.Context, sum string) (io.ReadCloser, Blob, error) {
	rc, b, err := f.dir.Open(sum)
	if err != nil {
		return nil, Blob{}, err
	}
	if err := f.copyIn(ctx, rc.(io.ReadSeeker), b); err != nil {
		rc.Close()
		return nil, Blob{}, err
	}
	return rc, b, nil
}

// copyIn checks the directory's file of b against its address (verify, as
// Store.Serve does), stores it in the bucket (S3.store, confirmed as Put's
// uploads are) and rewinds it.
func (f *Fallback) copyIn(ctx context.Context, file io.ReadSeeker, b Blob) error {
	if err := verify(file, b.SHA256); err != nil {
		return err
	}
	if _, err := f.bucket.store(ctx, file, b); err != nil {
		return apperr.Wrap(err, apperr.Unavailable, "材料文件暂时无法读取")
	}
	if _, err := file.Seek(0, io.SeekStart); err != nil {
		return apperr.Wrap(err, apperr.Unavailable, "材料文件暂时无法读取")
	}
	return nil
}

// Ping reports whether the bucket answers; see S3.Ping.
func (f *Fallback) Ping(ctx context.Context) error { return f.bucket.Ping(ctx) }

// WriteMarker writes m into the bucket.
func (f *Fallback) WriteMarker(ctx context.Context, m Marker) error {
	return f.bucket.WriteMarker(ctx, m)
}

// ReadMarker reads the bucket's marker of deployment id.
func (f *Fallback) ReadMarker(ctx context.Context, id string) (Marker, error) {
	return f.bucket.ReadMarker(ctx, id)
}

// Markers returns the bucket's deployment markers.
func (f *Fallback) Markers(ctx context.Context) ([]Marker, error) { return f.bucket.Markers(ctx) }

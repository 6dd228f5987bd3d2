package app

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"

	"openhall/internal/blob"
	"openhall/internal/config"
	"openhall/internal/store/storetest"
	"openhall/internal/svc"
)

// pingingBlobs is an object store whose ping fails with err.
type pingingBlobs struct {
	blob.Blobs
	err error
}

func (p pingingBlobs) Ping(context.Context) error { return p.err }

// TestReadyObjectStoreReason: /readyz answers 503 while the object store
// fails, saying that it refused the node's keys (and which settings to
// check) when it did, that the bucket is missing (named) when it answers
// without it, and that it is out of reach when it is.
func TestReadyObjectStoreReason(t *testing.T) {
	denied := minio.ErrorResponse{StatusCode: http.StatusForbidden, Code: "AccessDenied", Message: "Access Denied."}
	storetest.ForEach(t, func(t *testing.T, b storetest.Backend) {
		stores := b.Open(t, time.Now)
		for _, c := range []struct {
			name, accessKey string
			err             error
			want            string
		}{
			{"KeysRefused", "AK", denied, "对象存储拒绝了本节点的访问密钥：请检查 --s3-access-key、--s3-secret-key"},
			{"NoKeys", "", denied, "本节点没有配置访问密钥：请设置 --s3-access-key"},
			{"Unreachable", "AK", context.DeadlineExceeded, "对象存储不可达"},
			{"BucketMissing", "AK", &blob.MissingBucketError{Bucket: "materials"}, "对象存储中没有存储桶 materials：请创建该存储桶，或改正 --blobs"},
		} {
			t.Run(c.name, func(t *testing.T) {
				a := &App{Config: config.Config{S3AccessKey: c.accessKey}, Stores: stores,
					Services: &svc.Services{Blobs: pingingBlobs{err: c.err}}}
				w := httptest.NewRecorder()
				a.handleReady(w, httptest.NewRequest(http.MethodGet, "/readyz", nil))
				var body struct{ Status, Reason string }
				json.NewDecoder(w.Body).Decode(&body)
				if w.Code != http.StatusServiceUnavailable || body.Status != "unavailable" || !strings.Contains(body.Reason, c.want) {
					t.Fatalf("readyz: %d %+v, want 503 saying %q", w.Code, body, c.want)
				}
			})
		}
	})
}

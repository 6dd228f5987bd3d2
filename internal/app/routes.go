package app

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"openhall/internal/api"
	"openhall/internal/blob"
	"openhall/internal/httpkit"
	"openhall/internal/web"

	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// routes composes the probes, the metrics endpoint, the API and the UI.
func (a *App) routes(ctx context.Context) (http.Handler, error) {
	key, err := a.secret(ctx, "csrf")
	if err != nil {
		return nil, err
	}
	sessions := &httpkit.Sessions{Identity: a.Services.Identity, Key: key, Secure: a.Config.SecureCookies}
	deps := httpkit.Deps{Services: a.Services, Sessions: sessions, Log: a.Log}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", a.handleHealth)
	mux.HandleFunc("GET /readyz", a.handleReady)
	mux.Handle("GET /metrics", promhttp.HandlerFor(a.Metrics, promhttp.HandlerOpts{}))
	apiHandler := api.New(deps).Handler()
	mux.Handle("/api/v1/", apiHandler)
	mux.Handle("/api/3/", apiHandler)      // the CKAN-compatible open data API
	mux.Handle("/api/action/", apiHandler) // the same, as ckanapi calls it
	ui := web.New(deps)
	a.closeLive = ui.CloseLive
	mux.Handle("/", ui.Handler())
	metrics := httpkit.NewMetrics(a.Metrics)
	h := httpkit.SecurityHeaders(httpkit.Observe(a.Log, metrics, httpkit.Routed(mux)))
	if a.Config.SendHSTS() {
		h = httpkit.StrictTransport(h)
	}
	proxies, err := httpkit.ParseProxies(a.Config.TrustedProxies)
	return proxies.Resolve(h), err
}

// handleHealth answers while the process is up.
func (a *App) handleHealth(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ok\n"))
}

// handleReady answers 200 when the database is reachable and its schema is
// current, the object store (if any) answers to the node's keys and the
// blob store still holds the deployment's marker, 503 with the reason
// otherwise.
func (a *App) handleReady(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	status, body := http.StatusOK, map[string]any{"status": "ready", "backend": a.Stores.Backend.Backend()}
	if err := a.Stores.Ping(ctx); err != nil {
		status, body["status"], body["reason"] = http.StatusServiceUnavailable, "unavailable", "数据库不可达"
	} else if st, err := a.Stores.SchemaStatus(ctx); err != nil || !st.UpToDate() {
		status, body["status"], body["reason"] = http.StatusServiceUnavailable, "unavailable", "数据库结构版本不是最新"
	} else if err := a.pingBlobs(ctx); err != nil {
		status, body["status"], body["reason"] = http.StatusServiceUnavailable, "unavailable", a.blobsReason(err)
	} else if reason := a.markerReason(ctx); reason != "" {
		status, body["status"], body["reason"] = http.StatusServiceUnavailable, "unavailable", reason
	} else {
		body["schema_version"] = st.Current
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(body)
}

// pingBlobs checks that the object store answers, when materials are in one.
func (a *App) pingBlobs(ctx context.Context) error {
	if p, ok := a.Services.Blobs.(interface{ Ping(context.Context) error }); ok {
		return p.Ping(ctx)
	}
	return nil
}

// blobsReason says why the object store failed the readiness check: a
// store that refuses the node's keys, or answers without the bucket, is
// reachable, and the keys or the bucket are what to check.
func (a *App) blobsReason(err error) string {
	var missing *blob.MissingBucketError
	switch {
	case errors.As(err, &missing):
		return "对象存储中没有存储桶 " + missing.Bucket + "：请创建该存储桶，或改正 --blobs"
	case !blob.AccessDenied(err):
		return "对象存储不可达"
	case a.Config.S3AccessKey == "":
		return "对象存储拒绝了不带密钥的访问，而本节点没有配置访问密钥：请设置 --s3-access-key、--s3-secret-key（OPENHALL_S3_ACCESS_KEY、OPENHALL_S3_SECRET_KEY）"
	}
	return "对象存储拒绝了本节点的访问密钥：请检查 --s3-access-key、--s3-secret-key（OPENHALL_S3_ACCESS_KEY、OPENHALL_S3_SECRET_KEY）及其对存储桶的权限"
}

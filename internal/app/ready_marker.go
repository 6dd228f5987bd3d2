package app

import (
	"context"
	"strings"
	"sync"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/blob"
)

// markerTTL is how long /readyz trusts its last look at the deployment
// marker: a load balancer probing every second reads the blob store for
// it once in that time, not at every probe.
const markerTTL = 5 * time.Second

// markerCheck is the last look at the deployment marker, for /readyz.
type markerCheck struct {
	mu     sync.Mutex
	at     time.Time // zero: not looked at yet
	reason string    // why the node is not ready; "" when the marker is there
}

// markerReason says why a node's blob store is no longer the deployment's,
// "" when it still is: it must hold the marker of the id the database
// records, as at the start (checkBlobStore). A store swapped, emptied or
// left behind by a move of the materials since the start would otherwise
// be served from, its uploads invisible to the other nodes. The directory
// a bucket reads through to during a move is looked at with it
// (fallbackReason). One-off commands, which check nothing at start,
// answer "".
func (a *App) markerReason(ctx context.Context) string {
	if !a.node {
		return ""
	}
	m := &a.markers
	m.mu.Lock()
	defer m.mu.Unlock()
	if now := a.now(); m.at.IsZero() || now.Sub(m.at) >= markerTTL || now.Before(m.at) {
		m.reason, m.at = a.checkMarker(ctx), now
	}
	return m.reason
}

// checkMarker looks for the marker of the recorded deployment id in the
// node's blob store.
func (a *App) checkMarker(ctx context.Context) string {
	rec, err := readBlobRecord(ctx, a.Stores.Settings)
	if err != nil {
		return "无法读取数据库登记的部署标识（设置 " + blobsKey + "）"
	}
	blobs := a.Services.Blobs
	_, err = blobs.ReadMarker(ctx, rec.Deployment)
	switch {
	case err == nil:
		return a.fallbackReason(ctx)
	case !apperr.Is(err, apperr.NotFound):
		return "无法读取本节点材料存储（--blobs）中的部署标识 " + rec.Deployment
	}
	const after = "：在这里上传的材料其他节点看不到，其他节点的材料在这里也打不开。请让本节点使用本部署的材料存储（与其他节点同一个 --blobs）后重启"
	if ms, err := blobs.Markers(ctx); err == nil && len(ms) > 0 {
		ids := make([]string, len(ms))
		for i, m := range ms {
			ids[i] = m.Deployment
		}
		return "本节点的材料存储（--blobs）中没有本部署的部署标识 " + rec.Deployment + "，只有别的部署标识 " + strings.Join(ids, "、") +
			"，材料已迁往别处或存储已被替换" + after
	}
	return "本节点的材料存储（--blobs）中已没有本部署的部署标识 " + rec.Deployment + "，存储已被清空或替换" + after
}

// fallbackReason says why the directory the blob store reads through to
// while materials move into the bucket (--blobs-fallback) can no longer be
// read: the marker found there at the start is gone or unreadable (the
// directory unmounted, replaced, its permissions changed), and what the
// bucket lacks would not be found. "" when it is there, or with no such
// directory.
func (a *App) fallbackReason(ctx context.Context) string {
	f, ok := a.Services.Blobs.(*blob.Fallback)
	if !ok || a.fallbackID == "" {
		return ""
	}
	if _, err := f.Dir().ReadMarker(ctx, a.fallbackID); err != nil {
		return "无法读取备用材料目录（--blobs-fallback）" + f.Dir().Root() + " 中的部署标识 " + a.fallbackID +
			"：对象存储中还没有的材料将无法下载。请恢复该目录（挂载、权限）；若 migrate-blobs 已报告失败 0 个，去掉 --blobs-fallback 后重启"
	}
	return ""
}

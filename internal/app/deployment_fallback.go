package app

import (
	"context"
	"fmt"
	"slices"

	"openhall/internal/apperr"
	"openhall/internal/blob"
	"openhall/internal/store"
)

// checkFallback makes sure the directory a node reads through to while the
// materials move into the bucket (--blobs-fallback) is the deployment's
// old blob store: it holds the marker of the id the database records, or
// of an id migrate-blobs copied from it into the bucket (the deployment's
// id before its first node on the bucket gave it a new one). Files of
// another deployment's directory would otherwise be served as this one's
// and copied into its bucket. It returns the id found, which /readyz keeps
// looking for (fallbackReason).
func checkFallback(ctx context.Context, settings store.Settings, f *blob.Fallback) (string, error) {
	rec, err := readBlobRecord(ctx, settings)
	if err != nil {
		return "", err
	}
	dir := f.Dir().Root()
	ms, err := f.Dir().Markers(ctx)
	if err != nil {
		return "", fmt.Errorf("无法读取备用材料目录（--blobs-fallback）%s 中的部署标识：%w", dir, err)
	}
	copies, err := f.Markers(ctx)
	if err != nil {
		return "", fmt.Errorf("无法读取材料存储（--blobs）中的部署标识：%w", err)
	}
	for _, m := range ms {
		copied := func(c blob.Marker) bool { return c.Deployment == m.Deployment && c.CopiedFrom != "" }
		if m.Deployment == rec.Deployment || slices.ContainsFunc(copies, copied) {
			return m.Deployment, nil
		}
	}
	return "", apperr.New(apperr.Invalid, "备用材料目录（--blobs-fallback）%s 不是本部署迁移前的材料目录：其中没有数据库登记的部署标识 %s，"+
		"也没有 openhall migrate-blobs 从它复制进对象存储的部署标识。从别的目录读取的材料会被当作本部署的材料复制进对象存储，所以本节点不启动。"+
		"请把 --blobs-fallback 设为 migrate-blobs 的 --from 目录", dir, rec.Deployment)
}

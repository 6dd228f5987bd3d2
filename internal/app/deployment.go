package app

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/blob"
	"openhall/internal/certs"
	"openhall/internal/config"
	"openhall/internal/store"
)

// A node proves at start that it belongs to its deployment: that its blob
// store and its certificate KEK are the ones the database's other nodes
// use. A node that does not is refused before it listens, rather than kept
// running with /readyz answering 503: the cause is its configuration, which
// no waiting repairs, and a process that exits with the reason is what a
// service manager and an operator notice, where a node out of a load
// balancer's rotation is easily overlooked.

// blobsKey is the setting that records the deployment's blob store.
const blobsKey = "deployment.blobs"

// kekCheckKey is the setting that keeps a value sealed under the
// deployment's KEK (certs.Service.SealKEKCheck).
const kekCheckKey = "certs.kek_check"

// blobRecord is the value of blobsKey.
type blobRecord struct {
	Deployment string    `json:"deployment"` // the id of the marker the store must hold
	Store      string    `json:"store"`      // where it was recorded, without secrets
	RecordedAt time.Time `json:"recorded_at"`
}

// blobLabel describes the configured blob store for operators, without
// credentials; a local directory is named with its host, since every node
// may have a directory of that name.
func blobLabel(cfg config.Config) string {
	if cfg.BlobsInS3() {
		return cfg.BlobLabel()
	}
	dir, err := filepath.Abs(cfg.BlobDir())
	if err != nil {
		dir = cfg.BlobDir()
	}
	host, _ := os.Hostname()
	return "主机 " + host + " 上的目录 " + dir
}

// checkBlobStore makes sure blobs is the deployment's blob store: the
// database records a deployment id, and the store must hold that id's
// marker. The first node to start on a database (or the first since this
// check exists) writes a marker with a fresh id and records it.
func checkBlobStore(ctx context.Context, settings store.Settings, blobs blob.Blobs, label string, now func() time.Time) (note string, err error) {
	rec, err := readBlobRecord(ctx, settings)
	if apperr.Is(err, apperr.NotFound) {
		rec, err = enrolBlobStore(ctx, settings, blobs, label, now)
	}
	if err != nil {
		return "", err
	}
	m, err := blobs.ReadMarker(ctx, rec.Deployment)
	if apperr.Is(err, apperr.NotFound) {
		return "", foreignBlobStore(ctx, blobs, rec, label)
	}
	if err != nil {
		return "", fmt.Errorf("无法读取材料存储（--blobs）%s 中的部署标识：%w", label, err)
	}
	if m.CopiedFrom != "" {
		return rekeyBlobStore(ctx, settings, blobs, m, label, now)
	}
	return "", nil
}

func readBlobRecord(ctx context.Context, settings store.Settings) (blobRecord, error) {
	v, err := settings.Setting(ctx, blobsKey)
	if err != nil {
		return blobRecord{}, err
	}
	return decodeBlobRecord(v)
}

func decodeBlobRecord(v string) (blobRecord, error) {
	var rec blobRecord
	if err := json.Unmarshal([]byte(v), &rec); err != nil || !blob.ValidDeploymentID(rec.Deployment) {
		return blobRecord{}, fmt.Errorf("数据库设置 %s 已损坏：%q", blobsKey, v)
	}
	return rec, nil
}

// enrolBlobStore writes a marker with a fresh id into blobs, then records
// it unless another node recorded one first, and returns the record that
// stands. The marker is written before the record, so a recorded id always
// has its marker in the store of the node that recorded it: a node killed
// in between leaves a marker no record names, which is harmless, and two
// nodes starting together agree on the one record the database kept.
func enrolBlobStore(ctx context.Context, settings store.Settings, blobs blob.Blobs, label string, now func() time.Time) (blobRecord, error) {
	rec := blobRecord{Deployment: blob.NewDeploymentID(), Store: label, RecordedAt: now().UTC()}
	if err := blobs.WriteMarker(ctx, blob.Marker{Deployment: rec.Deployment, Store: label, WrittenAt: rec.RecordedAt}); err != nil {
		return blobRecord{}, fmt.Errorf("无法在材料存储（--blobs）%s 中写入部署标识：%w", label, err)
	}
	v, err := json.Marshal(rec)
	if err != nil {
		return blobRecord{}, err
	}
	stored, err := settings.PutSettingIfAbsent(ctx, blobsKey, string(v))
	if err != nil {
		return blobRecord{}, fmt.Errorf("record the deployment's blob store: %w", err)
	}
	return decodeBlobRecord(stored)
}

// rekeyBlobStore follows a move of the materials: the marker the database
// names was copied here by migrate-blobs, so this store is now the
// deployment's. It gets a marker of a new id, which the database records,
// and a node started on the old location afterwards is refused.
func rekeyBlobStore(ctx context.Context, settings store.Settings, blobs blob.Blobs, copied blob.Marker, label string, now func() time.Time) (string, error) {
	rec := blobRecord{Deployment: blob.NewDeploymentID(), Store: label, RecordedAt: now().UTC()}
	if err := blobs.WriteMarker(ctx, blob.Marker{Deployment: rec.Deployment, Store: label, WrittenAt: rec.RecordedAt}); err != nil {
		return "", fmt.Errorf("无法在材料存储（--blobs）%s 中写入部署标识：%w", label, err)
	}
	v, err := json.Marshal(rec)
	if err != nil {
		return "", err
	}
	if err := settings.PutSetting(ctx, blobsKey, string(v)); err != nil {
		return "", fmt.Errorf("record the deployment's blob store: %w", err)
	}
	return fmt.Sprintf("materials were moved here from %s (openhall migrate-blobs): this is now the deployment's blob store, "+
		"and a node started on the old location will be refused", copied.CopiedFrom), nil
}

// foreignBlobStore is the refusal of a node whose blob store lacks the
// deployment's marker.
func foreignBlobStore(ctx context.Context, blobs blob.Blobs, rec blobRecord, label string) error {
	others := ""
	if ms, err := blobs.Markers(ctx); err == nil && len(ms) > 0 {
		ids := make([]string, len(ms))
		for i, m := range ms {
			ids[i] = m.Deployment
		}
		others = "（其中只有别的部署标识 " + strings.Join(ids, "、") + "）"
	}
	return apperr.New(apperr.Invalid, "本节点的材料存储（--blobs）不是本部署的材料存储：数据库登记的是 %s，部署标识 %s；"+
		"本节点的 %s 中没有这个标识%s。在这里上传的材料其他节点看不到，其他节点的材料在这里也打不开，所以本节点不启动。"+
		"请让每个节点使用同一个 --blobs（对象存储还须同一个 --s3-endpoint）；若正在把材料迁移到对象存储，先运行 openhall migrate-blobs，"+
		"直到它报告失败 0 个",
		rec.Store, rec.Deployment, label, others)
}

// checkKEK makes sure the node's KEK is the deployment's: it must open the
// signing keys already in the database and the check value the first node
// recorded; the first node records one sealed under its KEK.
func checkKEK(ctx context.Context, settings store.Settings, c *certs.Service, source string) error {
	if err := c.CheckKEK(ctx); err != nil {
		if errors.Is(err, certs.ErrWrongKEK) {
			return wrongKEK(source)
		}
		return err
	}
	stored, err := settings.PutSettingIfAbsent(ctx, kekCheckKey, base64.StdEncoding.EncodeToString(c.SealKEKCheck()))
	if err != nil {
		return fmt.Errorf("record the KEK check value: %w", err)
	}
	sealed, err := base64.StdEncoding.DecodeString(stored)
	if err != nil {
		return fmt.Errorf("数据库设置 %s 已损坏", kekCheckKey)
	}
	if err := c.OpenKEKCheck(sealed); err != nil {
		return wrongKEK(source)
	}
	return nil
}

// wrongKEK is the refusal of a node whose KEK is not the deployment's;
// source says where its KEK came from. No key material is named.
func wrongKEK(source string) error {
	return apperr.New(apperr.Invalid, "本节点的证照密钥加密密钥（--cert-kek）不是本部署的：数据库中的签名私钥或密钥校验值无法用它解密，"+
		"本节点若启动，签发证照会失败，或生成其他节点解不开的签名密钥，所以不启动。本节点的密钥加密密钥来自%s；"+
		"请为每个节点配置同一个 --cert-kek（OPENHALL_CERT_KEK）", source)
}

package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"openhall/internal/blob"
)

// TestMigrateBlobs copies a local store with one damaged file to a
// bucket: the run copies the rest, names the damaged file and fails; after
// the file is repaired a second run copies it alone and skips the others
// as already there and confirmed. The bucket then holds every file whole,
// and the store's deployment marker, which the failed run did not copy,
// marked as a copy.
func TestMigrateBlobs(t *testing.T) {
	b := newTestBucket(t)
	t.Setenv("OPENHALL_S3_ACCESS_KEY", b.cfg.AccessKey)
	t.Setenv("OPENHALL_S3_SECRET_KEY", b.cfg.SecretKey)
	dir := filepath.Join(t.TempDir(), "blobs")
	local, err := blob.New(dir)
	if err != nil {
		t.Fatal(err)
	}
	marker := blob.Marker{Deployment: blob.NewDeploymentID(), Store: "目录 " + dir, WrittenAt: time.Now()}
	if err := local.WriteMarker(context.Background(), marker); err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for i := range 4 {
		data := materialPDF(fmt.Sprint("migrate-", i), "m")
		got, err := local.Put(context.Background(), bytes.NewReader(data), blob.PutOptions{Name: "m.pdf"})
		if err != nil {
			t.Fatal(err)
		}
		files[got.SHA256] = data
	}
	var damaged string
	for sum := range files {
		damaged = sum
	}
	path := filepath.Join(dir, damaged[0:2], damaged[2:4], damaged)
	if err := os.WriteFile(path, []byte("%PDF-1.4 rotten"), 0o640); err != nil {
		t.Fatal(err)
	}
	missing := "s3://" + b.bucket + "-none/p"
	code, _, errOut := cli(t, t.TempDir(), "migrate-blobs", "--from", dir, "--to", missing, "--s3-endpoint", b.cfg.Endpoint)
	if code != 1 || !strings.Contains(errOut, "没有存储桶 "+b.bucket+"-none（--to）") {
		t.Fatalf("a missing bucket: exit %d, %s", code, errOut)
	}
	args := []string{"migrate-blobs", "--from", dir, "--to", b.cfg.URL, "--s3-endpoint", b.cfg.Endpoint}
	code, out, errOut := cli(t, t.TempDir(), args...)
	if code != 1 || !strings.Contains(out, "失败 "+damaged+"：本地材料文件已损坏") || !strings.Contains(out, "复制 3 个") || !strings.Contains(errOut, "有 1 个材料未能复制") {
		t.Fatalf("run with a damaged file: exit %d\n%s%s", code, out, errOut)
	}
	if ms := bucketMarkers(t, b); len(ms) != 0 {
		t.Fatalf("a failed run copied the deployment marker: %+v", ms)
	}
	if err := os.WriteFile(path, files[damaged], 0o640); err != nil {
		t.Fatal(err)
	}
	t.Chdir(filepath.Dir(dir)) // a relative --from is recorded as the whole path
	args[2] = filepath.Base(dir)
	code, out, errOut = cli(t, t.TempDir(), args...)
	if code != 0 || !strings.Contains(out, "复制 1 个") || !strings.Contains(out, "已存在并核对无误 3 个") || !strings.Contains(out, "失败 0 个") {
		t.Fatalf("second run: exit %d\n%s%s", code, out, errOut)
	}
	checkBucket(t, b, files)
	if ms := bucketMarkers(t, b); len(ms) != 1 || ms[0].Deployment != marker.Deployment || ms[0].CopiedFrom != dir {
		t.Fatalf("deployment markers in the bucket: %+v", ms)
	}
}

func bucketMarkers(t *testing.T, b testBucket) []blob.Marker {
	t.Helper()
	s, err := blob.NewS3(context.Background(), b.cfg)
	if err != nil {
		t.Fatal(err)
	}
	ms, err := s.Markers(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return ms
}

func checkBucket(t *testing.T, b testBucket, files map[string][]byte) {
	t.Helper()
	s, err := blob.NewS3(context.Background(), b.cfg)
	if err != nil {
		t.Fatal(err)
	}
	for sum, data := range files {
		rc, _, err := s.Open(sum)
		if err != nil {
			t.Fatalf("%s: %v", sum, err)
		}
		got, err := io.ReadAll(rc)
		rc.Close()
		if err != nil || !bytes.Equal(got, data) {
			t.Errorf("%s in the bucket: %q, %v", sum, got, err)
		}
	}
}

func TestMigrateBlobsUsage(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"migrate-blobs", "--from", dir},
		{"migrate-blobs", "--from", dir, "--to", "/elsewhere"},
		{"migrate-blobs", "--from", filepath.Join(dir, "none"), "--to", "s3://bucket/p", "--s3-endpoint", "http://127.0.0.1:1"},
		{"migrate-blobs", "--from", dir, "--to", "s3://b/p", "--s3-endpoint", "http://127.0.0.1:1"},
	} {
		if code, _, errOut := cli(t, dir, args...); code != 2 || !strings.Contains(errOut, "参数错误") || strings.Contains(errOut, "--blobs") {
			t.Errorf("%v: exit %d, %s", args, code, errOut)
		}
	}
	data := filepath.Join(dir, "data")
	if err := os.MkdirAll(filepath.Join(data, "blobs", "ab"), 0o750); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := cli(t, dir, "migrate-blobs", "--from", data, "--to", "s3://bucket/p", "--s3-endpoint", "http://127.0.0.1:1")
	if code != 2 || !strings.Contains(errOut, "--from "+filepath.Join(data, "blobs")) {
		t.Errorf("a data directory as --from: exit %d, %s", code, errOut)
	}
	code, _, errOut = cli(t, dir, "migrate-blobs", "--from", dir, "--to", "s3://Hall_Materials/p", "--s3-endpoint", "http://127.0.0.1:1")
	if code != 2 || !strings.Contains(errOut, `--to "s3://Hall_Materials/p" 无效：存储桶名 "Hall_Materials" 不合 S3 的命名规则：3–63 个字符，只能有小写字母`) {
		t.Errorf("a bucket name with capitals and an underscore: exit %d, %s", code, errOut)
	}
	code, _, errOut = cli(t, dir, "migrate-blobs", "--from", dir, "--to", "s3://bucket/p", "--s3-endpoint", "localhost:9000")
	if code != 1 || !strings.Contains(errOut, "--s3-endpoint") {
		t.Errorf("bad endpoint: exit %d, %s", code, errOut)
	}
	code, _, errOut = cli(t, dir, "migrate-blobs", "--from", dir, "--to", "s3://bucket/p", "--s3-endpoint", "http://127.0.0.1:1", "--s3-timeout", "20m")
	if code != 1 || !strings.Contains(errOut, "--s3-timeout 20m0s 超出范围 1s–10m") {
		t.Errorf("--s3-timeout 20m: exit %d, %s", code, errOut)
	}
	t.Setenv("OPENHALL_S3_TIMEOUT", "0")
	code, _, errOut = cli(t, dir, "migrate-blobs", "--from", dir, "--to", "s3://bucket/p", "--s3-endpoint", "http://127.0.0.1:1")
	if code != 1 || !strings.Contains(errOut, "--s3-timeout 0s 超出范围 1s–10m") {
		t.Errorf("OPENHALL_S3_TIMEOUT=0: exit %d, %s", code, errOut)
	}
}

// TestMigrateBlobsFallbackServe: the move the README describes, with the
// node taking uploads on the directory while migrate-blobs runs. Restarted
// on the bucket with --blobs-fallback (OPENHALL_BLOBS_FALLBACK) before a
// second run, it serves the case filed after the first run whole, as well
// as the one filed before; given a directory without the deployment's
// marker as --blobs-fallback, a node is refused, naming it.
func TestMigrateBlobsFallbackServe(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the server and runs it")
	}
	bk := newTestBucket(t)
	bin := buildBinary(t)
	data := filepath.Join(t.TempDir(), "data")
	dir := filepath.Join(data, "blobs")
	local := []string{"OPENHALL_DATA=" + data}
	p := startServe(t, bin, local, "--demo")
	c := newFilingClient(t, p.addr, 0, nil)
	before := c.file("moved-before")
	inBucket := append(bk.env(), local...)
	if out := runEnv(t, bin, inBucket, "migrate-blobs", "--from", dir, "--to", bk.cfg.URL); !strings.Contains(out, "失败 0 个") {
		t.Fatalf("migrate-blobs: %s", out)
	}
	after := c.file("moved-after")
	if !before.acked() || !after.acked() {
		t.Fatalf("filing: %v, %v", before.err, after.err)
	}
	p.stop(t)

	p = startServe(t, bin, append(inBucket, "OPENHALL_BLOBS_FALLBACK="+dir))
	if !strings.Contains(p.banner, "从目录 "+dir+" 读取") {
		t.Fatalf("the banner does not name the fallback directory:\n%s", p.banner)
	}
	c = newFilingClient(t, p.addr, 0, nil)
	c.checkCase(t, before.id)
	c.checkCase(t, after.id)
	p.stop(t)
	empty := t.TempDir()
	if out := refusedServe(t, bin, append(inBucket, "OPENHALL_BLOBS_FALLBACK="+empty)); !strings.Contains(out, "备用材料目录（--blobs-fallback）"+empty) {
		t.Fatalf("serve with a fallback directory of no deployment:\n%s", out)
	}
}

package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/minio/minio-go/v7"

	"openhall/internal/blob"
	"openhall/internal/testutil"
)

// testBucket is a fresh bucket on the S3 server scripts/test started, with
// a raw client to reach its objects behind the server's back. Without a
// server the test is skipped, unless OPENHALL_REQUIRE_S3=1.
type testBucket struct {
	cfg    blob.S3Config
	client *minio.Client
	bucket string
	prefix string
}

func newTestBucket(t *testing.T) testBucket {
	t.Helper()
	b := testBucket{}
	b.cfg, b.client = testutil.S3Bucket(t)
	b.bucket, b.prefix, _ = blob.ParseS3URL(b.cfg.URL)
	return b
}

// env is the server's configuration of the bucket, as a deployment gives it.
func (b testBucket) env() []string {
	return []string{"OPENHALL_BLOBS=" + b.cfg.URL, "OPENHALL_S3_ENDPOINT=" + b.cfg.Endpoint,
		"OPENHALL_S3_ACCESS_KEY=" + b.cfg.AccessKey, "OPENHALL_S3_SECRET_KEY=" + b.cfg.SecretKey}
}

func (b testBucket) key(sum string) string {
	return b.prefix + "/" + sum[0:2] + "/" + sum[2:4] + "/" + sum
}

func (b testBucket) put(t *testing.T, sum string, data []byte) {
	t.Helper()
	_, err := b.client.PutObject(context.Background(), b.bucket, b.key(sum), bytes.NewReader(data), int64(len(data)), minio.PutObjectOptions{})
	if err != nil {
		t.Fatal(err)
	}
}

func (b testBucket) has(t *testing.T, sum string) bool {
	t.Helper()
	_, err := b.client.StatObject(context.Background(), b.bucket, b.key(sum), minio.StatObjectOptions{})
	if err != nil && minio.ToErrorResponse(err).Code != "NoSuchKey" {
		t.Fatal(err)
	}
	return err == nil
}

// TestServeWithObjectStore runs the server with its materials in an S3
// bucket: a filing's materials land in the bucket (not the data
// directory), download whole and by range, and a material damaged or
// deleted in the bucket is refused with a Chinese message instead of
// being served. The secret key appears in no output.
func TestServeWithObjectStore(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the server and runs it")
	}
	b := newTestBucket(t)
	bin := buildBinary(t)
	data := filepath.Join(t.TempDir(), "data")
	env := append(b.env(), "OPENHALL_DATA="+data)
	p := startServe(t, bin, env, "--demo")
	c := newFilingClient(t, p.addr, 0, nil)
	a := c.file("s3-serve-1")
	if !a.acked() {
		t.Fatalf("filing: %s", a.err)
	}
	v, _ := c.checkCase(t, a.id) // every material downloads with the bytes sent
	if _, err := os.Stat(filepath.Join(data, "blobs")); err == nil {
		t.Error("the server kept materials in the data directory")
	}
	m := v.Materials[0]
	if !b.has(t, m.SHA256) {
		t.Fatalf("material %s is not in the bucket", m.SHA256)
	}
	want := materialPDF("s3-serve-1", m.Code)
	path := fmt.Sprintf("/cases/%d/materials/%d", v.ID, m.Seq)
	if status, body := c.get(t, path, "bytes=5-14"); status != http.StatusPartialContent || !bytes.Equal(body, want[5:15]) {
		t.Fatalf("range request: %d %q, want 206 %q", status, body, want[5:15])
	}

	backupAndRestore(t, bin, env, b.cfg.URL)

	damaged := bytes.Clone(want)
	damaged[len(damaged)-2] ^= 1
	b.put(t, m.SHA256, damaged)
	if status, body := c.get(t, path, ""); status != http.StatusServiceUnavailable || !strings.Contains(string(body), "该材料文件已损坏") || bytes.Contains(body, damaged) {
		t.Errorf("damaged material: %d %.300s", status, body)
	}
	if err := b.client.RemoveObject(context.Background(), b.bucket, b.key(m.SHA256), minio.RemoveObjectOptions{}); err != nil {
		t.Fatal(err)
	}
	// A material the case names whose object is gone is lost data: told as
	// such and logged, not answered as a bad address.
	if status, body := c.get(t, path, ""); status != http.StatusServiceUnavailable || !strings.Contains(string(body), "该材料文件缺失") {
		t.Errorf("deleted material: %d %.300s", status, body)
	}
	p.cmd.Process.Kill()
	p.cmd.Wait()
	if !strings.Contains(p.stderr.String(), "is missing from the store") {
		t.Error("the lost object is not in the server's log")
	}
	if strings.Contains(p.stderr.String(), b.cfg.SecretKey) {
		t.Error("the S3 secret key is in the server's log")
	}
}

// backupAndRestore backs up a deployment whose materials are in the
// bucket (backup reads each from the bucket and checks it against its
// address), restores the archive, which puts the materials in the new data
// directory and says how to bring them to the bucket, and does so: every
// restored material is found in the bucket already, confirmed.
func backupAndRestore(t *testing.T, bin string, env []string, bucket string) {
	t.Helper()
	dir := t.TempDir()
	archive, restored := filepath.Join(dir, "backup.tar"), filepath.Join(dir, "restored")
	out := runEnv(t, bin, env, "backup", "--out", archive)
	if !strings.Contains(out, "已备份数据库与") {
		t.Fatalf("backup with the materials in the bucket: %s", out)
	}
	out = runEnv(t, bin, env, "restore", "--from", archive, "--data", restored)
	hint := "openhall migrate-blobs --from " + filepath.Join(restored, "blobs")
	if !strings.Contains(out, hint) {
		t.Fatalf("restore does not say how to bring the materials to the bucket: %s", out)
	}
	out = runEnv(t, bin, env, "migrate-blobs", "--from", filepath.Join(restored, "blobs"), "--to", bucket)
	if !strings.Contains(out, "复制 0 个") || !strings.Contains(out, "失败 0 个") {
		t.Fatalf("migrate-blobs of the restored materials: %s", out)
	}
}

// runEnv runs openhall with env added to the test's environment.
func runEnv(t *testing.T, bin string, env []string, args ...string) string {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("openhall %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// get fetches path (with a Range header unless rng is "") as the client.
func (c *filingClient) get(t *testing.T, path, rng string) (int, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.base+path, nil)
	if rng != "" {
		req.Header.Set("Range", rng)
	}
	status, body, err := c.do(req)
	if err != nil {
		t.Fatal(err)
	}
	return status, body
}

// TestServeWrongKeyCreatesNothing: a server given keys the object store
// refuses stops before it creates or migrates a database, and says which
// setting to check.
func TestServeWrongKeyCreatesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the server and runs it")
	}
	b := newTestBucket(t)
	bin := buildBinary(t)
	data := filepath.Join(t.TempDir(), "data")
	env := append(b.env(), "OPENHALL_DATA="+data, "OPENHALL_S3_SECRET_KEY=not-"+b.cfg.SecretKey)
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--demo")
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "拒绝了访问密钥") {
		t.Fatalf("serve with a refused key: %v\n%s", err, out)
	}
	if _, err := os.Stat(filepath.Join(data, "openhall.db")); err == nil {
		t.Error("the refused start created a database")
	}
}

// TestServeReadOnlyKeyCreatesNothing: keys that may read the bucket but
// not write to it stop the server before it creates or migrates a
// database, with the keys' rights named, instead of a node that reports
// ready and fails every upload.
func TestServeReadOnlyKeyCreatesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the server and runs it")
	}
	access, secret := os.Getenv("OPENHALL_TEST_S3_READ_ACCESS_KEY"), os.Getenv("OPENHALL_TEST_S3_READ_SECRET_KEY")
	b := newTestBucket(t)
	if access == "" {
		t.Skip("no read-only keys on the S3 server (./scripts/test starts one with them)")
	}
	bin := buildBinary(t)
	data := filepath.Join(t.TempDir(), "data")
	env := append(b.env(), "OPENHALL_DATA="+data, "OPENHALL_S3_ACCESS_KEY="+access, "OPENHALL_S3_SECRET_KEY="+secret)
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--demo")
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "不能写入存储桶") {
		t.Fatalf("serve with read-only keys: %v\n%s", err, out)
	}
	if _, err := os.Stat(filepath.Join(data, "openhall.db")); err == nil {
		t.Error("the refused start created a database")
	}
}

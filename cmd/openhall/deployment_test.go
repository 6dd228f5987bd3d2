package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"openhall/internal/blob"
	"openhall/internal/store/storetest"
	"openhall/internal/testutil"
)

// lockedBuffer collects a process's output while the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// refusedServe runs serve and expects it to exit with an error before it
// listens; a server that starts instead fails the test. It returns the
// output.
func refusedServe(t *testing.T, bin string, env []string, args ...string) string {
	t.Helper()
	var out lockedBuffer
	cmd := exec.Command(bin, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	deadline := time.After(90 * time.Second)
	for {
		select {
		case err := <-done:
			if err == nil {
				t.Fatalf("serve exited without an error:\n%s", out.String())
			}
			return out.String()
		case <-deadline:
			cmd.Process.Kill()
			<-done
			t.Fatalf("serve neither started nor stopped within 90 s:\n%s", out.String())
		case <-time.After(100 * time.Millisecond):
			if bannerAddr.MatchString(out.String()) {
				cmd.Process.Kill()
				<-done
				t.Fatalf("serve started (and would answer /readyz) instead of refusing:\n%s", out.String())
			}
		}
	}
}

// stop ends a server with SIGTERM and waits for it.
func (p *proc) stop(t *testing.T) {
	t.Helper()
	p.cmd.Process.Signal(syscall.SIGTERM)
	p.cmd.Wait()
}

const (
	clusterKEK = "0123456789abcdef0123456789abcdef"
	strayKEK   = "fedcba9876543210fedcba9876543210"
)

// TestNodeWithOtherKEKRefused: on one PostgreSQL database, a node whose
// --cert-kek differs from the first node's, or that has none (and so uses
// its data directory's key), exits before it listens with a message that
// names --cert-kek and prints no key; the first node restarted with the
// same KEK starts.
func TestNodeWithOtherKEKRefused(t *testing.T) {
	testutil.PostgresURL(t)
	bin := buildBinary(t)
	db := storetest.PostgresDatabase(t)
	shared := filepath.Join(t.TempDir(), "shared")
	env := []string{"OPENHALL_DB=" + db, "OPENHALL_DATA=" + shared}
	a := startServe(t, bin, append(env, "OPENHALL_CERT_KEK="+clusterKEK))
	for _, kek := range []string{strayKEK, ""} {
		out := refusedServe(t, bin, []string{"OPENHALL_DB=" + db, "OPENHALL_DATA=" + t.TempDir(),
			"OPENHALL_BLOBS=" + filepath.Join(shared, "blobs"), "OPENHALL_CERT_KEK=" + kek})
		if !strings.Contains(out, "本节点的证照密钥加密密钥（--cert-kek）不是本部署的") || strings.Contains(out, clusterKEK) || strings.Contains(out, strayKEK) {
			t.Fatalf("node with KEK %q:\n%s", kek, out)
		}
	}
	a.stop(t)
	startServe(t, bin, append(env, "OPENHALL_CERT_KEK="+clusterKEK))
}

// TestNodeWithOtherBlobsRefused: on one PostgreSQL database, a node whose
// materials would be in a directory of its own exits before it listens,
// naming --blobs and the store the database expects; started with the
// shared directory as --blobs it serves, and so does the first node
// restarted.
func TestNodeWithOtherBlobsRefused(t *testing.T) {
	testutil.PostgresURL(t)
	bin := buildBinary(t)
	db := storetest.PostgresDatabase(t)
	shared := filepath.Join(t.TempDir(), "shared")
	env := []string{"OPENHALL_DB=" + db, "OPENHALL_CERT_KEK=" + clusterKEK}
	a := startServe(t, bin, append(env, "OPENHALL_DATA="+shared))
	own := t.TempDir()
	out := refusedServe(t, bin, append(env, "OPENHALL_DATA="+own))
	if !strings.Contains(out, "本节点的材料存储（--blobs）不是本部署的材料存储") || !strings.Contains(out, filepath.Join(shared, "blobs")) ||
		!strings.Contains(out, filepath.Join(own, "blobs")) {
		t.Fatalf("node with a blob directory of its own:\n%s", out)
	}
	b := startServe(t, bin, append(env, "OPENHALL_DATA="+own, "OPENHALL_BLOBS="+filepath.Join(shared, "blobs")))
	b.stop(t)
	a.stop(t)
	startServe(t, bin, append(env, "OPENHALL_DATA="+shared))
}

// TestNodeWithOtherObjectStoreRefused: nodes on one PostgreSQL database and
// a bucket; a node on another prefix of the bucket, or on a local
// directory, is refused; one on the same bucket and prefix serves.
func TestNodeWithOtherObjectStoreRefused(t *testing.T) {
	testutil.PostgresURL(t)
	bk := newTestBucket(t)
	bin := buildBinary(t)
	db := storetest.PostgresDatabase(t)
	env := append(bk.env(), "OPENHALL_DB="+db, "OPENHALL_CERT_KEK="+clusterKEK)
	startServe(t, bin, append(env, "OPENHALL_DATA="+t.TempDir()))
	for _, blobs := range []string{bk.cfg.URL + "-other", filepath.Join(t.TempDir(), "blobs")} {
		out := refusedServe(t, bin, append(env, "OPENHALL_DATA="+t.TempDir(), "OPENHALL_BLOBS="+blobs))
		if !strings.Contains(out, "（--blobs）不是本部署的材料存储：数据库登记的是 对象存储 "+bk.cfg.URL+"（") || strings.Contains(out, bk.cfg.SecretKey) {
			t.Fatalf("node on %s:\n%s", blobs, out)
		}
	}
	startServe(t, bin, append(env, "OPENHALL_DATA="+t.TempDir()))
}

// TestMigrateBlobsThenServe: a one-node SQLite deployment moves its
// materials into a bucket. Started on the bucket before migrate-blobs ran,
// it is refused with a hint to run it; after migrate-blobs it serves, with
// a case filed before the move whole; started on the old directory
// afterwards, it is refused.
func TestMigrateBlobsThenServe(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the server and runs it")
	}
	bk := newTestBucket(t)
	bin := buildBinary(t)
	data := filepath.Join(t.TempDir(), "data")
	local := []string{"OPENHALL_DATA=" + data}
	p := startServe(t, bin, local, "--demo")
	c := newFilingClient(t, p.addr, 0, nil)
	filed := c.file("moved-1")
	if !filed.acked() {
		t.Fatalf("filing: %s", filed.err)
	}
	p.stop(t)
	inBucket := append(bk.env(), local...)
	if out := refusedServe(t, bin, inBucket); !strings.Contains(out, "openhall migrate-blobs") {
		t.Fatalf("serve on the bucket before migrate-blobs:\n%s", out)
	}
	out := runEnv(t, bin, inBucket, "migrate-blobs", "--from", filepath.Join(data, "blobs"), "--to", bk.cfg.URL)
	if !strings.Contains(out, "失败 0 个") {
		t.Fatalf("migrate-blobs: %s", out)
	}
	p = startServe(t, bin, inBucket)
	c = newFilingClient(t, p.addr, 0, nil)
	c.checkCase(t, filed.id)
	p.stop(t)
	if out := refusedServe(t, bin, local); !strings.Contains(out, "数据库登记的是 对象存储 "+bk.cfg.URL) {
		t.Fatalf("serve on the old directory after the move:\n%s", out)
	}
	s, err := blob.NewS3(context.Background(), bk.cfg)
	if err != nil {
		t.Fatal(err)
	}
	if ms, err := s.Markers(context.Background()); err != nil || len(ms) != 2 {
		t.Fatalf("markers in the bucket (the copy and the bucket's own): %+v, %v", ms, err)
	}
}

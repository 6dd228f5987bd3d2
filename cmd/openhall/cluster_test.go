package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"openhall/internal/config"
	"openhall/internal/store/storetest"
	"openhall/internal/testutil"
)

// TestClusterKillNode runs two nodes on one PostgreSQL database and one
// blob location, spreads filings and transitions over both, kills one with
// SIGKILL mid-load and restarts it (see runCluster). It fails on any
// acknowledged operation missing from the database, any job of the run
// queued or delivered other than once, a node that carried no load when it
// should have, or a session or login throttle not shared between nodes.
//
// The nodes share an object store: a fresh bucket on the S3 server
// scripts/test started (OPENHALL_TEST_S3), or OPENHALL_TEST_CLUSTER_BLOBS
// when set, passed to every node as --blobs; with neither (and S3 not
// required) they share one data directory.
func TestClusterKillNode(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the server and runs two nodes")
	}
	testutil.PostgresURL(t)
	start := time.Now()
	bin := buildBinary(t)
	t.Logf("built in %v", time.Since(start).Round(time.Second))
	o := clusterOptions{Bin: bin, DB: storetest.PostgresDatabase(t), Data: filepath.Join(t.TempDir(), "shared"),
		Blobs: clusterBlobs(t), Item: "特种设备使用登记", Concurrency: 16, Phase: 4 * time.Second,
		Progress: testWriter{t, time.Now()}}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	rep, err := runCluster(ctx, o)
	if rep != nil {
		var b strings.Builder
		printCluster(&b, rep)
		t.Log("\n" + b.String())
		for _, p := range rep.Problems {
			t.Error(p)
		}
	}
	if err != nil {
		t.Fatal(err)
	}
}

// clusterBlobs is the --blobs of the test's nodes, their S3 settings put
// in the environment they inherit.
func clusterBlobs(t *testing.T) string {
	if b := os.Getenv("OPENHALL_TEST_CLUSTER_BLOBS"); b != "" {
		return b
	}
	if os.Getenv("OPENHALL_TEST_S3") == "" && os.Getenv("OPENHALL_REQUIRE_S3") != "1" {
		t.Log("no S3 server: the nodes share a data directory")
		return ""
	}
	b := newTestBucket(t)
	for _, kv := range b.env() {
		k, v, _ := strings.Cut(kv, "=")
		if k != "OPENHALL_BLOBS" {
			t.Setenv(k, v)
		}
	}
	return b.cfg.URL
}

// testWriter writes progress lines to the test log.
type testWriter struct {
	t     *testing.T
	start time.Time
}

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Logf("%5.1fs %s", time.Since(w.start).Seconds(), strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// TestLoadClusterObjectStoreFlags: load cluster takes the --s3-* flags of
// every command that opens the deployment, and gives them to its nodes in
// their environment (--s3-timeout only when given), where the keys do not
// show in the process list. The
// run is refused for its missing --db, after its flags were read.
func TestLoadClusterObjectStoreFlags(t *testing.T) {
	code, _, errOut := cli(t, t.TempDir(), "load", "cluster", "--blobs", "s3://materials/p",
		"--s3-endpoint", "http://127.0.0.1:1", "--s3-access-key", "AKID", "--s3-secret-key", "TOPSECRET", "--s3-timeout", "2m")
	if code != 2 || !strings.Contains(errOut, "需要 --db postgres") {
		t.Fatalf("load cluster with the object store's flags: exit %d, %s", code, errOut)
	}
	o := clusterOptions{Blobs: "s3://materials/p", S3: config.Config{S3Endpoint: "http://127.0.0.1:1", S3SecretKey: "TOPSECRET", S3Timeout: 2 * time.Minute}}
	n := newNode(o, "A")
	env := strings.Join(s3Env(o.S3), " ")
	if strings.Contains(strings.Join(n.args(), " "), "TOPSECRET") || !strings.Contains(env, "OPENHALL_S3_SECRET_KEY=TOPSECRET") ||
		!strings.Contains(env, "OPENHALL_S3_ENDPOINT=http://127.0.0.1:1") || !strings.Contains(env, "OPENHALL_S3_TIMEOUT=2m0s") {
		t.Fatalf("node arguments %q, environment %q", n.args(), env)
	}
	o.S3.S3Timeout = 0
	if env := strings.Join(s3Env(o.S3), " "); strings.Contains(env, "OPENHALL_S3_TIMEOUT") {
		t.Fatalf("no --s3-timeout given, environment %q", env)
	}
}

// TestLoadClusterRefusesUsedDatabase: a database that already holds tables
// (a previous run's) is refused before any node starts, with the reason,
// rather than failing halfway on the login locks and the other key the
// previous run left.
func TestLoadClusterRefusesUsedDatabase(t *testing.T) {
	testutil.PostgresURL(t)
	db := storetest.PostgresDatabase(t)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	_, err = conn.Exec(ctx, `CREATE TABLE leftover (id int)`)
	conn.Close(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	err = loadCluster(ctx, []string{"--db", db, "--bin", "/nonexistent"}, &out, &out)
	if err == nil || !strings.Contains(err.Error(), "需要一个空的 PostgreSQL 数据库") {
		t.Fatalf("load cluster on a used database: %v\n%s", err, out.String())
	}
}

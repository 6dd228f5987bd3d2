package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

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
// OPENHALL_TEST_CLUSTER_BLOBS, when set, is passed to every node as
// --blobs (an object store both nodes share); else the nodes share one
// data directory.
func TestClusterKillNode(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the server and runs two nodes")
	}
	testutil.PostgresURL(t)
	start := time.Now()
	bin := buildBinary(t)
	t.Logf("built in %v", time.Since(start).Round(time.Second))
	o := clusterOptions{Bin: bin, DB: storetest.PostgresDatabase(t), Data: filepath.Join(t.TempDir(), "shared"),
		Blobs: os.Getenv("OPENHALL_TEST_CLUSTER_BLOBS"), Item: "特种设备使用登记", Concurrency: 16, Phase: 4 * time.Second,
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

// testWriter writes progress lines to the test log.
type testWriter struct {
	t     *testing.T
	start time.Time
}

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Logf("%5.1fs %s", time.Since(w.start).Seconds(), strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

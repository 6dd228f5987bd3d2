package web_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"openhall/internal/apptest"
	"openhall/internal/demo"
)

// TestMissingMaterialReported: a material the case names whose file the
// store has lost is lost data: its download says so (503, contact the
// administrator), like a damaged file, and the error is logged for the
// operator, not answered as a mistyped address.
func TestMissingMaterialReported(t *testing.T) {
	var logs bytes.Buffer
	a := apptest.New(t, "sqlite", apptest.Options{NoTree: true, Log: &syncWriter{w: &logs}})
	if _, err := demo.Load(context.Background(), a.Stores, a.Services); err != nil {
		t.Fatal(err)
	}
	decideForCitizen(t, a)
	b := newBrowser(t, a)
	b.login("citizen", demo.Password)
	c, _, err := a.Services.Cases.Get(context.Background(), demoActor(t, a, "citizen"), 1)
	if err != nil || len(c.Materials) == 0 {
		t.Fatalf("the case: %v", err)
	}
	path := fmt.Sprintf("/cases/%d/materials/1", c.ID)
	if p := b.get(path); p.status != http.StatusOK {
		t.Fatalf("download: %d", p.status)
	}
	sum := c.Materials[0].SHA256
	if err := os.Remove(filepath.Join(a.Config.BlobDir(), sum[0:2], sum[2:4], sum)); err != nil {
		t.Fatal(err)
	}
	p := b.get(path)
	if p.status != http.StatusServiceUnavailable || !strings.Contains(p.body, "该材料文件缺失") {
		t.Fatalf("a lost file: %d %.300s", p.status, p.body)
	}
	if !strings.Contains(logs.String(), "is missing from the store") {
		t.Fatalf("the loss is not logged:\n%s", logs.String())
	}
}

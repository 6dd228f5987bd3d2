package app_test

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	"openhall/internal/app"
	"openhall/internal/apptest"
	"openhall/internal/config"
	"openhall/internal/identity"
	"openhall/internal/store/storetest"
	"openhall/internal/testutil"
)

const (
	testKEK  = "00112233445566778899aabbccddeeff"
	otherKEK = "ffeeddccbbaa99887766554433221100"
)

// openNode opens cfg as serve does; the node is closed at once.
func openNode(cfg config.Config) error {
	a, err := app.Open(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)),
		app.Options{Argon2: &storetest.CheapArgon2, Node: true})
	if err == nil {
		a.Close()
	}
	return err
}

// TestNodeWithOtherKEK: a node whose --cert-kek is not the deployment's is
// refused at start, naming the flag and no key: on a deployment whose
// signing keys predate the check value (their keys say so), and on one
// with no signing key yet (the check value the first node recorded says
// so). A node without --cert-kek, whose key is its data directory's, is
// refused too. One-off commands still open; a node with the right KEK
// starts.
func TestNodeWithOtherKEK(t *testing.T) {
	testutil.PostgresURL(t) // nodes share a database only on PostgreSQL
	backend := "postgres"
	db := storetest.PostgresDatabase(t)
	blobs := filepath.Join(t.TempDir(), "blobs")
	setup := func(c *config.Config) { c.CertKEK, c.Blobs = testKEK, blobs }
	// A deployment from before the check: a centre's signing key sealed
	// under testKEK, and no check value.
	a := apptest.New(t, backend, apptest.Options{Postgres: db, Config: setup})
	if _, err := a.Services.Certs.Rotate(context.Background(), identity.SystemActor(), a.Tree.Centre.ID); err != nil {
		t.Fatal(err)
	}
	node := func(kek string) config.Config {
		cfg := config.Default()
		cfg.DB, cfg.DataDir, cfg.Blobs, cfg.CertKEK = db, t.TempDir(), blobs, kek
		return cfg
	}
	refused := func(what string, cfg config.Config) {
		t.Helper()
		err := openNode(cfg)
		if err == nil || !strings.Contains(err.Error(), "--cert-kek") || strings.Contains(err.Error(), testKEK) || strings.Contains(err.Error(), otherKEK) {
			t.Fatalf("%s: %v", what, err)
		}
	}
	refused("other KEK, signing keys only", node(otherKEK))
	refused("no --cert-kek (the data directory's key)", node(""))
	one := node(otherKEK)
	if b, err := app.Open(context.Background(), one, slog.New(slog.NewTextHandler(io.Discard, nil)), app.Options{}); err != nil {
		t.Fatalf("a one-off command with another KEK: %v", err)
	} else {
		b.Close()
	}
	if err := openNode(node(testKEK)); err != nil {
		t.Fatalf("node with the deployment's KEK: %v", err)
	}
	refused("other KEK, with the check value", node(otherKEK))

	fresh := storetest.PostgresDatabase(t)
	first := node(testKEK)
	first.DB = fresh
	if err := openNode(first); err != nil {
		t.Fatalf("first node on an empty deployment: %v", err)
	}
	second := node(otherKEK)
	second.DB = fresh
	refused("other KEK before any signing key exists", second)
	if err := openNode(first); err != nil {
		t.Fatalf("restart with the deployment's KEK: %v", err)
	}
}

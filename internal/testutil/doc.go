// Package testutil holds helpers shared by OpenHall's tests: locating the
// repository and the shared data next to it, the throwaway PostgreSQL server
// that scripts/test starts, and a headless Chromium for browser tests.
//
// The helpers read these environment variables, which scripts/test sets:
//
//	OPENHALL_TEST_POSTGRES     URL of a throwaway PostgreSQL server (PostgresURL)
//	OPENHALL_REQUIRE_POSTGRES  "1": a missing server fails the test instead of skipping it
//	OPENHALL_PG_BINDIR         PostgreSQL server binaries, for a private cluster (PrivatePostgres)
//	OPENHALL_PG_USER           the account such a cluster runs as when the tests run as root
//	OPENHALL_CHROMIUM          path of the Chromium binary (Browser)
//	OPENHALL_REQUIRE_BROWSER   "1": a missing browser fails the test instead of skipping it
//	OPENHALL_TEST_ARTIFACTS    directory for screenshots (default <repo root>/test-artifacts)
//
// CI (.ci/run) sets both OPENHALL_REQUIRE_* variables, so a test that would
// be skipped on a developer's machine for lack of PostgreSQL or Chromium
// fails there instead of passing silently.
//
// A plain `go test ./...` without scripts/test still works: PostgreSQL and
// browser tests are skipped with a message saying why.
package testutil

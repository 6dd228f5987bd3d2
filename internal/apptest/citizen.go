package apptest

import (
	"testing"

	"openhall/internal/identity"
	"openhall/internal/store/storetest"
)

// Citizen registers a natural person (ID number built from n) with the
// given contact details and returns the account; the password is
// "secret123".
func (a *App) Citizen(t testing.TB, username, name string, n int, phone, email string) *identity.User {
	t.Helper()
	u, _ := storetest.Citizen(t, a.services(), username, name, n, phone, email)
	return u
}

package storetest

import (
	"context"
	"testing"

	"openhall/internal/identity"
)

// Citizen registers a natural person (ID number built from n, contact
// details as given) and returns the account with its actor. The password is
// "secret123".
func Citizen(t testing.TB, sv *Services, username, name string, n int, phone, email string) (*identity.User, *identity.Actor) {
	t.Helper()
	ctx := context.Background()
	err := sv.Identity.Register(ctx, identity.UserInput{Kind: identity.KindPerson, Username: username, Name: name,
		IDNumber: IDNumber(n), Phone: phone, Email: email, Password: "secret123"}, "127.0.0.1")
	if err != nil {
		t.Fatalf("register %s: %v", username, err)
	}
	_, a, err := sv.Identity.Login(ctx, identity.LoginInput{Username: username, Password: "secret123", Address: "127.0.0.1"})
	if err != nil {
		t.Fatalf("login %s: %v", username, err)
	}
	u, err := sv.Stores.Identity.FindUserByID(ctx, a.UserID)
	if err != nil {
		t.Fatal(err)
	}
	return u, a
}

// Registered registers a public account from 127.0.0.1 and returns it.
func Registered(t testing.TB, sv *Services, in identity.UserInput) *identity.User {
	t.Helper()
	ctx := context.Background()
	if err := sv.Identity.Register(ctx, in, "127.0.0.1"); err != nil {
		t.Fatalf("register %s: %v", in.Username, err)
	}
	u, err := sv.Stores.Identity.FindUserByUsername(ctx, in.Username)
	if err != nil {
		t.Fatalf("registered %s: %v", in.Username, err)
	}
	return u
}

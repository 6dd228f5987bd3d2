// Package demo loads the demonstration data set: a province-to-village
// organisation with centres, departments, windows and one account for each
// role. It is loaded once per database (a setting marks it) through the
// same services a user would call, so it is validated and audited.
package demo

import (
	"context"
	"crypto/rand"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"openhall/internal/apperr"
	"openhall/internal/identity"
	"openhall/internal/org"
	"openhall/internal/store"
	"openhall/internal/svc"
)

// Password is the password of every demo account.
const Password = "demo2026"

//go:embed data/org.json
var orgJSON []byte

type dataSet struct {
	Regions []struct {
		Code, Name, Parent string
		Level              int
	} `json:"regions"`
	Centres []struct {
		Key, Region, Name, Kind, Address, Phone, Hours string
	} `json:"centres"`
	Departments []struct {
		Key, Region, Centre, Name, Phone string
		CreditCode                       string `json:"credit_code"`
	} `json:"departments"`
	Users   []user `json:"users"`
	Windows []struct {
		Centre, Number, Name, Kind string
		Departments, Staff         []string
	} `json:"windows"`
}

type user struct {
	Username, Name, Kind, Phone, Describe string
	IDNumber                              string `json:"id_number"`
	CreditCode                            string `json:"credit_code"`
	ContactName                           string `json:"contact_name"`
	Grants                                []struct{ Role, Region, Dept string }
}

// Account is a demo login.
type Account struct{ Username, Description string }

// Accounts lists the demo logins in display order.
func Accounts() []Account {
	var ds dataSet
	if err := json.Unmarshal(orgJSON, &ds); err != nil {
		panic(err)
	}
	out := make([]Account, len(ds.Users))
	for i, u := range ds.Users {
		out[i] = Account{u.Username, u.Describe}
	}
	return append(out, DisclosureAccounts...)
}

const loadedKey = "demo.loaded"

// Load loads the data set unless it was loaded before; it reports whether
// it loaded now. The whole set is loaded in one transaction that first
// claims the marker, so nodes starting together on one database load it
// once (the others wait for the claim and find it taken), and a process
// killed while loading leaves nothing behind to collide with its next start.
func Load(ctx context.Context, st *store.Stores, s *svc.Services) (bool, error) {
	if _, err := st.Settings.Setting(ctx, loadedKey); err == nil {
		return false, nil
	} else if !apperr.Is(err, apperr.NotFound) {
		return false, err
	}
	var ds dataSet
	if err := json.Unmarshal(orgJSON, &ds); err != nil {
		return false, fmt.Errorf("parse demo data: %w", err)
	}
	claim := make([]byte, 16)
	rand.Read(claim)
	var loaded bool
	err := st.InTx(ctx, func(ctx context.Context) error {
		loaded = false
		v, err := st.Settings.PutSettingIfAbsent(ctx, loadedKey, hex.EncodeToString(claim))
		if err != nil || v != hex.EncodeToString(claim) {
			return err
		}
		loaded = true
		return newLoader(s).load(ctx, &ds)
	})
	return loaded && err == nil, err
}

func newLoader(s *svc.Services) *loader {
	return &loader{s: s, sys: identity.SystemActor(), regions: map[string]*org.Region{},
		centres: map[string]int64{}, depts: map[string]int64{}, users: map[string]int64{}}
}

func (l *loader) load(ctx context.Context, ds *dataSet) error {
	for _, step := range []func(context.Context, *dataSet) error{l.loadRegions, l.loadCentres, l.loadDepartments, l.loadUsers, l.loadWindows, l.loadCatalog, l.loadBundles, l.loadDisclosure,
		l.loadParticipation, l.loadOpenData} {
		if err := step(ctx, ds); err != nil {
			return err
		}
	}
	return nil
}

type loader struct {
	s       *svc.Services
	sys     *identity.Actor
	regions map[string]*org.Region
	centres map[string]int64
	depts   map[string]int64
	users   map[string]int64
}

func (l *loader) loadRegions(ctx context.Context, ds *dataSet) error {
	for _, r := range ds.Regions {
		in := org.RegionInput{Code: r.Code, Name: r.Name, Level: org.Level(r.Level)}
		if p := l.regions[r.Parent]; p != nil {
			in.ParentID = &p.ID
		}
		reg, err := l.s.Org.CreateRegion(ctx, l.sys, in)
		if err != nil {
			return fmt.Errorf("region %s: %w", r.Name, err)
		}
		l.regions[r.Code] = reg
	}
	return nil
}

func (l *loader) loadCentres(ctx context.Context, ds *dataSet) error {
	for _, c := range ds.Centres {
		in := org.CentreInput{RegionID: l.regions[c.Region].ID, Name: c.Name, Kind: org.CentreKind(c.Kind),
			Address: c.Address, Phone: c.Phone, Hours: c.Hours}
		saved, err := l.s.Org.SaveCentre(ctx, l.sys, 0, in)
		if err != nil {
			return fmt.Errorf("centre %s: %w", c.Name, err)
		}
		l.centres[c.Key] = saved.ID
	}
	return nil
}

func (l *loader) loadDepartments(ctx context.Context, ds *dataSet) error {
	for _, d := range ds.Departments {
		centre := l.centres[d.Centre]
		in := org.DepartmentInput{RegionID: l.regions[d.Region].ID, CentreID: &centre, Name: d.Name, CreditCode: d.CreditCode, Phone: d.Phone}
		saved, err := l.s.Org.SaveDepartment(ctx, l.sys, 0, in)
		if err != nil {
			return fmt.Errorf("department %s: %w", d.Name, err)
		}
		l.depts[d.Key] = saved.ID
	}
	return nil
}

func (l *loader) loadUsers(ctx context.Context, ds *dataSet) error {
	for _, u := range ds.Users {
		in := identity.UserInput{Kind: identity.Kind(u.Kind), Username: u.Username, Name: u.Name, IDNumber: u.IDNumber,
			CreditCode: u.CreditCode, ContactName: u.ContactName, Phone: u.Phone, Password: Password}
		created, err := l.s.Identity.CreateUser(ctx, l.sys, in)
		if err != nil {
			return fmt.Errorf("user %s: %w", u.Username, err)
		}
		l.users[u.Username] = created.ID
		if err := l.grant(ctx, created.ID, u); err != nil {
			return err
		}
	}
	return nil
}

func (l *loader) grant(ctx context.Context, userID int64, u user) error {
	for _, g := range u.Grants {
		in := identity.GrantInput{UserID: userID, Role: g.Role}
		if r := l.regions[g.Region]; r != nil {
			in.RegionID = &r.ID
		}
		if d, ok := l.depts[g.Dept]; ok {
			in.DepartmentID = &d
		}
		if _, err := l.s.Identity.GrantRole(ctx, l.sys, in); err != nil {
			return fmt.Errorf("grant %s to %s: %w", g.Role, u.Username, err)
		}
	}
	return nil
}

func (l *loader) loadWindows(ctx context.Context, ds *dataSet) error {
	for _, w := range ds.Windows {
		in := org.WindowInput{CentreID: l.centres[w.Centre], Number: w.Number, Name: w.Name, Kind: org.WindowKind(w.Kind)}
		for _, d := range w.Departments {
			in.DepartmentIDs = append(in.DepartmentIDs, l.depts[d])
		}
		for _, u := range w.Staff {
			in.StaffIDs = append(in.StaffIDs, l.users[u])
		}
		if _, err := l.s.Org.SaveWindow(ctx, l.sys, 0, in); err != nil {
			return fmt.Errorf("window %s: %w", w.Number, err)
		}
	}
	return nil
}

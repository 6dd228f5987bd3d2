package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"openhall/internal/apptest"
	"openhall/internal/demo"
)

// TestUserPagePhoneMaskedForRegionAdmin: an administrator of a region sees
// an account's mobile number masked on its page, as the API shows it (only
// the owner and the administrators of the whole deployment see it whole),
// and saving the page with the masked number left as it was keeps the
// number.
func TestUserPagePhoneMaskedForRegionAdmin(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		a := apptest.New(t, backend, apptest.Options{NoTree: true})
		ctx := context.Background()
		if _, err := demo.Load(ctx, a.Stores, a.Services); err != nil {
			t.Fatal(err)
		}
		citizen, err := a.Stores.Identity.FindUserByUsername(ctx, "citizen")
		if err != nil {
			t.Fatal(err)
		}
		clerk, err := a.Stores.Identity.FindUserByUsername(ctx, "clerk")
		if err != nil {
			t.Fatal(err)
		}
		global := newBrowser(t, a)
		global.login("admin", demo.Password)
		if p := global.get(fmt.Sprintf("/admin/users/%d", citizen.ID)); !strings.Contains(p.body, citizen.Phone) {
			t.Fatalf("the deployment's administrator does not see the number %s", citizen.Phone)
		}
		region := newBrowser(t, a)
		region.login("xhadmin", demo.Password)
		for _, u := range []int64{citizen.ID, clerk.ID} {
			p := region.get(fmt.Sprintf("/admin/users/%d", u))
			if p.status != http.StatusOK || strings.Contains(p.body, citizen.Phone) || strings.Contains(p.body, clerk.Phone) {
				t.Fatalf("account %d: status %d, a whole mobile number on the region administrator's page", u, p.status)
			}
		}
		path := fmt.Sprintf("/admin/users/%d", clerk.ID)
		shown, _ := region.get(path).doc.Find(`input[name=phone]`).Attr("value")
		p := region.post(path, path, url.Values{"name": {"李明改"}, "phone": {shown}, "email": {""}})
		if p.status != http.StatusSeeOther {
			t.Fatalf("save with the masked number: status %d: %s", p.status, p.doc.Find(".form-error").Text())
		}
		after, err := a.Stores.Identity.FindUserByUsername(ctx, "clerk")
		if err != nil || after.Phone != clerk.Phone || after.Name != "李明改" {
			t.Fatalf("after the save: %+v, %v; want the name changed and the number %s kept", after, err, clerk.Phone)
		}
	})
}

package api_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"openhall/internal/apptest"
	"openhall/internal/demo"
	"openhall/internal/identity"
	"openhall/internal/opendata"
)

// ckanClient talks to a CKAN site the way CKAN's own clients do: ckanapi's
// RemoteCKAN posts a JSON body to {site}/api/action/{name}; ckanext-harvest's
// CKAN harvester GETs {site}/api/3/action/{name}?… . Both read the envelope
// {"success": true, "result": …} and treat anything else as an error.
type ckanClient struct {
	t    *testing.T
	site string
	post bool
}

func (c ckanClient) call(action string, params map[string]string, result any) {
	c.t.Helper()
	var resp *http.Response
	var err error
	if c.post {
		body, _ := json.Marshal(params)
		resp, err = http.Post(c.site+"/api/action/"+action, "application/json", bytes.NewReader(body))
	} else {
		q := url.Values{}
		for k, v := range params {
			q.Set(k, v)
		}
		resp, err = http.Get(c.site + "/api/3/action/" + action + "?" + q.Encode())
	}
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	var env struct {
		Success bool            `json:"success"`
		Result  json.RawMessage `json:"result"`
		Error   map[string]any  `json:"error"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&env); err != nil {
		c.t.Fatalf("%s: not a CKAN response: %v", action, err)
	}
	if !env.Success || resp.StatusCode != http.StatusOK {
		c.t.Fatalf("%s: status %d, error %v", action, resp.StatusCode, env.Error)
	}
	if err := json.Unmarshal(env.Result, result); err != nil {
		c.t.Fatalf("%s result: %v", action, err)
	}
}

type ckanResource struct {
	ID     string `json:"id"`
	URL    string `json:"url"`
	Format string `json:"format"`
	Hash   string `json:"hash"`
}

type ckanPackage struct {
	ID               string         `json:"id"`
	Name             string         `json:"name"`
	Title            string         `json:"title"`
	Notes            string         `json:"notes"`
	OwnerOrg         string         `json:"owner_org"`
	MetadataModified string         `json:"metadata_modified"`
	Resources        []ckanResource `json:"resources"`
	Extras           []struct {
		Key, Value string
	} `json:"extras"`
}

// gather is ckanext-harvest's gather stage: package_search sorted by id,
// rows at a time, start advancing until a short page, optionally only what
// changed since a time.
func (c ckanClient) gather(rows int, since string) []ckanPackage {
	var all []ckanPackage
	seen := map[string]bool{}
	for start := 0; ; start += rows {
		p := map[string]string{"rows": strconv.Itoa(rows), "start": strconv.Itoa(start), "sort": "id asc"}
		if since != "" {
			p["fq"] = "metadata_modified:[" + since + " TO *]"
		}
		var page struct {
			Count   int           `json:"count"`
			Results []ckanPackage `json:"results"`
		}
		c.call("package_search", p, &page)
		for _, pkg := range page.Results {
			if seen[pkg.ID] {
				c.t.Fatalf("package %s returned twice while paging", pkg.Name)
			}
			seen[pkg.ID] = true
			all = append(all, pkg)
		}
		if len(page.Results) < rows {
			if len(all) != page.Count {
				c.t.Fatalf("gathered %d packages, search counted %d", len(all), page.Count)
			}
			return all
		}
	}
}

// TestCKANHarvest harvests the demo catalogue with a CKAN-style client on
// both backends: gather by paged package_search, fetch each package with
// package_show and check its CSV resource against its checksum, list the
// organisations and their packages, then harvest again incrementally.
func TestCKANHarvest(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		a := apptest.New(t, backend, apptest.Options{NoTree: true})
		ctx := context.Background()
		if _, err := demo.Load(ctx, a.Stores, a.Services); err != nil {
			t.Fatal(err)
		}
		get, post := ckanClient{t, a.BaseURL, false}, ckanClient{t, a.BaseURL, true}
		var names []string
		post.call("package_list", nil, &names)
		pkgs := get.gather(3, "")
		if len(pkgs) != len(names) || len(pkgs) < 6 {
			t.Fatalf("harvested %d packages, package_list has %d", len(pkgs), len(names))
		}
		for _, p := range pkgs {
			harvestPackage(t, post, p)
		}
		harvestOrganizations(t, get, len(pkgs))
		since := time.Now().UTC().Format("2006-01-02T15:04:05.000Z") // what the harvester recorded of its last run
		time.Sleep(2 * time.Millisecond)
		addDataset(t, a)
		if fresh := get.gather(50, since); len(fresh) != 1 || fresh[0].Name != "harvest-new" {
			t.Fatalf("incremental harvest since %s: %d packages %v", since, len(fresh), fresh)
		}
	})
}

func harvestPackage(t *testing.T, c ckanClient, p ckanPackage) {
	var full ckanPackage
	c.call("package_show", map[string]string{"id": p.ID}, &full)
	if full.Name != p.Name || full.Title == "" || full.Notes == "" || full.OwnerOrg == "" || full.MetadataModified == "" {
		t.Fatalf("package_show %s: %+v", p.Name, full)
	}
	for _, r := range full.Resources {
		if r.Format != "CSV" {
			continue
		}
		body := fetch(t, r.URL)
		sum := sha256.Sum256(body)
		if "sha256:"+hex.EncodeToString(sum[:]) != r.Hash {
			t.Fatalf("%s: the CSV does not match its resource hash %s", p.Name, r.Hash)
		}
	}
	if len(full.Resources) == 0 {
		t.Fatalf("%s has no resources", p.Name)
	}
}

func harvestOrganizations(t *testing.T, c ckanClient, total int) {
	var orgs []string
	c.call("organization_list", nil, &orgs)
	counted := 0
	for _, name := range orgs {
		var org struct {
			Name         string        `json:"name"`
			Title        string        `json:"title"`
			PackageCount int           `json:"package_count"`
			Packages     []ckanPackage `json:"packages"`
		}
		c.call("organization_show", map[string]string{"id": name, "include_datasets": "true"}, &org)
		if org.Title == "" || org.PackageCount != len(org.Packages) {
			t.Fatalf("organization_show %s: %+v", name, org)
		}
		counted += org.PackageCount
	}
	if len(orgs) < 2 || counted != total {
		t.Fatalf("%d organisations with %d packages, want at least 2 with %d", len(orgs), counted, total)
	}
}

// addDataset publishes one more dataset as the demo's officer.
func addDataset(t *testing.T, a *apptest.App) {
	ctx := context.Background()
	_, officer, err := a.Services.Identity.Login(ctx, identity.LoginInput{Username: "officer", Password: demo.Password, Address: "127.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	ag, err := a.Services.Disclosure.AgencyByName(ctx, "西湖区人民政府")
	if err != nil {
		t.Fatal(err)
	}
	od := a.Services.OpenData
	d, err := od.SaveDataset(ctx, officer, 0, opendata.DatasetInput{PublisherID: ag.ID, Name: "harvest-new", Title: "新增数据集",
		Description: "增量采集测试", Theme: "gov", Frequency: "irregular", License: "cc0-1.0", ContactName: "办公室",
		ContactPhone: "0571-87061234", Tier: opendata.TierOpen, Columns: []opendata.Column{{Name: "k", Title: "键", Type: opendata.TypeText}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := od.Upload(ctx, officer, d.ID, "new.csv", []byte("键\n甲\n")); err != nil {
		t.Fatal(err)
	}
	if _, err := od.SetStatus(ctx, officer, d.ID, opendata.StatusPublished); err != nil {
		t.Fatal(fmt.Errorf("publish: %w", err))
	}
}

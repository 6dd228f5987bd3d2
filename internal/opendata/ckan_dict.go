package opendata

import (
	"fmt"
	"strconv"
	"strings"
)

// CKAN's dicts as Go types: encoded without the maps' per-key sorting
// and allocation, which a package_search page of twenty spent most of its
// encoding time on. Field names and values are CKAN's.

// ckanPkg is a CKAN package dict.
type ckanPkg struct {
	ID               string         `json:"id"`
	Name             string         `json:"name"`
	Title            string         `json:"title"`
	Notes            string         `json:"notes"`
	Type             string         `json:"type"`
	State            string         `json:"state"`
	Private          bool           `json:"private"`
	URL              string         `json:"url"`
	Version          string         `json:"version"`
	LicenseID        string         `json:"license_id"`
	LicenseTitle     string         `json:"license_title"`
	LicenseURL       string         `json:"license_url"`
	Author           string         `json:"author"`
	AuthorEmail      string         `json:"author_email"`
	Maintainer       string         `json:"maintainer"`
	MaintainerEmail  string         `json:"maintainer_email"`
	MetadataCreated  string         `json:"metadata_created"`
	MetadataModified string         `json:"metadata_modified"`
	OwnerOrg         string         `json:"owner_org"`
	Organization     *ckanOrgDict   `json:"organization"`
	Tags             []ckanTag      `json:"tags"`
	NumTags          int            `json:"num_tags"`
	Groups           []ckanGroup    `json:"groups"`
	Resources        []ckanResource `json:"resources"`
	NumResources     int            `json:"num_resources"`
	Extras           []ckanExtra    `json:"extras"`
}

// ckanOrgDict is a CKAN organization dict; a package's own copy has no
// package_count, an organization's may carry its packages.
type ckanOrgDict struct {
	ID             string     `json:"id"`
	Name           string     `json:"name"`
	Title          string     `json:"title"`
	DisplayName    string     `json:"display_name"`
	Description    string     `json:"description"`
	Type           string     `json:"type"`
	State          string     `json:"state"`
	IsOrganization bool       `json:"is_organization"`
	ApprovalStatus string     `json:"approval_status"`
	ImageURL       string     `json:"image_url"`
	PackageCount   *int       `json:"package_count,omitempty"`
	Created        string     `json:"created"`
	URL            string     `json:"url"`
	Packages       *[]ckanPkg `json:"packages,omitempty"` // with include_datasets, [] when none
}

type ckanTag struct {
	Name        string `json:"name"`
	DisplayName string `json:"display_name"`
	State       string `json:"state"`
}

type ckanGroup struct {
	Name        string `json:"name"`
	Title       string `json:"title"`
	DisplayName string `json:"display_name"`
}

type ckanExtra struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

type ckanResource struct {
	ID           string `json:"id"`
	PackageID    string `json:"package_id"`
	Name         string `json:"name"`
	Format       string `json:"format"`
	URL          string `json:"url"`
	Mimetype     string `json:"mimetype"`
	State        string `json:"state"`
	Position     int    `json:"position"`
	Created      string `json:"created"`
	LastModified string `json:"last_modified"`
	Description  string `json:"description"`
	Hash         string `json:"hash,omitempty"`
}

func ckanOrg(base string, id int64, name string, count int) *ckanOrgDict {
	return &ckanOrgDict{ID: CKANID("agency", id), Name: orgName(id), Title: name, DisplayName: name,
		Description: name + "发布的开放数据", Type: "organization", State: "active", IsOrganization: true,
		ApprovalStatus: "approved", PackageCount: &count, URL: base + "/opendata?publisher=" + strconv.FormatInt(id, 10)}
}

// ckanPackage is a dataset as a CKAN package dict; v (the latest version)
// adds the resources' checksums when known.
func ckanPackage(base string, d *Dataset, v *Version) ckanPkg {
	tags := make([]ckanTag, len(d.Keywords))
	for i, k := range d.Keywords {
		tags[i] = ckanTag{Name: k, DisplayName: k, State: "active"}
	}
	res := ckanResources(base, d, v)
	org := ckanOrg(base, d.PublisherID, d.PublisherName, 0)
	org.PackageCount = nil
	return ckanPkg{
		ID: CKANID("dataset", d.ID), Name: d.Name, Title: d.Title, Notes: d.Description, Type: "dataset",
		State: "active", URL: DatasetURL(base, d.Name), Version: strconv.Itoa(d.Version),
		LicenseID: d.License, LicenseTitle: d.LicenseLabel(), LicenseURL: LicenseURI(base, d.License),
		Author: d.PublisherName, AuthorEmail: d.ContactEmail, Maintainer: d.ContactName, MaintainerEmail: d.ContactEmail,
		MetadataCreated: ckanTime(d.IssuedAt), MetadataModified: ckanTime(d.ModifiedAt),
		OwnerOrg: org.ID, Organization: org, Tags: tags, NumTags: len(tags),
		Groups:    []ckanGroup{{Name: d.Theme, Title: d.ThemeLabel(), DisplayName: d.ThemeLabel()}},
		Resources: res, NumResources: len(res), Extras: ckanExtras(d),
	}
}

func ckanExtras(d *Dataset) []ckanExtra {
	kv := []ckanExtra{{"openness_tier", string(d.Tier)}, {"openness_tier_label", d.Tier.Label()}, {"access_conditions", d.TierReason},
		{"frequency", FrequencyURI(d.Frequency)}, {"spatial_text", d.Spatial}, {"theme", ThemeURI(d.Theme)},
		{"contact_phone", d.ContactPhone}, {"source", d.Source}}
	if d.TemporalFrom != (Dataset{}).TemporalFrom {
		kv = append(kv, ckanExtra{"temporal_start", d.TemporalFrom.String()})
	}
	if d.TemporalTo != (Dataset{}).TemporalTo {
		kv = append(kv, ckanExtra{"temporal_end", d.TemporalTo.String()})
	}
	var out []ckanExtra
	for _, x := range kv {
		if x.Value != "" {
			out = append(out, x)
		}
	}
	return out
}

func ckanResources(base string, d *Dataset, v *Version) []ckanResource {
	out := []ckanResource{}
	if !d.HasData() {
		return out
	}
	add := func(kind, name, format, url, mime string) {
		r := ckanResource{ID: CKANID("resource:"+kind, d.ID), PackageID: CKANID("dataset", d.ID), Name: name,
			Format: format, URL: url, Mimetype: mime, State: "active", Position: len(out),
			Created: ckanTime(d.IssuedAt), LastModified: ckanTime(d.ModifiedAt)}
		if v != nil && format == "CSV" {
			r.Hash = "sha256:" + v.SHA256
		}
		out = append(out, r)
	}
	if d.Tier == TierOpen {
		for _, f := range []string{FormatCSV, FormatJSON, FormatXLSX} {
			add(f, fmt.Sprintf("%s（%s）", d.Title, strings.ToUpper(f)), strings.ToUpper(f), DownloadURL(base, d.Name, f),
				strings.SplitN(MediaType(f), ";", 2)[0])
		}
	}
	add("api", d.Title+"数据接口", "API", RowsURL(base, d.Name), "application/json")
	return out
}

package opendata

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"time"

	"openhall/internal/apperr"

	"github.com/google/uuid"
)

// The CKAN-compatible read API: the subset of CKAN's Action API (v3) that
// harvesters call (package_list, package_show, package_search,
// organization_list, organization_show), answering in CKAN's shapes so
// existing clients (ckanapi, ckanext-harvest's CKAN harvester) pull the
// catalogue unchanged. Only listed datasets appear (published, not 不予开放);
// a 有条件开放 dataset's resource is its keyed API.

// CKAN action names.
var CKANActions = []string{"package_list", "package_show", "package_search", "organization_list", "organization_show", "status_show"}

// CKANError is an error in CKAN's shape; Status is the HTTP status.
type CKANError struct {
	Status  int
	Type    string // CKAN's __type: "Not Found Error", "Validation Error" …
	Message string
}

func (e *CKANError) Error() string { return e.Type + ": " + e.Message }

func ckanNotFound(what string) error {
	return &CKANError{Status: 404, Type: "Not Found Error", Message: what + " not found（未找到）"}
}

func ckanInvalid(field, msg string) error {
	return &CKANError{Status: 409, Type: "Validation Error", Message: field + ": " + msg}
}

// CKAN runs one action with its parameters (from the query string or the
// JSON body, as strings).
func (s *Service) CKAN(ctx context.Context, base, action string, p map[string]string) (any, error) {
	base = strings.TrimSuffix(base, "/")
	switch action {
	case "package_list":
		return s.ckanPackageList(ctx, p)
	case "package_show":
		return s.ckanPackageShow(ctx, base, p)
	case "package_search":
		return s.ckanPackageSearch(ctx, base, p)
	case "organization_list":
		return s.ckanOrgList(ctx, base, p)
	case "organization_show":
		return s.ckanOrgShow(ctx, base, p)
	case "status_show":
		return map[string]any{"ckan_version": "2.10.0", "site_title": "阳光政务大厅开放数据", "site_url": base,
			"site_description": "政府数据开放目录（CKAN 兼容只读接口）", "locale_default": "zh_Hans_CN", "extensions": []string{}}, nil
	}
	return nil, &CKANError{Status: 400, Type: "Bad request", Message: "Action name not known: " + action}
}

func intParam(p map[string]string, key string, def, max int) (int, error) {
	v, ok := p[key]
	if !ok || v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, ckanInvalid(key, "Invalid integer（须为非负整数）")
	}
	return min(n, max), nil
}

func (s *Service) ckanPackageList(ctx context.Context, p map[string]string) (any, error) {
	limit, err := intParam(p, "limit", 1<<30, 1<<30)
	if err != nil {
		return nil, err
	}
	offset, err := intParam(p, "offset", 0, 1<<30)
	if err != nil {
		return nil, err
	}
	ds, _, err := s.d.Store.FindDatasets(ctx, DatasetFilter{Status: StatusPublished, Listed: true, Sort: "name", Limit: limit, Offset: offset})
	if err != nil {
		return nil, err
	}
	names := make([]string, len(ds))
	for i, d := range ds {
		names[i] = d.Name
	}
	return names, nil
}

// listed finds a listed dataset by CKAN id or name.
func (s *Service) listed(ctx context.Context, idOrName string) (*Dataset, error) {
	if idOrName == "" {
		return nil, ckanInvalid("id", "Missing value（缺少 id）")
	}
	d, err := s.d.Store.FindDatasetByName(ctx, strings.ToLower(idOrName))
	if apperr.Is(err, apperr.NotFound) {
		d, err = s.datasetByCKANID(ctx, idOrName)
	}
	if apperr.Is(err, apperr.NotFound) || (err == nil && (d.Status != StatusPublished || d.Tier == TierClosed)) {
		return nil, ckanNotFound("Dataset")
	}
	return d, err
}

// CKANID is the stable UUID CKAN clients see for a dataset.
func CKANID(kind string, id int64) string {
	return uuid.NewSHA1(ckanNamespace, []byte(kind+":"+strconv.FormatInt(id, 10))).String()
}

var ckanNamespace = uuid.MustParse("6f1c0d2e-8b0a-4f7e-9a51-0a4e2b6c3d10")

func (s *Service) datasetByCKANID(ctx context.Context, id string) (*Dataset, error) {
	ds, _, err := s.d.Store.FindDatasets(ctx, DatasetFilter{Status: StatusPublished, Listed: true, Limit: 1 << 30})
	if err != nil {
		return nil, err
	}
	for _, d := range ds {
		if CKANID("dataset", d.ID) == id {
			return d, nil
		}
	}
	return nil, apperr.New(apperr.NotFound, "not found")
}

func (s *Service) ckanPackageShow(ctx context.Context, base string, p map[string]string) (any, error) {
	d, err := s.listed(ctx, p["id"])
	if err != nil {
		return nil, err
	}
	var v *Version
	if d.HasData() {
		if v, err = s.d.Store.FindVersion(ctx, d.ID, d.Version); err != nil {
			return nil, err
		}
	}
	return ckanPackage(base, d, v), nil
}

var fqModified = regexp.MustCompile(`metadata_modified:\[(\S+)\s+TO\s+\*\]`)
var fqOrg = regexp.MustCompile(`(?:organization|owner_org):"?([\w-]+)"?`)

func (s *Service) ckanPackageSearch(ctx context.Context, base string, p map[string]string) (any, error) {
	rows, err := intParam(p, "rows", 10, 1000)
	if err != nil {
		return nil, err
	}
	start, err := intParam(p, "start", 0, 1<<30)
	if err != nil {
		return nil, err
	}
	f := DatasetFilter{Status: StatusPublished, Listed: true, Q: ckanQuery(p["q"]), Limit: rows, Offset: start, Sort: ckanSort(p["sort"])}
	if err := s.ckanFilterQuery(ctx, p["fq"], &f); err != nil {
		return nil, err
	}
	ds, total, err := s.d.Store.FindDatasets(ctx, f)
	if err != nil {
		return nil, err
	}
	results := make([]ckanPkg, len(ds))
	for i, d := range ds {
		results[i] = ckanPackage(base, d, nil)
	}
	return map[string]any{"count": total, "results": results, "sort": p["sort"], "facets": map[string]any{},
		"search_facets": map[string]any{}}, nil
}

// ckanQuery turns CKAN's q into a plain text query (*:* is everything).
func ckanQuery(q string) string {
	q = strings.TrimSpace(q)
	if q == "*:*" {
		return ""
	}
	if _, v, ok := strings.Cut(q, ":"); ok && !strings.ContainsAny(q, " ") {
		return strings.Trim(v, `"`)
	}
	return q
}

func ckanSort(s string) string {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "name asc", "title_string asc":
		return "name"
	case "id asc":
		return "id"
	case "metadata_modified asc":
		return "modified_asc"
	}
	return "modified"
}

// ckanFilterQuery understands the fq clauses harvesters send: a lower
// bound on metadata_modified and an organisation.
func (s *Service) ckanFilterQuery(ctx context.Context, fq string, f *DatasetFilter) error {
	if m := fqModified.FindStringSubmatch(fq); m != nil {
		t, err := time.Parse(time.RFC3339Nano, m[1])
		if err != nil {
			if t, err = time.Parse("2006-01-02T15:04:05.000Z", m[1]); err != nil {
				return ckanInvalid("fq", "metadata_modified 的时间格式应为 ISO 8601")
			}
		}
		f.Since = t
	}
	if m := fqOrg.FindStringSubmatch(fq); m != nil {
		id, ok := orgID(m[1])
		if !ok {
			f.PublisherID = -1
			return nil
		}
		f.PublisherID = id
	}
	return nil
}

// orgName is a publisher's CKAN organisation name.
func orgName(id int64) string { return "agency-" + strconv.FormatInt(id, 10) }

func orgID(name string) (int64, bool) {
	v, ok := strings.CutPrefix(name, "agency-")
	if !ok {
		return 0, false
	}
	id, err := strconv.ParseInt(v, 10, 64)
	return id, err == nil
}

func ckanTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02T15:04:05.000000")
}

func (s *Service) ckanOrgList(ctx context.Context, base string, p map[string]string) (any, error) {
	pubs, err := s.Publishers(ctx)
	if err != nil {
		return nil, err
	}
	all := p["all_fields"] == "true" || p["all_fields"] == "True" || p["all_fields"] == "1"
	var out []any
	for _, pc := range pubs {
		if all {
			out = append(out, ckanOrg(base, pc.ID, pc.Name, pc.Datasets))
		} else {
			out = append(out, orgName(pc.ID))
		}
	}
	if out == nil {
		out = []any{}
	}
	return out, nil
}

func (s *Service) ckanOrgShow(ctx context.Context, base string, p map[string]string) (any, error) {
	id := p["id"]
	pubs, err := s.Publishers(ctx)
	if err != nil {
		return nil, err
	}
	for _, pc := range pubs {
		if orgName(pc.ID) != id && CKANID("agency", pc.ID) != id {
			continue
		}
		org := ckanOrg(base, pc.ID, pc.Name, pc.Datasets)
		if p["include_datasets"] == "true" || p["include_datasets"] == "True" {
			ds, _, err := s.d.Store.FindDatasets(ctx, DatasetFilter{Status: StatusPublished, Listed: true, PublisherID: pc.ID, Limit: 1000, Sort: "name"})
			if err != nil {
				return nil, err
			}
			pkgs := make([]ckanPkg, len(ds))
			for i, d := range ds {
				pkgs[i] = ckanPackage(base, d, nil)
			}
			org.Packages = &pkgs
		}
		return org, nil
	}
	return nil, ckanNotFound("Organization")
}

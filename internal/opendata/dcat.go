package opendata

import (
	"context"
	"encoding/json"
	"io"
	"net/url"
	"strconv"
	"strings"
	"time"

	"openhall/internal/calendar"
)

// The DCAT-AP 3.0 export. Every mandatory property of the profile is
// filled: the catalogue's title, description and publisher; each dataset's
// title and description; each distribution's access URL; each agent's name;
// each data service's title and endpoint URL. Recommended properties are
// filled where the catalogue knows them (theme, keywords, contact point,
// frequency, spatial and temporal coverage, licence, format, media type,
// checksum, access rights), with the EU vocabularies DCAT-AP names.

const (
	euAccess   = "http://publications.europa.eu/resource/authority/access-right/"
	euFileType = "http://publications.europa.eu/resource/authority/file-type/"
	euLanguage = "http://publications.europa.eu/resource/authority/language/ZHO"
	ianaMedia  = "https://www.iana.org/assignments/media-types/"
	dcatAP3    = "http://data.europa.eu/r5r/"
)

// Export is what the exports need: the listed datasets, with the agencies
// and the latest version of each.
type Export struct {
	BaseURL       string
	Title         string
	PublisherID   int64 // the catalogue's publisher: the platform's
	PublisherName string
	Datasets      []*Dataset
	Latest        map[int64]*Version // by dataset id
	Modified      time.Time
}

// ExportCatalog gathers the listed datasets (published, not 不予开放) with
// their latest versions.
func (s *Service) ExportCatalog(ctx context.Context, base string) (*Export, error) {
	ds, _, err := s.d.Store.FindDatasets(ctx, DatasetFilter{Status: StatusPublished, Listed: true, Limit: 1 << 30, Sort: "name"})
	if err != nil {
		return nil, err
	}
	pub, err := s.PlatformPublisher(ctx)
	if err != nil {
		return nil, err
	}
	e := &Export{BaseURL: strings.TrimSuffix(base, "/"), Title: "阳光政务大厅开放数据目录", PublisherID: pub.ID, PublisherName: pub.Name,
		Datasets: ds, Latest: map[int64]*Version{}}
	for _, d := range ds {
		if d.ModifiedAt.After(e.Modified) {
			e.Modified = d.ModifiedAt
		}
		if d.HasData() {
			v, err := s.d.Store.FindVersion(ctx, d.ID, d.Version)
			if err != nil {
				return nil, err
			}
			e.Latest[d.ID] = v
		}
	}
	if e.Modified.IsZero() {
		e.Modified = s.now()
	}
	return e, nil
}

// DatasetURL is a dataset's page on the portal.
func DatasetURL(base, name string) string { return base + "/opendata/datasets/" + url.PathEscape(name) }

// DownloadURL is a dataset's file in a format (the latest version).
func DownloadURL(base, name, format string) string {
	return DatasetURL(base, name) + "/download." + format
}

// RowsURL is the API endpoint serving a dataset's rows.
func RowsURL(base, name string) string {
	return base + "/api/v1/opendata/datasets/" + url.PathEscape(name) + "/rows"
}

// AgencyURI identifies a publisher.
func AgencyURI(base string, id int64) string { return base + "/opendata/publishers/" + itoa64(id) }

// WriteDCAT writes the catalogue as Turtle ("ttl") or JSON-LD ("jsonld").
func (e *Export) WriteDCAT(w io.Writer, format string) error {
	g := e.graph()
	if format == "ttl" {
		return g.WriteTurtle(w)
	}
	return g.WriteJSONLD(w)
}

func (e *Export) graph() *graph {
	g := newGraph()
	cat := e.BaseURL + "/opendata/catalog"
	g.add(cat, rdfType, iri(ns("dcat:Catalog")))
	g.add(cat, ns("dct:title"), langLit(e.Title, "zh"))
	g.add(cat, ns("dct:description"), langLit("本平台政务服务、政务公开和财政预决算等数据的开放目录，包括平台根据自身数据自动生成的数据集和各部门上传的数据集。", "zh"))
	g.add(cat, ns("foaf:homepage"), iri(e.BaseURL+"/opendata"))
	g.add(e.BaseURL+"/opendata", rdfType, iri(ns("foaf:Document")))
	g.add(cat, ns("dct:language"), iri(euLanguage))
	g.add(euLanguage, rdfType, iri(ns("dct:LinguisticSystem")))
	g.add(cat, ns("dct:modified"), typed(e.Modified.UTC().Format(time.RFC3339), ns("xsd:dateTime")))
	g.add(cat, ns("dcat:themeTaxonomy"), iri(strings.TrimSuffix(euTheme, "/")))
	g.add(strings.TrimSuffix(euTheme, "/"), rdfType, iri(ns("skos:ConceptScheme")))
	agents := map[int64]bool{}
	g.add(cat, ns("dct:publisher"), iri(AgencyURI(e.BaseURL, e.PublisherID)))
	e.agent(g, agents, e.PublisherID, e.PublisherName)
	for _, d := range e.Datasets {
		g.add(cat, ns("dcat:dataset"), iri(DatasetURI(e.BaseURL, d.Name)))
	}
	concepts := map[string]bool{}
	for _, d := range e.Datasets {
		e.dataset(g, d, agents, concepts)
	}
	return g
}

func (e *Export) agent(g *graph, seen map[int64]bool, id int64, name string) {
	if seen[id] {
		return
	}
	seen[id] = true
	u := AgencyURI(e.BaseURL, id)
	g.add(u, rdfType, iri(ns("foaf:Agent")))
	g.add(u, ns("foaf:name"), langLit(name, "zh"))
}

// DatasetURI identifies a dataset (its page is the landing page).
func DatasetURI(base, name string) string { return DatasetURL(base, name) + "#dataset" }

func (e *Export) dataset(g *graph, d *Dataset, agents map[int64]bool, concepts map[string]bool) {
	u := DatasetURI(e.BaseURL, d.Name)
	g.add(u, rdfType, iri(ns("dcat:Dataset")))
	g.add(u, ns("dct:identifier"), lit(d.Name))
	g.add(u, ns("dct:title"), langLit(d.Title, "zh"))
	g.add(u, ns("dct:description"), langLit(d.Description, "zh"))
	g.add(u, ns("dct:publisher"), iri(AgencyURI(e.BaseURL, d.PublisherID)))
	e.agent(g, agents, d.PublisherID, d.PublisherName)
	page := DatasetURL(e.BaseURL, d.Name)
	g.add(u, ns("dcat:landingPage"), iri(page))
	g.add(page, rdfType, iri(ns("foaf:Document")))
	e.classify(g, u, d, concepts)
	e.coverage(g, u, d)
	e.contact(g, u, d)
	e.dates(g, u, d)
	e.distributions(g, u, d)
}

// classify adds the theme, keywords, frequency and access rights.
func (e *Export) classify(g *graph, u string, d *Dataset, concepts map[string]bool) {
	concept := func(c, label, typ string) {
		if !concepts[c] {
			concepts[c] = true
			g.add(c, rdfType, iri(ns(typ)))
			g.add(c, ns("skos:prefLabel"), langLit(label, "zh"))
		}
	}
	if t := ThemeURI(d.Theme); t != "" {
		g.add(u, ns("dcat:theme"), iri(t))
		concept(t, d.ThemeLabel(), "skos:Concept")
	}
	for _, k := range d.Keywords {
		g.add(u, ns("dcat:keyword"), langLit(k, "zh"))
	}
	if f := FrequencyURI(d.Frequency); f != "" {
		g.add(u, ns("dct:accrualPeriodicity"), iri(f))
		concept(f, d.FrequencyLabel(), "dct:Frequency")
	}
	right := euAccess + "PUBLIC"
	if d.Tier == TierConditional {
		right = euAccess + "RESTRICTED"
	}
	g.add(u, ns("dct:accessRights"), iri(right))
	g.add(right, rdfType, iri(ns("dct:RightsStatement")))
}

func (e *Export) coverage(g *graph, u string, d *Dataset) {
	if d.Spatial != "" {
		loc := e.BaseURL + "/opendata/places/" + url.PathEscape(d.Spatial)
		g.add(u, ns("dct:spatial"), iri(loc))
		g.add(loc, rdfType, iri(ns("dct:Location")))
		g.add(loc, ns("skos:prefLabel"), langLit(d.Spatial, "zh"))
	}
	if d.TemporalFrom != (calendar.Date{}) || d.TemporalTo != (calendar.Date{}) {
		b := "temporal-" + d.Name
		g.add(u, ns("dct:temporal"), blank(b))
		g.add("_:"+b, rdfType, iri(ns("dct:PeriodOfTime")))
		if d.TemporalFrom != (calendar.Date{}) {
			g.add("_:"+b, ns("dcat:startDate"), typed(d.TemporalFrom.String(), ns("xsd:date")))
		}
		if d.TemporalTo != (calendar.Date{}) {
			g.add("_:"+b, ns("dcat:endDate"), typed(d.TemporalTo.String(), ns("xsd:date")))
		}
	}
}

func (e *Export) contact(g *graph, u string, d *Dataset) {
	b := "contact-" + d.Name
	g.add(u, ns("dcat:contactPoint"), blank(b))
	g.add("_:"+b, rdfType, iri(ns("vcard:Organization")))
	g.add("_:"+b, rdfType, iri(ns("vcard:Kind")))
	g.add("_:"+b, ns("vcard:fn"), langLit(d.ContactName, "zh"))
	if d.ContactEmail != "" {
		g.add("_:"+b, ns("vcard:hasEmail"), iri("mailto:"+d.ContactEmail))
	}
	if d.ContactPhone != "" {
		g.add("_:"+b, ns("vcard:hasTelephone"), iri("tel:"+strings.ReplaceAll(d.ContactPhone, " ", "")))
	}
}

func (e *Export) dates(g *graph, u string, d *Dataset) {
	if !d.IssuedAt.IsZero() {
		g.add(u, ns("dct:issued"), typed(d.IssuedAt.UTC().Format(time.RFC3339), ns("xsd:dateTime")))
	}
	if !d.ModifiedAt.IsZero() {
		g.add(u, ns("dct:modified"), typed(d.ModifiedAt.UTC().Format(time.RFC3339), ns("xsd:dateTime")))
	}
	if d.Version > 0 {
		g.add(u, ns("dcat:version"), lit(itoa64(int64(d.Version))))
	}
}

// distributions adds a file per format for 无条件开放 data and the keyed API
// (a data service) for both open and conditional data.
func (e *Export) distributions(g *graph, u string, d *Dataset) {
	lic := LicenseURI(e.BaseURL, d.License)
	g.add(lic, rdfType, iri(ns("dct:LicenseDocument")))
	v := e.Latest[d.ID]
	if d.Tier == TierOpen && v != nil {
		for _, f := range []string{FormatCSV, FormatJSON, FormatXLSX} {
			e.fileDistribution(g, u, d, v, f, lic)
		}
	}
	if v != nil {
		e.apiDistribution(g, u, d, lic)
	}
}

func (e *Export) fileDistribution(g *graph, u string, d *Dataset, v *Version, format, lic string) {
	dist := DownloadURL(e.BaseURL, d.Name, format) + "#distribution"
	g.add(u, ns("dcat:distribution"), iri(dist))
	g.add(dist, rdfType, iri(ns("dcat:Distribution")))
	g.add(dist, ns("dct:title"), langLit(d.Title+"（"+strings.ToUpper(format)+"）", "zh"))
	g.add(dist, ns("dcat:accessURL"), iri(DatasetURL(e.BaseURL, d.Name)))
	g.add(dist, ns("dcat:downloadURL"), iri(DownloadURL(e.BaseURL, d.Name, format)))
	ft := euFileType + strings.ToUpper(format)
	g.add(dist, ns("dct:format"), iri(ft))
	g.add(ft, rdfType, iri(ns("dct:MediaTypeOrExtent")))
	mt := ianaMedia + strings.SplitN(MediaType(format), ";", 2)[0]
	g.add(dist, ns("dcat:mediaType"), iri(mt))
	g.add(mt, rdfType, iri(ns("dct:MediaType")))
	g.add(dist, ns("dct:license"), iri(lic))
	g.add(dist, ns("dct:modified"), typed(v.CreatedAt.UTC().Format(time.RFC3339), ns("xsd:dateTime")))
	if format == FormatCSV {
		b := "checksum-" + d.Name
		g.add(dist, ns("spdx:checksum"), blank(b))
		g.add("_:"+b, rdfType, iri(ns("spdx:Checksum")))
		g.add("_:"+b, ns("spdx:algorithm"), iri(ns("spdx:checksumAlgorithm_sha256")))
		g.add("_:"+b, ns("spdx:checksumValue"), typed(v.SHA256, ns("xsd:hexBinary")))
	}
}

func (e *Export) apiDistribution(g *graph, u string, d *Dataset, lic string) {
	api := RowsURL(e.BaseURL, d.Name)
	dist, svc := api+"#distribution", api+"#service"
	g.add(u, ns("dcat:distribution"), iri(dist))
	g.add(dist, rdfType, iri(ns("dcat:Distribution")))
	title := "接口（JSON）"
	if d.Tier == TierConditional {
		title = "接口（JSON，须申请接口密钥）"
	}
	g.add(dist, ns("dct:title"), langLit(title, "zh"))
	g.add(dist, ns("dcat:accessURL"), iri(api))
	g.add(dist, ns("dcat:accessService"), iri(svc))
	g.add(dist, ns("dct:license"), iri(lic))
	g.add(svc, rdfType, iri(ns("dcat:DataService")))
	g.add(svc, ns("dct:title"), langLit(d.Title+"数据接口", "zh"))
	g.add(svc, ns("dcat:endpointURL"), iri(api))
	g.add(svc, ns("dcat:servesDataset"), iri(u))
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }

// WriteDataJSON writes the catalogue as a data.json listing (Project Open
// Data metadata schema v1.1), which many harvesters also read.
func (e *Export) WriteDataJSON(w io.Writer) error {
	ds := make([]map[string]any, 0, len(e.Datasets))
	for _, d := range e.Datasets {
		ds = append(ds, e.dataJSONDataset(d))
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	return enc.Encode(map[string]any{"@type": "dcat:Catalog", "conformsTo": "https://project-open-data.cio.gov/v1.1/schema",
		"describedBy": "https://project-open-data.cio.gov/v1.1/schema/catalog.json", "dataset": ds})
}

func (e *Export) dataJSONDataset(d *Dataset) map[string]any {
	access := map[Tier]string{TierOpen: "public", TierConditional: "restricted public"}[d.Tier]
	out := map[string]any{"@type": "dcat:Dataset", "identifier": DatasetURI(e.BaseURL, d.Name), "title": d.Title,
		"description": d.Description, "keyword": nonNil(d.Keywords),
		"publisher":    map[string]string{"@type": "org:Organization", "name": d.PublisherName},
		"contactPoint": map[string]string{"@type": "vcard:Contact", "fn": d.ContactName, "hasEmail": "mailto:" + d.ContactEmail},
		"accessLevel":  access, "license": LicenseURI(e.BaseURL, d.License), "landingPage": DatasetURL(e.BaseURL, d.Name),
		"theme": []string{d.ThemeLabel()}, "accrualPeriodicity": isoPeriod(d.Frequency), "language": []string{"zh"}}
	if m := latest(d.ModifiedAt, d.IssuedAt); !m.IsZero() {
		out["modified"] = m.UTC().Format(time.RFC3339)
	}
	if d.Spatial != "" {
		out["spatial"] = d.Spatial
	}
	if d.TemporalFrom != (calendar.Date{}) && d.TemporalTo != (calendar.Date{}) {
		out["temporal"] = d.TemporalFrom.String() + "/" + d.TemporalTo.String()
	}
	if d.Tier == TierConditional {
		out["rights"] = d.TierReason
	}
	var dist []map[string]string
	if d.Tier == TierOpen && e.Latest[d.ID] != nil {
		for _, f := range []string{FormatCSV, FormatJSON, FormatXLSX} {
			dist = append(dist, map[string]string{"@type": "dcat:Distribution", "downloadURL": DownloadURL(e.BaseURL, d.Name, f),
				"mediaType": strings.SplitN(MediaType(f), ";", 2)[0], "format": strings.ToUpper(f), "title": d.Title})
		}
	}
	if e.Latest[d.ID] != nil {
		dist = append(dist, map[string]string{"@type": "dcat:Distribution", "accessURL": RowsURL(e.BaseURL, d.Name),
			"format": "API", "title": d.Title + "数据接口"})
	}
	if dist != nil {
		out["distribution"] = dist
	}
	return out
}

func nonNil(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
}

// isoPeriod is a frequency as an ISO 8601 repeating duration (data.json).
func isoPeriod(code string) string {
	return map[string]string{"continuous": "R/PT1S", "daily": "R/P1D", "weekly": "R/P1W", "monthly": "R/P1M",
		"quarterly": "R/P3M", "annual": "R/P1Y", "irregular": "irregular"}[code]
}

// latest is the later of two times (zero when both are).
func latest(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

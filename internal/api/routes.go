package api

import (
	"net/http"
	"slices"

	"openhall/internal/cases"
	"openhall/internal/httpkit"
	"openhall/internal/opendata"
)

// registerRoutes lists every endpoint; openapi.json documents each one and
// a test checks that the two agree.
func (s *Server) registerRoutes() {
	s.handle("GET /api/v1/openapi.json", s.handleOpenAPI)
	s.registerSessionRoutes()
	s.registerOrgRoutes()
	s.registerUserRoutes()
	s.registerCalendarRoutes()
	s.registerAuditRoutes()
	s.registerCaseRoutes()
	s.registerCertsRoutes()
	s.registerNotifyRoutes()
	s.registerCatalogRoutes()
	s.registerDisclosureRoutes()
	s.registerHallRoutes()
	s.registerSupervisionRoutes()
	s.registerRatingRoutes()
	s.registerConsultRoutes()
	s.registerMailboxRoutes()
	s.registerPowerRoutes()
	s.registerPublicityRoutes()
	s.registerOpenDataRoutes()
	s.registerBudgetRoutes()
	s.mux.HandleFunc("/api/v1/", s.h(func(w http.ResponseWriter, r *http.Request) error { return errNoRoute(r) }))
}

// handle registers an endpoint and records its pattern for Routes. Its
// request body is limited to what the endpoint accepts (bodyLimits; a JSON
// body otherwise).
func (s *Server) handle(pattern string, fn handlerFunc) {
	s.routes = append(s.routes, pattern)
	limit, ok := bodyLimits[pattern]
	if !ok {
		limit = maxBody
	}
	s.mux.HandleFunc(pattern, s.h(func(w http.ResponseWriter, r *http.Request) error {
		httpkit.LimitBody(w, r, limit)
		return fn(w, r)
	}))
}

// bodyLimits are the endpoints that take more than a JSON body: files, with
// their form and the multipart framing. A filing is lowered further to the
// materials of the item applied for (readFiling).
var bodyLimits = map[string]int64{
	"POST /api/v1/uploads":        cases.MaxMaterialBytes + httpkit.MaxFieldBytes + httpkit.MultipartOverhead,
	"POST /api/v1/cases":          maxFilingBytes + httpkit.MaxFieldBytes + httpkit.MultipartOverhead,
	"POST /api/v1/catalog/import": maxWorkbookBytes,
	// Workbooks and exchange files, read whole into memory.
	"POST /api/v1/power-versions/{id}/benchmarks":  maxWorkbookBytes,
	"POST /api/v1/publicity/penalties/import":      maxWorkbookBytes,
	"POST /api/v1/ratings/import":                  maxWorkbookBytes,
	"POST /api/v1/opendata/datasets/{name}/upload": opendata.MaxUploadBytes + httpkit.MaxFieldBytes + httpkit.MultipartOverhead,
	"POST /api/v1/budgets/{id}/import":             maxBudgetBytes + httpkit.MaxFieldBytes + httpkit.MultipartOverhead,
}

// maxBudgetBytes bounds an uploaded budget workbook.
const maxBudgetBytes = 10 << 20

// Routes returns the "METHOD /path" pattern of every documented endpoint,
// so that tests can check each one against openapi.json.
func (s *Server) Routes() []string { return slices.Clone(s.routes) }

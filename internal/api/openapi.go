package api

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"sort"
	"sync"
)

// The OpenAPI document is kept as one fragment per module in openapi/:
// base.json holds the document's head (info, tags, shared components) and
// each module's file its paths, schemas and tags. They are merged once; a
// path, operation or component defined twice is an error, so two modules
// cannot silently overwrite each other.
//
//go:embed openapi/*.json
var openapiFS embed.FS

var (
	openapiOnce sync.Once
	openapiDoc  []byte
	openapiErr  error
)

// OpenAPIDocument returns the merged OpenAPI document.
func OpenAPIDocument() ([]byte, error) {
	openapiOnce.Do(func() { openapiDoc, openapiErr = mergeOpenAPI(openapiFS) })
	return openapiDoc, openapiErr
}

// handleOpenAPI serves the OpenAPI document.
func (s *Server) handleOpenAPI(w http.ResponseWriter, r *http.Request) error {
	doc, err := OpenAPIDocument()
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Write(doc) // a failed write means the client went away
	return nil
}

type object = map[string]any

func mergeOpenAPI(fsys fs.FS) ([]byte, error) {
	doc, err := readFragment(fsys, "openapi/base.json")
	if err != nil {
		return nil, err
	}
	names, _ := fs.Glob(fsys, "openapi/*.json")
	sort.Strings(names)
	for _, name := range names {
		if name == "openapi/base.json" {
			continue
		}
		frag, err := readFragment(fsys, name)
		if err != nil {
			return nil, err
		}
		if err := mergeFragment(doc, frag, name); err != nil {
			return nil, err
		}
	}
	addTooLarge(doc)
	return json.MarshalIndent(doc, "", "  ")
}

// addTooLarge documents the 413 of every operation that takes a body: each
// endpoint limits its body (see bodyLimits).
func addTooLarge(doc object) {
	for _, item := range sub(doc, "paths") {
		for _, op := range item.(object) {
			o, ok := op.(object)
			if _, body := o["requestBody"]; !ok || !body {
				continue
			}
			if rs := sub(o, "responses"); rs["413"] == nil {
				rs["413"] = object{"$ref": "#/components/responses/TooLarge"}
			}
		}
	}
}

func readFragment(fsys fs.FS, name string) (object, error) {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, err
	}
	var o object
	if err := json.Unmarshal(b, &o); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return o, nil
}

// mergeFragment adds a module's paths, component entries and tags to doc.
func mergeFragment(doc, frag object, name string) error {
	if err := mergeKeys(sub(doc, "paths"), sub(frag, "paths"), name+" paths"); err != nil {
		return err
	}
	for kind, v := range sub(frag, "components") {
		m, _ := v.(object)
		if err := mergeKeys(sub(sub(doc, "components"), kind), m, name+" components."+kind); err != nil {
			return err
		}
	}
	if tags, ok := frag["tags"].([]any); ok {
		doc["tags"] = append(doc["tags"].([]any), tags...)
	}
	return nil
}

// mergeKeys copies src into dst; a key present in both is an error.
func mergeKeys(dst, src object, where string) error {
	for k, v := range src {
		if _, dup := dst[k]; dup {
			return fmt.Errorf("OpenAPI %s: %q is defined twice", where, k)
		}
		dst[k] = v
	}
	return nil
}

// sub returns o[key] as an object, creating it if missing.
func sub(o object, key string) object {
	m, ok := o[key].(object)
	if !ok {
		m = object{}
		o[key] = m
	}
	return m
}

package api

// MergeOpenAPIForTest exposes the fragment merge to tests.
var MergeOpenAPIForTest = mergeOpenAPI

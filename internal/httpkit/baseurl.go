package httpkit

import "net/http"

// BaseURL is the scheme and host a request came to ("https://host"). The
// host is the client's Host header, so links built from it are only as
// trustworthy as that header: deployments set --public-url instead.
func BaseURL(r *http.Request) string {
	scheme := "http"
	if IsTLS(r) {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

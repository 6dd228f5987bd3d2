package web

import (
	"net/http"
	"net/url"

	"openhall/internal/apperr"
	"openhall/internal/certs"
	"openhall/internal/httpkit"
	"openhall/internal/identity"
)

// registerCertsRoutes serves the public verification of electronic
// certificates, their QR codes, the printable certificate for its holder
// and staff, and the signing-key administration.
func (s *Server) registerCertsRoutes() {
	s.mux.HandleFunc("GET /verify/{number}", s.h(s.handleVerify))
	s.mux.HandleFunc("GET /verify/{number}/qr.png", s.h(s.handleVerifyQR))
	s.mux.HandleFunc("GET /certificates/{number}", s.requireLogin(s.handleCertificate))
	admin := func(fn handlerFunc) http.HandlerFunc { return s.requireRole(identity.RoleSysAdmin, fn) }
	s.mux.HandleFunc("GET /admin/cert-keys", admin(s.handleCertKeys))
	s.mux.HandleFunc("POST /admin/cert-keys/{centre}/rotate", admin(s.handleCertKeyRotate))
}

// certPage shows a certificate: publicly with the holder masked, or in
// full to those who may see it.
type certPage struct {
	Page
	Result    certs.Result
	Data      certs.Data // masked on the public page
	VerifyURL string
	QRURL     string
}

func (s *Server) certPage(w http.ResponseWriter, r *http.Request, title string, res certs.Result, full bool) certPage {
	d := res.Certificate.Data
	if !full {
		d = d.Masked()
	}
	n := res.Certificate.Number()
	return certPage{Page: s.page(w, r, title), Result: res, Data: d,
		VerifyURL: s.svc.Certs.VerifyURL(n, httpkit.BaseURL(r)), QRURL: "/verify/" + url.PathEscape(n) + "/qr.png"}
}

// handleVerify is the public verification page the QR code points to.
func (s *Server) handleVerify(w http.ResponseWriter, r *http.Request) error {
	res, err := s.svc.Certs.Verify(r.Context(), r.PathValue("number"))
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "certs/verify", s.certPage(w, r, "电子证照核验", res, false))
}

// handleVerifyQR draws the QR code of a certificate's verification page.
func (s *Server) handleVerifyQR(w http.ResponseWriter, r *http.Request) error {
	n := r.PathValue("number")
	if _, err := s.svc.Certs.Verify(r.Context(), n); err != nil {
		return err
	}
	png, err := certs.QRCodePNG(s.svc.Certs.VerifyURL(n, httpkit.BaseURL(r)))
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "public, max-age=86400")
	_, err = w.Write(png)
	return err
}

// handleCertificate is the printable certificate.
func (s *Server) handleCertificate(w http.ResponseWriter, r *http.Request) error {
	res, err := s.svc.Certs.View(r.Context(), httpkit.ActorFrom(r.Context()), r.PathValue("number"))
	if err != nil {
		return err
	}
	p := s.certPage(w, r, res.Certificate.Data.Name, res, !res.Masked)
	return s.render(w, http.StatusOK, "certs/certificate", p)
}

type certKeysPage struct {
	Page
	Centres []certs.CentreKeys
}

func (s *Server) handleCertKeys(w http.ResponseWriter, r *http.Request) error {
	ks, err := s.svc.Certs.Keys(r.Context(), httpkit.ActorFrom(r.Context()))
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "admin/cert_keys", certKeysPage{Page: s.page(w, r, "证照签名密钥"), Centres: ks})
}

func (s *Server) handleCertKeyRotate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r.PathValue("centre"))
	if err != nil {
		return err
	}
	k, err := s.svc.Certs.Rotate(r.Context(), httpkit.ActorFrom(r.Context()), id)
	if apperr.Is(err, apperr.Invalid) {
		return apperr.New(apperr.NotFound, "服务中心不存在")
	}
	if err != nil {
		return err
	}
	return s.redirect(w, r, "/admin/cert-keys", "已启用新的签名密钥（指纹 "+k.Fingerprint[:16]+"…）；此前签发的证照仍可核验")
}

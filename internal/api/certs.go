package api

import (
	"net/http"
	"time"

	"openhall/internal/certs"
	"openhall/internal/httpkit"
)

// registerCertsRoutes serves the public verification of certificates.
func (s *Server) registerCertsRoutes() {
	s.handle("GET /api/v1/certificates/{number}/verify", s.handleCertVerify)
}

// certVerifyJSON is a verification result; the holder is masked, as on the
// public page, since anyone may ask.
type certVerifyJSON struct {
	Status         certs.Status `json:"status"`
	StatusLabel    string       `json:"status_label"`
	Valid          bool         `json:"valid"`
	Revoked        bool         `json:"revoked"`
	Reason         string       `json:"reason,omitempty"`
	Number         string       `json:"number"`
	Name           string       `json:"name"`
	HolderName     string       `json:"holder_name"`
	HolderIDType   certs.IDType `json:"holder_id_type"`
	HolderIDNumber string       `json:"holder_id_number"`
	ItemName       string       `json:"item_name"`
	ValidFrom      string       `json:"valid_from"`
	ValidTo        *string      `json:"valid_to"`
	IssuerName     string       `json:"issuer_name"`
	IssueDate      string       `json:"issue_date"`
	IssuedAt       time.Time    `json:"issued_at"`
	RevokedAt      *time.Time   `json:"revoked_at"`
	KeyFingerprint string       `json:"key_fingerprint,omitempty"`
	VerifyURL      string       `json:"verify_url"`
}

func (s *Server) toCertVerify(r *http.Request, res certs.Result) certVerifyJSON {
	c, d := res.Certificate, res.Certificate.Data.Masked()
	out := certVerifyJSON{Status: res.Status, StatusLabel: res.Status.Label(), Valid: res.Valid, Revoked: res.Revoked,
		Reason: res.Reason, Number: d.Number, Name: d.Name, HolderName: d.Holder.Name, HolderIDType: d.Holder.IDType,
		HolderIDNumber: d.Holder.IDNumber, ItemName: d.ItemName, ValidFrom: d.ValidFrom.String(), IssuerName: d.IssuerName,
		IssueDate: d.IssueDate.String(), IssuedAt: c.IssuedAt, VerifyURL: s.svc.Certs.VerifyURL(d.Number, httpkit.BaseURL(r))}
	if d.ValidTo != nil {
		v := d.ValidTo.String()
		out.ValidTo = &v
	}
	if c.Revoked() {
		out.RevokedAt = &c.RevokedAt
	}
	if res.Key != nil {
		out.KeyFingerprint = res.Key.Fingerprint
	}
	return out
}

// handleCertVerify answers whether a certificate is genuine, in force and
// not revoked. No login is needed.
func (s *Server) handleCertVerify(w http.ResponseWriter, r *http.Request) error {
	res, err := s.svc.Certs.Verify(r.Context(), r.PathValue("number"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, s.toCertVerify(r, res))
}

package certs

import (
	"slices"
	"strconv"
	"time"

	"openhall/internal/calendar"
)

// canonicalHeader names the encoding; a future encoding gets a new header,
// so bytes of one version can never be read as another.
const canonicalHeader = "OPENHALL-ECERT/1\n"

// SigningBytes returns the canonical byte encoding of a certificate, the
// bytes its SM2 signature covers. The encoding is
//
//	"OPENHALL-ECERT/1\n" followed by one record per field, in this order:
//	number, name, holder.name, holder.id_type, holder.id_number,
//	item.name, item.code, valid_from, valid_to, issuer.name, issuer.code,
//	issue_date, case_number, centre_id, key_id, issued_at,
//	then field.<key> for every free field, keys sorted by their UTF-8 bytes.
//
// A record is <name> "=" <length of the value in bytes, decimal> ":" <value>
// "\n". The length prefix makes the encoding unambiguous whatever the values
// contain. Dates are YYYY-MM-DD; an open-ended valid_to is empty; issued_at
// is RFC 3339 in UTC with exactly six fractional digits; ids are decimal.
// Binding the centre, the key id and the issue time into the signed bytes
// means none of them can be changed in the database without detection.
func SigningBytes(c *Certificate) []byte {
	d := &c.Data
	b := make([]byte, 0, 512)
	b = append(b, canonicalHeader...)
	for _, f := range [][2]string{
		{"number", d.Number},
		{"name", d.Name},
		{"holder.name", d.Holder.Name},
		{"holder.id_type", string(d.Holder.IDType)},
		{"holder.id_number", d.Holder.IDNumber},
		{"item.name", d.ItemName},
		{"item.code", d.ItemCode},
		{"valid_from", d.ValidFrom.String()},
		{"valid_to", dateOrEmpty(d.ValidTo)},
		{"issuer.name", d.IssuerName},
		{"issuer.code", d.IssuerCreditCode},
		{"issue_date", d.IssueDate.String()},
		{"case_number", d.CaseNumber},
		{"centre_id", strconv.FormatInt(c.CentreID, 10)},
		{"key_id", strconv.FormatInt(c.KeyID, 10)},
		{"issued_at", c.IssuedAt.UTC().Format("2006-01-02T15:04:05.000000Z07:00")},
	} {
		b = appendRecord(b, f[0], f[1])
	}
	keys := make([]string, 0, len(d.Fields))
	for k := range d.Fields {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		b = appendRecord(b, "field."+k, d.Fields[k])
	}
	return b
}

func appendRecord(b []byte, name, value string) []byte {
	b = append(b, name...)
	b = append(b, '=')
	b = strconv.AppendInt(b, int64(len(value)), 10)
	b = append(b, ':')
	b = append(b, value...)
	return append(b, '\n')
}

func dateOrEmpty(d *calendar.Date) string {
	if d == nil {
		return ""
	}
	return d.String()
}

// issuedAtPrecision is what both storage backends keep of a time.
const issuedAtPrecision = time.Microsecond

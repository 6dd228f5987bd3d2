// Package sources holds the datasets OpenHall produces from the data of
// its own modules: the service catalogue, the disclosure catalogue, the
// annual reports, case volumes and on-time rates, granted licences (双公示)
// and budget tables. Each is an opendata.Source; a module added later
// registers its own the same way (opendata.Service.Register).
package sources

import (
	"context"
	"strconv"

	"openhall/internal/calendar"
	"openhall/internal/disclosure"
	"openhall/internal/opendata"
)

// Agencies lists the disclosure agencies (the publishers).
type Agencies interface {
	Agencies(ctx context.Context, f disclosure.AgencyFilter) ([]*disclosure.Agency, error)
}

func col(name, title string, t opendata.ColumnType) opendata.Column {
	return opendata.Column{Name: name, Title: title, Type: t}
}

func text(name, title string) opendata.Column { return col(name, title, opendata.TypeText) }

func integer(name, title string) opendata.Column { return col(name, title, opendata.TypeInteger) }

func decimal(name, title string) opendata.Column { return col(name, title, opendata.TypeDecimal) }

func date(name, title string) opendata.Column { return col(name, title, opendata.TypeDate) }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func dateText(d calendar.Date) string {
	if d == (calendar.Date{}) {
		return ""
	}
	return d.String()
}

// regionName is the last segment of an agency's name before 人民政府, or the
// agency's name: a readable spatial coverage.
func regionName(ag *disclosure.Agency) string {
	r := []rune(ag.Name)
	if n := len(r); n > 4 && string(r[n-4:]) == "人民政府" {
		return string(r[:n-4])
	}
	return ag.Name
}

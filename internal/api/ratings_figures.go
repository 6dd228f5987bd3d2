package api

import (
	"net/http"

	"openhall/internal/complaint"
	"openhall/internal/rating"
)

type figureRowJSON struct {
	Key          string  `json:"key"`
	Label        string  `json:"label"`
	Total        int     `json:"total"`
	Levels       [5]int  `json:"levels"` // 非常满意 … 非常不满意
	Defaults     int     `json:"defaults"`
	Good         int     `json:"good"`
	Bad          int     `json:"bad"`
	GoodRate     float64 `json:"good_rate"`
	Tickets      int     `json:"tickets"`
	RealName     int     `json:"real_name"`
	CalledBack   int     `json:"called_back"`
	CallbackRate float64 `json:"callback_rate"`
	Rectified    int     `json:"rectified"`
	RectifyRate  float64 `json:"rectify_rate"`
	Closed       int     `json:"closed"`
	Upheld       int     `json:"upheld"`
}

func toFigureRow(r rating.FigureRow) figureRowJSON {
	return figureRowJSON{Key: r.Key, Label: r.Label, Total: r.Total, Levels: r.Levels, Defaults: r.Defaults, Good: r.Good, Bad: r.Bad,
		GoodRate: r.GoodRate(), Tickets: r.Tickets, RealName: r.RealName, CalledBack: r.CalledBack, CallbackRate: r.CallbackRate(),
		Rectified: r.Rectified, RectifyRate: r.RectifyRate(), Closed: r.Closed, Upheld: r.Upheld}
}

type figuresJSON struct {
	By    string          `json:"by"`
	From  string          `json:"from"`
	To    string          `json:"to"`
	Rows  []figureRowJSON `json:"items"`
	Total figureRowJSON   `json:"total"`
}

// figureQuery reads by, from, to and region.
func figureQuery(r *http.Request) (rating.FigureQuery, error) {
	q := newQuery(r)
	fq := rating.FigureQuery{By: rating.Dimension(q.str("by")), From: q.date("from"), To: q.date("to"), RegionPath: q.str("region")}
	if fq.By == "" {
		fq.By = rating.ByDepartment
	}
	return fq, q.err()
}

// handleRatingFigures returns satisfaction figures by department, window,
// person or item over a period: the figures performance evaluation and
// the public indicators read.
func (s *Server) handleRatingFigures(w http.ResponseWriter, r *http.Request) error {
	a, err := actor(r)
	if err != nil {
		return err
	}
	fq, err := figureQuery(r)
	if err != nil {
		return err
	}
	f, err := s.svc.Ratings.Figures(r.Context(), a, fq)
	if err != nil {
		return err
	}
	out := figuresJSON{By: string(fq.By), From: fq.From.String(), To: fq.To.String(), Rows: []figureRowJSON{}, Total: toFigureRow(f.Sum)}
	for _, row := range f.Rows {
		out.Rows = append(out.Rows, toFigureRow(row))
	}
	return writeJSON(w, http.StatusOK, out)
}

// handleRatingExport returns the ratings of a period as national records.
func (s *Server) handleRatingExport(w http.ResponseWriter, r *http.Request) error {
	a, err := actor(r)
	if err != nil {
		return err
	}
	q := newQuery(r)
	eq := rating.ExportQuery{From: q.date("from"), To: q.date("to"), RegionPath: q.str("region")}
	if err := q.err(); err != nil {
		return err
	}
	recs, err := s.svc.Ratings.Export(r.Context(), a, eq)
	if err != nil {
		return err
	}
	if recs == nil {
		recs = []rating.Record{}
	}
	return writeJSON(w, http.StatusOK, recs)
}

type importJSON struct {
	Imported bool            `json:"imported"`
	New      int             `json:"new"`
	Existing int             `json:"existing"`
	Bad      int             `json:"bad"`
	Rows     []importRowJSON `json:"rows"`
}

type importRowJSON struct {
	Line       int               `json:"line"`
	ProjectNo  string            `json:"projectNo"`
	Level      int               `json:"level"`
	LevelLabel string            `json:"level_label"`
	Exists     bool              `json:"exists"`
	Errors     map[string]string `json:"errors,omitempty"`
}

// handleRatingImport reads national records (the request body, a JSON
// array) into a region; ?dry_run=1 only checks.
func (s *Server) handleRatingImport(w http.ResponseWriter, r *http.Request) error {
	a, err := actor(r)
	if err != nil {
		return err
	}
	q := newQuery(r)
	region, dry := q.required("region"), q.flag("dry_run")
	if err := q.err(); err != nil {
		return err
	}
	data, err := readBody(r)
	if err != nil {
		return err
	}
	res, err := s.svc.Ratings.Import(r.Context(), a, region, data, dry)
	if err != nil {
		return err
	}
	out := importJSON{Imported: res.Imported, New: res.New, Existing: res.Existing, Bad: res.Bad, Rows: []importRowJSON{}}
	for _, row := range res.Rows {
		out.Rows = append(out.Rows, importRowJSON{Line: row.Line, ProjectNo: row.Record.ProjectNo, Level: int(row.Rating.Level),
			LevelLabel: row.Rating.Level.Label(), Exists: row.Exists, Errors: row.Errors})
	}
	status := http.StatusOK
	if res.Bad > 0 {
		status = http.StatusUnprocessableEntity
	}
	return writeJSON(w, status, out)
}

type complaintFigureJSON struct {
	Key           string  `json:"key"`
	Label         string  `json:"label"`
	Received      int     `json:"received"`
	Refused       int     `json:"refused"`
	Answered      int     `json:"answered"`
	Rated         int     `json:"rated"`
	Satisfied     int     `json:"satisfied"`
	SatisfiedRate float64 `json:"satisfied_rate"`
	Reopened      int     `json:"reopened"`
}

func toComplaintFigure(r complaint.FigureRow) complaintFigureJSON {
	return complaintFigureJSON{Key: r.Key, Label: r.Label, Received: r.Received, Refused: r.Refused, Answered: r.Answered,
		Rated: r.Rated, Satisfied: r.Satisfied, SatisfiedRate: r.SatisfiedRate(), Reopened: r.Reopened}
}

// handleComplaintFigures returns complaint figures over a period.
func (s *Server) handleComplaintFigures(w http.ResponseWriter, r *http.Request) error {
	a, err := actor(r)
	if err != nil {
		return err
	}
	fq, err := figureQuery(r)
	if err != nil {
		return err
	}
	f, err := s.svc.Complaints.Figures(r.Context(), a, complaint.FigureQuery{By: string(fq.By), From: fq.From, To: fq.To, RegionPath: fq.RegionPath})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"by": fq.By, "from": fq.From.String(), "to": fq.To.String(),
		"items": listOf(f.Rows, toComplaintFigure).Items, "total": toComplaintFigure(f.Sum)})
}

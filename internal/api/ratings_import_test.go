package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"openhall/internal/apptest"
)

// importRec is a national record of another channel: a rating of case
// projectNo at stage 3 (已完结), 非常不满意 unless edited, anonymous.
func importRec(projectNo, assessNumber, at string, edit ...func(map[string]string)) map[string]string {
	r := map[string]string{"projectNo": projectNo, "proStatus": "3", "pf": "1", "satisfaction": "1", "assessNumber": assessNumber,
		"assessTime": at, "anonymityFlag": "1", "writingEvaluation": "材料反复退回"}
	for _, e := range edit {
		e(r)
	}
	return r
}

type importAnswer struct {
	Imported bool `json:"imported"`
	New      int  `json:"new"`
	Bad      int  `json:"bad"`
	Rows     []struct {
		Line   int               `json:"line"`
		Errors map[string]string `json:"errors"`
	} `json:"rows"`
}

// TestRatingImportRefusals: the rows an import refuses, each named by its
// line and field (the file is checked whole and nothing is written when a
// row is bad), and the rows it accepts. The app's clock is 2026-03-09
// 10:00 in China.
func TestRatingImportRefusals(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		a := demoAPIApp(t, backend)
		region, _ := a.Services.Org.RegionByCode(context.Background(), "330106")
		sup := demoLogin(t, a, "supervisor")
		post := func(recs []map[string]string, dry bool) (int, importAnswer) {
			path := "/api/v1/ratings/import?region=" + region.Path
			if dry {
				path += "&dry_run=1"
			}
			r := sup.do("POST", path, recs)
			var out importAnswer
			if err := json.Unmarshal(r.body, &out); err != nil {
				t.Fatalf("import answer %d %s: %v", r.status, r.body, err)
			}
			return r.status, out
		}
		// A first evaluation imported earlier, for a case not held here.
		if st, res := post([]map[string]string{importRec("OTHER-0001", "1", "2026-03-02 09:00:00")}, false); st != http.StatusOK || !res.Imported {
			t.Fatalf("importing a first evaluation: %d %+v", st, res)
		}
		long := func(n int) func(map[string]string) {
			return func(r map[string]string) { r["writingEvaluation"] = strings.Repeat("慢", n) }
		}
		tests := []struct {
			name    string
			recs    []map[string]string
			line    int    // the bad row; 0 = all accepted
			field   string // its field named
			message string
		}{
			{"a first evaluation", []map[string]string{importRec("OTHER-0002", "1", "2026-03-08 09:00:00")}, 0, "", ""},
			{"a time a minute ahead of our clock", []map[string]string{importRec("OTHER-0002", "1", "2026-03-09 10:01:00")}, 0, "", ""},
			{"a time in the future", []map[string]string{importRec("OTHER-0002", "1", "2026-03-08 09:00:00"), importRec("OTHER-0003", "1", "2030-01-01 00:00:00")},
				2, "assessTime", "晚于本系统当前时间"},
			{"year 1", []map[string]string{importRec("OTHER-0002", "1", "0001-01-01 00:00:00")}, 1, "assessTime", "超出范围"},
			{"not a time", []map[string]string{importRec("OTHER-0002", "1", "yesterday")}, 1, "assessTime", "格式"},
			{"a comment of 500 characters", []map[string]string{importRec("OTHER-0002", "1", "2026-03-08 09:00:00", long(500))}, 0, "", ""},
			{"a comment of 501 characters", []map[string]string{importRec("OTHER-0002", "1", "2026-03-08 09:00:00", long(501))},
				1, "writingEvaluation", "不能超过 500 字"},
			{"a second evaluation alone", []map[string]string{importRec("OTHER-0002", "1", "2026-03-08 09:00:00"), importRec("OTHER-0009", "2", "2026-03-08 10:00:00")},
				2, "assessNumber", "没有对应的首次评价"},
			{"a second evaluation of another stage", []map[string]string{importRec("OTHER-0002", "1", "2026-03-08 09:00:00"),
				importRec("OTHER-0002", "2", "2026-03-08 10:00:00", func(r map[string]string) { r["proStatus"] = "2" })}, 2, "assessNumber", "办理中"},
			{"a second evaluation without a case number", []map[string]string{importRec("", "2", "2026-03-08 10:00:00")}, 1, "assessNumber", "projectNo"},
			{"a second evaluation after its first in the file", []map[string]string{importRec("OTHER-0002", "1", "2026-03-08 09:00:00"),
				importRec("OTHER-0002", "2", "2026-03-08 10:00:00", func(r map[string]string) { r["satisfaction"] = "4" })}, 0, "", ""},
			{"a second evaluation of a first stored here", []map[string]string{importRec("OTHER-0001", "2", "2026-03-08 10:00:00")}, 0, "", ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				st, res := post(tt.recs, true)
				if tt.line == 0 {
					if st != http.StatusOK || res.Bad != 0 || res.New != len(tt.recs) {
						t.Fatalf("status %d, %+v", st, res)
					}
					return
				}
				if st != http.StatusUnprocessableEntity || res.Bad != 1 || res.Imported || len(res.Rows) != len(tt.recs) {
					t.Fatalf("status %d, %+v", st, res)
				}
				for _, row := range res.Rows {
					msg := row.Errors[tt.field]
					if row.Line == tt.line && (len(row.Errors) != 1 || !strings.Contains(msg, tt.message)) {
						t.Fatalf("line %d errors %v, want %s saying %q", row.Line, row.Errors, tt.field, tt.message)
					}
					if row.Line != tt.line && len(row.Errors) > 0 {
						t.Fatalf("line %d refused too: %v", row.Line, row.Errors)
					}
				}
			})
		}
		// Not a dry run: a bad row keeps the good one out too.
		if st, res := post([]map[string]string{importRec("OTHER-0005", "1", "2026-03-08 09:00:00"), importRec("OTHER-0006", "2", "2026-03-08 10:00:00")}, false); st != http.StatusUnprocessableEntity || res.Imported {
			t.Fatalf("a file with a bad row: %d %+v", st, res)
		}
		if _, res := post([]map[string]string{importRec("OTHER-0005", "1", "2026-03-08 09:00:00")}, true); res.New != 1 {
			t.Fatalf("the good row of a refused file was written: %+v", res)
		}
	})
}

// TestRatingImportRealNameTicket: a real-name bad review of another
// channel carries no way to reach its rater (the national record has no
// contact), so its ticket is opened as one that cannot be called back,
// like a local anonymous rating's, while the rating stays real-name.
func TestRatingImportRealNameTicket(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		a := demoAPIApp(t, backend)
		region, _ := a.Services.Org.RegionByCode(context.Background(), "330106")
		sup := demoLogin(t, a, "supervisor")
		type ticketList struct {
			Items []struct {
				ID        int64 `json:"id"`
				RatingID  int64 `json:"rating_id"`
				Anonymous bool  `json:"anonymous"`
			} `json:"items"`
		}
		var before, after ticketList
		sup.call("GET", "/api/v1/rating-tickets?all=1", nil, http.StatusOK, &before)
		known := map[int64]bool{}
		for _, tk := range before.Items {
			known[tk.ID] = true
		}
		tests := []struct {
			name, flag string
		}{
			{"anonymous", "1"},
			{"real-name", "2"},
		}
		for i, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				rec := importRec("REAL-000"+string(rune('1'+i)), "1", "2026-03-08 09:00:00", func(r map[string]string) { r["anonymityFlag"] = tt.flag })
				var res importAnswer
				sup.call("POST", "/api/v1/ratings/import?region="+region.Path, []map[string]string{rec}, http.StatusOK, &res)
				if !res.Imported || res.New != 1 {
					t.Fatalf("import %+v", res)
				}
				sup.call("GET", "/api/v1/rating-tickets?all=1", nil, http.StatusOK, &after)
				var fresh []int64
				for _, tk := range after.Items {
					if !known[tk.ID] {
						known[tk.ID] = true
						fresh = append(fresh, tk.ID)
						if !tk.Anonymous {
							t.Fatalf("the ticket of an imported %s bad review must not require a call back: %+v", tt.name, tk)
						}
						v, err := a.Services.Ratings.Ticket(context.Background(), serviceActor(t, a, "supervisor"), tk.ID)
						if err != nil || v.Rating == nil {
							t.Fatalf("ticket %d: %v", tk.ID, err)
						}
						if v.Rating.Anonymous != (tt.flag == "1") {
							t.Fatalf("the imported rating's anonymity changed: %v", v.Rating.Anonymous)
						}
					}
				}
				if len(fresh) != 1 {
					t.Fatalf("new tickets %v", fresh)
				}
			})
		}
	})
}

// TestRatingImportOddFiles: a file saved with a byte order mark imports;
// a code written as a number, a record that is not an object and a file
// that is not an array are refused naming the record and the field (or
// what the file should be), and a syntax error its line.
func TestRatingImportOddFiles(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		a := demoAPIApp(t, backend)
		region, _ := a.Services.Org.RegionByCode(context.Background(), "330106")
		sup := demoLogin(t, a, "supervisor")
		good, err := json.Marshal([]map[string]string{importRec("OTHER-0101", "1", "2026-03-08 09:00:00")})
		if err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name    string
			body    string
			message string // "" = accepted
		}{
			{"a byte order mark", "\uFEFF" + string(good), ""},
			{"a byte order mark and CRLF lines", "\uFEFF" + strings.ReplaceAll(string(good), ",", ",\r\n"), ""},
			{"satisfaction as a number", `[` + string(good[1:len(good)-1]) + `,{"projectNo":"OTHER-0102","satisfaction":5}]`, "第 2 条记录的字段 satisfaction 应为字符串"},
			{"a record that is a number", `[1]`, "第 1 条记录应为 JSON 对象"},
			{"an object, not an array", string(good[1 : len(good)-1]), "应为 JSON 数组"},
			{"an unknown field", `[{"projectNo":"OTHER-0103","score":"5"}]`, `第 1 条记录有未知字段 "score"`},
			{"a syntax error on line 3", "[\n{\"projectNo\":\"OTHER-0104\",\n\"pf\" \"1\"}]", "第 3 行"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				r := sup.do("POST", "/api/v1/ratings/import?dry_run=1&region="+region.Path, tt.body)
				if tt.message == "" {
					if r.status != http.StatusOK {
						t.Fatalf("status %d: %s", r.status, r.body)
					}
					return
				}
				e := r.mustError(t, tt.name, http.StatusUnprocessableEntity)
				wantFields(t, e, "file")
				if !strings.Contains(e.Error.Fields["file"], tt.message) {
					t.Fatalf("file: %q, want it to say %q", e.Error.Fields["file"], tt.message)
				}
			})
		}
	})
}

// TestRatingImportRegionAsStored: a region path not written as stored
// ("/1/2/3" for "/1/2/3/", or with "..") is refused naming region, for an
// import and an export; before, the import wrote it onto the records
// without an areaCode, whose ratings and tickets then belonged to no
// region.
func TestRatingImportRegionAsStored(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		a := demoAPIApp(t, backend)
		region, _ := a.Services.Org.RegionByCode(context.Background(), "330106")
		sup := demoLogin(t, a, "supervisor")
		recs := []map[string]string{importRec("OTHER-0201", "1", "2026-03-08 09:00:00")}
		for _, path := range []string{strings.TrimSuffix(region.Path, "/"), region.Path + "../", region.Path + "x/"} {
			r := sup.do("POST", "/api/v1/ratings/import?region="+path, recs)
			e := r.mustError(t, "import into "+path, http.StatusUnprocessableEntity)
			wantFields(t, e, "region")
			r = sup.do("GET", "/api/v1/ratings/export?from=2026-03-01&to=2026-03-09&region="+path, nil)
			wantFields(t, r.mustError(t, "export of "+path, http.StatusUnprocessableEntity), "region")
		}
		if r := sup.do("POST", "/api/v1/ratings/import?region="+region.Path, recs); r.status != http.StatusOK {
			t.Fatalf("import into %s: %d %s", region.Path, r.status, r.body)
		}
	})
}

package rating

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"openhall/internal/apperr"
	"openhall/internal/audit"
	"openhall/internal/calendar"
	"openhall/internal/identity"
)

// ExportQuery selects the ratings exported.
type ExportQuery struct {
	From, To   calendar.Date // both included
	RegionPath string        // "" = the actor's region
}

// maxExport bounds one export file.
const maxExport = 200000

// Export returns the ratings of a period in the actor's region as records
// of the national interface. Ratings found false on appeal are left out.
func (s *Service) Export(ctx context.Context, a *identity.Actor, q ExportQuery) ([]Record, error) {
	path, ok := regionScope(a, q.RegionPath)
	if !ok {
		return nil, CanExchange(a, q.RegionPath)
	}
	if err := CanExchange(a, path); err != nil {
		return nil, err
	}
	if q.From == (calendar.Date{}) || q.To.Before(q.From) {
		return nil, apperr.Field("from", "请选择导出期间（结束日期不早于开始日期）")
	}
	list, _, err := s.d.Store.FindRatings(ctx, Filter{RegionPrefix: path, From: q.From.Time(), To: q.To.AddDays(1).Time(), Limit: maxExport})
	if err != nil {
		return nil, err
	}
	codes := map[int64]string{}
	out := make([]Record, 0, len(list))
	for _, r := range list {
		if r.Excluded {
			continue
		}
		if _, ok := codes[r.DepartmentID]; !ok && r.DepartmentID != 0 {
			codes[r.DepartmentID] = s.d.Orgs.DepartmentCode(ctx, r.DepartmentID)
		}
		out = append(out, ToRecord(r, codes[r.DepartmentID]))
	}
	return out, nil
}

// ImportRow is one record of a file being imported.
type ImportRow struct {
	Line   int // 1-based position in the file
	Record Record
	Rating *Rating
	Errors map[string]string // by field
	Exists bool              // already held here: skipped
}

// ImportResult is what an import found (and, unless DryRun, did).
type ImportResult struct {
	Rows     []ImportRow
	New      int
	Existing int
	Bad      int
	Imported bool
}

// Import reads a file of national records (a JSON array) collected by
// another channel into the actor's region. Every row is checked first;
// nothing is written unless all pass, and a record already held (same
// evaluateId, or same content for files without one) is skipped, so a
// file may be imported again safely. With dryRun nothing is written.
func (s *Service) Import(ctx context.Context, a *identity.Actor, regionPath string, data []byte, dryRun bool) (*ImportResult, error) {
	if err := CanExchange(a, regionPath); err != nil {
		return nil, err
	}
	recs, err := decodeRecords(data)
	if err != nil {
		return nil, err
	}
	var res *ImportResult
	err = s.d.Tx.InTx(ctx, func(ctx context.Context) error {
		var err error
		if res, err = s.checkImport(ctx, regionPath, recs); err != nil {
			return err
		}
		if dryRun || res.Bad > 0 || res.New == 0 {
			return nil
		}
		res.Imported = true
		return s.storeImport(ctx, a, res)
	})
	return res, err
}

func decodeRecords(data []byte) ([]Record, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var recs []Record
	if err := dec.Decode(&recs); err != nil {
		return nil, apperr.Field("file", "文件不是评价数据交换格式（JSON 数组，字段见接口文档）："+jsonProblem(err))
	}
	if len(recs) == 0 {
		return nil, apperr.Field("file", "文件中没有评价记录")
	}
	if len(recs) > maxExport {
		return nil, apperr.Field("file", fmt.Sprintf("一次最多导入 %d 条评价记录", maxExport))
	}
	return recs, nil
}

func jsonProblem(err error) string {
	msg := err.Error()
	if f, ok := strings.CutPrefix(msg, "json: unknown field "); ok {
		return "未知字段 " + f
	}
	return "无法解析"
}

// checkImport checks and resolves every record.
func (s *Service) checkImport(ctx context.Context, regionPath string, recs []Record) (*ImportResult, error) {
	res := &ImportResult{}
	keys := make([]string, 0, len(recs))
	seen := map[string]bool{}
	for i, rec := range recs {
		row := ImportRow{Line: i + 1, Record: rec}
		row.Rating, row.Errors = FromRecord(rec)
		s.resolve(ctx, regionPath, &row)
		if seen[row.Rating.Key] {
			row.Errors["evaluateId"] = "文件中重复的评价记录"
		}
		seen[row.Rating.Key] = true
		keys = append(keys, row.Rating.Key)
		res.Rows = append(res.Rows, row)
	}
	held, err := s.d.Store.ExistingKeys(ctx, keys)
	if err != nil {
		return nil, err
	}
	for i := range res.Rows {
		row := &res.Rows[i]
		switch {
		case len(row.Errors) > 0:
			res.Bad++
		case held[row.Rating.Key]:
			row.Exists = true
			res.Existing++
		default:
			res.New++
		}
	}
	return res, nil
}

// resolve places a record: its region (inside the importer's), its
// department by credit code, and the local case by its number.
func (s *Service) resolve(ctx context.Context, regionPath string, row *ImportRow) {
	r, rec := row.Rating, row.Record
	r.RegionPath = regionPath
	if code := strings.TrimSpace(rec.AreaCode); code != "" {
		path, err := s.d.Orgs.RegionByCode(ctx, code)
		switch {
		case err != nil:
			row.Errors["areaCode"] = "行政区划代码 " + code + " 不在本系统中"
		case !strings.HasPrefix(path, regionPath):
			row.Errors["areaCode"] = "行政区划 " + code + " 不在导入的地区范围内"
		default:
			r.RegionPath, r.RegionCode = path, code
		}
	}
	if code := strings.TrimSpace(rec.DeptCode); code != "" {
		id, name, path, err := s.d.Orgs.DepartmentByCode(ctx, code)
		if err != nil || !strings.HasPrefix(path, regionPath) {
			row.Errors["deptCode"] = "部门统一社会信用代码 " + code + " 不是导入地区内的部门"
		} else {
			r.DepartmentID, r.Department = id, name
		}
	}
	if r.CaseNumber == "" {
		return
	}
	info, err := s.d.Cases.CaseInfoByNumber(ctx, r.CaseNumber)
	if err == nil && strings.HasPrefix(info.RegionPath, regionPath) {
		r.CaseID, r.ItemCode, r.ItemName = info.ID, info.ItemCode, info.ItemName
	} else if strings.HasPrefix(r.CaseNumber, "FW") {
		r.Subject = SubjectVisit
	}
}

// storeImport writes the new records, one audit entry for the file, and
// a ticket for each new bad first rating.
func (s *Service) storeImport(ctx context.Context, a *identity.Actor, res *ImportResult) error {
	var fresh []*Rating
	for _, row := range res.Rows {
		if !row.Exists {
			r := *row.Rating
			fresh = append(fresh, &r)
		}
	}
	if err := s.d.Store.CreateRatings(ctx, fresh); err != nil {
		if apperr.Is(err, apperr.Conflict) {
			return apperr.New(apperr.Conflict, "文件中有办件的同一阶段已有评价，未导入任何记录")
		}
		return err
	}
	ids := make([]int64, len(fresh))
	for i, r := range fresh {
		ids[i] = r.ID
		if r.Level.Bad() && r.Number == FirstEvaluation && !r.Default {
			if _, err := s.openTicket(ctx, r); err != nil {
				return err
			}
		}
	}
	return s.d.Audit.Append(ctx, audit.Record{Actor: a.Audit(), Scope: "region:" + fresh[0].RegionPath, Action: "rating.import",
		ObjectType: "rating", ObjectID: fmt.Sprintf("%d-%d", ids[0], ids[len(ids)-1]),
		Change: map[string]any{"imported": len(fresh), "skipped": res.Existing, "ids": ids}})
}

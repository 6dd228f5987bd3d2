package rating

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"

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
	if path != "" { // "" is the whole deployment: a grant of no region, asked for none
		if err := s.knownRegion(ctx, path); err != nil {
			return nil, err
		}
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
	if err := s.knownRegion(ctx, regionPath); err != nil {
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

// knownRegion checks that path is a region's path as stored ("/1/2/3/"):
// an import writes it onto every record without an areaCode, and a path
// written otherwise ("/1/2/3", "/1/2/3/../4/") would pass the prefix check
// of the actor's scope yet belong to no region, its ratings and tickets
// then seen by nobody of the region and counted in none of its figures.
func (s *Service) knownRegion(ctx context.Context, path string) error {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	if id, err := strconv.ParseInt(parts[len(parts)-1], 10, 64); err == nil && strings.HasSuffix(path, "/") {
		if p, err := s.d.Regions.RegionPath(ctx, id); err == nil && p == path {
			return nil
		}
	}
	return apperr.Field("region", "没有这个地区，请从列表中选择")
}

func decodeRecords(data []byte) ([]Record, error) {
	// A file saved by a Windows editor starts with a byte order mark,
	// which JSON does not allow but which is no part of the records.
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	bad := func(why string) error {
		return apperr.Field("file", "文件不是评价数据交换格式（JSON 数组，字段见接口文档）："+why)
	}
	var raw []json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, bad(jsonProblem(data, err))
	}
	if len(raw) == 0 {
		return nil, apperr.Field("file", "文件中没有评价记录")
	}
	if len(raw) > maxExport {
		return nil, apperr.Field("file", fmt.Sprintf("一次最多导入 %d 条评价记录", maxExport))
	}
	recs := make([]Record, len(raw))
	for i, m := range raw {
		dec := json.NewDecoder(bytes.NewReader(m))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&recs[i]); err != nil {
			return nil, bad(fmt.Sprintf("第 %d 条记录%s", i+1, jsonProblem(m, err)))
		}
	}
	return recs, nil
}

// jsonProblem says in Chinese what is wrong in data, naming the field or
// the line where it can.
func jsonProblem(data []byte, err error) string {
	var typ *json.UnmarshalTypeError
	var syn *json.SyntaxError
	switch {
	case errors.As(err, &typ) && typ.Field != "":
		return fmt.Sprintf("的字段 %s 应为字符串（代码也用引号括起，如 \"5\"），文件中为 %s", typ.Field, jsonKind(typ.Value))
	case errors.As(err, &typ):
		return fmt.Sprintf("应为 JSON %s，文件中为 %s", map[bool]string{true: "对象 {…}", false: "数组 […]"}[typ.Type.Kind() == reflect.Struct], jsonKind(typ.Value))
	case errors.As(err, &syn):
		return fmt.Sprintf("第 %d 行有 JSON 语法错误", bytes.Count(data[:min(int(syn.Offset), len(data))], []byte("\n"))+1)
	}
	if f, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return "有未知字段 " + f
	}
	return "无法解析"
}

// jsonKind names a JSON value's kind as encoding/json reports it.
func jsonKind(v string) string {
	if k, ok := map[string]string{"number": "数字", "bool": "true/false", "object": "对象", "array": "数组", "string": "字符串"}[v]; ok {
		return k
	}
	return v
}

// maxAhead is how far ahead of this system's clock a record's assessTime
// may be: the two systems' clocks may differ a little, but a rating given
// in the future is not a rating.
const maxAhead = 5 * time.Minute

// checkImport checks and resolves every record.
func (s *Service) checkImport(ctx context.Context, regionPath string, recs []Record) (*ImportResult, error) {
	res := &ImportResult{}
	keys := make([]string, 0, len(recs))
	seen := map[string]bool{}
	now := s.d.Now()
	for i, rec := range recs {
		row := ImportRow{Line: i + 1, Record: rec}
		row.Rating, row.Errors = FromRecord(rec)
		if _, bad := row.Errors["assessTime"]; !bad && row.Rating.At.After(now.Add(maxAhead)) {
			row.Errors["assessTime"] = fmt.Sprintf("评价时间 %s 晚于本系统当前时间 %s，不能导入尚未发生的评价（请核对来源系统的时钟）",
				strings.TrimSpace(rec.AssessTime), now.In(chinaTime).Format(assessTimeLayout))
		}
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
		res.Rows[i].Exists = held[res.Rows[i].Rating.Key]
	}
	if err := s.checkSeconds(ctx, regionPath, res.Rows); err != nil {
		return nil, err
	}
	if err := s.checkFirsts(ctx, res.Rows); err != nil {
		return nil, err
	}
	for i := range res.Rows {
		row := &res.Rows[i]
		switch {
		case len(row.Errors) > 0:
			row.Exists = false
			res.Bad++
		case row.Exists:
			res.Existing++
		default:
			res.New++
		}
	}
	return res, nil
}

// checkFirsts refuses, on its row, a new first evaluation of a case held
// here whose stage has one already, stored or on an earlier row: a stage
// is rated once (一事一评), so the dry run reports what the import would
// refuse.
func (s *Service) checkFirsts(ctx context.Context, rows []ImportRow) error {
	taken, loaded := map[string]bool{}, map[int64]bool{}
	for i := range rows {
		row := &rows[i]
		r := row.Rating
		if r.Number != FirstEvaluation || r.CaseID == 0 || row.Exists || len(row.Errors) > 0 {
			continue
		}
		if !loaded[r.CaseID] {
			if err := s.takenStages(ctx, r.CaseID, taken); err != nil {
				return err
			}
			loaded[r.CaseID] = true
		}
		k := caseStage(r.CaseID, r.Stage)
		if taken[k] {
			row.Errors["projectNo"] = fmt.Sprintf("办件 %s “%s”阶段已有首次评价，每个阶段只能评价一次", r.CaseNumber, r.Stage.Label())
			continue
		}
		taken[k] = true
	}
	return nil
}

// takenStages marks the stages of a case that have a first evaluation.
func (s *Service) takenStages(ctx context.Context, caseID int64, taken map[string]bool) error {
	list, _, err := s.d.Store.FindRatings(ctx, Filter{CaseID: caseID, Limit: 50})
	for _, x := range list {
		if x.Number == FirstEvaluation {
			taken[caseStage(caseID, x.Stage)] = true
		}
	}
	return err
}

func caseStage(caseID int64, st Stage) string {
	return strconv.FormatInt(caseID, 10) + "\x00" + strconv.Itoa(int(st))
}

// firstWindow is how long before a second evaluation its first is looked
// for among the stored ratings of cases not held here. A second
// evaluation follows the department's feedback on a bad first one, within
// the ticket's periods (weeks; months when late): a year is ample.
const firstWindow = 366 * 24 * time.Hour

// stageKey names a case's (or visit's) stage.
func stageKey(caseNumber string, st Stage) string { return caseNumber + "\x00" + strconv.Itoa(int(st)) }

// checkSeconds refuses a new second evaluation (assessNumber 2) whose
// first evaluation of the same case and stage is neither in the file nor
// stored here: a second evaluation answers a first one's rectification,
// and without it the figures would count a re-rating of nothing.
func (s *Service) checkSeconds(ctx context.Context, regionPath string, rows []ImportRow) error {
	firsts := map[string]bool{}
	for _, row := range rows {
		if r := row.Rating; r.Number == FirstEvaluation && r.CaseNumber != "" {
			firsts[stageKey(r.CaseNumber, r.Stage)] = true
		}
	}
	var missing []*ImportRow // not in the file: looked for among the stored
	for i := range rows {
		row := &rows[i]
		r := row.Rating
		switch {
		case r.Number != SecondEvaluation || row.Exists || len(row.Errors) > 0:
		case r.CaseNumber == "":
			row.Errors["assessNumber"] = "二次评价须有办件编号（projectNo），才能对应其首次评价"
		case !firsts[stageKey(r.CaseNumber, r.Stage)]:
			missing = append(missing, row)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	stored, err := s.storedFirsts(ctx, regionPath, missing)
	if err != nil {
		return err
	}
	for _, row := range missing {
		r := row.Rating
		if !stored[stageKey(r.CaseNumber, r.Stage)] {
			row.Errors["assessNumber"] = fmt.Sprintf("二次评价没有对应的首次评价：文件中和本系统中都没有办件 %s “%s”阶段的首次评价（assessNumber 1）",
				r.CaseNumber, r.Stage.Label())
		}
	}
	return nil
}

// storedFirsts finds which of the rows' cases and stages have a first
// evaluation stored here: by the case, for cases held here; otherwise
// among the ratings of the region in the year before the rows' times
// (a first imported earlier carries the case's number only).
func (s *Service) storedFirsts(ctx context.Context, regionPath string, rows []*ImportRow) (map[string]bool, error) {
	found := map[string]bool{}
	want := map[string]bool{}
	var from, to time.Time
	for _, row := range rows {
		r := row.Rating
		k := stageKey(r.CaseNumber, r.Stage)
		if r.CaseID != 0 && !found[k] {
			list, _, err := s.d.Store.FindRatings(ctx, Filter{CaseID: r.CaseID, Limit: 50})
			if err != nil {
				return nil, err
			}
			for _, x := range list {
				if x.Number == FirstEvaluation {
					found[stageKey(r.CaseNumber, x.Stage)] = true
				}
			}
		}
		if found[k] {
			continue
		}
		want[k] = true
		if from.IsZero() || r.At.Before(from) {
			from = r.At
		}
		if r.At.After(to) {
			to = r.At
		}
	}
	const page = 5000
	for offset := 0; len(want) > 0; offset += page {
		list, total, err := s.d.Store.FindRatings(ctx, Filter{RegionPrefix: regionPath, From: from.Add(-firstWindow),
			To: to.Add(time.Second), Offset: offset, Limit: page})
		if err != nil {
			return nil, err
		}
		for _, x := range list {
			if k := stageKey(x.CaseNumber, x.Stage); x.Number == FirstEvaluation && want[k] {
				found[k] = true
				delete(want, k)
			}
		}
		if offset+page >= total || len(list) == 0 {
			break
		}
	}
	return found, nil
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

// uncallable is an imported rating as its ticket is opened: one whose
// rater cannot be called back, as a local anonymous rating's.
//
// A local real-name rating carries the way to reach its rater: the
// account (RaterUserID) or the phone of the visit's SMS (VisitID), which
// the ticket shows the department (contact) and the feedback goes to. The
// national record carries neither (no name, phone or account, only
// anonymityFlag), so a real-name rating imported from another channel
// (anonymityFlag 2) has no one to call. Refusing such rows would refuse
// every real-name bad review of the other channel, the reviews 好差评
// exists to act on, and leave them out of the figures; so they are
// imported, still real-name (the record is kept as sent and exported the
// same), and their ticket is opened as not call-back-able: the department
// records "无法回访" instead of a call nobody can make, the 回访 clock does
// not run, and 回访率 counts only the raters who can be called back.
func uncallable(r *Rating) *Rating {
	c := *r
	c.Anonymous = true
	return &c
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
			if _, err := s.openTicket(ctx, uncallable(r)); err != nil {
				return err
			}
		}
	}
	return s.d.Audit.Append(ctx, audit.Record{Actor: a.Audit(), Scope: "region:" + fresh[0].RegionPath, Action: "rating.import",
		ObjectType: "rating", ObjectID: fmt.Sprintf("%d-%d", ids[0], ids[len(ids)-1]),
		Change: map[string]any{"imported": len(fresh), "skipped": res.Existing, "ids": ids}})
}

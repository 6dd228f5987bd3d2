package opendata

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"unicode/utf8"

	"openhall/internal/apperr"
	"openhall/internal/calendar"
	"openhall/internal/disclosure"
	"openhall/internal/identity"
	"openhall/internal/pii"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// Upload limits.
const (
	MaxUploadBytes = 32 << 20
	MaxUploadRows  = 200000
	maxProblems    = 20
)

// Upload validates a department's CSV or XLSX file against the dataset's
// declared columns and stores it as the next version: the encoding (UTF-8,
// or GB18030 as Excel saves Chinese CSV), the header (the declared titles,
// in order), every cell's type, and no personal data (ID numbers, mobile
// numbers) in a dataset that is open. Any problem refuses the whole file,
// listing up to 20 with their row and column; nothing changes.
func (s *Service) Upload(ctx context.Context, a *identity.Actor, id int64, fileName string, data []byte) (*Version, error) {
	var v *Version
	err := s.d.Tx.InTx(ctx, func(ctx context.Context) error {
		d, ag, err := s.managed(ctx, a, id)
		if err != nil {
			return err
		}
		if d.Source != SourceUpload {
			return apperr.New(apperr.Conflict, "“%s”由平台自动生成，不能上传文件", d.Title)
		}
		rows, err := parseUpload(fileName, data, d)
		if err != nil {
			return err
		}
		if v, err = s.addVersion(ctx, d, rows, "上传文件 "+disclosure.SanitizeFileName(fileName), a.UserID); err != nil {
			return err
		}
		if v == nil {
			return apperr.New(apperr.Conflict, "上传的数据与当前第 %d 版完全相同，未生成新版本", d.Version)
		}
		d.UpdatedAt = s.now()
		if err := s.d.Store.UpdateDataset(ctx, d); err != nil {
			return err
		}
		return s.record(ctx, a, ag, "opendata.dataset.upload", "opendata_dataset", d.ID,
			map[string]any{"version": v.Number, "rows": v.RowCount, "sha256": v.SHA256})
	})
	if err == nil {
		s.keepNewCSV(ctx, id, v)
	}
	return v, err
}

// keepNewCSV keeps the CSV file of a version just committed, so that even
// its first download is a file copy. A failure is not the upload's: the
// first download keeps the file, or streams the rows.
func (s *Service) keepNewCSV(ctx context.Context, id int64, v *Version) {
	if s.d.Files == nil {
		return
	}
	if d, err := s.d.Store.FindDatasetByID(ctx, id); err == nil {
		_ = s.keepCSV(ctx, d, v)
	}
}

// parseUpload reads and checks a file; it returns the data rows.
func parseUpload(name string, data []byte, d *Dataset) ([][]string, error) {
	if len(data) == 0 {
		return nil, apperr.Field("file", "请选择要上传的数据文件")
	}
	if len(data) > MaxUploadBytes {
		return nil, apperr.Field("file", fmt.Sprintf("文件超过 %d MB", MaxUploadBytes>>20))
	}
	var records [][]string
	var err error
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		records, err = readXLSX(data)
	} else if strings.HasSuffix(strings.ToLower(name), ".xlsx") || strings.HasSuffix(strings.ToLower(name), ".xls") {
		return nil, apperr.Field("file", "文件不是有效的 .xlsx 工作簿（不支持旧版 .xls，请另存为 .xlsx 或 CSV）")
	} else {
		records, err = readCSV(data)
	}
	if err != nil {
		return nil, err
	}
	return checkRecords(records, d)
}

// decodeText returns the file as UTF-8: UTF-8 as it is (without a BOM), or
// GB18030; anything that is neither is refused.
func decodeText(data []byte) (string, error) {
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	if utf8.Valid(data) {
		return string(data), nil
	}
	out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
	if err != nil || bytes.ContainsRune(out, utf8.RuneError) {
		return "", apperr.Field("file", "无法识别文件编码：请另存为 UTF-8 或 GB18030（GBK）编码的 CSV")
	}
	return string(out), nil
}

func readCSV(data []byte) ([][]string, error) {
	text, err := decodeText(data)
	if err != nil {
		return nil, err
	}
	r := csv.NewReader(strings.NewReader(text))
	r.FieldsPerRecord = -1
	var out [][]string
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, apperr.Field("file", fmt.Sprintf("CSV 格式错误：第 %d 行第 %d 列附近引号不匹配或格式不正确", pe.Line, pe.Column))
		}
		if err != nil {
			return nil, apperr.Field("file", "无法读取 CSV 文件")
		}
		if len(out) > MaxUploadRows {
			return nil, apperr.Field("file", fmt.Sprintf("数据超过 %d 行，请拆分为多个数据集或联系管理员", MaxUploadRows))
		}
		out = append(out, rec)
	}
}

func readXLSX(data []byte) ([][]string, error) {
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		return nil, apperr.Field("file", "无法读取该 .xlsx 工作簿")
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, apperr.Field("file", "工作簿中没有工作表")
	}
	rows, err := f.GetRows(sheets[0], excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, apperr.Field("file", "无法读取工作表“"+sheets[0]+"”")
	}
	if len(rows) > MaxUploadRows+1 {
		return nil, apperr.Field("file", fmt.Sprintf("数据超过 %d 行", MaxUploadRows))
	}
	return rows, nil
}

// problems collects located problems of an upload.
type problems []string

func (p *problems) add(format string, args ...any) {
	if len(*p) < maxProblems {
		*p = append(*p, fmt.Sprintf(format, args...))
	}
}

func (p problems) err() error {
	if len(p) == 0 {
		return nil
	}
	msg := "数据文件未通过校验，未保存：" + strings.Join(p, "；")
	if len(p) == maxProblems {
		msg += "；（仅列出前 20 处）"
	}
	return &apperr.Error{Code: apperr.Invalid, Message: msg, Fields: map[string]string{"file": msg}}
}

func checkRecords(records [][]string, d *Dataset) ([][]string, error) {
	var p problems
	if len(records) == 0 {
		return nil, apperr.Field("file", "文件是空的：第 1 行应为表头")
	}
	checkHeader(&p, records[0], d.Columns)
	if err := p.err(); err != nil {
		return nil, err
	}
	rows := make([][]string, 0, len(records)-1)
	for i, rec := range records[1:] {
		if blankRecord(rec) {
			continue
		}
		rows = append(rows, checkRow(&p, i+2, rec, d))
	}
	if len(rows) == 0 {
		p.add("文件只有表头，没有数据行")
	}
	return rows, p.err()
}

func checkHeader(p *problems, head []string, cols []Column) {
	if len(head) != len(cols) {
		p.add("第 1 行（表头）有 %d 列，数据集声明了 %d 列（%s）", len(head), len(cols), strings.Join(header(cols), "、"))
		return
	}
	for i, c := range cols {
		h := strings.TrimSpace(strings.TrimPrefix(head[i], "\uFEFF"))
		if h != c.Title && h != c.Name {
			p.add("第 1 行（表头）第 %d 列应为“%s”，实为“%s”", i+1, c.Title, h)
		}
	}
}

func blankRecord(rec []string) bool {
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

var (
	integerRe = regexp.MustCompile(`^-?\d{1,18}$`)
	decimalRe = regexp.MustCompile(`^-?\d{1,18}(\.\d{1,10})?$`)
	idLikeRe  = regexp.MustCompile(`\d{17}[\dXx]`)
	mobileRe  = regexp.MustCompile(`(^|\D)1[3-9]\d{9}($|\D)`)
)

func checkRow(p *problems, line int, rec []string, d *Dataset) []string {
	if len(rec) != len(d.Columns) {
		p.add("第 %d 行有 %d 列，应为 %d 列", line, len(rec), len(d.Columns))
		return rec
	}
	out := make([]string, len(rec))
	for j, c := range d.Columns {
		v := strings.TrimSpace(rec[j])
		out[j] = v
		if msg := checkCell(c, v, d.Tier); msg != "" {
			p.add("第 %d 行第 %d 列（%s）：%s", line, j+1, c.Title, msg)
		}
	}
	return out
}

// checkCell checks one value against its column's type and the personal
// data rule; an empty cell is a missing value and always allowed.
func checkCell(c Column, v string, tier Tier) string {
	if v == "" {
		return ""
	}
	switch c.Type {
	case TypeInteger:
		if !integerRe.MatchString(v) {
			return fmt.Sprintf("“%s”不是整数", clip(v))
		}
	case TypeDecimal:
		if !decimalRe.MatchString(v) {
			return fmt.Sprintf("“%s”不是数值", clip(v))
		}
	case TypeDate:
		if _, err := calendar.ParseDate(v); err != nil {
			return fmt.Sprintf("“%s”不是 YYYY-MM-DD 格式的日期", clip(v))
		}
	}
	if tier != TierClosed && !c.Personal && looksPersonal(v) {
		return "疑似身份证号或手机号：开放的数据集不能含个人信息（请删除或脱敏，或将数据集标为不予开放）"
	}
	return ""
}

// looksPersonal reports a valid 18-digit ID number or a mobile number
// inside a value.
func looksPersonal(v string) bool {
	for _, m := range idLikeRe.FindAllString(v, -1) {
		if pii.CheckIDNumber(m) == nil {
			return true
		}
	}
	for _, m := range mobileRe.FindAllString(v, -1) {
		if pii.CheckMobile(strings.TrimFunc(m, func(r rune) bool { return r < '0' || r > '9' })) == nil {
			return true
		}
	}
	return false
}

func clip(s string) string {
	if r := []rune(s); len(r) > 20 {
		return string(r[:20]) + "…"
	}
	return s
}

package catalog

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"openhall/internal/apperr"
	"openhall/internal/identity"
)

// ImportRow is one item read from an import file, with its line number.
type ImportRow struct {
	Line  int
	Input ItemInput
}

// RowError is one problem of one row: the field is a guide field name
// ("materials.2.name"), which the file format maps to its column.
type RowError struct {
	Line    int
	Field   string
	Message string
}

// ImportError lists every problem of an import that wrote nothing.
type ImportError struct{ Rows []RowError }

func (e *ImportError) Error() string { return "import refused: " + e.Rows[0].Message }

// importErr is the Invalid error of a refused import; errors.As finds the
// *ImportError with every row's problems in it.
func importErr(rows []RowError) error {
	return apperr.Wrap(&ImportError{Rows: rows}, apperr.Invalid, fmt.Sprintf("文件有 %d 处错误，未导入任何事项；请改正后重新导入", len(rows)))
}

// Import creates one draft item per row, all or nothing: every row is
// checked first (fields, departments, the actor's rights, codes unique in
// the file and in the catalogue), and nothing is written unless every row
// passes. It returns the created items, or an Invalid error wrapping an *ImportError.
func (s *Service) Import(ctx context.Context, a *identity.Actor, rows []ImportRow) ([]*Item, error) {
	if err := CanWork(a); err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, apperr.New(apperr.Invalid, "文件中没有事项数据")
	}
	if errs := s.checkImport(ctx, a, rows); len(errs) > 0 {
		return nil, importErr(errs)
	}
	var out []*Item
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		out = out[:0]
		for _, r := range rows {
			it, _, err := s.createItem(ctx, a, r.Input, "catalog.item.import")
			if err != nil {
				return importErr(rowErrors(r.Line, err))
			}
			out = append(out, it)
		}
		return nil
	})
	return out, err
}

// checkImport validates every row without writing, collecting all errors.
func (s *Service) checkImport(ctx context.Context, a *identity.Actor, rows []ImportRow) []RowError {
	var errs []RowError
	seenCode, seenImpl := map[string]int{}, map[string]int{}
	for i := range rows {
		r := &rows[i]
		r.Input.normalize()
		err := s.checkRow(ctx, a, &r.Input)
		errs = append(errs, rowErrors(r.Line, err)...)
		if r.Input.DepartmentID == 0 {
			continue
		}
		key := strings.Join([]string{r.Input.Code, itoa(r.Input.DepartmentID)}, "/")
		if n, dup := seenCode[key]; dup && r.Input.Code != "" {
			errs = append(errs, RowError{r.Line, "code", "基本编码 " + r.Input.Code + " 与第 " + itoa(int64(n)) + " 行重复"})
		}
		seenCode[key] = r.Line
		if n, dup := seenImpl[r.Input.ImplCode]; dup && r.Input.ImplCode != "" {
			errs = append(errs, RowError{r.Line, "impl_code", "实施编码 " + r.Input.ImplCode + " 与第 " + itoa(int64(n)) + " 行重复"})
		}
		seenImpl[r.Input.ImplCode] = r.Line
	}
	sort.SliceStable(errs, func(i, j int) bool { return errs[i].Line < errs[j].Line })
	return errs
}

// checkRow runs every check createItem runs, and the uniqueness checks the
// store would run, without writing.
func (s *Service) checkRow(ctx context.Context, a *identity.Actor, in *ItemInput) error {
	if err := s.resolveDepartment(ctx, in); err != nil {
		return err
	}
	p, perr := s.placeOf(ctx, in.DepartmentID)
	if perr == nil {
		if err := CanEdit(a, p.path, p.dept.ID); err != nil {
			return apperr.Field("department_id", apperr.MessageOf(err))
		}
		s.fillFromDepartment(&in.Guide, p)
	}
	g := in.Guide
	err := joinFields(in.validate(), perr, p.checkLevel(g.Level), s.checkCoDepartments(ctx, &g, in.DepartmentID))
	if err != nil || perr != nil {
		return err
	}
	return s.checkUnique(ctx, in, p)
}

func (s *Service) checkUnique(ctx context.Context, in *ItemInput, p place) error {
	var f apperr.Fields
	same, _, err := s.store.FindItems(ctx, ItemFilter{Code: in.Code, RegionID: p.reg.ID, Limit: 1})
	if err != nil {
		return err
	}
	f.Check(len(same) > 0, "code", "基本编码 "+in.Code+" 在"+p.reg.Name+"已被事项“"+firstName(same)+"”使用")
	impl := in.ImplCode
	if impl == "" && len(same) > 0 {
		return f.Err() // the generated 实施编码 repeats because the 基本编码 does
	}
	if impl == "" {
		impl = ImplCodeFor(in.Code, p.reg.Code, p.dept.CreditCode)
	}
	_, err = s.store.FindItemByImplCode(ctx, impl)
	f.Check(err == nil, "impl_code", "实施编码 "+impl+" 已存在")
	if err != nil && !apperr.Is(err, apperr.NotFound) {
		return err
	}
	return f.Err()
}

func firstName(its []*Item) string {
	if len(its) == 0 {
		return ""
	}
	return its[0].Name
}

// rowErrors turns one row's error into its field errors.
func rowErrors(line int, err error) []RowError {
	if err == nil {
		return nil
	}
	fields := apperr.FieldsOf(err)
	if len(fields) == 0 {
		return []RowError{{Line: line, Message: apperr.MessageOf(err)}}
	}
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]RowError, len(keys))
	for i, k := range keys {
		out[i] = RowError{Line: line, Field: k, Message: fields[k]}
	}
	return out
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

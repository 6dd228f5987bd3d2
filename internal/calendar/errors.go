package calendar

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// NoDataError reports that an operation needed a day outside the calendar's
// range: before its first official schedule, or more than provisionalYears
// after its last. Years inside the range without a schedule are answered
// provisionally instead (see Calendar.Provisional).
//
// Detect it with errors.As:
//
//	var nd calendar.NoDataError
//	if errors.As(err, &nd) { … nd.Year … }
type NoDataError struct {
	Year int
}

// Error returns a Chinese message naming the year.
func (e NoDataError) Error() string {
	return fmt.Sprintf("%d 年超出工作日历可推算的范围（早于首个节假日安排年度，或晚于最近一次安排 %d 年以上），请检查日期", e.Year, provisionalYears)
}

// ProvisionalNote is the words shown after a date computed over year, a year
// whose holiday schedule has not been imported (see Calendar.Provisional);
// "" when year is 0. Every page, document and message uses it, so the
// marking reads the same everywhere.
func ProvisionalNote(year int) string {
	if year == 0 {
		return ""
	}
	return fmt.Sprintf("（暂定：%d 年节假日安排尚未导入，暂按双休日和法定节日推算，导入后自动更正）", year)
}

// parseError is a message fit for the person who uploaded a file, with the
// decoder's own error kept for logs (Unwrap) but out of the text: the
// decoders speak English and name their internals.
type parseError struct {
	msg   string
	cause error
}

func (e *parseError) Error() string { return e.msg }
func (e *parseError) Unwrap() error { return e.cause }

// jsonError explains a JSON document the decoder refused.
func jsonError(err error) error {
	var syntax *json.SyntaxError
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return &parseError{fmt.Sprintf("节假日安排 JSON 解析失败：第 %d 字节附近不是合法的 JSON", syntax.Offset), err}
	case errors.As(err, &typeErr) && typeErr.Field != "":
		return &parseError{fmt.Sprintf("节假日安排 JSON 解析失败：字段 %s 的类型不对", typeErr.Field), err}
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return &parseError{"节假日安排 JSON 解析失败：文件不完整", err}
	}
	return &parseError{"节假日安排 JSON 解析失败：应为 holiday-cn 格式的 JSON 对象", err}
}

// negativeCount is the error for a negative day or working-day count.
func negativeCount(what string, n int) error {
	return fmt.Errorf("%s不能为负数（%d）", what, n)
}

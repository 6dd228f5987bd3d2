package calendar

import "fmt"

// NoDataError reports that an operation needed a year for which the calendar
// has no official holiday arrangement. The calendar never falls back to a
// plain Monday–Friday week for such years: a guessed deadline in a year whose
// notice has not been imported could be wrong by a whole Golden Week.
//
// Detect it with errors.As:
//
//	var nd calendar.NoDataError
//	if errors.As(err, &nd) { … nd.Year … }
type NoDataError struct {
	Year int
}

// Error returns a Chinese message telling the administrator which year to
// import.
func (e NoDataError) Error() string {
	return fmt.Sprintf("工作日历缺少 %d 年的节假日安排数据，请管理员先导入该年度安排", e.Year)
}

// negativeCount is the error for a negative day or working-day count.
func negativeCount(what string, n int) error {
	return fmt.Errorf("%s不能为负数（%d）", what, n)
}

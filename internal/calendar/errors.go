package calendar

import "fmt"

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
	return fmt.Sprintf("（暂定：%d 年节假日安排尚未导入，暂按双休日推算，导入后自动更正）", year)
}

// negativeCount is the error for a negative day or working-day count.
func negativeCount(what string, n int) error {
	return fmt.Errorf("%s不能为负数（%d）", what, n)
}

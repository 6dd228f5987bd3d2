package pii

import (
	"strings"
	"time"
	"unicode/utf8"
)

// idWeights are the ISO 7064 MOD 11-2 weights GB 11643-1999 gives to
// positions 1–17.
var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// idCheckChars maps the weighted sum modulo 11 to the check character.
const idCheckChars = "10X98765432"

// chinaZone is UTC+8. "Today" for a birth date is today in China wherever the
// server runs; a fixed zone needs no tzdata and China has no daylight saving.
var chinaZone = time.FixedZone("CST", 8*60*60)

// now is the clock used to reject birth dates in the future; tests replace it.
var now = time.Now

// NormalizeIDNumber trims surrounding white space (including the ideographic
// space U+3000) and upper-cases ASCII letters, so that a trailing x becomes X.
// It does not validate and does not remove inner spaces.
func NormalizeIDNumber(s string) string {
	return asciiUpper(strings.TrimSpace(s))
}

// CheckIDNumber reports whether s, once normalised, is a valid 18-character
// 居民身份证号码 under GB 11643-1999: a real province-level code, a real
// birth date from 1900-01-01 up to today (in China), and the right ISO 7064
// MOD 11-2 check character. The error is an *apperr.Error with Code Invalid
// and a message naming the first problem found.
func CheckIDNumber(s string) error {
	s = NormalizeIDNumber(s)
	if err := checkIDShape(s); err != nil {
		return err
	}
	if !validProvince(digitsValue(s[:2])) {
		return invalid("身份证号码前两位 %s 不是有效的省级行政区划代码", s[:2])
	}
	if err := checkBirthDate(s[6:14]); err != nil {
		return err
	}
	if want := idCheckChar(s[:17]); s[17] != want {
		return invalid("身份证号码校验位应为 %c，实际为 %c", want, s[17])
	}
	return nil
}

// checkIDShape checks the length and the characters: 17 digits, then a
// digit or X.
func checkIDShape(s string) error {
	if s == "" {
		return invalid("身份证号码不能为空")
	}
	if n := utf8.RuneCountInString(s); n != 18 {
		return invalid("身份证号码应为 18 位，当前为 %d 位", n)
	}
	if len(s) != 18 { // 18 characters but not all ASCII
		return invalid("身份证号码含有非法字符")
	}
	for i := 0; i < 17; i++ {
		if s[i] == 'X' {
			return invalid("身份证号码只有最后一位（校验位）可以是 X")
		}
		if !isDigit(s[i]) {
			return invalid("身份证号码含有非法字符")
		}
	}
	if !isDigit(s[17]) && s[17] != 'X' {
		return invalid("身份证号码含有非法字符")
	}
	return nil
}

// validProvince reports whether code is a province-level division code
// (81, 82 and 83 are the residence permits of Hong Kong, Macao and Taiwan
// residents).
func validProvince(code int) bool {
	switch {
	case code >= 11 && code <= 15, code >= 21 && code <= 23,
		code >= 31 && code <= 37, code >= 41 && code <= 46,
		code >= 50 && code <= 54, code >= 61 && code <= 65,
		code == 71, code >= 81 && code <= 83:
		return true
	}
	return false
}

// checkBirthDate checks an 8-digit YYYYMMDD birth date.
func checkBirthDate(d string) error {
	y, m, day := digitsValue(d[:4]), digitsValue(d[4:6]), digitsValue(d[6:])
	switch {
	case !validDate(y, m, day):
		return invalid("身份证号码第 7–14 位出生日期 %s 不是有效日期", d)
	case y < 1900:
		return invalid("身份证号码第 7–14 位出生日期 %s 早于 1900 年 1 月 1 日", d)
	case digitsValue(d) > todayYMD():
		return invalid("身份证号码第 7–14 位出生日期 %s 晚于今天", d)
	}
	return nil
}

// validDate reports whether y-m-d is a date of the proleptic Gregorian
// calendar.
func validDate(y, m, d int) bool {
	if m < 1 || m > 12 || d < 1 {
		return false
	}
	return d <= time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// todayYMD returns today's date in China as the number YYYYMMDD.
func todayYMD() int {
	t := now().In(chinaZone)
	return t.Year()*10000 + int(t.Month())*100 + t.Day()
}

// idCheckChar computes the check character of 17 validated digits.
func idCheckChar[T text](first17 T) byte {
	sum := 0
	for i, w := range idWeights {
		sum += int(first17[i]-'0') * w
	}
	return idCheckChars[sum%11]
}

// IDCheckChar returns the GB 11643-1999 check character ('0'–'9' or 'X') for
// the first 17 digits of an ID number. It is meant for generating test and
// demo data; it checks only that first17 is 17 ASCII digits.
func IDCheckChar(first17 string) (byte, error) {
	if len(first17) != 17 {
		return 0, invalid("身份证号码前 17 位应为 17 位数字，当前为 %d 位", utf8.RuneCountInString(first17))
	}
	for i := 0; i < len(first17); i++ {
		if !isDigit(first17[i]) {
			return 0, invalid("身份证号码前 17 位只能是数字")
		}
	}
	return idCheckChar(first17), nil
}

// BirthDateFromID returns the birth date of a valid ID number as midnight
// UTC of that calendar day (a civil date, not an instant: format it in UTC).
// It returns CheckIDNumber's error for an invalid number.
func BirthDateFromID(s string) (time.Time, error) {
	if err := CheckIDNumber(s); err != nil {
		return time.Time{}, err
	}
	d := NormalizeIDNumber(s)[6:14]
	y, m, day := digitsValue(d[:4]), digitsValue(d[4:6]), digitsValue(d[6:])
	return time.Date(y, time.Month(m), day, 0, 0, 0, 0, time.UTC), nil
}

// GenderFromID returns "男" when the 17th digit of a valid ID number is odd
// and "女" when it is even. It returns CheckIDNumber's error for an invalid
// number.
func GenderFromID(s string) (string, error) {
	if err := CheckIDNumber(s); err != nil {
		return "", err
	}
	if (NormalizeIDNumber(s)[16]-'0')%2 == 1 {
		return "男", nil
	}
	return "女", nil
}
